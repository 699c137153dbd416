"""Enrollments: participants taking part in activities.

Participant-level data, so finance and viewers have no access. A provider (a partner)
reads and writes the enrollments in the activities it provides, and may enroll any
participant by id (a sports club learns the id from the coordinator); the resource holds
ids only, never names, so a provider does not learn who the person is from it.
"""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Path, Query, Request, Response, status

from api.auth.roles import AdminCoordinatorOrPartner
from api.common.created import set_location
from api.common.etag import IfMatchHeader, set_etag
from api.common.pagination import Page, paginate
from api.db import SessionDep
from api.enrollments import service
from api.enrollments.schemas import (
    EnrollmentCreate,
    EnrollmentQuery,
    EnrollmentRead,
    EnrollmentUpdate,
)
from api.models import Enrollment
from api.openapi import api_router, responses

router = api_router("enrollments", prefix="/enrollments")

EnrollmentId = Annotated[uuid.UUID, Path(alias="id", description="The enrollment's id.")]


@router.get("", response_model=Page[EnrollmentRead], summary="List enrollments")
async def list_enrollments(
    session: SessionDep,
    principal: AdminCoordinatorOrPartner,
    query: Annotated[EnrollmentQuery, Query()],
    request: Request,
    response: Response,
) -> Response:
    """A partner sees the enrollments in the activities it provides."""
    return await paginate(
        session,
        service.list_statement(query, principal),
        params=query,
        request=request,
        response=response,
        sortable=service.SORTABLE,
        default_order=[Enrollment.enrolled_on, Enrollment.id],
        read=EnrollmentRead,
    )


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=EnrollmentRead,
    summary="Enroll a participant in an activity",
)
async def create_enrollment(
    session: SessionDep,
    principal: AdminCoordinatorOrPartner,
    data: EnrollmentCreate,
    response: Response,
) -> EnrollmentRead:
    """Refused with 409 for an anonymised participant, one outside the activity's target
    groups, one already enrolled (open), an `enrolledOn` outside the activity's dates, or
    a full activity."""
    enrollment = await service.create(session, data=data, actor=principal)
    set_etag(response, enrollment.version)
    set_location(response, "enrollments", enrollment.id)
    return EnrollmentRead.model_validate(enrollment)


@router.get("/{id}", response_model=EnrollmentRead, summary="Read an enrollment")
async def read_enrollment(
    request: Request, principal: AdminCoordinatorOrPartner, enrollment_id: EnrollmentId
) -> Response:
    return await service.BY_ID.response(request, enrollment_id, principal)


@router.patch(
    "/{id}",
    response_model=EnrollmentRead,
    responses=responses(409, 412),
    summary="Change an enrollment or move its status",
)
async def update_enrollment(
    session: SessionDep,
    principal: AdminCoordinatorOrPartner,
    enrollment_id: EnrollmentId,
    data: EnrollmentUpdate,
    response: Response,
    if_match: IfMatchHeader = None,
) -> EnrollmentRead:
    """A move the flow does not allow is a 409 naming `from` and `to`."""
    enrollment = await service.update(
        session, enrollment_id=enrollment_id, data=data, actor=principal, if_match=if_match
    )
    set_etag(response, enrollment.version)
    return EnrollmentRead.model_validate(enrollment)


@router.delete(
    "/{id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=responses(409, 412),
    summary="Remove an enrollment entered by mistake",
)
async def delete_enrollment(
    session: SessionDep,
    principal: AdminCoordinatorOrPartner,
    enrollment_id: EnrollmentId,
    if_match: IfMatchHeader = None,
) -> None:
    await service.delete(session, enrollment_id=enrollment_id, actor=principal, if_match=if_match)
