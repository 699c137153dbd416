"""/housing-criteria and /candidate-locations: the location pipeline (issue 18 §5).
Admins and coordinators write; finance and viewers (council members) read the pipeline
with its scores; partners see none of it (403): a candidate is the municipality's own
deliberation until it is decided or made public (the public list is /public/...)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Path, Query, Request, Response, status

from api.auth.roles import AdminOrCoordinator, AnyRoleButPartner
from api.auth.scoping import FastRead
from api.common.created import set_location
from api.common.etag import IfMatchHeader, set_etag
from api.common.pagination import Page, paginate
from api.db import SessionDep
from api.models import HousingCriterion
from api.openapi import api_router, responses
from api.pipeline import criteria, service, stages
from api.pipeline.schemas import (
    CandidateCreate,
    CandidateQuery,
    CandidateRead,
    CandidateToLocation,
    CandidateUpdate,
    CriterionCreate,
    CriterionQuery,
    CriterionRead,
    CriterionUpdate,
    ScoreList,
    ScoresPut,
    StageChangeCreate,
    StageChangeList,
)

router = api_router("pipeline")
CRITERION = FastRead(HousingCriterion, CriterionRead, "housing criterion")

CriterionId = Annotated[uuid.UUID, Path(alias="id", description="The criterion's id.")]
CandidateId = Annotated[uuid.UUID, Path(alias="id", description="The candidate's id.")]


# --- housing criteria -------------------------------------------------------------------


@router.get(
    "/housing-criteria", response_model=Page[CriterionRead], summary="List housing criteria"
)
async def list_housing_criteria(
    session: SessionDep,
    principal: AnyRoleButPartner,
    query: Annotated[CriterionQuery, Query()],
    request: Request,
    response: Response,
) -> Response:
    """By `position` unless `sort` says otherwise."""
    return await paginate(
        session,
        criteria.statement(),
        params=query,
        request=request,
        response=response,
        sortable=criteria.SORTABLE,
        default_order=criteria.ORDER,
        read=CriterionRead,
    )


async def _criterion(
    session: SessionDep, criterion_id: uuid.UUID, response: Response
) -> CriterionRead:
    answer = CriterionRead.model_validate(await criteria.load(session, criterion_id))
    set_etag(response, answer.version)
    return answer


@router.post(
    "/housing-criteria",
    status_code=status.HTTP_201_CREATED,
    response_model=CriterionRead,
    responses=responses(409),
    summary="Add a housing criterion",
)
async def create_housing_criterion(
    session: SessionDep, principal: AdminOrCoordinator, data: CriterionCreate, response: Response
) -> CriterionRead:
    """Names are unique (409)."""
    criterion = await criteria.create(session, data=data, actor=principal)
    set_location(response, "housing-criteria", criterion.id)
    return await _criterion(session, criterion.id, response)


@router.get(
    "/housing-criteria/{id}", response_model=CriterionRead, summary="Read a housing criterion"
)
async def read_housing_criterion(
    request: Request, principal: AnyRoleButPartner, criterion_id: CriterionId
) -> Response:
    return await CRITERION.response(request, criterion_id, principal)


@router.patch(
    "/housing-criteria/{id}",
    response_model=CriterionRead,
    responses=responses(409, 412),
    summary="Change a housing criterion",
)
async def update_housing_criterion(
    session: SessionDep,
    principal: AdminOrCoordinator,
    criterion_id: CriterionId,
    data: CriterionUpdate,
    response: Response,
    if_match: IfMatchHeader = None,
) -> CriterionRead:
    """A new weight changes every candidate's weighted total at once."""
    await criteria.update(
        session, criterion_id=criterion_id, data=data, actor=principal, if_match=if_match
    )
    return await _criterion(session, criterion_id, response)


@router.delete(
    "/housing-criteria/{id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=responses(409, 412),
    summary="Remove a housing criterion",
)
async def delete_housing_criterion(
    session: SessionDep,
    principal: AdminOrCoordinator,
    criterion_id: CriterionId,
    if_match: IfMatchHeader = None,
) -> None:
    """Refused (409) while a candidate is scored on it."""
    await criteria.delete(session, criterion_id=criterion_id, actor=principal, if_match=if_match)


# --- candidates --------------------------------------------------------------------------


@router.get(
    "/candidate-locations",
    response_model=Page[CandidateRead],
    summary="List candidate locations",
)
async def list_candidate_locations(
    session: SessionDep,
    principal: AnyRoleButPartner,
    query: Annotated[CandidateQuery, Query()],
    request: Request,
    response: Response,
) -> Response:
    """Filter by `stage` and `public`; `sort=-score` puts the best weighted total first
    (unscored candidates last), `sort=name` by name (the default)."""
    return await paginate(
        session,
        service.statement(query),
        params=query,
        request=request,
        response=response,
        sortable=service.SORTABLE,
        default_order=service.ORDER,
        read=CandidateRead,
        extend=service.scores_of_page,
    )


async def _candidate(
    session: SessionDep, candidate_id: uuid.UUID, response: Response
) -> CandidateRead:
    answer = await service.read(session, candidate_id)
    set_etag(response, answer.version)
    return answer


@router.post(
    "/candidate-locations",
    status_code=status.HTTP_201_CREATED,
    response_model=CandidateRead,
    responses=responses(409),
    summary="Add a candidate location",
)
async def create_candidate_location(
    session: SessionDep, principal: AdminOrCoordinator, data: CandidateCreate, response: Response
) -> CandidateRead:
    """It starts as an idea; the first entry of its stage history is written (`ideaOn`).
    Names are unique (409)."""
    candidate = await service.create(session, data=data, actor=principal)
    set_location(response, "candidate-locations", candidate.id)
    return await _candidate(session, candidate.id, response)


@router.get(
    "/candidate-locations/{id}",
    response_model=CandidateRead,
    summary="Read a candidate location",
)
async def read_candidate_location(
    request: Request, principal: AnyRoleButPartner, candidate_id: CandidateId
) -> Response:
    return await service.BY_ID.response(request, candidate_id, principal)


@router.patch(
    "/candidate-locations/{id}",
    response_model=CandidateRead,
    responses=responses(409, 412),
    summary="Change a candidate location",
)
async def update_candidate_location(
    session: SessionDep,
    principal: AdminOrCoordinator,
    candidate_id: CandidateId,
    data: CandidateUpdate,
    response: Response,
    if_match: IfMatchHeader = None,
) -> CandidateRead:
    """The stage moves by POST .../stage; `locationId` by POST .../location."""
    await service.update(
        session, candidate_id=candidate_id, data=data, actor=principal, if_match=if_match
    )
    return await _candidate(session, candidate_id, response)


@router.delete(
    "/candidate-locations/{id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=responses(409, 412),
    summary="Remove a candidate location",
)
async def delete_candidate_location(
    session: SessionDep,
    principal: AdminOrCoordinator,
    candidate_id: CandidateId,
    if_match: IfMatchHeader = None,
) -> None:
    """Only while an idea (409 otherwise: reject or withdraw it, so its history stays)."""
    await service.delete_candidate(
        session, candidate_id=candidate_id, actor=principal, if_match=if_match
    )


# --- stage, scores, location -------------------------------------------------------------


@router.post(
    "/candidate-locations/{id}/stage",
    response_model=CandidateRead,
    responses=responses(409, 412),
    summary="Move a candidate to another stage",
)
async def move_candidate_location(
    session: SessionDep,
    principal: AdminOrCoordinator,
    candidate_id: CandidateId,
    data: StageChangeCreate,
    response: Response,
    if_match: IfMatchHeader = None,
) -> CandidateRead:
    """Allowed: idea → investigation → proposed → decided, and any open stage → rejected
    or withdrawn. Another move is 409 (`allowed` lists the moves there are); `changedOn`
    before the previous change or in the future is 400."""
    await stages.move(
        session, candidate_id=candidate_id, data=data, actor=principal, if_match=if_match
    )
    return await _candidate(session, candidate_id, response)


@router.get(
    "/candidate-locations/{id}/stages",
    response_model=StageChangeList,
    summary="A candidate's stage history",
)
async def list_candidate_location_stages(
    request: Request, principal: AnyRoleButPartner, candidate_id: CandidateId
) -> Response:
    return await stages.HISTORY.response(request, candidate_id, principal)


@router.get(
    "/candidate-locations/{id}/scores",
    response_model=ScoreList,
    summary="A candidate's scores on the housing criteria",
)
async def read_candidate_location_scores(
    request: Request, principal: AnyRoleButPartner, candidate_id: CandidateId
) -> Response:
    return await service.scores_response(request, candidate_id)


@router.put(
    "/candidate-locations/{id}/scores",
    response_model=ScoreList,
    responses=responses(412),
    summary="Replace a candidate's scores",
)
async def replace_candidate_location_scores(
    session: SessionDep,
    principal: AdminOrCoordinator,
    candidate_id: CandidateId,
    data: ScoresPut,
    response: Response,
    if_match: IfMatchHeader = None,
) -> ScoreList:
    """The list replaces all scores (an empty list removes them). An unknown or repeated
    criterion is a 400 naming the item (`items.2.criterionId`)."""
    await service.replace_scores(
        session, candidate_id=candidate_id, data=data, actor=principal, if_match=if_match
    )
    answer = await service.scores(session, candidate_id)
    set_etag(response, (await service.load(session, candidate_id)).version)
    return answer


@router.post(
    "/candidate-locations/{id}/location",
    response_model=CandidateRead,
    responses=responses(409),
    summary="Make a decided candidate a location",
)
async def make_candidate_location_location(
    session: SessionDep,
    principal: AdminOrCoordinator,
    candidate_id: CandidateId,
    data: CandidateToLocation,
    response: Response,
) -> CandidateRead:
    """Send `location` (a new location, with the same rules as POST /locations) or
    `locationId` (an existing one). Only at stage decided, and once (409). The
    candidate's decisions, meetings and communications get the location too; they keep
    the candidate, so the history stays."""
    await stages.make_location(session, candidate_id=candidate_id, data=data, actor=principal)
    return await _candidate(session, candidate_id, response)
