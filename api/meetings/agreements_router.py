"""/agreements and their notes: what was agreed with the neighbourhood, by whom, when.
Admins and coordinators manage them; viewers read them; the operator partner of a
location reads its location's agreements, and a partner reads and manages the agreements
assigned to it (status and notes only; anything else is a 403); finance none (403)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Path, Query, Request, Response, status

from api.auth.principal import Principal
from api.auth.roles import AdminCoordinatorOrPartner, AdminOrCoordinator, AnyRoleButFinance
from api.common.created import set_location
from api.common.etag import IfMatchHeader, set_etag
from api.common.pagination import Page, paginate
from api.db import SessionDep
from api.meetings import agreements as service
from api.meetings.schemas import (
    AgreementCreate,
    AgreementNoteCreate,
    AgreementNoteRead,
    AgreementQuery,
    AgreementRead,
    AgreementUpdate,
)
from api.openapi import api_router, responses

router = api_router("agreements")

AgreementId = Annotated[uuid.UUID, Path(alias="id", description="The agreement's id.")]


@router.get("/agreements", response_model=Page[AgreementRead], summary="List agreements")
async def list_agreements(
    session: SessionDep,
    principal: AnyRoleButFinance,
    query: Annotated[AgreementQuery, Query()],
    request: Request,
    response: Response,
) -> Response:
    """By due date, the earliest first (without one last). `overdue=true`: not done or
    cancelled and due before today."""
    return await paginate(
        session,
        service.list_statement(query, principal),
        params=query,
        request=request,
        response=response,
        sortable=service.SORTABLE,
        default_order=service.DEFAULT_ORDER,
        read=AgreementRead,
    )


async def _answer(
    session: SessionDep, principal: Principal, agreement_id: uuid.UUID, response: Response
) -> AgreementRead:
    answer = await service.read(session, agreement_id, principal)
    set_etag(response, answer.version)
    return answer


@router.post(
    "/agreements",
    status_code=status.HTTP_201_CREATED,
    response_model=AgreementRead,
    summary="Add an agreement",
)
async def create_agreement(
    session: SessionDep, principal: AdminOrCoordinator, data: AgreementCreate, response: Response
) -> AgreementRead:
    """With `meetingId`, the location is the meeting's (a `locationId` sent must match
    it). Every problem is named in the 400; both owners name both fields."""
    agreement = await service.create(session, data=data, actor=principal)
    set_location(response, "agreements", agreement.id)
    return await _answer(session, principal, agreement.id, response)


@router.get("/agreements/{id}", response_model=AgreementRead, summary="Read an agreement")
async def read_agreement(
    request: Request, principal: AnyRoleButFinance, agreement_id: AgreementId
) -> Response:
    return await service.BY_ID.response(request, agreement_id, principal)


@router.patch(
    "/agreements/{id}",
    response_model=AgreementRead,
    responses=responses(409, 412),
    summary="Change an agreement",
)
async def update_agreement(
    session: SessionDep,
    principal: AdminCoordinatorOrPartner,
    agreement_id: AgreementId,
    data: AgreementUpdate,
    response: Response,
    if_match: IfMatchHeader = None,
) -> AgreementRead:
    """A partner changes only the `status` of an agreement assigned to it (other fields,
    another's agreement, or reopening: 403). `doneOn` is set when done, cleared on
    reopening."""
    agreement = await service.update(
        session, agreement_id=agreement_id, data=data, actor=principal, if_match=if_match
    )
    return await _answer(session, principal, agreement.id, response)


@router.delete(
    "/agreements/{id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=responses(412),
    summary="Remove an agreement",
)
async def delete_agreement(
    session: SessionDep,
    principal: AdminOrCoordinator,
    agreement_id: AgreementId,
    if_match: IfMatchHeader = None,
) -> None:
    """Its notes go with it."""
    await service.remove(session, agreement_id=agreement_id, actor=principal, if_match=if_match)


@router.get(
    "/agreements/{id}/notes",
    response_model=list[AgreementNoteRead],
    summary="List an agreement's notes",
)
async def list_agreement_notes(
    request: Request, principal: AnyRoleButFinance, agreement_id: AgreementId
) -> Response:
    """Oldest first."""
    return await service.NOTES.response(request, agreement_id, principal)


@router.post(
    "/agreements/{id}/notes",
    status_code=status.HTTP_201_CREATED,
    response_model=AgreementNoteRead,
    summary="Add a note to an agreement",
)
async def add_agreement_note(
    session: SessionDep,
    principal: AdminCoordinatorOrPartner,
    agreement_id: AgreementId,
    data: AgreementNoteCreate,
) -> AgreementNoteRead:
    """Stored with the author's kind, id and role and the time; never edited. A partner
    adds notes to the agreements assigned to it (another's it may read: 403)."""
    note = await service.add_note(session, agreement_id=agreement_id, data=data, actor=principal)
    return AgreementNoteRead.model_validate(note)
