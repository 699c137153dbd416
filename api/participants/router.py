"""Participants: the people in the programme, with field-level access.

Admin and coordinator read and write every field; a partner reads (never writes) the
participants placed at its locations or in its guardianship, without the BSN; finance
and viewer see no participant-level data at all.
"""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import Depends, Path, Query, Request, Response, status

from api.audit.service import begin_audited_read, record_reads
from api.auth.principal import Principal
from api.auth.roles import AdminCoordinatorOrPartner, AdminOrCoordinator
from api.common.created import set_location
from api.common.etag import IfMatchHeader, set_etag
from api.common.pagination import paginate
from api.db import SessionDep
from api.db.fast import Reader
from api.errors import Forbidden
from api.openapi import api_router, responses
from api.participants import detail, service
from api.participants.export import ParticipantDataExport, data_export
from api.participants.schemas import (
    AnyParticipantDetail,
    ParticipantCreate,
    ParticipantPage,
    ParticipantQuery,
    ParticipantSearch,
    ParticipantUpdate,
)

router = api_router("participants", prefix="/participants")

ParticipantId = Annotated[uuid.UUID, Path(alias="id", description="The participant's id.")]

_LINK: dict[int | str, dict[str, Any]] = {
    200: {
        "headers": {
            "Link": {
                "description": "RFC 8288 links to the first, previous, next and last page.",
                "schema": {"type": "string"},
            }
        }
    }
}


async def _no_bsn_for_partners(request: Request, principal: AdminCoordinatorOrPartner) -> Principal:
    """A partner may not even ask by BSN: refused before the body is looked at further."""
    if principal.is_partner:
        try:
            body = await request.json()
        except ValueError:
            body = None  # the body's own validation answers 400
        if isinstance(body, dict) and "bsn" in body:
            raise Forbidden("A partner may not search by BSN.")
    return principal


Searcher = Annotated[Principal, Depends(_no_bsn_for_partners)]


@router.get(
    "",
    response_model=ParticipantPage,
    responses=_LINK,
    summary="List participants",
)
async def list_participants(
    session: SessionDep,
    principal: AdminCoordinatorOrPartner,
    query: Annotated[ParticipantQuery, Query()],
    request: Request,
    response: Response,
) -> Response:
    """A partner sees only the people placed at its locations or in its guardianship,
    without the BSN. Every participant on the page is audited as read."""
    await begin_audited_read(session)

    async def audit(_reader: Reader, items: list[dict[str, Any]]) -> None:
        record_reads(session, entity=service.ENTITY, ids=[item["id"] for item in items])

    return await paginate(
        session,
        service.list_statement(query, principal),
        params=query,
        request=request,
        response=response,
        sortable=service.SORTABLE,
        default_order=service.DEFAULT_ORDER,
        read=service.read_schema(principal),
        extend=audit,
    )


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=AnyParticipantDetail,
    responses=responses(409),
    summary="Add a participant",
)
async def create_participant(
    session: SessionDep, principal: AdminOrCoordinator, data: ParticipantCreate, response: Response
) -> Any:
    """`dutchLevel` and `employmentStatus` start the progress history, dated `progressOn`
    (default today). `reference`, `bsn` and `vNumber` are unique (409). An
    `unaccompanied_minor` needs a `guardianPartnerId` and a `dateOfBirth` under 18 on the
    day the group is set (here, or by a PATCH of `group`); turning 18 later changes
    nothing. `nationality` and `languages` are checked for their ISO format, not against
    the code lists."""
    participant = await service.create(session, data=data, actor=principal)
    set_etag(response, participant.version)
    set_location(response, "participants", participant.id)
    return await service.detail(session, participant, principal)


@router.post(
    "/_search",
    response_model=ParticipantPage,
    summary="Find a participant by BSN or V-number",
)
async def search_participants(
    session: SessionDep, principal: Searcher, data: ParticipantSearch
) -> dict[str, Any]:
    """Exactly one of `bsn` or `vNumber` in the body, so neither ever appears in a URL.
    The answer is a page of zero or one participant; a partner may search only by
    V-number, within its scope."""
    items = await service.search(session, data=data, principal=principal)
    return {"items": items, "page": 1, "pageSize": 1, "total": len(items)}


@router.get("/{id}", response_model=AnyParticipantDetail, summary="Read a participant")
async def read_participant(
    session: SessionDep, principal: AdminCoordinatorOrPartner, participant_id: ParticipantId
) -> Response:
    """With the dated progress history; the read is audited."""
    return await detail.response(session, participant_id, principal)


@router.patch(
    "/{id}",
    response_model=AnyParticipantDetail,
    responses=responses(409, 412),
    summary="Change a participant",
)
async def update_participant(
    session: SessionDep,
    principal: AdminOrCoordinator,
    participant_id: ParticipantId,
    data: ParticipantUpdate,
    response: Response,
    if_match: IfMatchHeader = None,
) -> Any:
    """A changed `dutchLevel` or `employmentStatus` adds a progress entry dated
    `progressOn` (default today); `progressOn` without such a change is ignored."""
    participant = await service.update(
        session, participant_id=participant_id, data=data, actor=principal, if_match=if_match
    )
    set_etag(response, participant.version)
    return await service.detail(session, participant, principal)


@router.delete(
    "/{id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=responses(412),
    summary="Anonymise a participant",
)
async def delete_participant(
    session: SessionDep,
    principal: AdminOrCoordinator,
    participant_id: ParticipantId,
    if_match: IfMatchHeader = None,
) -> None:
    """Clears every identifying field and keeps the row, its placements and its progress
    for statistics and frozen claims; afterwards the participant answers 404."""
    await service.anonymise(
        session, participant_id=participant_id, actor=principal, if_match=if_match
    )


@router.get(
    "/{id}/data-export",
    response_model=ParticipantDataExport,
    summary="Export everything held on a participant",
)
async def export_participant(
    session: SessionDep, principal: AdminOrCoordinator, participant_id: ParticipantId
) -> ParticipantDataExport:
    """Subject access request: every field (BSN included), progress, stays with their
    locations, and the audit trail of the record. The export is itself audited."""
    return await data_export(session, participant_id=participant_id, principal=principal)
