"""The council report's own statements, for what the existing reports do not count:
place-days and person-nights per location kind over the quarter, arrivals and departures,
and signals over the quarter with how fast they were handled.

Each function runs ONE statement whatever the data size (grouped sums of clipped
interval lengths, as the claim engine computes place-days; never a walk over days or a
query per row). Everything is "as of" the report's last day: only dated facts up to it
count (start and end dates, reported and resolved times).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import (
    Integer,
    String,
    and_,
    func,
    literal,
    literal_column,
    or_,
    select,
    type_coerce,
)
from sqlalchemy import exists as sql_exists
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from api.common.calendar import LOCAL_TZ
from api.db.dialect import Sql, sql_of
from api.models import (
    CapacityChange,
    EndReason,
    Location,
    Participant,
    Placement,
    Signal,
    SignalStatus,
)


def _int(value: int) -> Any:
    # Inlined, not bound: asyncpg cannot type a bare parameter in some positions.
    return literal_column(str(int(value)), Integer)


def _overlap(sql: Sql, lo: Any, hi: Any, first: date, last: date) -> Any:
    """Length in days of ``[lo, hi) ∩ [first, last]`` (0 when they do not meet)."""
    clipped = sql.least(hi, sql.day(last + timedelta(days=1))) - sql.greatest(lo, sql.day(first))
    return sql.greatest(clipped, _int(0))


async def days_per_kind(
    session: AsyncSession, *, first: date, last: date
) -> dict[str, tuple[int, int]]:
    """Per location kind: ``(place_days, person_nights)`` over ``first..last``. Place-days:
    each capacity interval ``[change, next change)`` clipped to the location's open days
    and the period, times its capacity. Person-nights: each stay ``[start, end)`` clipped
    to the period. One UNION ALL of the two grouped sums."""
    sql = sql_of(session)
    frm = sql.dayno(CapacityChange.valid_from)
    history = select(
        CapacityChange.location_id.label("location_id"),
        frm.label("frm"),
        func.lead(frm)
        .over(partition_by=CapacityChange.location_id, order_by=CapacityChange.valid_from)
        .label("nxt"),
        CapacityChange.capacity.label("capacity"),
    ).subquery("history")
    far = sql.day(last + timedelta(days=1))
    lo = sql.greatest(history.c.frm, sql.dayno(Location.opened_on))
    hi = sql.least(
        func.coalesce(history.c.nxt, far),
        func.coalesce(sql.dayno(Location.closed_on) + _int(1), far),
    )
    places = (
        select(
            Location.kind.label("kind"),
            func.sum(history.c.capacity * _overlap(sql, lo, hi, first, last)).label("days"),
            _int(0).label("is_stay"),
        )
        .select_from(history)
        .join(Location, Location.id == history.c.location_id)
        .where(
            history.c.frm <= sql.day(last),
            or_(history.c.nxt.is_(None), history.c.nxt > sql.day(first)),
        )
        .group_by(Location.kind)
    )
    stay_end = func.coalesce(sql.dayno(Placement.end_date), far)
    stays = (
        select(
            Location.kind,
            func.sum(_overlap(sql, sql.dayno(Placement.start_date), stay_end, first, last)),
            _int(1),
        )
        .select_from(Placement)
        .join(Location, Location.id == Placement.location_id)
        .where(
            Placement.start_date <= literal(last),
            or_(Placement.end_date.is_(None), Placement.end_date > literal(first)),
        )
        .group_by(Location.kind)
    )
    out: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for kind, days, is_stay in (await session.execute(places.union_all(stays))).all():
        out[str(kind)][int(is_stay)] = int(days or 0)
    return {kind: (v[0], v[1]) for kind, v in out.items()}


@dataclass
class Movements:
    arrivals: dict[str, int] = field(default_factory=dict)  # per group
    departures: dict[str, int] = field(default_factory=dict)  # per end reason, no transfers
    transfers: int = 0


async def movements(session: AsyncSession, *, first: date, last: date) -> Movements:
    """Arrivals in the programme per group and departures from it per end reason, over
    ``first..last``. A stay that begins on the day an earlier stay of the same person
    ended as a ``transfer`` is a move inside the programme, not an arrival; a stay ended
    as a ``transfer`` is counted as a transfer, not a departure. A person who arrives
    twice in the quarter counts twice (arrivals are events, not people)."""
    before = aliased(Placement)
    moved_in = sql_exists(
        select(before.id).where(
            before.participant_id == Placement.participant_id,
            before.end_date == Placement.start_date,
            before.end_reason == EndReason.transfer,
        )
    )
    arrivals = (
        select(
            literal_column("'arrival'", String).label("what"),
            type_coerce(Participant.group, String).label("key"),
            func.count(Placement.id).label("n"),
        )
        .select_from(Placement)
        .join(Participant, Participant.id == Placement.participant_id)
        .where(Placement.start_date.between(literal(first), literal(last)), ~moved_in)
        .group_by(Participant.group)
    )
    departures = (
        select(
            literal_column("'departure'", String),
            type_coerce(Placement.end_reason, String),
            func.count(Placement.id),
        )
        .where(Placement.end_date.between(literal(first), literal(last)))
        .group_by(Placement.end_reason)
    )
    result = Movements()
    for what, key, n in (await session.execute(arrivals.union_all(departures))).all():
        if what == "arrival":
            result.arrivals[str(key)] = int(n)
        elif str(key) == EndReason.transfer.value:
            result.transfers = int(n)
        else:
            name = "unknown" if key is None else str(key)
            result.departures[name] = result.departures.get(name, 0) + int(n)
    return result


@dataclass
class SignalFigures:
    reported: dict[str, int] = field(default_factory=dict)
    open_at_end: dict[str, int] = field(default_factory=dict)
    # per category: {hours to resolution: number of signals resolved in the period}
    hours: dict[str, dict[int, int]] = field(default_factory=lambda: defaultdict(dict))

    def resolved(self, category: str) -> int:
        return sum(self.hours.get(category, {}).values())


def bounds(first: date, last: date) -> tuple[datetime, datetime]:
    """The period as instants: Heemstede's midnight at its start and after its end."""
    return (
        datetime.combine(first, time(), LOCAL_TZ),
        datetime.combine(last + timedelta(days=1), time(), LOCAL_TZ),
    )


async def signal_figures(session: AsyncSession, *, first: date, last: date) -> SignalFigures:
    """Per category: signals reported in the period, open at its end (reported before it
    ended and not resolved by then), and a histogram of the whole hours from report to
    resolution of those resolved in the period, from which the median and the 90th
    percentile follow (``percentile``). One UNION ALL; the histogram has at most one row
    per category and distinct number of hours."""
    sql = sql_of(session)
    start, end = bounds(first, last)
    resolved_by_end = and_(
        Signal.status == SignalStatus.resolved,
        Signal.resolved_at.is_not(None),
        Signal.resolved_at < end,
    )
    one = func.sum(_int(1))
    reported = (
        select(
            _int(0).label("what"),
            Signal.category.label("category"),
            _int(0).label("hours"),
            func.count(Signal.id).label("n"),
        )
        .where(Signal.reported_at >= start, Signal.reported_at < end)
        .group_by(Signal.category)
    )
    still_open = (
        select(_int(1), Signal.category, _int(0), func.count(Signal.id))
        .where(Signal.reported_at < end, ~resolved_by_end)
        .group_by(Signal.category)
    )
    hours = sql.hours_between(Signal.reported_at, Signal.resolved_at)
    handled = (
        select(_int(2), Signal.category, hours.label("h"), one)
        .where(resolved_by_end, Signal.resolved_at >= start)
        .group_by(Signal.category, hours)
    )
    out = SignalFigures()
    rows = (await session.execute(reported.union_all(still_open, handled))).all()
    for what, category, h, n in rows:
        key = str(category)
        if what == 0:
            out.reported[key] = int(n)
        elif what == 1:
            out.open_at_end[key] = int(n)
        else:
            out.hours[key][max(int(h), 0)] = int(n)
    return out


def percentile(histogram: dict[int, int], share: float) -> int | None:
    """The nearest-rank percentile of a histogram ``{value: count}``: the smallest value
    with at least ``share`` of the observations at or below it. ``None`` when empty."""
    total = sum(histogram.values())
    if total == 0:
        return None
    rank = max(1, -(-int(share * 1000) * total // 1000))  # ceil(share * total)
    seen = 0
    for value in sorted(histogram):
        seen += histogram[value]
        if seen >= rank:
            return value
    return max(histogram)  # pragma: no cover - the loop reaches total


def merge(*histograms: dict[int, int]) -> dict[int, int]:
    out: dict[int, int] = defaultdict(int)
    for histogram in histograms:
        for value, n in histogram.items():
            out[value] += n
    return dict(out)
