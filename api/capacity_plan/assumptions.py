"""Occupancy assumptions: a location's occupancy rate for the forecast, set by hand with
a note (stored in basis points, exact on both engines); removing it falls back to the
trailing 90-day rate."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from api.auth.principal import Principal
from api.capacity_plan.schemas import OccupancyAssumptionQuery, OccupancyAssumptionWrite
from api.common.etag import check_if_match
from api.errors import NotFound
from api.models import Location, OccupancyAssumption

A = OccupancyAssumption
SORTABLE = {"location": Location.name}
DEFAULT_ORDER = [Location.name, A.id]


COLUMNS: list[Any] = [
    A.id, A.version, A.created_at, A.updated_at, A.location_id,
    Location.name.label("location_name"), A.rate_bp, A.note,
]  # fmt: skip


def _select() -> Select[Any]:
    return select(*COLUMNS).join(Location, Location.id == A.location_id)


def list_statement(query: OccupancyAssumptionQuery) -> Select[Any]:
    stmt = _select()
    if query.location_id is not None:
        stmt = stmt.where(A.location_id == query.location_id)
    return stmt


async def read(session: AsyncSession, *, location_id: uuid.UUID) -> Any:
    row = (await session.execute(_select().where(A.location_id == location_id))).one_or_none()
    if row is None:
        raise NotFound(f"Location {location_id} has no occupancy assumption.")
    return row


async def put(
    session: AsyncSession,
    *,
    location_id: uuid.UUID,
    data: OccupancyAssumptionWrite,
    actor: Principal,
    if_match: str | None,
) -> bool:
    """Set (or replace) the location's assumption; True when it was created."""
    if await session.get(Location, location_id) is None:
        raise NotFound(f"There is no location with id {location_id}.")
    current = (await session.scalars(select(A).where(A.location_id == location_id))).first()
    rate_bp = int(data.rate_percent * 100)
    if current is None:
        check_if_match(None if if_match in (None, "*") else if_match, 0)
        session.add(A(location_id=location_id, rate_bp=rate_bp, note=data.note))
        await session.flush()
        return True
    check_if_match(if_match, current.version)
    current.rate_bp, current.note = rate_bp, data.note
    await session.flush()
    return False


async def delete(
    session: AsyncSession, *, location_id: uuid.UUID, actor: Principal, if_match: str | None
) -> None:
    current = (await session.scalars(select(A).where(A.location_id == location_id))).first()
    if current is None:
        raise NotFound(f"Location {location_id} has no occupancy assumption.")
    check_if_match(if_match, current.version)
    await session.delete(current)
    await session.flush()
