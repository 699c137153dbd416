"""The words of the council report in Dutch (B1: short, plain sentences) and English.

The report is a document for the council, so its text is made here, once, for both the
JSON the dashboard shows and the DOCX the clerk finishes: the two cannot drift apart.
Enum values stay what they are in the API; only their labels are here."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

from api.common.money import format_money
from api.exports.dutch import CATEGORIES, scheme_name

Lang = Literal["nl", "en"]

LABELS: dict[Lang, dict[str, str]] = {
    "nl": {
        # location kinds
        "municipal_ukrainian": "Gemeentelijke opvang Oekraïners",
        "private_hosting": "Gastgezinnen",
        "asylum_center": "Azc",
        "amv_small_scale": "Kleinschalige opvang amv",
        "emergency": "Noodopvang",
        # groups
        "ukrainian_displaced": "Ontheemden uit Oekraïne",
        "asylum_seeker": "Asielzoekers",
        "unaccompanied_minor": "Alleenstaande minderjarigen",
        # end reasons
        "transfer": "Overgeplaatst",
        "housing": "Naar een woning",
        "returned": "Teruggekeerd",
        "left": "Vertrokken",
        "other": "Anders",
        "unknown": "Onbekend",
        # signal categories
        "nuisance": "Overlast",
        "social_tension": "Spanning in de buurt",
        "safety": "Veiligheid",
        "health": "Gezondheid",
        "need": "Hulpvraag",
        "question": "Vraag",
        "compliment": "Compliment",
        "capacity": "Plaatsen",
        # activity kinds
        "language": "Taal",
        "work": "Werk",
        "volunteering": "Vrijwilligerswerk",
        "sport": "Sport",
        "education": "Onderwijs",
        "daytime": "Dagbesteding",
        "community": "Ontmoeting",
        "information_meeting": "Voorlichting",
        "total": "Totaal",
    },
    "en": {
        "municipal_ukrainian": "Municipal reception of Ukrainians",
        "private_hosting": "Host families",
        "asylum_center": "Asylum centre",
        "amv_small_scale": "Small-scale unaccompanied minors",
        "emergency": "Emergency reception",
        "ukrainian_displaced": "Displaced from Ukraine",
        "asylum_seeker": "Asylum seekers",
        "unaccompanied_minor": "Unaccompanied minors",
        "transfer": "Transferred",
        "housing": "To a home",
        "returned": "Returned",
        "left": "Left",
        "other": "Other",
        "unknown": "Unknown",
        "nuisance": "Nuisance",
        "social_tension": "Social tension",
        "safety": "Safety",
        "health": "Health",
        "need": "Need for help",
        "question": "Question",
        "compliment": "Compliment",
        "capacity": "Places",
        "language": "Language",
        "work": "Work",
        "volunteering": "Volunteering",
        "sport": "Sport",
        "education": "Education",
        "daytime": "Daytime activities",
        "community": "Community",
        "information_meeting": "Information meeting",
        "total": "Total",
    },
}
CATEGORIES_NL = {**CATEGORIES, "merged": "Overige uitgaven (samengevoegd)"}
CATEGORIES_EN = {
    "merged": "Other expenses (merged)",
    "staff": "Staff",
    "activities": "Activities",
    "location": "Locations",
    "living_allowance": "Living allowance",
    "health": "Health care",
    "transport": "Transport",
    "communication": "Interpreting and translation",
    "volunteers": "Volunteers",
    "other": "Other",
}

# Each template's placeholders are named; ``say`` fills them.
TEXT: dict[Lang, dict[str, str]] = {
    "nl": {
        "title": "Raadsinformatiebrief: voortgang opvang vluchtelingen, {quarter}",
        "quarter": "{n}e kwartaal {year}",
        "intro": "Deze brief gaat over het {quarter}: {first} tot en met {last}.",
        "as_of": "De cijfers gaan tot en met {as_of}. Het kwartaal is nog niet voorbij.",
        "suppressed_note": "Aantallen van 1 tot 4 personen tonen we niet (< 5). "
        "Zo is niemand te herkennen.",
        "hidden": "< 5",
        "hidden_costs": "niet getoond",
        "unknown": "onbekend",
        "none": "geen",
        # occupancy
        "h_occupancy": "Bezetting en capaciteit",
        "occ_end": "Op {as_of} waren er {capacity} plaatsen. Daarvan waren er {occupied} bezet.",
        "occ_avg": "Gemiddeld waren in het kwartaal {occupied} van de {capacity} plaatsen "
        "bezet. Dat is {rate}.",
        "t_occupancy": "Plaatsen en bezetting per soort opvang",
        "c_kind": "Soort opvang",
        "c_locations": "Locaties",
        "c_capacity_end": "Plaatsen op peildatum",
        "c_occupied_end": "Bezet op peildatum",
        "c_capacity_avg": "Plaatsen gemiddeld",
        "c_occupied_avg": "Bezet gemiddeld",
        "c_rate": "Bezettingsgraad",
        "ch_occupancy": "Plaatsen en bezetting op peildatum",
        "s_capacity": "Plaatsen",
        "s_occupied": "Bezet",
        # participants
        "h_participants": "Deelnemers",
        "part_total": "Op {as_of} woonden er {total} mensen in de opvang.",
        "t_participants": "Deelnemers per groep op peildatum",
        "c_group": "Groep",
        "c_people": "Personen",
        "ch_participants": "Deelnemers per groep",
        # movements
        "h_movements": "Aankomst en vertrek",
        "mov_arrivals": "In het kwartaal kwamen {arrivals} mensen nieuw in de opvang.",
        "mov_departures": "{departures} mensen verlieten de opvang.",
        "mov_transfers": "{transfers} keer verhuisde iemand naar een andere opvangplek. "
        "Dat tellen we niet als aankomst of vertrek.",
        "t_arrivals": "Nieuw in de opvang per groep",
        "c_arrivals": "Aankomsten",
        "t_departures": "Vertrek uit de opvang per reden",
        "c_reason": "Reden",
        "c_departures": "Vertrekken",
        "ch_departures": "Vertrek per reden",
        # signals
        "h_signals": "Signalen",
        "sig_counts": "In het kwartaal kwamen {reported} signalen binnen. "
        "We handelden er {resolved} af.",
        "sig_speed": "De helft van de signalen was binnen {median} dagen afgehandeld. "
        "Negen op de tien binnen {p90} dagen.",
        "sig_open": "Aan het eind van het kwartaal stonden er {open} signalen open.",
        "t_signals": "Signalen per soort",
        "c_category": "Soort",
        "c_reported": "Binnengekomen",
        "c_resolved": "Afgehandeld",
        "c_median": "Mediaan dagen",
        "c_p90": "90% binnen dagen",
        "c_open": "Open op peildatum",
        "ch_signals": "Signalen per soort",
        # activities
        "h_activities": "Activiteiten",
        "act_running": "Op {as_of} liepen er {running} activiteiten.",
        "act_attendance": "We hielden {recorded} keer bij of iemand er was. Bij {rate} "
        "van die keren was de deelnemer er.",
        "t_activities": "Activiteiten per soort",
        "c_activity_kind": "Soort activiteit",
        "c_running": "Lopend",
        "c_enrolled": "Deelnemers",
        "c_attendance": "Aanwezig",
        "ch_activities": "Deelnemers per soort activiteit",
        # budget
        "h_budget": "Geld: inkomsten en uitgaven",
        "bud_income": "Van 1 januari tot en met {last} hebben we recht op {expected} "
        "van het Rijk. We vroegen {claimed} aan en kregen {received}.",
        "bud_income_unknown": "Voor een deel van het jaar heeft het Rijk de bedragen nog "
        "niet vastgesteld. Daarom weten we nog niet precies hoeveel geld we krijgen. "
        "We vroegen {claimed} aan en kregen {received}.",
        "bud_expenses": "We gaven {expenses} uit.",
        "bud_balance_plus": "We houden {balance} over. De opvang kost de gemeente dus "
        "geen eigen geld.",
        "bud_balance_minus": "We komen {balance} tekort.",
        "bud_estimate": "Een deel van dit bedrag is een schatting: het Rijk heeft de bedragen "
        "voor {year} nog niet vastgesteld.",
        "est_provisional": "voorlopig",
        "est_assumed": "aangenomen",
        "t_income": "Inkomsten van het Rijk per regeling, tot en met het kwartaal",
        "c_scheme": "Regeling",
        "c_expected": "Recht op",
        "c_claimed": "Aangevraagd",
        "c_received": "Ontvangen",
        "t_expenses": "Uitgaven per soort, tot en met het kwartaal",
        "c_expense_category": "Soort uitgave",
        "c_amount": "Bedrag",
        "ch_budget": "Inkomsten en uitgaven per kwartaal",
        "c_quarter": "Kwartaal",
        "c_expenses": "Uitgaven",
        "t_budget_quarters": "Inkomsten en uitgaven per kwartaal",
    },
    "en": {
        "title": "Council information letter: progress of refugee reception, {quarter}",
        "quarter": "Q{n} {year}",
        "intro": "This letter covers {quarter}: {first} to {last}.",
        "as_of": "The figures go up to {as_of}. The quarter has not ended yet.",
        "suppressed_note": "Counts of 1 to 4 people are not shown (< 5), so that no one "
        "can be recognised.",
        "hidden": "< 5",
        "hidden_costs": "not shown",
        "unknown": "unknown",
        "none": "none",
        "h_occupancy": "Occupancy and capacity",
        "occ_end": "On {as_of} there were {capacity} places, of which {occupied} were occupied.",
        "occ_avg": "On average {occupied} of the {capacity} places were occupied in the "
        "quarter: {rate}.",
        "t_occupancy": "Places and occupancy per kind of reception",
        "c_kind": "Kind of reception",
        "c_locations": "Locations",
        "c_capacity_end": "Places at the reference date",
        "c_occupied_end": "Occupied at the reference date",
        "c_capacity_avg": "Places on average",
        "c_occupied_avg": "Occupied on average",
        "c_rate": "Occupancy rate",
        "ch_occupancy": "Places and occupancy at the reference date",
        "s_capacity": "Places",
        "s_occupied": "Occupied",
        "h_participants": "Participants",
        "part_total": "On {as_of}, {total} people lived in the reception.",
        "t_participants": "Participants per group at the reference date",
        "c_group": "Group",
        "c_people": "People",
        "ch_participants": "Participants per group",
        "h_movements": "Arrivals and departures",
        "mov_arrivals": "In the quarter {arrivals} people newly arrived in the reception.",
        "mov_departures": "{departures} people left the reception.",
        "mov_transfers": "{transfers} times someone moved to another reception place. "
        "Those moves are not counted as arrivals or departures.",
        "t_arrivals": "New arrivals per group",
        "c_arrivals": "Arrivals",
        "t_departures": "Departures per reason",
        "c_reason": "Reason",
        "c_departures": "Departures",
        "ch_departures": "Departures per reason",
        "h_signals": "Signals",
        "sig_counts": "In the quarter {reported} signals came in; {resolved} were resolved.",
        "sig_speed": "Half of the signals were resolved within {median} days, nine in ten "
        "within {p90} days.",
        "sig_open": "At the end of the quarter {open} signals were open.",
        "t_signals": "Signals per category",
        "c_category": "Category",
        "c_reported": "Reported",
        "c_resolved": "Resolved",
        "c_median": "Median days",
        "c_p90": "90% within days",
        "c_open": "Open at the reference date",
        "ch_signals": "Signals per category",
        "h_activities": "Activities",
        "act_running": "On {as_of}, {running} activities were running.",
        "act_attendance": "Of {recorded} attendance records, {rate} were present.",
        "t_activities": "Activities per kind",
        "c_activity_kind": "Kind of activity",
        "c_running": "Running",
        "c_enrolled": "Participants",
        "c_attendance": "Present",
        "ch_activities": "Participants per kind of activity",
        "h_budget": "Money: income and expenses",
        "bud_income": "From 1 January to {last} the Rijk owes us {expected}. We claimed "
        "{claimed} and received {received}.",
        "bud_income_unknown": "The Rijk has not set its amounts for part of the year yet, "
        "so what we will receive is not known exactly. We claimed {claimed} and received "
        "{received}.",
        "bud_expenses": "We spent {expenses}.",
        "bud_balance_plus": "{balance} is left over: the reception costs the municipality "
        "none of its own money.",
        "bud_balance_minus": "We are {balance} short.",
        "bud_estimate": "Part of this amount is an estimate: the Rijk has not set its amounts "
        "for {year} yet.",
        "est_provisional": "provisional",
        "est_assumed": "assumed",
        "t_income": "Income from the Rijk per scheme, up to the quarter",
        "c_scheme": "Scheme",
        "c_expected": "Owed",
        "c_claimed": "Claimed",
        "c_received": "Received",
        "t_expenses": "Expenses per category, up to the quarter",
        "c_expense_category": "Category",
        "c_amount": "Amount",
        "ch_budget": "Income and expenses per quarter",
        "c_quarter": "Quarter",
        "c_expenses": "Expenses",
        "t_budget_quarters": "Income and expenses per quarter",
    },
}


def say(lang: Lang, key: str, **params: object) -> str:
    return TEXT[lang][key].format(**params)


def label(lang: Lang, value: str) -> str:
    return LABELS[lang].get(value, value)


def category(lang: Lang, value: str) -> str:
    return (CATEGORIES_NL if lang == "nl" else CATEGORIES_EN).get(value, value)


def scheme(lang: Lang, code: str, name: str) -> str:
    return scheme_name(code, name) if lang == "nl" else name


def number(lang: Lang, value: int | float | Decimal, places: int = 0) -> str:
    """1.234 (nl) or 1,234 (en); ``places`` decimals."""
    # Half up, as the reports' rates round (format() alone would round half to even).
    exact = Decimal(str(value)).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)
    text = f"{exact:,.{places}f}"
    if lang == "nl":
        text = text.replace(",", "_").replace(".", ",").replace("_", ".")
    return text


def money(lang: Lang, value: Decimal) -> str:
    """€ 1.234,56 (nl) or €1,234.56 (en)."""
    sign = "-" if value < 0 else ""
    digits = number(lang, Decimal(format_money(abs(value))), 2)
    return f"{sign}€ {digits}" if lang == "nl" else f"{sign}€{digits}"


def percent(lang: Lang, rate: str | None) -> str:
    """A rate string of the reports ("0.8123") as 81,2% / 81.2%."""
    if rate is None:
        return say(lang, "unknown")
    return number(lang, Decimal(rate) * 100, 1) + "%"


def day(lang: Lang, value: object) -> str:
    from datetime import date

    assert isinstance(value, date)
    if lang == "nl":
        months = "januari februari maart april mei juni juli augustus september oktober "
        months += "november december"
        return f"{value.day} {months.split()[value.month - 1]} {value.year}"
    return f"{value.day} {value:%B} {value.year}"
