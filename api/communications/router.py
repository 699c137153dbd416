"""/communications: the log of what was communicated to residents (letters, newsletters,
the website, meetings, social media), about a location, a candidate or in general. Admins
and coordinators write; viewers (council members) read; finance and partners none (403)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Path, Query, Request, Response, status

from api.auth.roles import AdminCoordinatorOrViewer, AdminOrCoordinator
from api.common.created import set_location
from api.common.etag import IfMatchHeader, set_etag
from api.common.pagination import Page, paginate
from api.communications import service
from api.communications.schemas import (
    CommunicationCreate,
    CommunicationQuery,
    CommunicationRead,
    CommunicationUpdate,
)
from api.db import SessionDep
from api.openapi import api_router, responses

router = api_router("communications")

CommunicationId = Annotated[uuid.UUID, Path(alias="id", description="The communication's id.")]


@router.get(
    "/communications", response_model=Page[CommunicationRead], summary="List communications"
)
async def list_communications(
    session: SessionDep,
    principal: AdminCoordinatorOrViewer,
    query: Annotated[CommunicationQuery, Query()],
    request: Request,
    response: Response,
) -> Response:
    """Newest first (`sort=sentOn` for oldest first). `general=true`: those about no
    location or candidate."""
    return await paginate(
        session,
        service.list_statement(query),
        params=query,
        request=request,
        response=response,
        sortable=service.SORTABLE,
        default_order=service.DEFAULT_ORDER,
        read=CommunicationRead,
    )


async def _answer(
    session: SessionDep, communication_id: uuid.UUID, response: Response
) -> CommunicationRead:
    answer = await service.read(session, communication_id)
    set_etag(response, answer.version)
    return answer


@router.post(
    "/communications",
    status_code=status.HTTP_201_CREATED,
    response_model=CommunicationRead,
    summary="Log a communication",
)
async def create_communication(
    session: SessionDep,
    principal: AdminOrCoordinator,
    data: CommunicationCreate,
    response: Response,
) -> CommunicationRead:
    """Every problem is named in the 400."""
    communication = await service.create(session, data=data, actor=principal)
    set_location(response, "communications", communication.id)
    return await _answer(session, communication.id, response)


@router.get(
    "/communications/{id}", response_model=CommunicationRead, summary="Read a communication"
)
async def read_communication(
    request: Request, principal: AdminCoordinatorOrViewer, communication_id: CommunicationId
) -> Response:
    return await service.BY_ID.response(request, communication_id, principal)


@router.patch(
    "/communications/{id}",
    response_model=CommunicationRead,
    responses=responses(412),
    summary="Change a communication",
)
async def update_communication(
    session: SessionDep,
    principal: AdminOrCoordinator,
    communication_id: CommunicationId,
    data: CommunicationUpdate,
    response: Response,
    if_match: IfMatchHeader = None,
) -> CommunicationRead:
    communication = await service.update(
        session, communication_id=communication_id, data=data, actor=principal, if_match=if_match
    )
    return await _answer(session, communication.id, response)


@router.delete(
    "/communications/{id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=responses(412),
    summary="Remove a communication",
)
async def delete_communication(
    session: SessionDep,
    principal: AdminOrCoordinator,
    communication_id: CommunicationId,
    if_match: IfMatchHeader = None,
) -> None:
    await service.remove(
        session, communication_id=communication_id, actor=principal, if_match=if_match
    )
