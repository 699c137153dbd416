"""/decisions and /conditions: what the council, the college or the mayor decided about a
location (or a candidate), and the conditions attached, each evaluated on its date.
Admins and coordinators write; finance and viewers read; the operator of a location
reads its location's decisions and conditions (another partner's are not found)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Path, Query, Request, Response, status

from api.auth.principal import Principal
from api.auth.roles import AdminOrCoordinator, AnyRole
from api.common.created import set_location
from api.common.etag import IfMatchHeader, set_etag
from api.common.pagination import Page, paginate
from api.db import SessionDep
from api.decisions import conditions, service
from api.decisions.schemas import (
    ConditionCreate,
    ConditionQuery,
    ConditionRead,
    ConditionUpdate,
    DecisionConditionQuery,
    DecisionCreate,
    DecisionQuery,
    DecisionRead,
    DecisionUpdate,
)
from api.openapi import api_router, responses

router = api_router("decisions")

DecisionId = Annotated[uuid.UUID, Path(alias="id", description="The decision's id.")]
ConditionId = Annotated[uuid.UUID, Path(alias="id", description="The condition's id.")]


@router.get("/decisions", response_model=Page[DecisionRead], summary="List decisions")
async def list_decisions(
    session: SessionDep,
    principal: AnyRole,
    query: Annotated[DecisionQuery, Query()],
    request: Request,
    response: Response,
) -> Response:
    """Newest first (`decidedOn`). A partner sees those about the locations it operates."""
    return await paginate(
        session,
        service.list_statement(query, principal),
        params=query,
        request=request,
        response=response,
        sortable=service.SORTABLE,
        default_order=service.DEFAULT_ORDER,
        read=DecisionRead,
    )


async def _decision(
    session: SessionDep, principal: Principal, decision_id: uuid.UUID, response: Response
) -> DecisionRead:
    row = await service.read(session, decision_id=decision_id, principal=principal)
    answer = DecisionRead.model_validate(row)
    set_etag(response, answer.version)
    return answer


@router.post(
    "/decisions",
    status_code=status.HTTP_201_CREATED,
    response_model=DecisionRead,
    summary="Record a decision",
)
async def create_decision(
    session: SessionDep, principal: AdminOrCoordinator, data: DecisionCreate, response: Response
) -> DecisionRead:
    """About a location or a candidate (at least one); an unknown one is a 400 naming it."""
    decision = await service.create(session, data=data, actor=principal)
    set_location(response, "decisions", decision.id)
    return await _decision(session, principal, decision.id, response)


@router.get("/decisions/{id}", response_model=DecisionRead, summary="Read a decision")
async def read_decision(request: Request, principal: AnyRole, decision_id: DecisionId) -> Response:
    return await service.BY_ID.response(request, decision_id, principal)


@router.patch(
    "/decisions/{id}",
    response_model=DecisionRead,
    responses=responses(409, 412),
    summary="Change a decision",
)
async def update_decision(
    session: SessionDep,
    principal: AdminOrCoordinator,
    decision_id: DecisionId,
    data: DecisionUpdate,
    response: Response,
    if_match: IfMatchHeader = None,
) -> DecisionRead:
    """A decision that a capacity change rests on keeps its location (409)."""
    decision = await service.update(
        session, decision_id=decision_id, data=data, actor=principal, if_match=if_match
    )
    return await _decision(session, principal, decision.id, response)


@router.delete(
    "/decisions/{id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=responses(409, 412),
    summary="Remove a decision recorded by mistake",
)
async def delete_decision(
    session: SessionDep,
    principal: AdminOrCoordinator,
    decision_id: DecisionId,
    if_match: IfMatchHeader = None,
) -> None:
    """Its open conditions go with it. A 409 when a condition has been evaluated or a
    capacity change (fact or plan) rests on it."""
    await service.delete(session, decision_id=decision_id, actor=principal, if_match=if_match)


@router.get(
    "/decisions/{id}/conditions",
    response_model=Page[ConditionRead],
    summary="List a decision's conditions",
)
async def list_decision_conditions(
    session: SessionDep,
    principal: AnyRole,
    decision_id: DecisionId,
    query: Annotated[DecisionConditionQuery, Query()],
    request: Request,
    response: Response,
) -> Response:
    await service.read(session, decision_id=decision_id, principal=principal)
    return await paginate(
        session,
        conditions.of_decision(decision_id, principal),
        params=query,
        request=request,
        response=response,
        sortable=conditions.SORTABLE,
        default_order=conditions.DEFAULT_ORDER,
        read=ConditionRead,
    )


async def _condition(
    session: SessionDep, principal: Principal, condition_id: uuid.UUID, response: Response
) -> ConditionRead:
    row = await conditions.read(session, condition_id=condition_id, principal=principal)
    answer = ConditionRead.model_validate(row)
    set_etag(response, answer.version)
    return answer


@router.post(
    "/decisions/{id}/conditions",
    status_code=status.HTTP_201_CREATED,
    response_model=ConditionRead,
    summary="Attach a condition to a decision",
)
async def create_condition(
    session: SessionDep,
    principal: AdminOrCoordinator,
    decision_id: DecisionId,
    data: ConditionCreate,
    response: Response,
) -> ConditionRead:
    """It starts `open`. `ownerUserId`: a staff user (admin, coordinator), else a 400."""
    condition = await conditions.create(
        session, decision_id=decision_id, data=data, actor=principal
    )
    set_location(response, "conditions", condition.id)
    return await _condition(session, principal, condition.id, response)


@router.get(
    "/conditions", response_model=Page[ConditionRead], summary="List conditions to evaluate"
)
async def list_conditions(
    session: SessionDep,
    principal: AnyRole,
    query: Annotated[ConditionQuery, Query()],
    request: Request,
    response: Response,
) -> Response:
    """By evaluation date, earliest first. `dueWithinDays=60&status=open`: the ones to
    evaluate in the next 60 days, the overdue ones included."""
    return await paginate(
        session,
        conditions.list_statement(query, principal),
        params=query,
        request=request,
        response=response,
        sortable=conditions.SORTABLE,
        default_order=conditions.DEFAULT_ORDER,
        read=ConditionRead,
    )


@router.get("/conditions/{id}", response_model=ConditionRead, summary="Read a condition")
async def read_condition(
    request: Request, principal: AnyRole, condition_id: ConditionId
) -> Response:
    return await conditions.BY_ID.response(request, condition_id, principal)


@router.patch(
    "/conditions/{id}",
    response_model=ConditionRead,
    responses=responses(409, 412),
    summary="Change or evaluate a condition",
)
async def update_condition(
    session: SessionDep,
    principal: AdminOrCoordinator,
    condition_id: ConditionId,
    data: ConditionUpdate,
    response: Response,
    if_match: IfMatchHeader = None,
) -> ConditionRead:
    """Evaluate with `status` met or not_met and `evidence` (`evaluatedOn` defaults to
    today); withdraw with the reason in `evidence`. Only an admin reopens (403 else)."""
    condition = await conditions.update(
        session, condition_id=condition_id, data=data, actor=principal, if_match=if_match
    )
    return await _condition(session, principal, condition.id, response)


@router.delete(
    "/conditions/{id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=responses(412),
    summary="Remove a condition recorded by mistake",
)
async def delete_condition(
    session: SessionDep,
    principal: AdminOrCoordinator,
    condition_id: ConditionId,
    if_match: IfMatchHeader = None,
) -> None:
    await conditions.delete(session, condition_id=condition_id, actor=principal, if_match=if_match)
