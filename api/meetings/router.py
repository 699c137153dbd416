"""/meetings: meetings with residents about a location, a candidate location, or the whole
municipality. Admins and coordinators manage them; viewers (council members) read them; the
operator partner of a location reads its location's meetings (another's: 404); finance
none (403). Residents are counted, never named."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Path, Query, Request, Response, status

from api.auth.principal import Principal
from api.auth.roles import AdminOrCoordinator, AnyRoleButFinance
from api.common.created import set_location
from api.common.etag import IfMatchHeader, set_etag
from api.common.pagination import Page, paginate
from api.db import SessionDep
from api.meetings import service
from api.meetings.schemas import MeetingCreate, MeetingQuery, MeetingRead, MeetingUpdate
from api.openapi import api_router, responses

router = api_router("meetings")

MeetingId = Annotated[uuid.UUID, Path(alias="id", description="The meeting's id.")]


@router.get("/meetings", response_model=Page[MeetingRead], summary="List meetings")
async def list_meetings(
    session: SessionDep,
    principal: AnyRoleButFinance,
    query: Annotated[MeetingQuery, Query()],
    request: Request,
    response: Response,
) -> Response:
    """Newest first (`sort=heldOn` for oldest first). A partner sees the meetings about
    the locations it operates."""
    service.check_query(query)
    return await paginate(
        session,
        service.list_statement(query, principal),
        params=query,
        request=request,
        response=response,
        sortable=service.SORTABLE,
        default_order=service.DEFAULT_ORDER,
        read=MeetingRead,
        extend=service.partners_of_page,
    )


async def _answer(
    session: SessionDep, principal: Principal, meeting_id: uuid.UUID, response: Response
) -> MeetingRead:
    answer = await service.read(session, meeting_id, principal)
    set_etag(response, answer.version)
    return answer


@router.post(
    "/meetings",
    status_code=status.HTTP_201_CREATED,
    response_model=MeetingRead,
    summary="Add a meeting",
)
async def create_meeting(
    session: SessionDep, principal: AdminOrCoordinator, data: MeetingCreate, response: Response
) -> MeetingRead:
    """A day after today is a planned meeting (`planned: true` in the answer). Every
    problem is named in the 400: an unknown partner as `partnerIds.<n>`."""
    meeting = await service.create(session, data=data, actor=principal)
    set_location(response, "meetings", meeting.id)
    return await _answer(session, principal, meeting.id, response)


@router.get("/meetings/{id}", response_model=MeetingRead, summary="Read a meeting")
async def read_meeting(
    request: Request, principal: AnyRoleButFinance, meeting_id: MeetingId
) -> Response:
    return await service.BY_ID.response(request, meeting_id, principal)


@router.patch(
    "/meetings/{id}",
    response_model=MeetingRead,
    responses=responses(412),
    summary="Change a meeting",
)
async def update_meeting(
    session: SessionDep,
    principal: AdminOrCoordinator,
    meeting_id: MeetingId,
    data: MeetingUpdate,
    response: Response,
    if_match: IfMatchHeader = None,
) -> MeetingRead:
    """`partnerIds`, when sent, replace the partners present as a whole."""
    meeting = await service.update(
        session, meeting_id=meeting_id, data=data, actor=principal, if_match=if_match
    )
    return await _answer(session, principal, meeting.id, response)


@router.delete(
    "/meetings/{id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=responses(412),
    summary="Remove a meeting",
)
async def delete_meeting(
    session: SessionDep,
    principal: AdminOrCoordinator,
    meeting_id: MeetingId,
    if_match: IfMatchHeader = None,
) -> None:
    """Its agreements stay, without the meeting."""
    await service.remove(session, meeting_id=meeting_id, actor=principal, if_match=if_match)
