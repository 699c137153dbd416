"""/budget-versions and /reserve-mutations: the begroting and the reserve.

Finance and admin write; the viewer reads (aggregate money, no people); the coordinator
works with people and places, not the budget, and a partner sees none of the steering
layer: both 403."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import Body, Path, Query, Request, Response, status

from api.auth.roles import AdminFinanceOrViewer, AdminOrFinance
from api.auth.scoping import FastRead
from api.budget_plan import mutations, versions
from api.budget_plan.report import begroting_report
from api.budget_plan.report_schemas import BudgetPlanQuery, BudgetPlanReport
from api.budget_plan.schemas import (
    BudgetLineWrite,
    BudgetVersionCreate,
    BudgetVersionQuery,
    BudgetVersionRead,
    BudgetVersionSummary,
    BudgetVersionUpdate,
    ReserveMutationCreate,
    ReserveMutationQuery,
    ReserveMutationRead,
    ReserveMutationUpdate,
)
from api.common.created import set_location
from api.common.etag import IfMatchHeader, set_etag
from api.common.pagination import Page, paginate
from api.db import SessionDep
from api.models import ReserveMutation
from api.openapi import api_router, responses

router = api_router("budget plan")
MUTATION = FastRead(ReserveMutation, ReserveMutationRead, "reserve mutation")

VersionId = Annotated[uuid.UUID, Path(alias="id", description="The version's id.")]
MutationId = Annotated[uuid.UUID, Path(alias="id", description="The mutation's id.")]


@router.get(
    "/budget-versions", response_model=Page[BudgetVersionSummary], summary="List begroting versions"
)
async def list_budget_versions(
    session: SessionDep,
    principal: AdminFinanceOrViewer,
    query: Annotated[BudgetVersionQuery, Query()],
    request: Request,
    response: Response,
) -> Response:
    """Newest year first, then the primitive begroting and the wijzigingen in order."""
    return await paginate(
        session,
        versions.list_statement(query),
        params=query,
        request=request,
        response=response,
        sortable=versions.SORTABLE,
        default_order=versions.DEFAULT_ORDER,
        read=BudgetVersionSummary,
    )


async def _version(session: SessionDep, version_id: uuid.UUID, response: Response) -> Any:
    answer = await versions.read(session, version_id=version_id)
    set_etag(response, answer.version)
    return answer


@router.post(
    "/budget-versions",
    status_code=status.HTTP_201_CREATED,
    response_model=BudgetVersionRead,
    summary="Add a begroting version",
)
async def create_budget_version(
    session: SessionDep, principal: AdminOrFinance, data: BudgetVersionCreate, response: Response
) -> Any:
    """The year's first version is its primitive begroting (number 0); the next ones are
    wijzigingen (1, 2, ...), each with `decisionReference` and decided on or after the
    version before. Lines: an expense line per `category`, an income line per
    `schemeCode`; none twice."""
    version = await versions.create(session, data=data, actor=principal)
    set_location(response, "budget-versions", version.id)
    return await _version(session, version.id, response)


@router.get("/budget-versions/{id}", response_model=BudgetVersionRead, summary="Read a version")
async def read_budget_version(
    request: Request, principal: AdminFinanceOrViewer, version_id: VersionId
) -> Response:
    return await versions.BY_ID.response(request, version_id, principal)


@router.patch(
    "/budget-versions/{id}",
    response_model=BudgetVersionRead,
    responses=responses(409, 412),
    summary="Change a version",
)
async def update_budget_version(
    session: SessionDep,
    principal: AdminOrFinance,
    version_id: VersionId,
    data: BudgetVersionUpdate,
    response: Response,
    if_match: IfMatchHeader = None,
) -> Any:
    """Only the year's latest version changes (409 otherwise)."""
    await versions.update(
        session, version_id=version_id, data=data, actor=principal, if_match=if_match
    )
    return await _version(session, version_id, response)


@router.put(
    "/budget-versions/{id}/lines",
    response_model=BudgetVersionRead,
    responses=responses(409, 412),
    summary="Replace a version's lines",
)
async def replace_budget_lines(
    session: SessionDep,
    principal: AdminOrFinance,
    version_id: VersionId,
    lines: Annotated[list[BudgetLineWrite], Body(max_length=200)],
    response: Response,
    if_match: IfMatchHeader = None,
) -> Any:
    """The whole set of lines (a JSON array); the version's `version` moves. Only the
    year's latest version (409 otherwise)."""
    await versions.replace_lines(
        session, version_id=version_id, lines=lines, actor=principal, if_match=if_match
    )
    return await _version(session, version_id, response)


@router.delete(
    "/budget-versions/{id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=responses(409, 412),
    summary="Remove a version",
)
async def delete_budget_version(
    session: SessionDep,
    principal: AdminOrFinance,
    version_id: VersionId,
    if_match: IfMatchHeader = None,
) -> None:
    """Only the year's latest version, with its lines (409 otherwise)."""
    await versions.delete(session, version_id=version_id, actor=principal, if_match=if_match)


@router.get(
    "/reserve-mutations",
    response_model=Page[ReserveMutationRead],
    summary="List reserve mutations",
)
async def list_reserve_mutations(
    session: SessionDep,
    principal: AdminFinanceOrViewer,
    query: Annotated[ReserveMutationQuery, Query()],
    request: Request,
    response: Response,
) -> Response:
    return await paginate(
        session,
        mutations.list_statement(query),
        params=query,
        request=request,
        response=response,
        sortable=mutations.SORTABLE,
        default_order=mutations.DEFAULT_ORDER,
        read=ReserveMutationRead,
    )


def _mutation(mutation: Any, response: Response) -> ReserveMutationRead:
    answer = ReserveMutationRead.model_validate(mutation)
    set_etag(response, answer.version)
    return answer


@router.post(
    "/reserve-mutations",
    status_code=status.HTTP_201_CREATED,
    response_model=ReserveMutationRead,
    summary="Book a reserve mutation",
)
async def create_reserve_mutation(
    session: SessionDep, principal: AdminOrFinance, data: ReserveMutationCreate, response: Response
) -> ReserveMutationRead:
    """A council-decided deposit (+) or withdrawal (-); the first opens the reserve."""
    mutation = await mutations.create(session, data=data, actor=principal)
    set_location(response, "reserve-mutations", mutation.id)
    return _mutation(mutation, response)


@router.get(
    "/reserve-mutations/{id}", response_model=ReserveMutationRead, summary="Read a mutation"
)
async def read_reserve_mutation(
    request: Request, principal: AdminFinanceOrViewer, mutation_id: MutationId
) -> Response:
    return await MUTATION.response(request, mutation_id, principal)


@router.patch(
    "/reserve-mutations/{id}",
    response_model=ReserveMutationRead,
    responses=responses(412),
    summary="Change a mutation",
)
async def update_reserve_mutation(
    session: SessionDep,
    principal: AdminOrFinance,
    mutation_id: MutationId,
    data: ReserveMutationUpdate,
    response: Response,
    if_match: IfMatchHeader = None,
) -> ReserveMutationRead:
    mutation = await mutations.update(
        session, mutation_id=mutation_id, data=data, actor=principal, if_match=if_match
    )
    return _mutation(mutation, response)


@router.delete(
    "/reserve-mutations/{id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=responses(412),
    summary="Remove a mutation",
)
async def delete_reserve_mutation(
    session: SessionDep,
    principal: AdminOrFinance,
    mutation_id: MutationId,
    if_match: IfMatchHeader = None,
) -> None:
    await mutations.delete(session, mutation_id=mutation_id, actor=principal, if_match=if_match)


@router.get(
    "/reports/budget-plan",
    response_model=BudgetPlanReport,
    summary="The begroting beside the actuals, and the reserve",
    tags=["reports"],
)
async def budget_plan_report(
    session: SessionDep,
    principal: AdminFinanceOrViewer,
    query: Annotated[BudgetPlanQuery, Query()],
) -> BudgetPlanReport:
    """Per expense category: the primitive begroting, the wijzigingen' changes, the
    current begroting, the expenses booked (`actual`), `remaining` and `shareUsed`. Per
    scheme: the planned income; `expected`, `claimed` and `received` as
    `/reports/budget` defines them for the whole year; the expenses charged to the scheme
    and the `netResult` (expected minus those). The totals, and the reserve: the opening
    balance on 1 January, the council's mutations of the year, the year's result (the
    budget report's balance) and the closing balance (`null` when a result is unknown)."""
    return await begroting_report(session, year=query.year)
