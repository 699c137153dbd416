"""Capacity signals. Capacity is the one rule a partner's event does not obey: an
intake or transfer is a fact, so one that overfills a location is applied and raises a
high-severity ``capacity`` signal (staff writes get the 409 instead)."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from sqlalchemy import Date, func, literal, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from api.db.dialect import sql_of
from api.models import (
    CapacityChange,
    Location,
    Placement,
    Severity,
    Signal,
    SignalCategory,
    SignalSource,
    SignalStatus,
)
from api.occupancy import occupancy_events, occupancy_sweep
from api.partner_events.state import Batch
from api.signals.service import due_at as signal_due_at


async def signal_overruns(
    session: AsyncSession, batch: Batch, added: list[tuple[uuid.UUID, date]], now: Any
) -> None:
    """One statement for every location the batch added stays to: the first day on or
    after the first added night that holds more people than places raises a signal."""
    first: dict[uuid.UUID, date] = {}
    for location_id, start in added:
        first[location_id] = min(start, first.get(location_id, start))
    if not first:
        return
    start = min(first.values())
    sql = sql_of(session)
    # Cheap bound first, in one statement: a location whose stays from ``start`` on, all
    # counted at once, never exceed its smallest capacity from then on cannot be over on
    # any night.
    held = (
        select(func.count(Placement.id))
        .where(
            Placement.location_id == Location.id,
            or_(Placement.end_date.is_(None), Placement.end_date > literal(start, Date)),
        )
        .correlate(Location)
        .scalar_subquery()
    )
    in_effect = (
        select(func.max(CapacityChange.valid_from))
        .where(
            CapacityChange.location_id == Location.id,
            CapacityChange.valid_from <= literal(start, Date),
        )
        .correlate(Location)
        .scalar_subquery()
    )
    smallest = (
        select(func.min(CapacityChange.capacity))
        .where(
            CapacityChange.location_id == Location.id,
            or_(
                CapacityChange.valid_from >= in_effect,
                CapacityChange.valid_from > literal(start, Date),
            ),
        )
        .correlate(Location)
        .scalar_subquery()
    )
    rows = await session.execute(
        select(Location.id, held, smallest, in_effect.is_not(None)).where(
            sql.among(Location.id, first)
        )
    )
    # No capacity in effect on ``start`` yet: 0 places until the first change.
    suspects = [i for i, count, least, known in rows if count > ((least or 0) if known else 0)]
    if not suspects:
        return
    ids = select(Location.id).where(sql.among(Location.id, suspects))
    sweep = occupancy_sweep(occupancy_events(ids, start, None))
    rows = await session.execute(
        select(sweep.c.location_id, sweep.c.day, sweep.c.occupied, sweep.c.capacity)
        .where(sweep.c.occupied > sweep.c.capacity)
        .order_by(sweep.c.location_id, sweep.c.day)
    )
    signalled: set[uuid.UUID] = set()
    for location_id, day, occupied, capacity in rows:
        location_id = (
            location_id if isinstance(location_id, uuid.UUID) else uuid.UUID(str(location_id))
        )
        day = day if isinstance(day, date) else date.fromisoformat(str(day))
        if location_id in signalled or day < first[location_id]:
            continue
        signalled.add(location_id)
        name = batch.places[location_id].name
        session.add(
            Signal(
                reported_at=now,
                source=SignalSource.partner,
                category=SignalCategory.capacity,
                severity=Severity.high,
                location_id=location_id,
                status=SignalStatus.open,
                due_at=signal_due_at(now, Severity.high),
                summary=(
                    f"A partner's intake puts location '{name}' above capacity: "
                    f"{occupied} people for {capacity} places on {day}."
                ),
            )
        )
    if signalled:
        await session.flush()
