from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import Path, Query, Request, Response, status

from api.auth.roles import AdminCoordinatorOrPartner, AdminOrCoordinator
from api.common.created import set_location
from api.common.etag import IfMatchHeader, set_etag
from api.common.pagination import Page, paginate
from api.db import SessionDep
from api.models import Placement
from api.openapi import api_router, responses
from api.placements import service
from api.placements.movements import MovementQuery, Movements, movements
from api.placements.schemas import (
    PlacementCreate,
    PlacementQuery,
    PlacementRead,
    PlacementUpdate,
)
from api.placements.transfer import PlacementTransfer, TransferRead, transfer

router = api_router("placements", prefix="/placements")

# Finance and viewers see no participant-level data; partners read their own scope and
# write only through partner events.

PlacementId = Annotated[uuid.UUID, Path(alias="id", description="The placement's id.")]


@router.get("", response_model=Page[PlacementRead], summary="List placements")
async def list_placements(
    session: SessionDep,
    principal: AdminCoordinatorOrPartner,
    query: Annotated[PlacementQuery, Query()],
    request: Request,
    response: Response,
) -> Response:
    """A partner sees the stays at its locations and those of the people it guards."""
    return await paginate(
        session,
        service.list_statement(query, principal),
        params=query,
        request=request,
        response=response,
        sortable=service.SORTABLE,
        default_order=[Placement.start_date, Placement.id],
        read=PlacementRead,
    )


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=PlacementRead,
    responses=responses(409),
    summary="Place a participant at a location",
)
async def create_placement(
    session: SessionDep, principal: AdminOrCoordinator, data: PlacementCreate, response: Response
) -> PlacementRead:
    """Refused with 409 when it overlaps another stay of the participant, falls outside
    the location's open dates, breaks the minors' age rule or puts the location above
    capacity on any night (unless an admin sends `capacityOverride`, which is audited)."""
    placement = await service.create(session, data=data, actor=principal)
    set_etag(response, placement.version)
    set_location(response, "placements", placement.id)
    return PlacementRead.model_validate(
        {**_fields(placement), "capacity_override": placement.capacity_override_reason}
    )


@router.get(
    "/movements",
    response_model=Movements,
    responses=responses(404),
    summary="Arrivals and departures between two days",
)
async def list_movements(
    session: SessionDep,
    principal: AdminCoordinatorOrPartner,
    query: Annotated[MovementQuery, Query()],
) -> Movements:
    """The stays that start (`arrival`) and those that end or are planned to end
    (`departure`: `endDate` in the range) from `from` to `to`, with the person's reference
    and names and the location's name; at one location with `locationId`. A partner sees
    the stays at its locations and those of the people it guards."""
    return await movements(session, query=query, principal=principal)


@router.get("/{id}", response_model=PlacementRead, summary="Read a placement")
async def read_placement(
    request: Request, principal: AdminCoordinatorOrPartner, placement_id: PlacementId
) -> Response:
    return await service.BY_ID.response(request, placement_id, principal)


@router.patch(
    "/{id}",
    response_model=PlacementRead,
    responses=responses(409, 412),
    summary="Change a placement",
)
async def update_placement(
    session: SessionDep,
    principal: AdminOrCoordinator,
    placement_id: PlacementId,
    data: PlacementUpdate,
    response: Response,
    if_match: IfMatchHeader = None,
) -> PlacementRead:
    """The same rules as on create; only the nights the change adds are checked against
    capacity. `endDate` and `endReason` go together; clearing `endDate` clears both."""
    placement = await service.update(
        session, placement_id=placement_id, data=data, actor=principal, if_match=if_match
    )
    set_etag(response, placement.version)
    return PlacementRead.model_validate(
        {**_fields(placement), "capacity_override": placement.capacity_override_reason}
    )


@router.delete(
    "/{id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=responses(412),
    summary="Remove a placement entered by mistake",
)
async def delete_placement(
    session: SessionDep,
    principal: AdminOrCoordinator,
    placement_id: PlacementId,
    if_match: IfMatchHeader = None,
) -> None:
    await service.delete(session, placement_id=placement_id, actor=principal, if_match=if_match)


@router.post(
    "/{id}/_transfer",
    status_code=status.HTTP_201_CREATED,
    response_model=TransferRead,
    responses=responses(409, 412),
    summary="Move a participant to another location",
)
async def transfer_placement(
    session: SessionDep,
    principal: AdminOrCoordinator,
    placement_id: PlacementId,
    data: PlacementTransfer,
    response: Response,
    if_match: IfMatchHeader = None,
) -> TransferRead:
    """Ends the stay on `date` (reason `transfer`) and starts the next one at `locationId`
    on the same day, all or nothing: the same rules as on create apply to the new stay
    (409 with the rule's type, its field named `date` for the start), and nothing is
    written when either write is refused. `Location` and `ETag` are the new stay's."""
    ended, started = await transfer(
        session, placement_id=placement_id, data=data, actor=principal, if_match=if_match
    )
    set_etag(response, started.version)
    set_location(response, "placements", started.id)
    return TransferRead(ended=_read(ended), started=_read(started))


def _read(placement: Placement) -> PlacementRead:
    return PlacementRead.model_validate(
        {**_fields(placement), "capacity_override": placement.capacity_override_reason}
    )


def _fields(placement: Placement) -> dict[str, Any]:
    return {
        name: getattr(placement, name)
        for name in PlacementRead.model_fields
        if name != "capacity_override"
    }
