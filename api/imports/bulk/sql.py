"""What the set-wise checks and writes of both kinds share.

The tables as Core tables (the statements are ``INSERT ... SELECT`` and ``UPDATE ...
FROM``, not ORM objects), a problem per row of a statement over the staging table, the
duplicate keys inside the file, and the one timestamp of a write.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from sqlalchemy import Table, bindparam, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from api.imports.report import Report
from api.models import Location, Participant, ParticipantProgress, Placement, utcnow

P: Table = Participant.__table__  # type: ignore[assignment]
PL: Table = Placement.__table__  # type: ignore[assignment]
LOC: Table = Location.__table__  # type: ignore[assignment]
PROG: Table = ParticipantProgress.__table__  # type: ignore[assignment]


def as_uuid(value: Any) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


def as_date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def as_day_or_none(value: Any) -> date | None:
    return None if value is None else as_date(value)


def column_of(field: str, by_reference: bool, by_name: bool) -> str:
    """The file's column for a rule's field (the API's name): the natural key the row
    used for the person or the location, else the field itself."""
    if field == "participantId" and by_reference:
        return "participantReference"
    if field == "locationId" and by_name:
        return "locationName"
    return field


async def problems(
    session: AsyncSession,
    report: Report,
    stmt: Any,
    column: str,
    detail: Any,
    *,
    code: str,
    params: Any = None,
) -> None:
    """Each row of ``stmt`` (its first column the row number) is a problem, with the
    house style's field-error ``code`` (and ``params(row)`` where a sentence needs them)."""
    for row in await session.execute(stmt):
        report.add(
            row[0],
            column,
            detail(row) if callable(detail) else detail,
            code=code,
            params=params(row) if params else None,
        )


async def duplicates(
    session: AsyncSession, report: Report, stage: Table, keys: list[str], column: str, what: str
) -> None:
    """Rows whose key appeared on an earlier row of the file."""
    first = func.min(stage.c.row_no).over(partition_by=[stage.c[k] for k in keys])
    ranked = (
        select(stage.c.row_no, first.label("first"))
        .where(*(stage.c[k].is_not(None) for k in keys))
        .subquery()
    )
    await problems(
        session,
        report,
        select(ranked.c.row_no, ranked.c.first).where(ranked.c.row_no != ranked.c.first),
        column,
        lambda r: f"The same {what} is on row {r[1]} of this file.",
        code="duplicate_in_file",
        params=lambda r: {"row": int(r[1])},
    )


def now_param(table: Table) -> Any:
    return bindparam("import_now", utcnow(), type_=table.c.created_at.type)
