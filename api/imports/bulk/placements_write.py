"""Writing placements: an upsert on their natural key, then the checks that need it.

A stay is keyed by its participant and ``startDate``: ``INSERT ... SELECT`` for the new
ones and ``UPDATE ... FROM`` for the others, only where something differs, so a re-run
of the same file changes nothing; the change feed is fed set-wise
(``record_changes_from``). Overlaps and capacity are checked after the write, on what
the transaction then holds, the way ``api.placements.rules`` does it for one stay: the
stays of the staged participants that overlap, and the occupancy sweep of
``api.occupancy`` over the touched locations.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Integer, String, and_, func, insert, literal, or_, select, union_all, update
from sqlalchemy.engine import CursorResult
from sqlalchemy.ext.asyncio import AsyncSession

from api.changes.recorder import record_changes_from
from api.db.staging import Staged
from api.imports.bulk.sql import LOC, PL, P, as_date, as_day_or_none, as_uuid, column_of, now_param
from api.imports.report import Report
from api.models import Placement
from api.occupancy import occupancy_events, occupancy_sweep
from api.placements import rulebook
from api.placements.rulebook import Other


async def write_placements(session: AsyncSession, report: Report, stage: Staged) -> None:
    """Upsert the staged stays on participant and ``startDate``, with their change feed
    rows."""
    s = stage.table
    now = now_param(PL)
    differs = or_(
        PL.c.location_id != s.c.location_id,
        PL.c.end_date.is_distinct_from(s.c.end_date),
        PL.c.end_reason.is_distinct_from(s.c.end_reason),
    )
    joined = PL.c.id == s.c.existing_id
    # The change feed's rows before the write (the versions it makes); who may see
    # an updated stay is decided at COMMIT, from its location then.
    anyone = await session.scalar(select(s.c.row_no).where(s.c.existing_id.is_not(None)).limit(1))
    updated = 0
    if anyone is not None:
        updated = await record_changes_from(
            session,
            Placement,
            select(s.c.row_no, PL.c.id, literal("update", String), PL.c.version + 1)
            .select_from(s)
            .join(PL, joined)
            .where(differs),
        )
    if updated:
        await session.execute(
            update(PL)
            .where(joined, differs)
            .values(
                location_id=s.c.location_id,
                end_date=s.c.end_date,
                end_reason=s.c.end_reason,
                version=PL.c.version + 1,
                updated_at=now,
            )
        )
    fresh = s.c.existing_id.is_(None)
    await stage.fill_ids(fresh)
    inserted: CursorResult[Any] = await session.execute(  # type: ignore[assignment]
        insert(PL).from_select(
            [
                "id",
                "participant_id",
                "location_id",
                "start_date",
                "end_date",
                "end_reason",
                "created_at",
                "updated_at",
                "version",
            ],
            select(
                s.c.new_id,
                s.c.participant_id,
                s.c.location_id,
                s.c.start_date,
                s.c.end_date,
                s.c.end_reason,
                now,
                now,
                literal(1, Integer),
            ).where(fresh),
        )
    )
    created = int(inserted.rowcount or 0)
    if created:
        # Who may see each new stay: its location's operator and its person's
        # guardian.
        await record_changes_from(
            session,
            Placement,
            select(s.c.row_no, s.c.new_id, literal("create", String), literal(1, Integer)).where(
                fresh
            ),
            audiences=union_all(
                select(s.c.new_id, LOC.c.operator_partner_id)
                .join(LOC, LOC.c.id == s.c.location_id)
                .where(fresh),
                select(s.c.new_id, P.c.guardian_partner_id)
                .join(P, P.c.id == s.c.participant_id)
                .where(fresh, P.c.guardian_partner_id.is_not(None)),
            ),
        )
    report.created += created
    report.updated += updated
    report.unchanged += report.total - report.created - report.updated


async def check_after_write(session: AsyncSession, report: Report, stage: Staged) -> None:
    """Overlapping stays and full locations, on what the transaction now holds."""
    s = stage.table
    other = PL.alias("other")
    # Another stay of the same person (not the row's own: same person and start)
    # that shares a night with it.
    shared = await session.execute(
        select(
            s.c.row_no,
            s.c.start_date,
            s.c.end_date,
            other.c.id,
            other.c.start_date,
            other.c.end_date,
        )
        .join(other, other.c.participant_id == s.c.participant_id)
        .where(
            other.c.start_date != s.c.start_date,
            or_(other.c.end_date.is_(None), other.c.end_date > s.c.start_date),
            or_(s.c.end_date.is_(None), other.c.start_date < s.c.end_date),
        )
    )
    for row_no, start, end, other_id, other_start, other_end in shared:
        for problem in rulebook.overlap(
            as_date(start),
            as_day_or_none(end),
            [Other(as_uuid(other_id), as_date(other_start), as_day_or_none(other_end))],
        ):
            report.add(row_no, problem.field, problem.detail, problem.type)
    first = await session.scalar(select(func.min(s.c.start_date)))
    if first is None:
        return
    touched = select(s.c.location_id).distinct()
    sweep = occupancy_sweep(occupancy_events(touched, as_date(first), None))
    covered = and_(
        s.c.location_id == sweep.c.location_id,
        s.c.start_date <= sweep.c.day,
        or_(s.c.end_date.is_(None), s.c.end_date > sweep.c.day),
    )
    over = (
        select(sweep.c.location_id, func.min(sweep.c.day).label("day"))
        .where(sweep.c.occupied > sweep.c.capacity, select(s.c.row_no).where(covered).exists())
        .group_by(sweep.c.location_id)
    )
    for location_id, day in (await session.execute(over)).all():
        day = as_date(day)
        at = as_uuid(location_id)
        row = await session.scalar(
            select(func.max(s.c.row_no)).where(
                s.c.location_id == at,
                s.c.start_date <= day,
                or_(s.c.end_date.is_(None), s.c.end_date > day),
            )
        )
        figures = (
            await session.execute(
                select(sweep.c.occupied, sweep.c.capacity).where(
                    sweep.c.location_id == at, sweep.c.day == day
                )
            )
        ).first()
        name = await session.scalar(select(LOC.c.name).where(LOC.c.id == at))
        by_name = await session.scalar(
            select(s.c.location_name.is_not(None)).where(s.c.row_no == row)
        )
        occupied, capacity = figures if figures is not None else (0, 0)
        full = rulebook.over_capacity(str(name), day, int(occupied), int(capacity))
        report.add(row or 0, column_of(full.field, False, bool(by_name)), full.detail, full.type)
