"""Occupancy and capacity over date ranges, in SQL: one sweep shared by the placement
rules, the capacity history and the occupancy report.

The sweep turns every placement into two events (+1 on its first night, -1 on its
departure day) and every capacity change into the difference with the change before it.
Running ``SUM() OVER (PARTITION BY location ORDER BY day)`` of both gives occupancy and
capacity at each event day; between two events nothing changes. A rule check only looks
at the event days (the first one over capacity is the first day over capacity); the
report adds one zero event per open day from a calendar CTE so every day gets a row. No
date subtraction in SQL (it differs between SQLite and PostgreSQL): events are clipped
with comparisons, and only the calendar steps a day, through ``Sql.next_day``.

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
    String,
    and_,
    case,
    cast,
    func,
    literal,
    literal_column,
    or_,
    select,
    true,
    type_coerce,
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


def occupancy_events(
    locations: LocationFilter, first: date, last: date | None
) -> list[Select[Any]]:
    """Placement and capacity events for the days ``first..last`` (``None``: no end),
    each clipped to start no earlier than ``first``. With ``occupancy_sweep``, also what
    partner events and imports check capacity with."""
    start = literal(first, Date)
    overlaps = [
        _in(Placement.location_id, locations),
        or_(Placement.end_date.is_(None), Placement.end_date > start),
    ]
    if last is not None:
        overlaps.append(Placement.start_date <= literal(last, Date))
    arrivals = select(
        Placement.location_id.label("location_id"),
        case((Placement.start_date < start, start), else_=Placement.start_date).label("day"),
        _const(1).label("occ"),
        _const(0).label("cap"),
        _const(0).label("is_day"),
    ).where(*overlaps)
    departures = select(
        Placement.location_id, Placement.end_date, _const(-1), _const(0), _const(0)
    ).where(*overlaps, Placement.end_date.is_not(None))
    if last is not None:
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
        case((history.c.valid_from < start, start), else_=history.c.valid_from),
        _const(0),
        history.c.delta,
        _const(0),
    )
    if last is not None:
        changes = changes.where(history.c.valid_from <= literal(last, Date))
    return [arrivals, departures, changes]


def occupancy_sweep(parts: list[Select[Any]]) -> Any:
    """Running occupancy and capacity at every event day, per location."""
    events = union_all(*parts).subquery("events")
    per_day = (
        select(
            events.c.location_id,
            events.c.day,
            func.sum(events.c.occ).label("occ"),
            func.sum(events.c.cap).label("cap"),
            func.max(events.c.is_day).label("is_day"),
        )
        .group_by(events.c.location_id, events.c.day)
        .subquery("per_day")
    )
    by_location = per_day.c.location_id
    return select(
        per_day.c.location_id,
        per_day.c.day,
        # PostgreSQL's SUM of a bigint is numeric: cast back to an integer.
        cast(
            func.sum(per_day.c.occ).over(partition_by=by_location, order_by=per_day.c.day), Integer
        ).label("occupied"),
        cast(
            func.sum(per_day.c.cap).over(partition_by=by_location, order_by=per_day.c.day), Integer
        ).label("capacity"),
        per_day.c.is_day,
    ).subquery("sweep")


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


async def daily_occupancy(
    session: AsyncSession, *, locations: LocationFilter, first: date, last: date
) -> list[tuple[str, str, int, int]]:
    """``(location_id, day, capacity, occupied)`` for every open day in ``first..last``,
    ordered by location and day, straight from the driver (id and day as strings)."""
    sql = sql_of(session)
    calendar = select(sql.calendar_start(first).label("day")).cte("calendar", recursive=True)
    calendar = calendar.union_all(
        select(sql.next_day(calendar.c.day)).where(calendar.c.day < literal(last, Date))
    )
    days = (
        select(Location.id, calendar.c.day, _const(0), _const(0), _const(1))
        .select_from(Location)
        .join(
            calendar,
            and_(
                calendar.c.day >= Location.opened_on,
                or_(Location.closed_on.is_(None), calendar.c.day <= Location.closed_on),
            ),
        )
        .where(_in(Location.id, locations))
    )
    sweep = occupancy_sweep([*occupancy_events(locations, first, last), days])
    # Read as the driver gives them (no UUID and date conversion per row); the few
    # distinct ids and days are converted once each.
    stmt = (
        select(
            type_coerce(sweep.c.location_id, String),
            type_coerce(sweep.c.day, String),
            sweep.c.capacity,
            sweep.c.occupied,
        )
        .where(sweep.c.is_day == 1)
        .order_by(sweep.c.location_id, sweep.c.day)
    )
    rows = await fetch_raw(session, stmt)
    ids: dict[Any, str] = {}
    day_text: dict[Any, str] = {}
    out = []
    for raw_id, raw_day, capacity, occupied in rows:
        location = ids.get(raw_id)
        if location is None:
            location = ids[raw_id] = str(uuid.UUID(str(raw_id)))
        day = day_text.get(raw_day)
        if day is None:
            day = day_text[raw_day] = _as_date(raw_day).isoformat()
        out.append((location, day, capacity, occupied))
    return out


def today_columns(on: date) -> list[ColumnElement[Any]]:
    """``capacity``, ``occupied`` and ``free`` of ``Location`` on one day, as correlated
    scalar subqueries: one statement for a whole page of locations."""
    day = literal(on, Date)
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
    free = case((capacity > occupied, capacity - occupied), else_=0)
    return [capacity.label("capacity"), occupied.label("occupied"), free.label("free")]


async def lock_location(session: AsyncSession, location_id: uuid.UUID) -> Location | None:
    """Load a location for a write that checks occupancy, holding its lock until commit,
    so two writers racing for its last place are serialised: ``SELECT ... FOR UPDATE``
    on PostgreSQL; on SQLite (which ignores ``FOR UPDATE``) the database's write lock,
    taken before anything is read (see ``take_write_lock``)."""
    await take_write_lock(session)
    stmt = select(Location).where(Location.id == location_id).with_for_update()
    return (await session.execute(stmt)).scalar_one_or_none()
