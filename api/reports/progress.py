"""Progress of the participants over a period, from the dated history of their Dutch
level and employment status (``participant_progress``), in one statement.

Per participant placed on any day of the period (anonymised ones too: the statistics
are kept), two correlated subqueries on the ``(participant_id, field)`` index take the
level valid just before the period (the latest entry with ``valid_from < from``) and the
level and status valid at its end (``valid_from <= to``). The statement groups by group,
start level, end level and end status: at most 3 x 7 x 7 x 5 rows, whatever the data
size. The figures are then summed here. A participant without history counts as level
``none`` and ``not_working``.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Date, exists, func, literal, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from api.models import (
    DutchLevel,
    EmploymentStatus,
    Group,
    Participant,
    ParticipantProgress,
    Placement,
    ProgressField,
)
from api.reports.overview_schemas import (
    DutchLevelCount,
    EmploymentStatusCount,
    ProgressFigures,
    ProgressGroup,
    ProgressReport,
)

LEVELS = list(DutchLevel)  # in CEFR order: none < A1 < ... < C2
RANK = {level.value: i for i, level in enumerate(LEVELS)}
B1 = RANK[DutchLevel.B1.value]
WORKING = {EmploymentStatus.part_time.value, EmploymentStatus.full_time.value}


def _value(field: ProgressField, day: date, *, before: bool) -> Any:
    """The participant's value of ``field`` just before ``day`` or on it."""
    at = literal(day, Date)
    progress = ParticipantProgress
    valid = progress.valid_from < at if before else progress.valid_from <= at
    return (
        select(progress.value)
        .where(progress.participant_id == Participant.id, progress.field == field, valid)
        .order_by(progress.valid_from.desc(), progress.id.desc())
        .limit(1)
        .scalar_subquery()
    )


def in_programme(first: date, last: date) -> ColumnElement[bool]:
    """Placed on at least one day of ``first..last``."""
    return exists(
        select(Placement.id).where(
            Placement.participant_id == Participant.id,
            Placement.start_date <= literal(last, Date),
            or_(Placement.end_date.is_(None), Placement.end_date > literal(first, Date)),
        )
    )


async def progress_rows(session: AsyncSession, *, first: date, last: date) -> list[Any]:
    """``(group, start level, end level, end status, count)``; levels may be NULL."""
    per_person = (
        select(
            Participant.group.label("grp"),
            _value(ProgressField.dutch_level, first, before=True).label("start_level"),
            _value(ProgressField.dutch_level, last, before=False).label("end_level"),
            _value(ProgressField.employment_status, last, before=False).label("status"),
        )
        .where(in_programme(first, last))
        .subquery("per_person")
    )
    keys = [
        per_person.c.grp,
        per_person.c.start_level,
        per_person.c.end_level,
        per_person.c.status,
    ]
    stmt = select(*keys, func.count()).group_by(*keys)
    return list((await session.execute(stmt)).all())


def _empty() -> dict[str, int]:
    return dict.fromkeys(ProgressFigures.model_fields, 0)


def summarise(rows: list[Any], *, first: date, last: date) -> ProgressReport:
    """The report's figures from the grouped rows (pure: unit-testable)."""
    groups = {group.value: _empty() for group in Group}
    levels: Counter[str] = Counter()
    statuses: Counter[str] = Counter()
    for group, start_level, end_level, status, count in rows:
        start = RANK.get(start_level or "none", 0)
        end = RANK.get(end_level or "none", 0)
        status = status or EmploymentStatus.not_working.value
        figures = groups[str(group)]
        figures["participants"] += count
        figures["moved_up"] += count if end > start else 0
        figures["reached_b1"] += count if start < B1 <= end else 0
        figures["at_b1_or_higher"] += count if end >= B1 else 0
        figures["working"] += count if status in WORKING else 0
        figures["volunteering"] += count if status == EmploymentStatus.volunteering else 0
        levels[LEVELS[end].value] += count
        statuses[status] += count
    total = _empty()
    for figures in groups.values():
        for key, value in figures.items():
            total[key] += value
    return ProgressReport(
        from_=first,
        to=last,
        groups=[ProgressGroup(group=Group(g), **f) for g, f in groups.items()],
        total=ProgressFigures(**total),
        dutch_levels=[DutchLevelCount(level=lv, count=levels[lv.value]) for lv in LEVELS],
        employment=[
            EmploymentStatusCount(status=s, count=statuses[s.value]) for s in EmploymentStatus
        ],
    )


async def progress_report(session: AsyncSession, *, first: date, last: date) -> ProgressReport:
    rows = await progress_rows(session, first=first, last=last)
    return summarise(rows, first=first, last=last)
