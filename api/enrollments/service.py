"""Enrollments: reads within the caller's scope (a partner: the enrollments in the
activities it provides); writes apply the rules in ``rules``."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from api.activities.service import lock
from api.auth.principal import Principal
from api.auth.scoping import FastRead, get_scoped, read_scoped, scoped
from api.common.calendar import today
from api.common.etag import check_if_match
from api.common.pagination import read_columns
from api.db import take_write_lock
from api.enrollments import rules
from api.enrollments.schemas import (
    EnrollmentCreate,
    EnrollmentQuery,
    EnrollmentRead,
    EnrollmentUpdate,
)
from api.errors import BadRequest, Conflict, NotFound, ProblemType, field_problem
from api.models import Attendance, Enrollment, Participant

READ_COLUMNS = read_columns(Enrollment, EnrollmentRead)
BY_ID = FastRead(Enrollment, EnrollmentRead, "enrollment")
UNKNOWN_PARTICIPANT = "There is no such participant."
SORTABLE = {
    "enrolledOn": Enrollment.enrolled_on,
    "endedOn": Enrollment.ended_on,
    "status": Enrollment.status,
    "createdAt": Enrollment.created_at,
}


def list_statement(query: EnrollmentQuery, principal: Principal) -> Any:
    stmt = scoped(select(*READ_COLUMNS), Enrollment, principal)
    if query.activity_id is not None:
        stmt = stmt.where(Enrollment.activity_id == query.activity_id)
    if query.participant_id is not None:
        stmt = stmt.where(Enrollment.participant_id == query.participant_id)
    if query.status is not None:
        stmt = stmt.where(Enrollment.status == query.status)
    return stmt


async def read(session: AsyncSession, *, enrollment_id: uuid.UUID, principal: Principal) -> Any:
    return await read_scoped(
        session, Enrollment, READ_COLUMNS, enrollment_id, principal, "enrollment"
    )


async def create(session: AsyncSession, *, data: EnrollmentCreate, actor: Principal) -> Enrollment:
    problems = []
    try:
        # A partner enrolls only in the activities it provides; another's is not found.
        activity = await lock(session, data.activity_id, actor)
    except NotFound:
        activity = None
        problems.append(
            field_problem("body", "activityId", "There is no such activity.", code="not_found")
        )
    # A partner enrolls only people it may see; anyone else (unknown, out of its scope or
    # anonymised) gets the same answer, so nothing about them leaks.
    found = scoped(
        select(Participant).where(Participant.id == data.participant_id), Participant, actor
    )
    if actor.is_partner:
        found = found.where(Participant.anonymised_at.is_(None))
    person = (await session.execute(found)).scalar_one_or_none()
    if person is None:
        problems.append(
            field_problem("body", "participantId", UNKNOWN_PARTICIPANT, code="not_found")
        )
    if problems or activity is None or person is None:
        raise BadRequest(
            f"The enrollment has {len(problems)} invalid value(s); see errors.",
            type_=ProblemType.INVALID_INPUT,
            errors=problems,
        )
    enrolled_on = data.enrolled_on or today()
    rules.check_participant(activity, person)
    rules.check_within_activity(activity, enrolled_on)
    await rules.check_not_enrolled(session, activity, person.id)
    await rules.check_capacity(session, activity)
    enrollment = Enrollment(
        activity_id=activity.id,
        participant_id=person.id,
        enrolled_on=enrolled_on,
        status=data.status,
    )
    session.add(enrollment)
    await session.flush()
    return enrollment


async def update(
    session: AsyncSession,
    *,
    enrollment_id: uuid.UUID,
    data: EnrollmentUpdate,
    actor: Principal,
    if_match: str | None,
) -> Enrollment:
    await take_write_lock(session)
    enrollment = await get_scoped(session, Enrollment, enrollment_id, actor, "enrollment")
    check_if_match(if_match, enrollment.version)
    activity = await lock(session, enrollment.activity_id, actor)
    changes = data.model_dump(exclude_unset=True, by_alias=False)
    problems = [
        field_problem("body", name, "Cannot be cleared.", code="cannot_clear")
        for key, name in (("status", "status"), ("enrolled_on", "enrolledOn"))
        if key in changes and changes[key] is None
    ]
    before = enrollment.status
    after = changes.get("status") or before
    closing = after in rules.CLOSED and before not in rules.CLOSED
    if changes.get("ended_on") is not None and after not in rules.CLOSED:
        problems.append(
            field_problem(
                "body",
                "endedOn",
                "Only with status completed or dropped_out.",
                code="only_when_ended",
            )
        )
    enrolled_on = changes.get("enrolled_on") or enrollment.enrolled_on
    ended_on = changes.get("ended_on") or (today() if closing else enrollment.ended_on)
    if ended_on is not None and ended_on < enrolled_on:
        problems.append(
            field_problem("body", "endedOn", "Must be on or after enrolledOn.", code="before_start")
        )
    if problems:
        raise BadRequest(
            f"The change has {len(problems)} invalid value(s); see errors.",
            type_=ProblemType.INVALID_INPUT,
            errors=problems,
        )
    rules.check_move(before, after)
    if enrolled_on != enrollment.enrolled_on:
        rules.check_within_activity(activity, enrolled_on)
    if (enrolled_on, ended_on) != (enrollment.enrolled_on, enrollment.ended_on):
        await rules.check_attendance_within(session, enrollment, enrolled_on, ended_on)
    enrollment.status = after
    enrollment.enrolled_on = enrolled_on
    enrollment.ended_on = ended_on
    await session.flush()
    return enrollment


async def delete(
    session: AsyncSession, *, enrollment_id: uuid.UUID, actor: Principal, if_match: str | None
) -> None:
    """Removes an enrollment entered by mistake. Once attendance is recorded it is
    history: end it (dropped_out) instead."""
    await take_write_lock(session)
    enrollment = await get_scoped(session, Enrollment, enrollment_id, actor, "enrollment")
    check_if_match(if_match, enrollment.version)
    if await session.scalar(select(exists().where(Attendance.enrollment_id == enrollment.id))):
        raise Conflict(
            "Attendance has been recorded for this enrollment; set its status to "
            "dropped_out or completed instead of deleting it.",
            type_=ProblemType.ENROLLMENT_HAS_ATTENDANCE,
        )
    await session.delete(enrollment)
    await session.flush()
