"""The Dutch words of the exports: what a municipal controller or accountant reads in the
workbook and the CSV (the dashboard has the same words in its message catalogue). Codes
and enum values stay what they are in the API; only their labels are here."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from api.common.money import format_money

PERIODS = {
    "Q1": "1e kwartaal",
    "Q2": "2e kwartaal",
    "Q3": "3e kwartaal",
    "Q4": "4e kwartaal",
    "year": "heel jaar",
}
STATUSES = {
    "draft": "Concept",
    "submitted": "Ingediend",
    "approved": "Goedgekeurd",
    "rejected": "Afgewezen",
    "paid": "Betaald",
}
CATEGORIES = {
    "staff": "Personeel",
    "activities": "Activiteiten",
    "location": "Locaties",
    "living_allowance": "Leefgeld",
    "health": "Zorg",
    "transport": "Vervoer",
    "communication": "Tolken en vertalen",
    "volunteers": "Vrijwilligers",
    "other": "Overig",
}
UNITS = {
    "per_place_day": "plaatsdagen",
    "per_person_day": "persoonsdagen",
    "per_person_month": "persoonsmaanden",
    "per_place_once": "nieuwe plaatsen",
}
# The published schemes (seeded by the migrations) by code; a scheme finance adds later
# keeps the name it was given.
SCHEME_NAMES = {
    "BOO-GOO": "BooO: gemeentelijke opvang Oekraïners (GOO)",
    "BOO-POO": "BooO: particuliere opvang Oekraïners (POO)",
    "SPW-DUURZAAM": "Spreidingswet: stimulans duurzame plek (5 jaar of langer)",
    "SPW-OVERIG": "Spreidingswet: stimulans andere plek",
}


def period(value: str) -> str:
    return PERIODS.get(value, value)


def status(value: str) -> str:
    return STATUSES.get(value, value)


def category(value: str) -> str:
    return CATEGORIES.get(value, value)


def scheme_name(code: str, name: str) -> str:
    return SCHEME_NAMES.get(code, name)


def covered(value: bool | None) -> str:
    return "onbekend" if value is None else ("ja" if value else "nee")


def day(value: date) -> str:
    """dd-mm-jjjj, as a Dutch office writes a date."""
    return f"{value:%d-%m-%Y}"


def ranges(pairs: list[tuple[date, date]]) -> str:
    return ", ".join(f"{day(a)} t/m {day(b)}" for a, b in pairs)


def amount(value: Decimal | None) -> str:
    """Two places with a decimal comma and no thousands separator (a spreadsheet in a
    Dutch locale reads it as a number); empty when unknown."""
    return "" if value is None else format_money(value).replace(".", ",")


CERTAINTY = {
    "provisional": "voorlopig: berekend met een aangekondigd tarief",
    "assumed": "voorlopig: berekend met een aangenomen tarief",
}


def certainty(value: str | None) -> str:
    """A note for an expected amount made with a provisional rate ('' when known)."""
    return "" if value is None else CERTAINTY.get(value, "")
