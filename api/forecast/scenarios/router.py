"""/scenarios: named sets of changes for the forecast. Money is finance's: finance and
admin write, viewer reads (to compare them in the forecast); coordinators and partners
get 403."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Path, Request, Response, status

from api.auth.roles import AdminFinanceOrViewer, AdminOrFinance
from api.common.created import set_location
from api.common.etag import IfMatchHeader, set_etag
from api.db import SessionDep
from api.forecast.scenarios import service
from api.forecast.scenarios.schemas import ScenarioCreate, ScenarioRead, ScenarioUpdate
from api.openapi import api_router, responses

router = api_router("scenarios", prefix="/scenarios")

ScenarioId = Annotated[uuid.UUID, Path(alias="id", description="The scenario's id.")]


@router.get("", response_model=list[ScenarioRead], summary="List scenarios")
async def list_scenarios(
    session: SessionDep, principal: AdminFinanceOrViewer
) -> list[ScenarioRead]:
    """Every scenario by name, with its changes (a handful: not paginated)."""
    return await service.list_all(session)


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=ScenarioRead,
    responses=responses(409),
    summary="Create a scenario",
)
async def create_scenario(
    session: SessionDep, principal: AdminOrFinance, data: ScenarioCreate, response: Response
) -> ScenarioRead:
    """Each change has a `kind` (`rate`, `capacity`, `occupancy`, `location_open`,
    `location_close`, `cost`) with its own fields; a scheme or location that does not
    exist is named in the 400; a name in use is a 409."""
    answer = await service.create(session, data=data, actor=principal)
    set_location(response, "scenarios", answer.id)
    set_etag(response, answer.version)
    return answer


@router.get("/{id}", response_model=ScenarioRead, summary="Read a scenario")
async def read_scenario(
    request: Request, principal: AdminFinanceOrViewer, scenario_id: ScenarioId
) -> Response:
    return await service.BY_ID.response(request, scenario_id, principal)


@router.patch(
    "/{id}", response_model=ScenarioRead, responses=responses(409, 412), summary="Change a scenario"
)
async def update_scenario(
    session: SessionDep,
    principal: AdminOrFinance,
    scenario_id: ScenarioId,
    data: ScenarioUpdate,
    response: Response,
    if_match: IfMatchHeader = None,
) -> ScenarioRead:
    """`changes`, when sent, replaces the whole list."""
    answer = await service.update(
        session, scenario_id=scenario_id, data=data, actor=principal, if_match=if_match
    )
    set_etag(response, answer.version)
    return answer


@router.delete(
    "/{id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=responses(412),
    summary="Remove a scenario",
)
async def delete_scenario(
    session: SessionDep,
    principal: AdminOrFinance,
    scenario_id: ScenarioId,
    if_match: IfMatchHeader = None,
) -> None:
    await service.delete(session, scenario_id=scenario_id, actor=principal, if_match=if_match)
