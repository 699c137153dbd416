"""The programme manager's morning figures (``/reports/overview``).

Like the progress report (``api.reports.progress``), an aggregate over the whole
programme, for admin, coordinator, finance and viewer. A partner gets 403: a
programme-wide figure is not its to see, and one scoped to its own locations would mix
scopes (placements are scoped by operator, enrollments by provider); it reads its own data
through the resource endpoints.

The overview runs one statement per section (six; see ``overview.sql`` and
``progress.figures``) whatever the data size; ``tests/reports/test_overview.py`` counts
them. Rates are decimal strings with four places, computed like the occupancy report's.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from typing import Annotated, Any

from fastapi import Query

from api.auth.deps import SettingsDep
from api.auth.roles import AnyRoleButPartner
from api.common.calendar import today
from api.db import SessionDep
from api.models import ActivityKind, Group, Severity, SignalCategory
from api.openapi import api_router
from api.reports.overview import sql
from api.reports.overview.schemas import (
    KindAttendance,
    KindParticipation,
    OverviewAttendance,
    OverviewGroupCount,
    OverviewLocationOccupancy,
    OverviewLocationParticipants,
    OverviewOccupancy,
    OverviewOccupancyTotal,
    OverviewParticipants,
    OverviewQuery,
    OverviewReport,
    OverviewSignals,
    SignalCategoryCount,
    SignalSeverityCount,
)
from api.reports.progress.figures import progress_report
from api.reports.shared import check_period, rate

router = api_router("reports", prefix="/reports")

ATTENDANCE_DAYS = 28
ALL_GROUPS = frozenset(g.value for g in Group)


def year_before(day: date) -> date:
    """The first day of the twelve months ending on ``day``."""
    try:
        start = day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        start = day.replace(year=day.year - 1, day=28)
    return start + timedelta(days=1)


@router.get("/overview", response_model=OverviewReport, summary="Dashboard figures")
async def overview(
    session: SessionDep,
    principal: AnyRoleButPartner,
    settings: SettingsDep,
    query: Annotated[OverviewQuery, Query()],
) -> OverviewReport:
    """Today's participants by group and location, occupancy, participation and the
    last four weeks' attendance per activity kind, signals open and overdue, and
    progress over `from`..`to` (default: the last twelve months)."""
    on = today()
    last = query.to or on
    first = query.from_ or year_before(last)
    check_period(first, last)
    now = datetime.now(UTC)

    placed = await sql.placed_by_location_and_group(session, on=on)
    occupancy = await sql.occupancy_on(session, on=on)
    offered, enrolled = await sql.activities_and_participation(session, on=on)
    window_start = on - timedelta(days=ATTENDANCE_DAYS - 1)
    attendance = await sql.attendance_by_kind(session, first=window_start, last=on)
    signals = await sql.signal_counts(
        session,
        now=now,
        overdue_days=settings.signal_overdue_days,
        resolved_since=now - timedelta(days=365),
    )
    progress_figures = await progress_report(session, first=first, last=last)

    participants = _participants(placed)
    per_group = {g.group.value: g.count for g in participants.by_group}
    return OverviewReport(
        on=on,
        participants=participants,
        occupancy=_occupancy(occupancy),
        participation=_participation(offered, enrolled, per_group),
        attendance=OverviewAttendance(
            from_=window_start,
            to=on,
            kinds=[
                KindAttendance(kind=k, recorded=r, present=p, rate=rate(p, r))
                for k in ActivityKind
                for r, p in [attendance.get(k.value, (0, 0))]
            ],
        ),
        progress=progress_figures,
        signals=_signals(signals, settings.signal_overdue_days),
    )


def _participants(rows: list[Any]) -> OverviewParticipants:
    by_group: dict[str, int] = defaultdict(int)
    locations: dict[Any, OverviewLocationParticipants] = {}
    for location_id, name, _kind, group, count in rows:
        by_group[str(group)] += int(count)
        entry = locations.get(location_id)
        if entry is None:
            entry = locations[location_id] = OverviewLocationParticipants(
                location_id=location_id, name=name, count=0, by_group=[]
            )
        entry.count += int(count)
        entry.by_group.append(OverviewGroupCount(group=group, count=count))
    return OverviewParticipants(
        total=sum(by_group.values()),
        by_group=[OverviewGroupCount(group=g, count=by_group[g.value]) for g in Group],
        by_location=list(locations.values()),
    )


def _occupancy(rows: list[Any]) -> OverviewOccupancy:
    locations = [
        OverviewLocationOccupancy(
            location_id=location_id,
            name=name,
            kind=kind,
            capacity=capacity,
            occupied=occupied,
            free=free,
        )
        for location_id, name, kind, capacity, occupied, free in rows
    ]
    total = OverviewOccupancyTotal(
        capacity=sum(x.capacity for x in locations),
        occupied=sum(x.occupied for x in locations),
        free=sum(x.free for x in locations),
    )
    return OverviewOccupancy(total=total, locations=locations)


def eligible_groups(offered: list[Any]) -> dict[str, set[str]]:
    """Per activity kind, the groups its activities on offer are for (empty: all)."""
    groups: dict[str, set[str]] = defaultdict(set)
    for kind, targets in offered:
        groups[str(kind)] |= set(targets) if targets else ALL_GROUPS
    return groups


def _participation(
    offered: list[Any], enrolled: dict[str, int], per_group: dict[str, int]
) -> list[KindParticipation]:
    counts: dict[str, int] = defaultdict(int)
    for kind, _targets in offered:
        counts[str(kind)] += 1
    groups = eligible_groups(offered)
    answer = []
    for kind in ActivityKind:
        eligible = sum(per_group.get(g, 0) for g in groups.get(kind.value, set()))
        participants = enrolled.get(kind.value, 0)
        answer.append(
            KindParticipation(
                kind=kind,
                activities=counts[kind.value],
                participants=participants,
                eligible=eligible,
                rate=rate(participants, eligible),
            )
        )
    return answer


def _signals(rows: list[Any], overdue_days: int) -> OverviewSignals:
    by_severity: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    by_category: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for severity, category, open_, overdue, _resolved in rows:
        for bucket in (by_severity[str(severity)], by_category[str(category)]):
            bucket[0] += int(open_)
            bucket[1] += int(overdue)
    return OverviewSignals(
        open=sum(v[0] for v in by_severity.values()),
        overdue=sum(v[1] for v in by_severity.values()),
        overdue_days=overdue_days,
        by_severity=[
            SignalSeverityCount(
                severity=s, open=by_severity[s.value][0], overdue=by_severity[s.value][1]
            )
            for s in Severity
        ],
        by_category=[
            SignalCategoryCount(
                category=c, open=by_category[c.value][0], overdue=by_category[c.value][1]
            )
            for c in SignalCategory
        ],
    )
