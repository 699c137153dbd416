"""/planned-capacity-changes and /occupancy-assumptions.

The plan is written by the coordinator and admin (people and places) and read by finance
and the viewer (the forecast builds on it). An occupancy assumption is a forecast input
finance sets too. A partner gets 403: the plan is the municipality's steering, not
facts of the partner's locations yet (and a planned closing is not the operator's news to
read from an API before the council's decision is public)."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import Path, Query, Request, Response, status

from api.auth.roles import AdminCoordinatorOrFinance, AdminOrCoordinator, AnyRoleButPartner
from api.capacity_plan import assumptions, service
from api.capacity_plan.realise import realise_due
from api.capacity_plan.schemas import (
    OccupancyAssumptionQuery,
    OccupancyAssumptionRead,
    OccupancyAssumptionWrite,
    PlannedChangeCreate,
    PlannedChangeQuery,
    PlannedChangeRead,
    PlannedChangeUpdate,
    RealisationOutcome,
)
from api.common.created import set_location
from api.common.etag import IfMatchHeader, set_etag
from api.common.pagination import Page, paginate
from api.db import SessionDep
from api.openapi import api_router, responses

router = api_router("capacity plan")

ChangeId = Annotated[uuid.UUID, Path(alias="id", description="The planned change's id.")]
LocationId = Annotated[uuid.UUID, Path(alias="locationId", description="The location's id.")]


@router.get(
    "/planned-capacity-changes",
    response_model=Page[PlannedChangeRead],
    summary="List the capacity plan",
)
async def list_planned_capacity_changes(
    session: SessionDep,
    principal: AnyRoleButPartner,
    query: Annotated[PlannedChangeQuery, Query()],
    request: Request,
    response: Response,
) -> Response:
    """All locations, or one (`locationId`), in day order; `realised=false` for the plan
    still to come."""
    return await paginate(
        session,
        service.list_statement(query),
        params=query,
        request=request,
        response=response,
        sortable=service.SORTABLE,
        default_order=service.DEFAULT_ORDER,
        read=PlannedChangeRead,
    )


async def _answer(session: SessionDep, change_id: uuid.UUID, response: Response) -> Any:
    answer = PlannedChangeRead.model_validate(await service.read(session, change_id=change_id))
    set_etag(response, answer.version)
    return answer


@router.post(
    "/planned-capacity-changes",
    status_code=status.HTTP_201_CREATED,
    response_model=PlannedChangeRead,
    summary="Plan a capacity change, opening or closing",
)
async def create_planned_capacity_change(
    session: SessionDep,
    principal: AdminOrCoordinator,
    data: PlannedChangeCreate,
    response: Response,
) -> Any:
    """`takesEffectOn` after today; `capacity` for `capacity` and `opening`, none for a
    `closing` (the location's last day is the day before); an opening only for a location
    whose `openedOn` is that day or later; a closing or capacity change after the opening."""
    change = await service.create(session, data=data, actor=principal)
    set_location(response, "planned-capacity-changes", change.id)
    return await _answer(session, change.id, response)


@router.post(
    "/planned-capacity-changes/_realise",
    response_model=list[RealisationOutcome],
    summary="Realise the planned changes whose day has come",
)
async def realise_planned_capacity_changes(
    session: SessionDep, principal: AdminOrCoordinator
) -> list[RealisationOutcome]:
    """What the hourly task and `opvang plan realise` do, now: each due change becomes a
    fact through the same rules as a manual change; a refused one stays planned and is
    answered with its reason."""
    return await realise_due(session, actor=principal)


@router.get(
    "/planned-capacity-changes/{id}",
    response_model=PlannedChangeRead,
    summary="Read a planned change",
)
async def read_planned_capacity_change(
    request: Request, principal: AnyRoleButPartner, change_id: ChangeId
) -> Response:
    return await service.BY_ID.response(request, change_id, principal)


@router.patch(
    "/planned-capacity-changes/{id}",
    response_model=PlannedChangeRead,
    responses=responses(409, 412),
    summary="Change a planned change",
)
async def update_planned_capacity_change(
    session: SessionDep,
    principal: AdminOrCoordinator,
    change_id: ChangeId,
    data: PlannedChangeUpdate,
    response: Response,
    if_match: IfMatchHeader = None,
) -> Any:
    """Not once realised (409)."""
    await service.update(
        session, change_id=change_id, data=data, actor=principal, if_match=if_match
    )
    return await _answer(session, change_id, response)


@router.delete(
    "/planned-capacity-changes/{id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=responses(409, 412),
    summary="Remove a planned change",
)
async def delete_planned_capacity_change(
    session: SessionDep,
    principal: AdminOrCoordinator,
    change_id: ChangeId,
    if_match: IfMatchHeader = None,
) -> None:
    """Not once realised (409)."""
    await service.delete(session, change_id=change_id, actor=principal, if_match=if_match)


@router.get(
    "/occupancy-assumptions",
    response_model=Page[OccupancyAssumptionRead],
    summary="List the occupancy assumptions",
)
async def list_occupancy_assumptions(
    session: SessionDep,
    principal: AnyRoleButPartner,
    query: Annotated[OccupancyAssumptionQuery, Query()],
    request: Request,
    response: Response,
) -> Response:
    """The locations with a set rate; the others use their trailing 90-day rate."""
    return await paginate(
        session,
        assumptions.list_statement(query),
        params=query,
        request=request,
        response=response,
        sortable=assumptions.SORTABLE,
        default_order=assumptions.DEFAULT_ORDER,
        read=OccupancyAssumptionRead,
    )


async def _assumption(session: SessionDep, location_id: uuid.UUID, response: Response) -> Any:
    answer = OccupancyAssumptionRead.model_validate(
        await assumptions.read(session, location_id=location_id)
    )
    set_etag(response, answer.version)
    return answer


@router.get(
    "/occupancy-assumptions/{locationId}",
    response_model=OccupancyAssumptionRead,
    summary="Read a location's occupancy assumption",
)
async def read_occupancy_assumption(
    session: SessionDep, principal: AnyRoleButPartner, location_id: LocationId, response: Response
) -> Any:
    return await _assumption(session, location_id, response)


@router.put(
    "/occupancy-assumptions/{locationId}",
    response_model=OccupancyAssumptionRead,
    responses={
        201: {"model": OccupancyAssumptionRead, "description": "Set for the first time."},
        **responses(412),
    },
    summary="Set a location's occupancy assumption",
)
async def put_occupancy_assumption(
    session: SessionDep,
    principal: AdminCoordinatorOrFinance,
    location_id: LocationId,
    data: OccupancyAssumptionWrite,
    response: Response,
    if_match: IfMatchHeader = None,
) -> Any:
    """Sets or replaces the rate the forecast uses for the location (`ratePercent`, with
    a `note` saying why). 201 when it is new."""
    created = await assumptions.put(
        session, location_id=location_id, data=data, actor=principal, if_match=if_match
    )
    if created:
        response.status_code = status.HTTP_201_CREATED
    return await _assumption(session, location_id, response)


@router.delete(
    "/occupancy-assumptions/{locationId}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=responses(412),
    summary="Remove a location's occupancy assumption",
)
async def delete_occupancy_assumption(
    session: SessionDep,
    principal: AdminCoordinatorOrFinance,
    location_id: LocationId,
    if_match: IfMatchHeader = None,
) -> None:
    """The forecast falls back to the location's trailing 90-day rate."""
    await assumptions.delete(session, location_id=location_id, actor=principal, if_match=if_match)
