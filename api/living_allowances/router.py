"""/participants/{id}/living-allowances: whether a person receives the municipal living
allowance, as dated ranges. The BooO pays its POO amount per person who receives it.

Admin and coordinator set it; finance reads it; partners (and viewers) get 403: a partner
can neither set it (not here, not in partner events or imports) nor see it."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Path, Request, Response, status

from api.auth.roles import AdminCoordinatorOrFinance, AdminOrCoordinator
from api.common.created import set_location
from api.common.etag import IfMatchHeader, set_etag
from api.db import SessionDep
from api.living_allowances import service
from api.living_allowances.schemas import (
    LivingAllowanceCreate,
    LivingAllowanceList,
    LivingAllowanceRead,
    LivingAllowanceUpdate,
)
from api.openapi import api_router, responses

living_allowances_router = api_router("participants", prefix="/participants")

ParticipantId = Annotated[uuid.UUID, Path(alias="id", description="The participant's id.")]
AllowanceId = Annotated[
    uuid.UUID, Path(alias="allowance_id", description="The living-allowance range's id.")
]


@living_allowances_router.get(
    "/{id}/living-allowances",
    response_model=LivingAllowanceList,
    responses=responses(404),
    summary="List a participant's living-allowance ranges",
)
async def list_living_allowances(
    request: Request, principal: AdminCoordinatorOrFinance, participant_id: ParticipantId
) -> Response:
    """Oldest first. Finance reads them (the POO claim counts only these persons)."""
    return await service.RANGES.response(request, participant_id, principal)


@living_allowances_router.post(
    "/{id}/living-allowances",
    status_code=status.HTTP_201_CREATED,
    response_model=LivingAllowanceRead,
    responses=responses(404),
    summary="Record that a participant receives the living allowance",
)
async def create_living_allowance(
    session: SessionDep,
    principal: AdminOrCoordinator,
    participant_id: ParticipantId,
    data: LivingAllowanceCreate,
    response: Response,
) -> LivingAllowanceRead:
    """From `startsOn` to `endsOn` (inclusive; `null`: ongoing). Ranges of one person
    never overlap (400 `allowance_overlap`, naming the other range)."""
    row = await service.create(session, participant_id=participant_id, data=data, actor=principal)
    set_etag(response, row.version)
    set_location(response, "participants", participant_id, "living-allowances", row.id)
    return LivingAllowanceRead.model_validate(row)


@living_allowances_router.patch(
    "/{id}/living-allowances/{allowance_id}",
    response_model=LivingAllowanceRead,
    responses=responses(404, 412),
    summary="Change a living-allowance range",
)
async def update_living_allowance(
    session: SessionDep,
    principal: AdminOrCoordinator,
    participant_id: ParticipantId,
    allowance_id: AllowanceId,
    data: LivingAllowanceUpdate,
    response: Response,
    if_match: IfMatchHeader = None,
) -> LivingAllowanceRead:
    """E.g. set `endsOn` when the allowance stops. Drafts of claims follow when
    recomputed; frozen claims never do."""
    row = await service.update(
        session,
        participant_id=participant_id,
        allowance_id=allowance_id,
        data=data,
        actor=principal,
        if_match=if_match,
    )
    set_etag(response, row.version)
    return LivingAllowanceRead.model_validate(row)


@living_allowances_router.delete(
    "/{id}/living-allowances/{allowance_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=responses(404, 412),
    summary="Remove a living-allowance range entered in error",
)
async def delete_living_allowance(
    session: SessionDep,
    principal: AdminOrCoordinator,
    participant_id: ParticipantId,
    allowance_id: AllowanceId,
    if_match: IfMatchHeader = None,
) -> Response:
    await service.delete(
        session,
        participant_id=participant_id,
        allowance_id=allowance_id,
        actor=principal,
        if_match=if_match,
    )
    return Response(status_code=status.HTTP_204_NO_CONTENT)
