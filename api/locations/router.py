from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Path, Query, Request, Response, status

from api.auth.principal import Principal
from api.auth.roles import AdminOrCoordinator, AnyRoleButViewer
from api.common.calendar import today
from api.common.created import set_location
from api.common.etag import IfMatchHeader, set_etag
from api.common.pagination import Page, paginate
from api.db import SessionDep
from api.locations import capacity, service
from api.locations.availability import Availability, AvailabilityQuery, availability
from api.locations.schemas import (
    CapacityChangeCreate,
    CapacityChangeList,
    CapacityChangeRead,
    LocationCreate,
    LocationQuery,
    LocationRead,
    LocationUpdate,
)
from api.models import Location
from api.openapi import api_router, responses

router = api_router("locations", prefix="/locations")

# Finance reads locations for its reports; a partner reads the locations it operates.

LocationId = Annotated[uuid.UUID, Path(alias="id", description="The location's id.")]


@router.get("", response_model=Page[LocationRead], summary="List locations")
async def list_locations(
    session: SessionDep,
    principal: AnyRoleButViewer,
    query: Annotated[LocationQuery, Query()],
    request: Request,
    response: Response,
) -> Response:
    """Each with today's `capacity`, `occupied` and `free`."""
    return await paginate(
        session,
        service.list_statement(query, principal),
        params=query,
        request=request,
        response=response,
        sortable=service.SORTABLE,
        default_order=[Location.name, Location.id],
        read=LocationRead,
        extend=service.free_of_page,
    )


@router.get(
    "/availability",
    response_model=Availability,
    summary="Free places per location and target group on a night",
)
async def location_availability(
    session: SessionDep, principal: AnyRoleButViewer, query: Annotated[AvailabilityQuery, Query()]
) -> Availability:
    """Each location's capacity, occupied and free places on the night `on` (default
    today), with the target group its kind houses, and the sums per target group: AMV
    places and GOO places are not interchangeable. A partner sees the locations it
    operates."""
    return await availability(session, on=query.on or today(), principal=principal)


async def _answer(session: SessionDep, principal: Principal, location: Location) -> LocationRead:
    row = await service.read(session, location_id=location.id, principal=principal)
    return LocationRead.model_validate(row)


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=LocationRead,
    responses=responses(409),
    summary="Add a location",
)
async def create_location(
    session: SessionDep, principal: AdminOrCoordinator, data: LocationCreate, response: Response
) -> LocationRead:
    """`capacity` is the number of places from `openedOn` on: the first entry of the
    location's capacity history."""
    location = await service.create(session, data=data, actor=principal)
    set_etag(response, location.version)
    set_location(response, "locations", location.id)
    return await _answer(session, principal, location)


@router.get("/{id}", response_model=LocationRead, summary="Read a location")
async def read_location(
    request: Request, principal: AnyRoleButViewer, location_id: LocationId
) -> Response:
    return await service.read_response(request, location_id, principal)


@router.patch(
    "/{id}", response_model=LocationRead, responses=responses(409, 412), summary="Change a location"
)
async def update_location(
    session: SessionDep,
    principal: AdminOrCoordinator,
    location_id: LocationId,
    data: LocationUpdate,
    response: Response,
    if_match: IfMatchHeader = None,
) -> LocationRead:
    """New open dates must keep every stay inside them (409 otherwise); the opening
    capacity moves with `openedOn`."""
    location = await service.update(
        session, location_id=location_id, data=data, actor=principal, if_match=if_match
    )
    set_etag(response, location.version)
    return await _answer(session, principal, location)


@router.delete(
    "/{id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=responses(409, 412),
    summary="Remove a location without placements",
)
async def delete_location(
    session: SessionDep,
    principal: AdminOrCoordinator,
    location_id: LocationId,
    if_match: IfMatchHeader = None,
) -> None:
    await service.delete(session, location_id=location_id, actor=principal, if_match=if_match)


@router.get(
    "/{id}/capacity-changes",
    response_model=CapacityChangeList,
    summary="List a location's capacity history",
)
async def list_capacity_changes(
    request: Request, principal: AnyRoleButViewer, location_id: LocationId
) -> Response:
    return await capacity.CHANGES.response(request, location_id, principal)


@router.post(
    "/{id}/capacity-changes",
    status_code=status.HTTP_201_CREATED,
    response_model=CapacityChangeRead,
    responses=responses(409),
    summary="Change a location's capacity from a day on",
)
async def create_capacity_change(
    session: SessionDep,
    principal: AdminOrCoordinator,
    location_id: LocationId,
    data: CapacityChangeCreate,
    response: Response,
) -> CapacityChangeRead:
    """Refused with 409 when it would leave more people than places on any day (the
    first such day is named), when `validFrom` lies outside the open dates, or when
    there is already a change on that day."""
    change = await capacity.add(session, location_id=location_id, data=data, actor=principal)
    set_etag(response, change.version)
    set_location(response, "locations", location_id, "capacity-changes", change.id)
    return CapacityChangeRead.model_validate(change)


@router.delete(
    "/{id}/capacity-changes/{changeId}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=responses(409),
    summary="Remove a capacity change entered by mistake",
)
async def delete_capacity_change(
    session: SessionDep,
    principal: AdminOrCoordinator,
    location_id: LocationId,
    change_id: Annotated[uuid.UUID, Path(alias="changeId", description="The change's id.")],
) -> None:
    await capacity.remove(session, location_id=location_id, change_id=change_id, actor=principal)
