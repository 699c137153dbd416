"""A location's capacity history: capacity on a day is that of the latest change on or
before it. A change, or the removal of one, that would leave more people than places on
any day it affects is refused, naming the first such day."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession

from api.auth.principal import Principal
from api.auth.scoping import FastChildren
from api.decisions.service import bad, check_for_location
from api.errors import Conflict, NotFound, ProblemType
from api.locations.schemas import CapacityChangeCreate, CapacityChangeRead
from api.models import CapacityChange, Location
from api.occupancy import first_day_over_capacity, lock_location

READ_COLUMNS = [getattr(CapacityChange, n) for n in CapacityChangeRead.model_fields]


# GET /locations/{id}/capacity-changes, on the driver: oldest first (one change a day).
CHANGES = FastChildren(
    Location,
    "location",
    select(*READ_COLUMNS)
    .where(CapacityChange.location_id == bindparam("parent_id"))
    .order_by(CapacityChange.valid_from),
    CapacityChangeRead,
)


async def _locked(session: AsyncSession, location_id: uuid.UUID) -> Location:
    location = await lock_location(session, location_id)
    if location is None:
        raise NotFound(f"There is no location with id {location_id}.")
    return location


async def _next_change(session: AsyncSession, location_id: uuid.UUID, day: date) -> date | None:
    return await session.scalar(
        select(CapacityChange.valid_from)
        .where(CapacityChange.location_id == location_id, CapacityChange.valid_from > day)
        .order_by(CapacityChange.valid_from)
        .limit(1)
    )


async def _check_capacity(session: AsyncSession, location: Location, day: date) -> None:
    """The days from ``day`` to the next change now have another capacity: check them."""
    end = await _next_change(session, location.id, day)
    over = await first_day_over_capacity(session, location_id=location.id, start=day, end=end)
    if over is not None:
        raise Conflict(
            f"Location '{location.name}' holds {over.occupied} people on {over.day}; "
            f"the capacity would be {over.capacity}.",
            type_=ProblemType.OVER_CAPACITY,
            extra={
                "locationId": str(location.id),
                "day": over.day.isoformat(),
                "occupied": over.occupied,
                "capacity": over.capacity,
            },
        )


async def add(
    session: AsyncSession,
    *,
    location_id: uuid.UUID,
    data: CapacityChangeCreate,
    actor: Principal,
) -> CapacityChange:
    location = await _locked(session, location_id)
    if problems := await check_for_location(session, data.decision_id, location.id):
        raise bad(problems, "The capacity change")
    if data.valid_from < location.opened_on or (
        location.closed_on is not None and data.valid_from > location.closed_on
    ):
        raise Conflict(
            f"validFrom must lie within the open dates ({location.opened_on} to "
            f"{location.closed_on or '...'}).",
            type_=ProblemType.OUTSIDE_OPEN_DATES,
            extra={"field": "validFrom", "day": data.valid_from.isoformat()},
        )
    same_day = await session.scalar(
        select(CapacityChange.id).where(
            CapacityChange.location_id == location.id,
            CapacityChange.valid_from == data.valid_from,
        )
    )
    if same_day is not None:
        raise Conflict(
            f"There is already a capacity change on {data.valid_from} ({same_day}); delete it "
            "first to correct it.",
            type_=ProblemType.DUPLICATE,
            extra={"field": "validFrom", "capacityChangeId": str(same_day)},
        )
    change = CapacityChange(
        location_id=location.id,
        valid_from=data.valid_from,
        capacity=data.capacity,
        decision_id=data.decision_id,
    )
    session.add(change)
    await session.flush()
    await _check_capacity(session, location, data.valid_from)
    return change


async def remove(
    session: AsyncSession, *, location_id: uuid.UUID, change_id: uuid.UUID, actor: Principal
) -> None:
    """Corrects a mistake. Without the change, the one before it applies (none: 0 places)."""
    location = await _locked(session, location_id)
    change = await session.scalar(
        select(CapacityChange).where(
            CapacityChange.id == change_id, CapacityChange.location_id == location.id
        )
    )
    if change is None:
        raise NotFound(f"There is no capacity change with id {change_id} at this location.")
    day = change.valid_from
    await session.delete(change)
    await session.flush()
    await _check_capacity(session, location, day)
