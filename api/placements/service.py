"""Placements: reads within the caller's scope; every write goes through ``rules.write``."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from api.auth.principal import Principal
from api.auth.scoping import FastRead, get_scoped, read_scoped, scoped
from api.common.etag import check_if_match
from api.db import take_write_lock
from api.models import Placement
from api.placements.rules import Stay, write
from api.placements.schemas import PlacementCreate, PlacementQuery, PlacementRead, PlacementUpdate

READ_COLUMNS = [
    Placement.capacity_override_reason.label("capacity_override")
    if name == "capacity_override"
    else getattr(Placement, name)
    for name in PlacementRead.model_fields
]
BY_ID = FastRead(Placement, PlacementRead, "placement", READ_COLUMNS)
SORTABLE = {
    "startDate": Placement.start_date,
    "endDate": Placement.end_date,
    "createdAt": Placement.created_at,
}


def list_statement(query: PlacementQuery, principal: Principal) -> Any:
    stmt = scoped(select(*READ_COLUMNS), Placement, principal)
    if query.participant_id is not None:
        stmt = stmt.where(Placement.participant_id == query.participant_id)
    if query.location_id is not None:
        stmt = stmt.where(Placement.location_id == query.location_id)
    if query.active_on is not None:
        stmt = stmt.where(
            Placement.start_date <= query.active_on,
            or_(Placement.end_date.is_(None), Placement.end_date > query.active_on),
        )
    return stmt


async def read(session: AsyncSession, *, placement_id: uuid.UUID, principal: Principal) -> Any:
    return await read_scoped(session, Placement, READ_COLUMNS, placement_id, principal, "placement")


async def create(session: AsyncSession, *, data: PlacementCreate, actor: Principal) -> Placement:
    stay = Stay(
        data.participant_id, data.location_id, data.start_date, data.end_date, data.end_reason
    )
    override = data.capacity_override.reason if data.capacity_override else None
    return await write(session, stay=stay, actor=actor, override_reason=override)


async def update(
    session: AsyncSession,
    *,
    placement_id: uuid.UUID,
    data: PlacementUpdate,
    actor: Principal,
    if_match: str | None,
) -> Placement:
    await take_write_lock(session)  # before reading, so the checks read fresh data
    placement = await get_scoped(session, Placement, placement_id, actor, "placement")
    check_if_match(if_match, placement.version)
    changes = data.model_dump(exclude_unset=True, by_alias=False)
    end_date = changes.get("end_date", placement.end_date)
    # Clearing the departure day clears its reason too.
    default_reason = None if "end_date" in changes and end_date is None else placement.end_reason
    stay = Stay(
        participant_id=placement.participant_id,
        location_id=changes.get("location_id") or placement.location_id,
        start_date=changes.get("start_date") or placement.start_date,
        end_date=end_date,
        end_reason=changes.get("end_reason", default_reason),
    )
    override = data.capacity_override.reason if data.capacity_override else None
    return await write(
        session, stay=stay, actor=actor, override_reason=override, placement=placement
    )


async def delete(
    session: AsyncSession, *, placement_id: uuid.UUID, actor: Principal, if_match: str | None
) -> None:
    """Removes a stay entered by mistake (a stay that ended gets an endDate instead).
    Removing nights never breaks capacity."""
    placement = await get_scoped(session, Placement, placement_id, actor, "placement")
    check_if_match(if_match, placement.version)
    await session.delete(placement)
    await session.flush()
