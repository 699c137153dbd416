"""Free places per location and per target group on one day: what a coordinator chooses
from when placing someone.

Places are not interchangeable between target groups: a place for an unaccompanied
minor (AMV) is no place for a Ukrainian family (GOO). A location's kind says whom it
houses (``TARGET_GROUP``); the answer gives each location's figures on the day and the
sums per target group, in one statement (``today_columns`` on that day) within the
caller's scope.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from pydantic import Field
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from api.auth.principal import Principal
from api.auth.scoping import scoped
from api.common.schemas import ApiModel, QueryModel, ReadModel
from api.models import Group, Location, LocationKind
from api.occupancy import today_columns

TARGET_GROUP: dict[LocationKind, Group] = {
    LocationKind.municipal_ukrainian: Group.ukrainian_displaced,
    LocationKind.private_hosting: Group.ukrainian_displaced,
    LocationKind.asylum_center: Group.asylum_seeker,
    # Noodopvang in Heemstede is asylum reception (the COA's emergency places).
    LocationKind.emergency: Group.asylum_seeker,
    LocationKind.amv_small_scale: Group.unaccompanied_minor,
}


class AvailabilityQuery(QueryModel):
    on: date | None = Field(default=None, description="The night asked about; default today.")


class LocationAvailability(ReadModel):
    location_id: uuid.UUID
    name: str
    kind: LocationKind
    target_group: Group = Field(description="Whom the location houses, by its kind.")
    is_open: bool = Field(description="Open on the night (a closed location has 0 places).")
    capacity: int
    occupied: int
    free: int = Field(description="Places left that night (never below 0).")


class GroupAvailability(ReadModel):
    target_group: Group
    capacity: int
    occupied: int
    free: int = Field(description="Sum of the free places of the group's locations.")


class Availability(ApiModel):
    on: date
    groups: list[GroupAvailability] = Field(
        description="One entry per target group, in the order of `Group`, also when 0."
    )
    items: list[LocationAvailability] = Field(description="By target group, then name.")


def _open(row: Any, on: date) -> bool:
    return bool(row.opened_on <= on and (row.closed_on is None or row.closed_on > on))


async def availability(session: AsyncSession, *, on: date, principal: Principal) -> Availability:
    columns = today_columns(on)
    stmt = scoped(
        select(Location.id, Location.name, Location.kind, Location.opened_on, Location.closed_on)
        .add_columns(*columns)
        .order_by(Location.name, Location.id),
        Location,
        principal,
    )
    rows = (await session.execute(stmt)).all()
    items = [
        LocationAvailability(
            location_id=row.id,
            name=row.name,
            kind=row.kind,
            target_group=TARGET_GROUP[row.kind],
            is_open=_open(row, on),
            # The closing day's night is not available (stays end on it at the latest).
            capacity=row.capacity if _open(row, on) else 0,
            occupied=row.occupied,
            free=row.free if _open(row, on) else 0,
        )
        for row in rows
    ]
    order = list(Group)
    items.sort(key=lambda i: order.index(i.target_group))
    totals: dict[Group, dict[str, Any]] = {
        g: {"target_group": g, "capacity": 0, "occupied": 0, "free": 0} for g in order
    }
    for item in items:
        total = totals[item.target_group]
        total["capacity"] += item.capacity
        total["occupied"] += item.occupied
        total["free"] += item.free
    return Availability(
        on=on,
        groups=[GroupAvailability.model_validate(t) for t in totals.values()],
        items=items,
    )
