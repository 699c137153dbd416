"""The database seam (``api.db``): the one place that knows which database it talks to.

Outside it, no module branches on the dialect or talks to the driver; and its bulk
writer stores exactly what a Core ``INSERT`` of the same rows stores, on both engines.
"""

from __future__ import annotations

import re
import uuid
from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy import Table, insert, select

from api.db import Database
from api.db.dialect import sql_of
from api.db.raw import SQLITE_ROWS, UNNEST_ROWS, copy_rows, insert_rows, update_rows
from api.models import (
    DutchLevel,
    EmploymentStatus,
    Group,
    Participant,
    ParticipantProgress,
    ProgressField,
)
from tests.conftest import ROOT

API = ROOT / "api"
# Where the engines may differ: the seam itself; the models' schema declarations (a
# partial index, JSONB); the settings, which pick the driver from the URL.
ALLOWED = ("db/", "models/", "config.py")
DIALECT_TALK = re.compile(
    r"dialect\.name|sqlalchemy\.dialects|get_raw_connection|driver_connection|\.postgres\b"
)


def test_no_module_outside_the_seam_branches_on_the_dialect() -> None:
    found = [
        f"{path.relative_to(API)}:{n}: {line.strip()}"
        for path in sorted(API.rglob("*.py"))
        if not str(path.relative_to(API)).startswith(ALLOWED)
        for n, line in enumerate(path.read_text().splitlines(), 1)
        if DIALECT_TALK.search(line)
    ]
    assert found == [], "ask api.db (sql_of, fetch_raw, insert_rows ...) instead:\n" + "\n".join(
        found
    )


def _table(model: type[Any]) -> Table:
    table: Table = model.__table__
    return table


def _people(count: int, tag: str) -> list[dict[str, Any]]:
    """Participants with every kind of value: UUIDs, a date, enums, JSON, a timestamp,
    NULLs."""
    now = datetime(2026, 3, 1, 12, 30, 15, 123456, tzinfo=UTC)
    return [
        {
            "id": uuid.uuid4(),
            "reference": f"SEAM-{tag}-{i}",
            "given_name": f"Naam {i}" if i % 3 else None,
            "family_name": "Jansen",
            "group": Group.asylum_seeker if i % 2 else Group.unaccompanied_minor,
            "date_of_birth": date(1990, 1, 1 + i % 28),
            "nationality": "SYR",
            "languages": ["ar", "nl"] if i % 2 else [],
            "dutch_level": DutchLevel.none,
            "employment_status": EmploymentStatus.not_working,
            "created_at": now,
            "updated_at": now,
            "version": 1,
        }
        for i in range(count)
    ]


async def _stored(db: Database, references: str, columns: list[str]) -> list[tuple[Any, ...]]:
    """The rows as the database holds them, straight from the driver."""
    async with db.sessionmaker() as session:
        connection = await session.connection()
        table = _table(Participant)
        stmt = (
            select(*(table.c[c] for c in columns))
            .where(table.c.reference.like(references))
            .order_by(table.c.given_name, table.c.date_of_birth, table.c.group)
        )
        compiled = stmt.compile(dialect=connection.dialect, compile_kwargs={"literal_binds": True})
        result = await connection.exec_driver_sql(str(compiled))
        return [tuple(row) for row in result]


@pytest.mark.parametrize(
    "count",
    [
        # More rows than one multi-row INSERT takes on SQLite, and a remainder; on
        # PostgreSQL more than one unnest INSERT takes: COPY.
        SQLITE_ROWS * 2 + 37,
        UNNEST_ROWS,  # PostgreSQL: the most rows one unnest INSERT takes
        3,
    ],
)
async def test_insert_rows_stores_what_a_core_insert_stores(db: Database, count: int) -> None:
    async with db.sessionmaker() as session:
        await insert_rows(session, _table(Participant), _people(count, "seam"))
        await session.execute(insert(_table(Participant)), _people(count, "core"))
        await session.commit()
    compared = [c for c in _people(1, "x")[0] if c not in ("id", "reference")]
    ours = await _stored(db, "SEAM-seam-%", compared)
    core = await _stored(db, "SEAM-core-%", compared)
    assert len(ours) == count
    assert ours == core
    async with db.sessionmaker() as session:
        person = (
            await session.execute(select(Participant).where(Participant.reference == "SEAM-seam-1"))
        ).scalar_one()
        assert person.languages == ["ar", "nl"]
        assert person.group is Group.asylum_seeker
        assert person.created_at == datetime(2026, 3, 1, 12, 30, 15, 123456, tzinfo=UTC)


async def test_insert_rows_of_a_table_with_a_generated_key(db: Database) -> None:
    async with db.sessionmaker() as session:
        await insert_rows(session, _table(Participant), _people(1, "progress"))
        pid = (
            await session.execute(
                select(Participant.id).where(Participant.reference == "SEAM-progress-0")
            )
        ).scalar_one()
        rows = [
            {
                "participant_id": pid,
                "field": ProgressField.dutch_level,
                "value": f"A{i}",
                "valid_from": date(2026, 1, 1 + i),
                "recorded_at": datetime(2026, 1, 1, tzinfo=UTC),
            }
            for i in range(3)
        ]
        await insert_rows(session, _table(ParticipantProgress), rows)
        await insert_rows(session, _table(ParticipantProgress), [])  # nothing, no error
        stored = (
            await session.execute(
                select(ParticipantProgress.value, ParticipantProgress.valid_from)
                .where(ParticipantProgress.participant_id == pid)
                .order_by(ParticipantProgress.valid_from)
            )
        ).all()
    assert [tuple(r) for r in stored] == [(f"A{i}", date(2026, 1, 1 + i)) for i in range(3)]


async def test_copy_rows_takes_driver_values_in_column_order(db: Database) -> None:
    async with db.sessionmaker() as session:
        connection = await session.connection()
        await connection.exec_driver_sql("CREATE TEMPORARY TABLE seam_copy (n INTEGER, t TEXT)")
        records = [(n, f"row {n}") for n in range(SQLITE_ROWS + 1)]
        await copy_rows(session, "seam_copy", ["n", "t"], records)
        result = await connection.exec_driver_sql("SELECT n, t FROM seam_copy ORDER BY n")
        assert [tuple(r) for r in result] == records
        await connection.exec_driver_sql("DROP TABLE seam_copy")


async def test_the_dialect_is_asked_of_a_session_or_its_engine(db: Database) -> None:
    async with db.sessionmaker() as session:
        assert sql_of(session) is sql_of(db.engine)
        assert sql_of(session).dialect == db.engine.dialect.name


async def test_update_rows_sets_each_row_to_its_own_values(db: Database) -> None:
    people = _people(4, "upd")
    async with db.sessionmaker() as session:
        await insert_rows(session, _table(Participant), people)
        await update_rows(
            session,
            _table(Participant),
            [
                {
                    "id": p["id"],
                    "given_name": None if i == 0 else f"Nieuw {i}",
                    "languages": ["uk"] if i % 2 else [],
                    "group": Group.ukrainian_displaced,
                    "version": 2 + i,
                }
                for i, p in enumerate(people[:3])  # the fourth is left as it was
            ],
        )
        await update_rows(session, _table(Participant), [])  # nothing, no error
        await session.commit()
    async with db.sessionmaker() as session:
        stored = (
            await session.execute(
                select(
                    Participant.reference,
                    Participant.given_name,
                    Participant.languages,
                    Participant.group,
                    Participant.version,
                    Participant.family_name,
                )
                .where(Participant.reference.like("SEAM-upd-%"))
                .order_by(Participant.reference)
            )
        ).all()
    assert [tuple(r) for r in stored] == [
        ("SEAM-upd-0", None, [], Group.ukrainian_displaced, 2, "Jansen"),
        ("SEAM-upd-1", "Nieuw 1", ["uk"], Group.ukrainian_displaced, 3, "Jansen"),
        ("SEAM-upd-2", "Nieuw 2", [], Group.ukrainian_displaced, 4, "Jansen"),
        ("SEAM-upd-3", None, ["ar", "nl"], Group.asylum_seeker, 1, "Jansen"),
    ]
