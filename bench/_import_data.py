"""Files for the bulk import benchmark: participants and their placements as a Dutch
office would export them (semicolon CSV, ``31-12-2025`` dates), and the same rows
typed, for the reference loads: into a plain table, and (``fair_copy``) into the
domain's own tables, as the import must write them at minimum."""

from __future__ import annotations

import csv
import json
import random
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from api.common.calendar import today as local_today

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


async def fair_copy(dsn: str, rows: list[tuple[Any, ...]]) -> float:
    """Seconds to ``COPY`` ready-made rows into the migrated schema: the participants
    (every index and constraint of the real table), two progress rows each (the tracked
    fields, as the import writes them for a new participant) and a change-feed row each
    (with the counter bumped) -- what an import of ``rows`` writes at minimum. In one
    transaction, rolled back: the database is left as it was (a COMMIT of the import
    costs milliseconds)."""
    import asyncpg

    now = datetime.now(UTC)
    today = local_today()
    ids = [uuid.uuid4() for _ in rows]
    people = [
        (i, *r[:6], json.dumps(r[6].split(",")), r[7], r[8], now, now, 1)
        for i, r in zip(ids, rows, strict=True)
    ]
    progress = sorted(  # in the index's order, as the import appends them
        (i, field, value, today, now)
        for i, r in zip(ids, rows, strict=True)
        for field, value in (("dutch_level", r[7]), ("employment_status", r[8]))
    )
    conn = await asyncpg.connect(dsn)
    try:
        transaction = conn.transaction()
        await transaction.start()
        last = await conn.fetchval("SELECT last_position FROM change_counter WHERE id = 1")
        changes = [
            (last + n, "participants", str(i), "create", 1, now) for n, i in enumerate(ids, 1)
        ]
        started = time.perf_counter()
        await conn.copy_records_to_table(
            "participants", records=people, columns=[*FAIR_COLUMNS, *STAMPS]
        )
        await conn.copy_records_to_table(
            "participant_progress",
            records=progress,
            columns=["participant_id", "field", "value", "valid_from", "recorded_at"],
        )
        await conn.execute(
            "UPDATE change_counter SET last_position = last_position + $1 WHERE id = 1", len(ids)
        )
        await conn.copy_records_to_table(
            "changes",
            records=changes,
            columns=["position", "entity", "entity_id", "operation", "version", "changed_at"],
        )
        elapsed = time.perf_counter() - started
        await transaction.rollback()
        return elapsed
    finally:
        await conn.close()


FAIR_COLUMNS = ["id", *PLAIN_COLUMNS[:5], "group", *PLAIN_COLUMNS[6:]]
STAMPS = ["created_at", "updated_at", "version"]
