"""The draagvlak view of one location and the summary list: grouped statements over the
support tables (agreements, meetings, decisions' conditions, communications) and the
signals, read directly; no ORM objects."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from api.auth.principal import Principal
from api.auth.scoping import scoped
from api.common.calendar import today
from api.draagvlak import trends
from api.draagvlak.months import Month, span
from api.models import (
    Agreement,
    AgreementStatus,
    Communication,
    ConditionStatus,
    DecisionCondition,
    Location,
    LocationDecision,
    Meeting,
    Severity,
    Signal,
    SignalStatus,
)
from api.occupancy import LocationFilter
from api.signals.service import is_overdue
from api.signals.service import now as signals_now

CONDITIONS_AHEAD = timedelta(days=60)
OPEN_AGREEMENT = (AgreementStatus.open, AgreementStatus.in_progress)
MEETINGS_SHOWN = 5


def months_back(day: date, n: int) -> datetime:
    """Midnight (Heemstede) ``n`` months before ``day``'s month began, plus the day of the
    month: the same day n months ago (clipped to the month's length), as a UTC instant."""
    month = Month.of(day).plus(-n)
    start = month.start
    last_day = (month.plus(1).first - timedelta(days=1)).day
    return start + timedelta(days=min(day.day, last_day) - 1)


def direction(last3: int, previous3: int) -> dict[str, Any]:
    way = "same" if last3 == previous3 else ("up" if last3 > previous3 else "down")
    return {"last3": last3, "previous3": previous3, "direction": way}


def _where(column: Any, locations: LocationFilter) -> Any:
    if isinstance(locations, uuid.UUID):
        return column == locations
    return column.in_(locations)


async def _signal_counts(
    session: AsyncSession, locations: LocationFilter, overdue_days: int
) -> dict[uuid.UUID, dict[str, int]]:
    """Per location: open by severity, overdue, and reported in the last 3 and 3 before."""
    day = today()
    cut3, cut6 = months_back(day, 3), months_back(day, 6)
    is_open = Signal.status != SignalStatus.resolved

    def count(condition: Any) -> Any:
        return func.sum(case((condition, 1), else_=0))

    stmt = (
        select(
            Signal.location_id,
            count(is_open),
            *[count(is_open & (Signal.severity == s)) for s in Severity],
            count(is_overdue(signals_now(), overdue_days)),
            count(Signal.reported_at >= cut3),
            count((Signal.reported_at >= cut6) & (Signal.reported_at < cut3)),
        )
        .where(_where(Signal.location_id, locations))
        .group_by(Signal.location_id)
    )
    names = ["open", *[s.value for s in Severity], "overdue", "last3", "previous3"]
    return {
        r[0]: {n: int(v or 0) for n, v in zip(names, r[1:], strict=True)}
        for r in await session.execute(stmt)
    }


async def _agreement_counts(
    session: AsyncSession, locations: LocationFilter
) -> dict[uuid.UUID, tuple[int, int]]:
    late = func.sum(case((Agreement.due_on < today(), 1), else_=0))
    stmt = (
        select(Agreement.location_id, func.count(), late)
        .where(_where(Agreement.location_id, locations), Agreement.status.in_(OPEN_AGREEMENT))
        .group_by(Agreement.location_id)
    )
    return {r[0]: (int(r[1]), int(r[2] or 0)) for r in await session.execute(stmt)}


async def summaries(
    session: AsyncSession, *, principal: Principal, overdue_days: int
) -> list[dict[str, Any]]:
    """One row per location in the caller's scope, by name."""
    places = scoped(select(Location.id, Location.name), Location, principal).order_by(Location.name)
    rows = (await session.execute(places)).all()
    ids: LocationFilter = scoped(select(Location.id), Location, principal)
    signals = await _signal_counts(session, ids, overdue_days)
    agreements = await _agreement_counts(session, ids)
    meetings = dict(
        (
            await session.execute(
                select(Meeting.location_id, func.max(Meeting.held_on))
                .where(_where(Meeting.location_id, ids))
                .group_by(Meeting.location_id)
            )
        ).all()
    )
    conditions = dict(
        (
            await session.execute(
                select(LocationDecision.location_id, func.count())
                .join(DecisionCondition, DecisionCondition.decision_id == LocationDecision.id)
                .where(
                    _where(LocationDecision.location_id, ids),
                    DecisionCondition.status == ConditionStatus.open,
                    DecisionCondition.evaluate_on <= today() + CONDITIONS_AHEAD,
                )
                .group_by(LocationDecision.location_id)
            )
        ).all()
    )
    empty = {"open": 0, "overdue": 0, "last3": 0, "previous3": 0}
    out = []
    for location_id, name in rows:
        s = signals.get(location_id, empty)
        a = agreements.get(location_id, (0, 0))
        out.append(
            {
                "location_id": location_id,
                "name": name,
                "open_signals": s["open"],
                "overdue_signals": s["overdue"],
                "open_agreements": a[0],
                "overdue_agreements": a[1],
                "last_meeting_on": meetings.get(location_id),
                "conditions_due": int(conditions.get(location_id, 0)),
                "signals": direction(s["last3"], s["previous3"]),
            }
        )
    return out


async def view(
    session: AsyncSession, *, location_id: uuid.UUID, name: str, overdue_days: int
) -> dict[str, Any]:
    """One location side by side (the caller's scope is checked by the router)."""
    day = today()
    months = span(Month.of(day).plus(-11), Month.of(day))
    grid = await trends.trend_grid(session, months=months, locations=location_id)
    cells = grid.get(location_id) or [trends.Cell() for _ in months]
    counts = (await _signal_counts(session, location_id, overdue_days)).get(location_id, {})
    agreement_rows = await session.execute(
        select(
            Agreement.id,
            Agreement.description,
            Agreement.due_on,
            Agreement.status,
            Agreement.partner_id,
            Agreement.owner_user_id,
        )
        .where(Agreement.location_id == location_id, Agreement.status.in_(OPEN_AGREEMENT))
        .order_by(Agreement.due_on.is_(None), Agreement.due_on, Agreement.id)
    )
    agreements = [
        {**r._asdict(), "overdue": r.due_on is not None and r.due_on < day} for r in agreement_rows
    ]
    meetings = await session.execute(
        select(Meeting.id, Meeting.held_on, Meeting.kind, Meeting.residents_present)
        .where(Meeting.location_id == location_id)
        .order_by(Meeting.held_on.desc(), Meeting.id)
        .limit(MEETINGS_SHOWN)
    )
    conditions = await session.execute(
        select(
            DecisionCondition.id,
            DecisionCondition.decision_id,
            LocationDecision.decided_on,
            LocationDecision.reference,
            DecisionCondition.description,
            DecisionCondition.evaluate_on,
            DecisionCondition.status,
        )
        .join(LocationDecision, LocationDecision.id == DecisionCondition.decision_id)
        .where(LocationDecision.location_id == location_id)
        .order_by(DecisionCondition.evaluate_on, DecisionCondition.id)
    )
    since = day - timedelta(days=365)
    communications = await session.scalar(
        select(func.count()).where(
            Communication.location_id == location_id, Communication.sent_on > since
        )
    )
    return {
        "location_id": location_id,
        "name": name,
        "trend": [
            trends.row("location", location_id, m, c) for m, c in zip(months, cells, strict=True)
        ],
        "signals": direction(counts.get("last3", 0), counts.get("previous3", 0)),
        "open_signals": {
            "total": counts.get("open", 0),
            **{s.value: counts.get(s.value, 0) for s in Severity},
            "overdue": counts.get("overdue", 0),
        },
        "open_agreements": agreements,
        "overdue_agreements": sum(1 for a in agreements if a["overdue"]),
        "meetings": [r._asdict() for r in meetings],
        "conditions": [
            {
                **r._asdict(),
                "due": r.status == ConditionStatus.open and r.evaluate_on <= day + CONDITIONS_AHEAD,
            }
            for r in conditions
        ],
        "communications_last12_months": int(communications or 0),
    }
