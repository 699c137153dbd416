"""/goals, /indicators, /indicator-metrics and /reports/indicators: the programme's goals
with their targets, measured per quarter. Admins and coordinators write; finance and
viewers read; partners see none of it (403)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Path, Query, Request, Response, status

from api.auth.roles import AdminOrCoordinator, AnyRoleButPartner
from api.common.created import set_location
from api.common.etag import IfMatchHeader, set_etag
from api.common.pagination import Page, paginate
from api.db import SessionDep
from api.errors import BadRequest, ProblemType, field_problem
from api.goals import quarters, service
from api.goals.metrics import CATALOGUE
from api.goals.schemas import (
    GoalCreate,
    GoalQuery,
    GoalRead,
    GoalUpdate,
    IndicatorCreate,
    IndicatorQuery,
    IndicatorRead,
    IndicatorUpdate,
    MetricList,
    MetricParam,
    MetricRead,
    SeriesQuery,
    SeriesReport,
    SeriesSpan,
)
from api.goals.series import indicator_series
from api.openapi import api_router, responses

router = api_router("goals")

GoalId = Annotated[uuid.UUID, Path(alias="id", description="The goal's id.")]
IndicatorId = Annotated[uuid.UUID, Path(alias="id", description="The indicator's id.")]


@router.get("/goals", response_model=Page[GoalRead], summary="List goals")
async def list_goals(
    session: SessionDep,
    principal: AnyRoleButPartner,
    query: Annotated[GoalQuery, Query()],
    request: Request,
    response: Response,
) -> Response:
    return await paginate(
        session,
        service.goal_statement(query),
        params=query,
        request=request,
        response=response,
        sortable=service.GOAL_SORTABLE,
        default_order=service.GOAL_ORDER,
        read=GoalRead,
    )


async def _goal(session: SessionDep, goal_id: uuid.UUID, response: Response) -> GoalRead:
    answer = GoalRead.model_validate(await service.load_goal(session, goal_id))
    set_etag(response, answer.version)
    return answer


@router.post(
    "/goals",
    status_code=status.HTTP_201_CREATED,
    response_model=GoalRead,
    responses=responses(409),
    summary="Add a goal",
)
async def create_goal(
    session: SessionDep, principal: AdminOrCoordinator, data: GoalCreate, response: Response
) -> GoalRead:
    """`theme`: the council decision's theme the goal serves. Titles are unique (409)."""
    goal = await service.create_goal(session, data=data, actor=principal)
    set_location(response, "goals", goal.id)
    return await _goal(session, goal.id, response)


@router.get("/goals/{id}", response_model=GoalRead, summary="Read a goal")
async def read_goal(request: Request, principal: AnyRoleButPartner, goal_id: GoalId) -> Response:
    return await service.GOAL_BY_ID.response(request, goal_id, principal)


@router.patch(
    "/goals/{id}", response_model=GoalRead, responses=responses(409, 412), summary="Change a goal"
)
async def update_goal(
    session: SessionDep,
    principal: AdminOrCoordinator,
    goal_id: GoalId,
    data: GoalUpdate,
    response: Response,
    if_match: IfMatchHeader = None,
) -> GoalRead:
    goal = await service.update_goal(
        session, goal_id=goal_id, data=data, actor=principal, if_match=if_match
    )
    return await _goal(session, goal.id, response)


@router.delete(
    "/goals/{id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=responses(412),
    summary="Remove a goal",
)
async def delete_goal(
    session: SessionDep,
    principal: AdminOrCoordinator,
    goal_id: GoalId,
    if_match: IfMatchHeader = None,
) -> None:
    """Its indicators and their targets go with it."""
    await service.delete_goal(session, goal_id=goal_id, actor=principal, if_match=if_match)


@router.get("/indicators", response_model=Page[IndicatorRead], summary="List indicators")
async def list_indicators(
    session: SessionDep,
    principal: AnyRoleButPartner,
    query: Annotated[IndicatorQuery, Query()],
    request: Request,
    response: Response,
) -> Response:
    return await paginate(
        session,
        service.indicator_statement(query),
        params=query,
        request=request,
        response=response,
        sortable=service.INDICATOR_SORTABLE,
        default_order=service.INDICATOR_ORDER,
        read=IndicatorRead,
        extend=service.targets_of_page,
        # A JSON object of strings and whole numbers (``IndicatorCreate.params``).
        vouched=("params",),
    )


async def _indicator(
    session: SessionDep, indicator_id: uuid.UUID, response: Response
) -> IndicatorRead:
    answer = await service.read_indicator(session, indicator_id)
    set_etag(response, answer.version)
    return answer


@router.post(
    "/indicators",
    status_code=status.HTTP_201_CREATED,
    response_model=IndicatorRead,
    summary="Add an indicator to a goal",
)
async def create_indicator(
    session: SessionDep, principal: AdminOrCoordinator, data: IndicatorCreate, response: Response
) -> IndicatorRead:
    """`metric` and `params` from GET /indicator-metrics; `unit` is the metric's and
    `direction` defaults to it. Every problem is named in the 400."""
    indicator = await service.create_indicator(session, data=data, actor=principal)
    set_location(response, "indicators", indicator.id)
    return await _indicator(session, indicator.id, response)


@router.get("/indicators/{id}", response_model=IndicatorRead, summary="Read an indicator")
async def read_indicator(
    request: Request, principal: AnyRoleButPartner, indicator_id: IndicatorId
) -> Response:
    return await service.INDICATOR_BY_ID.response(request, indicator_id, principal)


@router.patch(
    "/indicators/{id}",
    response_model=IndicatorRead,
    responses=responses(412),
    summary="Change an indicator or its targets",
)
async def update_indicator(
    session: SessionDep,
    principal: AdminOrCoordinator,
    indicator_id: IndicatorId,
    data: IndicatorUpdate,
    response: Response,
    if_match: IfMatchHeader = None,
) -> IndicatorRead:
    """`targets`, when sent, replace the indicator's targets as a whole."""
    indicator = await service.update_indicator(
        session, indicator_id=indicator_id, data=data, actor=principal, if_match=if_match
    )
    return await _indicator(session, indicator.id, response)


@router.delete(
    "/indicators/{id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=responses(412),
    summary="Remove an indicator",
)
async def delete_indicator(
    session: SessionDep,
    principal: AdminOrCoordinator,
    indicator_id: IndicatorId,
    if_match: IfMatchHeader = None,
) -> None:
    await service.delete_indicator(
        session, indicator_id=indicator_id, actor=principal, if_match=if_match
    )


@router.get("/indicator-metrics", response_model=MetricList, summary="The metrics catalogue")
async def list_indicator_metrics(principal: AnyRoleButPartner) -> MetricList:
    """What an indicator can measure; `code`s are stable (the dashboard words them)."""
    return MetricList(
        items=[
            MetricRead(
                code=m.code,
                unit=m.unit,
                direction=m.direction,
                params=[
                    MetricParam(
                        name=p.name,
                        required=p.required,
                        choices=None if p.choices is None else [c.value for c in p.choices],
                    )
                    for p in m.params
                ],
                numerator=m.numerator,
                denominator=m.denominator,
            )
            for m in CATALOGUE.values()
        ]
    )


def span_of(query: SeriesSpan) -> tuple[quarters.Quarter, quarters.Quarter]:
    """``from``/``to`` as quarters (default: the last 8 up to the current one); every
    problem named."""
    first, last = quarters.default_span()
    problems = []
    for name, text in (("from", query.from_), ("to", query.to)):
        if text is None:
            continue
        parsed = quarters.parse(text)
        if parsed is None:
            problems.append(
                field_problem(
                    "query", name, "Must be a quarter like 2026Q3.", code="quarter_format"
                )
            )
        elif name == "from":
            first = parsed
        else:
            last = parsed
    if not problems and last < first:
        problems.append(
            field_problem("query", "to", "Must be on or after from.", code="before_start")
        )
    elif not problems and len(quarters.span(first, last)) > quarters.MAX_QUARTERS:
        problems.append(
            field_problem(
                "query",
                "to",
                f"At most {quarters.MAX_QUARTERS} quarters at once.",
                code="too_many_quarters",
                params={"le": quarters.MAX_QUARTERS},
            )
        )
    if problems:
        raise BadRequest(
            "The query is invalid; see errors.", type_=ProblemType.INVALID_INPUT, errors=problems
        )
    return first, last


@router.get(
    "/reports/indicators", response_model=SeriesReport, summary="The indicators per quarter"
)
async def indicators_report(
    session: SessionDep, principal: AnyRoleButPartner, query: Annotated[SeriesQuery, Query()]
) -> SeriesReport:
    """Per indicator and quarter (`from`..`to`, default the last 8 quarters up to the
    current one): the value as of the quarter end, the target of its year, whether on
    track, and the numerator and denominator it was computed from."""
    first, last = span_of(query)
    items = await indicator_series(session, first=first, last=last, goal_id=query.goal_id)
    return SeriesReport(first=quarters.label(first), last=quarters.label(last), items=items)
