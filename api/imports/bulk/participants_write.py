"""Writing participants: an upsert on their natural key, ``reference``.

``INSERT ... SELECT`` for the new ones and ``UPDATE ... FROM`` for the others, only
where something differs, so a re-run of the same file changes nothing. The tracked
fields' progress history and the change feed (``record_changes_from``) are fed from the
staging table too, set-wise: nothing per row comes back to Python.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import (
    Date,
    Integer,
    String,
    func,
    insert,
    literal,
    or_,
    select,
    union_all,
    update,
)
from sqlalchemy.engine import CursorResult
from sqlalchemy.ext.asyncio import AsyncSession

from api.changes.recorder import record_changes_from
from api.db.dialect import sql_of
from api.db.staging import Staged
from api.imports.bulk.sql import PROG, P, now_param
from api.imports.report import Report
from api.models import Participant, ProgressField

# The participant columns a stage carries, in the order it is given them.
STAGE_COLUMNS_P = (
    "reference",
    "bsn",
    "v_number",
    "given_name",
    "family_name",
    "date_of_birth",
    "nationality",
    "group",
    "guardian_partner_id",
    "household_ref",
    "languages",
    "dutch_level",
    "employment_status",
)


def _value(stage: Staged, name: str) -> Any:
    column = stage.table.c[name]
    if name == "languages":  # staged as JSON text
        return sql_of(stage.session).json_from_text(column)
    return column


def _differs(stage: Staged, columns: list[str]) -> Any:
    conditions = []
    for name in columns:
        if name == "reference":
            continue
        target: Any = P.c[name]
        value = _value(stage, name)
        if name == "languages":
            target = sql_of(stage.session).json_compared(target)
        conditions.append(target.is_distinct_from(value))
    return or_(*conditions) if conditions else literal(False)


def _progress(
    stage: Staged,
    today: date,
    source: Any,
    fields: list[tuple[str, ProgressField, Any]],
    now: Any,
) -> Any:
    """The progress history rows of ``source`` (the stage joined as needed, with the
    participant's id as ``pid``), in the index's order: appended to it."""
    s = stage.table
    since = literal(today, Date)
    rows = union_all(
        *(
            source.add_columns(
                literal(field.value, String).label("field"),
                s.c[name].label("value"),
                func.coalesce(s.c.progress_on, since).label("valid_from"),
                now.label("recorded_at"),
            ).where(*(() if where is None else (where,)))
            for name, field, where in fields
        )
    ).subquery()
    return insert(PROG).from_select(
        ["participant_id", "field", "value", "valid_from", "recorded_at"],
        select(rows).order_by(rows.c.pid, rows.c.field),
    )


async def write_participants(
    session: AsyncSession, report: Report, *, stage: Staged, columns: list[str], today: date
) -> None:
    """Upsert the staged rows on ``reference``, with their progress history and their
    change feed rows."""
    s = stage.table
    now = now_param(P)
    tracked = [
        (name, field)
        for name, field in (
            ("dutch_level", ProgressField.dutch_level),
            ("employment_status", ProgressField.employment_status),
        )
        if name in columns
    ]
    # Who is there already (by reference); new ids for the others.
    await session.execute(
        update(s).where(P.c.reference == s.c.reference).values(existing_id=P.c.id)
    )
    fresh = s.c.existing_id.is_(None)
    await stage.fill_ids(fresh)
    joined = P.c.id == s.c.existing_id
    # Updates first (the progress history needs the values before the write); the
    # change feed's rows are taken before the write too (the versions they make).
    anyone = await session.scalar(select(s.c.row_no).where(s.c.existing_id.is_not(None)).limit(1))
    if anyone is not None:
        await stage.analyze()  # for the joins to who is there (by hash)
    updated = (
        0
        if anyone is None
        else await record_changes_from(
            session,
            Participant,
            select(s.c.row_no, P.c.id, literal("update", String), P.c.version + 1)
            .select_from(s)
            .join(P, joined)
            .where(_differs(stage, columns)),
        )
    )
    if updated and tracked:
        source = select(P.c.id.label("pid")).select_from(s).join(P, joined)
        await session.execute(
            _progress(
                stage,
                today,
                source,
                [(name, field, P.c[name] != s.c[name]) for name, field in tracked],
                now,
            )
        )
    if updated:
        values = {name: _value(stage, name) for name in columns if name != "reference"}
        await session.execute(
            update(P)
            .where(joined, _differs(stage, columns))
            .values(**values, version=P.c.version + 1, updated_at=now)
        )
    report.updated += updated
    # The new ones, with the ids the stage holds.
    names = list(STAGE_COLUMNS_P)
    inserted: CursorResult[Any] = await session.execute(  # type: ignore[assignment]
        insert(P).from_select(
            ["id", *names, "created_at", "updated_at", "version"],
            select(
                s.c.new_id,
                *(_value(stage, n) for n in names),
                now,
                now,
                literal(1, Integer),
            ).where(fresh),
        )
    )
    created = int(inserted.rowcount or 0)
    if created:
        # Their progress: both tracked fields, whether the file has them or not.
        everything = [
            ("dutch_level", ProgressField.dutch_level, None),
            ("employment_status", ProgressField.employment_status, None),
        ]
        source = select(s.c.new_id.label("pid")).where(fresh)
        await session.execute(_progress(stage, today, source, everything, now))
        # Only the guarded ones have an audience (their guardian).
        await record_changes_from(
            session,
            Participant,
            select(s.c.row_no, s.c.new_id, literal("create", String), literal(1, Integer)).where(
                fresh
            ),
            audiences=select(s.c.new_id, s.c.guardian_partner_id).where(
                fresh, s.c.guardian_partner_id.is_not(None)
            ),
        )
    report.created += created
    report.unchanged += report.total - report.created - report.updated
