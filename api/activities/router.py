"""Activities of the programme and the attendance at their sessions.

Activities are not personal: admin, coordinator and finance (whose expenses name one)
read them all, a partner the ones it provides (another partner's is 404); a viewer sees
aggregate reports only (api.md's roles table), so not these. Admins and coordinators
manage all of them, a partner the ones it provides. Attendance names participants, so
finance and viewers have no access to it.
"""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Body, Path, Query, Request, Response, status

from api.activities import attendance, service
from api.activities.schemas import (
    ActivityCreate,
    ActivityListItem,
    ActivityQuery,
    ActivityRead,
    ActivityUpdate,
    AttendanceEntry,
    AttendanceRead,
)
from api.auth.roles import AdminCoordinatorOrPartner, AnyRoleButViewer
from api.common.created import set_location
from api.common.etag import IfMatchHeader, set_etag
from api.common.pagination import Page, paginate
from api.common.schemas import IsoDate
from api.db import SessionDep
from api.models import Activity
from api.openapi import api_router, responses

router = api_router("activities", prefix="/activities")

ActivityId = Annotated[uuid.UUID, Path(alias="id", description="The activity's id.")]
SessionDate = Annotated[IsoDate, Path(alias="date", description="The session's date.")]


@router.get("", response_model=Page[ActivityListItem], summary="List activities")
async def list_activities(
    session: SessionDep,
    principal: AnyRoleButViewer,
    query: Annotated[ActivityQuery, Query()],
    request: Request,
    response: Response,
) -> Response:
    """A partner sees the activities it provides."""
    return await paginate(
        session,
        service.list_statement(query, principal),
        params=query,
        request=request,
        response=response,
        sortable=service.SORTABLE,
        default_order=[Activity.starts_on, Activity.id],
        read=ActivityListItem,
    )


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=ActivityRead,
    summary="Add an activity",
)
async def create_activity(
    session: SessionDep,
    principal: AdminCoordinatorOrPartner,
    data: ActivityCreate,
    response: Response,
) -> ActivityRead:
    """A partner may only add activities it provides itself (else 403)."""
    activity = await service.create(session, data=data, actor=principal)
    set_etag(response, activity.version)
    set_location(response, "activities", activity.id)
    return ActivityRead.model_validate(activity)


@router.get("/{id}", response_model=ActivityRead, summary="Read an activity")
async def read_activity(
    request: Request, principal: AnyRoleButViewer, activity_id: ActivityId
) -> Response:
    return await service.BY_ID.response(request, activity_id, principal)


@router.patch(
    "/{id}",
    response_model=ActivityRead,
    responses=responses(409, 412),
    summary="Change an activity",
)
async def update_activity(
    session: SessionDep,
    principal: AdminCoordinatorOrPartner,
    activity_id: ActivityId,
    data: ActivityUpdate,
    response: Response,
    if_match: IfMatchHeader = None,
) -> ActivityRead:
    """Refused with 409 when new dates would leave an enrollment's `enrolledOn` outside
    them, or a new capacity is below the open enrollments."""
    activity = await service.update(
        session, activity_id=activity_id, data=data, actor=principal, if_match=if_match
    )
    set_etag(response, activity.version)
    return ActivityRead.model_validate(activity)


@router.delete(
    "/{id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=responses(409, 412),
    summary="Remove an activity without enrollments",
)
async def delete_activity(
    session: SessionDep,
    principal: AdminCoordinatorOrPartner,
    activity_id: ActivityId,
    if_match: IfMatchHeader = None,
) -> None:
    await service.delete(session, activity_id=activity_id, actor=principal, if_match=if_match)


@router.get(
    "/{id}/attendance/{date}",
    response_model=list[AttendanceRead],
    summary="Read a session's attendance",
)
async def read_attendance(
    request: Request,
    principal: AdminCoordinatorOrPartner,
    activity_id: ActivityId,
    day: SessionDate,
) -> Response:
    return await attendance.SESSION.response(request, activity_id, principal, {"day": day})


@router.put(
    "/{id}/attendance/{date}",
    response_model=list[AttendanceRead],
    responses=responses(409),
    summary="Replace a session's attendance",
)
async def replace_attendance(
    session: SessionDep,
    principal: AdminCoordinatorOrPartner,
    activity_id: ActivityId,
    day: SessionDate,
    entries: Annotated[list[AttendanceEntry], Body(max_length=10_000)],
) -> list[AttendanceRead]:
    """The whole list for the session; it replaces what was recorded. Every participant
    must have an enrollment open on that date (else 409 naming them); the date must lie
    within the activity's dates (409); a participant listed twice is a 400."""
    await attendance.replace(
        session, activity_id=activity_id, day=day, entries=entries, actor=principal
    )
    return [
        AttendanceRead(participant_id=e.participant_id, status=e.status)
        for e in sorted(entries, key=lambda e: e.participant_id)
    ]
