"""Files for the bulk import benchmark: participants and their placements as a Dutch
office would export them (semicolon CSV, ``31-12-2025`` dates), and the same rows
typed, for the reference load into a plain table."""

from __future__ import annotations

import csv
import random
from datetime import date, timedelta
from pathlib import Path
from typing import Any

GROUPS = ("ukrainian_displaced", "asylum_seeker")
LEVELS = ("none", "A1", "A2", "B1")
WORK = ("not_working", "volunteering", "studying", "part_time")
NATIONS = ("UKR", "SYR", "AFG", "ERI", "TUR", "YEM")
LANGUAGES = ("uk,ru", "ar", "fa,ps", "ti", "tr,ku", "ar,en")
NAMES = ("Olena", "Ahmad", "Iryna", "Yonas", "Fatima", "Petro", "Mariam", "Omar")
FAMILY = ("Koval", "Karimi", "Shevchenko", "Tesfaye", "Haddad", "Bondar", "Yilmaz")

PARTICIPANT_HEADER = [
    "Referentie",
    "Voornaam",
    "Achternaam",
    "Geboortedatum",
    "Nationaliteit",
    "Groep",
    "Talen",
    "Taalniveau",
    "Arbeidsstatus",
]
PLACEMENT_HEADER = ["Referentie", "Locatie", "Begindatum", "Einddatum", "Vertrekreden"]
# The plain table the reference loads: the same columns, typed, no rules.
PLAIN_COLUMNS = [
    "reference",
    "given_name",
    "family_name",
    "date_of_birth",
    "nationality",
    "group_name",
    "languages",
    "dutch_level",
    "employment_status",
]
PLAIN_PG = """CREATE TABLE {name} (reference varchar(64) PRIMARY KEY, given_name varchar(100),
family_name varchar(100), date_of_birth date, nationality varchar(3), group_name varchar(32),
languages text, dutch_level varchar(32), employment_status varchar(32))"""


def _dutch(day: date) -> str:
    return f"{day.day:02d}-{day.month:02d}-{day.year}"


def participants(path: Path, n: int, prefix: str) -> list[tuple[Any, ...]]:
    """Write the CSV; answer the rows typed (for the reference)."""
    rnd = random.Random(n)
    typed: list[tuple[Any, ...]] = []
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, delimiter=";")
        writer.writerow(PARTICIPANT_HEADER)
        for i in range(n):
            born = date(1960, 1, 1) + timedelta(days=rnd.randrange(40 * 365))
            row = (
                f"{prefix}-{i:07d}",
                rnd.choice(NAMES),
                f"{rnd.choice(FAMILY)}{i}",
                born,
                rnd.choice(NATIONS),
                rnd.choice(GROUPS),
                rnd.choice(LANGUAGES),
                rnd.choice(LEVELS),
                rnd.choice(WORK),
            )
            writer.writerow([*row[:3], _dutch(born), *row[4:]])
            typed.append(row)
    return typed


def placements(path: Path, n: int, prefix: str, locations: list[str]) -> None:
    """One stay per participant of ``participants(n, prefix)``; a third of them ended."""
    rnd = random.Random(n + 1)
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, delimiter=";")
        writer.writerow(PLACEMENT_HEADER)
        for i in range(n):
            start = date(2023, 1, 1) + timedelta(days=rnd.randrange(600))
            ended = rnd.random() < 0.33
            end = start + timedelta(days=rnd.randrange(1, 200)) if ended else None
            writer.writerow(
                [
                    f"{prefix}-{i:07d}",
                    locations[i % len(locations)],
                    _dutch(start),
                    _dutch(end) if end else "",
                    "housing" if end else "",
                ]
            )
