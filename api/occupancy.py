"""Occupancy and capacity over date ranges, in SQL: one sweep shared by the placement
rules, the capacity history and the occupancy report.

The sweep turns every placement into two events (+1 on its first night, -1 on its
departure day) and every capacity change into the difference with the change before it.
Running ``SUM() OVER (PARTITION BY location ORDER BY day)`` of both gives occupancy and
capacity at each event day; between two events nothing changes. A rule check only looks
at the event days (the first one over capacity is the first day over capacity). The
report adds a location's opening (+1) and the day after its closing (-1) as events, so
the sweep's rows are segments: from one event day to the next, a location is open or
not and its figures stay the same. The days of each open segment are written out while
the answer is serialised, not swept through the database one by one. No date
subtraction in SQL (it differs between SQLite and PostgreSQL): events are clipped with
comparisons, and only a closing steps a day, through ``Sql.next_day``.

Nights follow the placement convention: a placement occupies the days
``start_date <= d < end_date``.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Date,
    Integer,
    Select,
    and_,
    case,
    cast,
    func,
    literal,
    literal_column,
    or_,
    select,
    true,
    union_all,
)
from sqlalchemy.ext.asyncio import AsyncSession

from api.db import take_write_lock
from api.db.dialect import sql_of
from api.db.raw import fetch_raw
from api.models import CapacityChange, Location, Placement

LocationFilter = uuid.UUID | Select[Any] | None
"""One location's id, a SELECT of location ids (e.g. those in a partner's scope), or
``None`` for every location."""


def _in(column: Any, locations: LocationFilter) -> ColumnElement[bool]:
    if locations is None:
        return true()
    if isinstance(locations, uuid.UUID):
        return column == locations  # type: ignore[no-any-return]
    return column.in_(locations)  # type: ignore[no-any-return]


def _const(value: int) -> ColumnElement[int]:
    # Inlined, not bound: asyncpg cannot type a bare parameter in a UNION branch.
    return literal_column(str(value), Integer)


def _clipped(day: Any, first: ColumnElement[Any]) -> ColumnElement[Any]:
    return case((day < first, first), else_=day)


def occupancy_events(
    locations: LocationFilter, first: date, last: date | None
) -> list[Select[Any]]:
    """Placement and capacity events for the days ``first..last`` (``None``: no end),
    each clipped to start no earlier than ``first``: columns ``location_id``, ``day``,
    ``occ`` and ``cap``. With ``occupancy_sweep``, also what partner events and imports
    check capacity with."""
    start = literal(first, Date)
    arrival = _clipped(Placement.start_date, start)
    arrivals = select(
        Placement.location_id.label("location_id"),
        arrival.label("day"),
        _const(1).label("occ"),
        _const(0).label("cap"),
    ).where(
        _in(Placement.location_id, locations),
        or_(Placement.end_date.is_(None), Placement.end_date > start),
    )
    # A departure inside the range implies a start before it (end_date > start_date).
    departures = select(Placement.location_id, Placement.end_date, _const(-1), _const(0)).where(
        _in(Placement.location_id, locations), Placement.end_date > start
    )
    if last is not None:
        # Through the clipped day, not the column: on a long range SQLite would walk the
        # (location, start) index for nearly every stay and fetch each by its id, which
        # cost twice a read of the table (0.4 s of a year's report of 200 locations).
        arrivals = arrivals.where(arrival <= literal(last, Date))
        departures = departures.where(Placement.end_date <= literal(last, Date))
    history = (
        select(
            CapacityChange.location_id.label("location_id"),
            CapacityChange.valid_from.label("valid_from"),
            (
                CapacityChange.capacity
                - func.coalesce(
                    func.lag(CapacityChange.capacity).over(
                        partition_by=CapacityChange.location_id,
                        order_by=CapacityChange.valid_from,
                    ),
                    0,
                )
            ).label("delta"),
        )
        .where(_in(CapacityChange.location_id, locations))
        .subquery("history")
    )
    changes = select(
        history.c.location_id,
        _clipped(history.c.valid_from, start),
        _const(0),
        history.c.delta,
    )
    if last is not None:
        changes = changes.where(history.c.valid_from <= literal(last, Date))
    return [arrivals, departures, changes]


# The running sum of each event column, by the name the sweep gives it.
_RUNNING = {"occ": "occupied", "cap": "capacity", "is_open": "is_open"}


def _swept(parts: list[Select[Any]]) -> Select[Any]:
    """Per location and event day, the running sum of every event column: one grouped
    SELECT whose window sums its groups' sums, so both engines sort the events once
    (and SQLite returns them in that order without sorting again)."""
    events = union_all(*parts).subquery("events")
    location, day = events.c.location_id, events.c.day
    running = [
        # PostgreSQL's SUM of a bigint is numeric: cast back to an integer.
        cast(func.sum(func.sum(column)).over(partition_by=location, order_by=day), Integer).label(
            _RUNNING[column.name]
        )
        for column in list(events.c)[2:]
    ]
    return select(location, day, *running).group_by(location, day)


def occupancy_sweep(parts: list[Select[Any]]) -> Any:
    """Running occupancy and capacity at every event day, per location: a subquery with
    ``location_id``, ``day``, ``occupied`` and ``capacity``."""
    return _swept(parts).subquery("sweep")


@dataclass(frozen=True, slots=True)
class Overrun:
    day: date
    occupied: int
    capacity: int


def _as_date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


async def first_day_over_capacity(
    session: AsyncSession, *, location_id: uuid.UUID, start: date, end: date | None
) -> Overrun | None:
    """The first day in ``start <= d < end`` on which the location holds more people
    than places, as the session sees it now (call it after flushing the write)."""
    last = end - timedelta(days=1) if end is not None else None
    sweep = occupancy_sweep(occupancy_events(location_id, start, last))
    stmt = (
        select(sweep.c.day, sweep.c.occupied, sweep.c.capacity)
        .where(sweep.c.occupied > sweep.c.capacity)
        .order_by(sweep.c.day)
        .limit(1)
    )
    if last is not None:
        stmt = stmt.where(sweep.c.day <= literal(last, Date))
    row = (await session.execute(stmt)).first()
    if row is None:
        return None
    return Overrun(day=_as_date(row.day), occupied=row.occupied, capacity=row.capacity)


Run = tuple[str, int, int, int, int]
"""``(location_id, since, until, capacity, occupied)``: the open days ``days[since:until]``
of one location, all with the same figures."""


@dataclass(frozen=True, slots=True)
class DailyOccupancy:
    days: list[str]  # first..last as ISO dates
    runs: list[Run]  # by location (in the order of their ids), then by day

    def rows(self) -> list[tuple[str, str, int, int]]:
        """``(location_id, day, capacity, occupied)``, one per open day."""
        days = self.days
        return [
            (location, day, capacity, occupied)
            for location, since, until, capacity, occupied in self.runs
            for day in days[since:until]
        ]


async def daily_occupancy(
    session: AsyncSession, *, locations: LocationFilter, first: date, last: date
) -> DailyOccupancy:
    """Capacity and occupancy of every open day in ``first..last``, as runs of days with
    the same figures, straight from the driver."""
    start = literal(first, Date)
    end = literal(last, Date)
    in_range = (
        _in(Location.id, locations),
        Location.opened_on <= end,
        or_(Location.closed_on.is_(None), Location.closed_on >= start),
    )
    openings = select(
        Location.id, _clipped(Location.opened_on, start), _const(0), _const(0), _const(1)
    ).where(*in_range)
    closings = select(
        Location.id, sql_of(session).next_day(Location.closed_on), _const(0), _const(0), _const(-1)
    ).where(*in_range, Location.closed_on < end)
    events = [
        part.add_columns(_const(0).label("is_open"))
        for part in occupancy_events(locations, first, last)
    ]
    sweep = _swept([*events, openings, closings])
    rows = await fetch_raw(session, sweep.order_by(*sweep.selected_columns[:2]))
    # Values as the driver gives them (SQLite: ids as hex, days as text); the few
    # distinct ids and days are converted once each.
    origin, count = first.toordinal(), (last - first).days + 1
    index: dict[Any, int] = {}
    names: dict[Any, str] = {}
    runs: list[Run] = []
    current: Any = None
    location, since, capacity, occupied, is_open = "", 0, 0, 0, 0
    for raw_id, raw_day, now_occupied, now_capacity, now_open in rows:
        at = index.get(raw_day)
        if at is None:
            at = index[raw_day] = _as_date(raw_day).toordinal() - origin
        if raw_id != current:
            if is_open:
                runs.append((location, since, count, capacity, occupied))
            current = raw_id
            name = names.get(raw_id)
            if name is None:
                name = names[raw_id] = str(uuid.UUID(str(raw_id)))
            location = name
        elif is_open:
            runs.append((location, since, at, capacity, occupied))
        since, capacity, occupied, is_open = at, now_capacity, now_occupied, now_open
    if is_open:
        runs.append((location, since, count, capacity, occupied))
    days = [date.fromordinal(origin + n).isoformat() for n in range(count)]
    return DailyOccupancy(days=days, runs=runs)


def today_columns(on: date | ColumnElement[Any], *, free: bool = True) -> list[ColumnElement[Any]]:
    """``capacity``, ``occupied`` and ``free`` of ``Location`` on one day, as correlated
    scalar subqueries: one statement for a whole page of locations. ``on``: the day, or a
    bind parameter for it (a statement built once, bound to each request's today).
    ``free`` repeats both subqueries (the database runs each occurrence): a page that can
    compute it from the other two passes ``free=False`` (``free_places``)."""
    day = literal(on, Date) if isinstance(on, date) else on
    in_history = (
        select(CapacityChange.capacity)
        .where(CapacityChange.location_id == Location.id, CapacityChange.valid_from <= day)
        .order_by(CapacityChange.valid_from.desc())
        .limit(1)
        .scalar_subquery()
    )
    is_open = and_(
        Location.opened_on <= day, or_(Location.closed_on.is_(None), Location.closed_on >= day)
    )
    capacity = case((is_open, func.coalesce(in_history, 0)), else_=0)
    occupied = (
        select(func.count(Placement.id))
        .where(
            Placement.location_id == Location.id,
            Placement.start_date <= day,
            or_(Placement.end_date.is_(None), Placement.end_date > day),
        )
        .scalar_subquery()
    )
    columns: list[ColumnElement[Any]] = [capacity.label("capacity"), occupied.label("occupied")]
    if free:
        columns.append(case((capacity > occupied, capacity - occupied), else_=0).label("free"))
    return columns


def free_places(capacity: int, occupied: int) -> int:
    """``free`` of ``today_columns`` from the other two: places left, never below 0."""
    return max(capacity - occupied, 0)


async def lock_location(session: AsyncSession, location_id: uuid.UUID) -> Location | None:
    """Load a location for a write that checks occupancy, holding its lock until commit,
    so two writers racing for its last place are serialised: ``SELECT ... FOR UPDATE``
    on PostgreSQL; on SQLite (which ignores ``FOR UPDATE``) the database's write lock,
    taken before anything is read (see ``take_write_lock``)."""
    await take_write_lock(session)
    stmt = select(Location).where(Location.id == location_id).with_for_update()
    return (await session.execute(stmt)).scalar_one_or_none()
