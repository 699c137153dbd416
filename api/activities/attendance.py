"""Attendance per session: the whole list for one activity and date, replaced at once.

Validated against the enrollments open on that date (``enrolledOn <= date`` and not
ended before it); stored set-wise: one DELETE and one multi-row INSERT, whatever the
size of the list.
"""

from __future__ import annotations

import uuid
from collections import Counter
from datetime import date

from sqlalchemy import Date, bindparam, delete, insert, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from api.activities.schemas import AttendanceEntry, AttendanceRead
from api.activities.service import lock
from api.audit.service import record
from api.auth.principal import Principal
from api.auth.scoping import FastChildren
from api.errors import BadRequest, Conflict, ProblemType, field_problem
from api.models import Activity, Attendance, Enrollment


def _check_session_day(activity: Activity, day: date) -> None:
    if day < activity.starts_on or (activity.ends_on is not None and day > activity.ends_on):
        raise Conflict(
            f"The activity runs from {activity.starts_on} to {activity.ends_on or '(open)'}; "
            f"there is no session on {day}.",
            type_=ProblemType.OUTSIDE_ACTIVITY_DATES,
            extra={"field": "date", "day": day.isoformat()},
        )


# GET /activities/{id}/attendance/{date}, on the driver: a bare array, by participant.
SESSION = FastChildren(
    Activity,
    "activity",
    select(Attendance.participant_id, Attendance.status)
    .where(
        Attendance.activity_id == bindparam("parent_id"),
        Attendance.session_date == bindparam("day", type_=Date),
    )
    .order_by(Attendance.participant_id),
    AttendanceRead,
    envelope=None,
)


async def replace(
    session: AsyncSession,
    *,
    activity_id: uuid.UUID,
    day: date,
    entries: list[AttendanceEntry],
    actor: Principal,
) -> None:
    counts = Counter(e.participant_id for e in entries)
    duplicates = [
        field_problem("body", f"[{i}].participantId", f"{e.participant_id} is listed twice.")
        for i, e in enumerate(entries)
        if counts[e.participant_id] > 1
    ]
    if duplicates:
        raise BadRequest(
            "Each participant may appear once in a session's list.",
            type_=ProblemType.INVALID_INPUT,
            errors=duplicates,
        )
    activity = await lock(session, activity_id, actor)
    _check_session_day(activity, day)
    wanted = list(counts)
    open_on_day = (
        select(Enrollment.participant_id, Enrollment.id)
        .where(
            Enrollment.activity_id == activity.id,
            Enrollment.participant_id.in_(wanted),
            Enrollment.enrolled_on <= day,
            or_(Enrollment.ended_on.is_(None), Enrollment.ended_on >= day),
        )
        # A day can be both the end of one enrollment and the start of the next: the
        # later one wins (iterating in this order, the last write to the dict stays).
        .order_by(Enrollment.enrolled_on)
    )
    enrollment_of: dict[uuid.UUID, uuid.UUID] = {}
    if wanted:
        for participant_id, enrollment_id in (await session.execute(open_on_day)).all():
            enrollment_of[participant_id] = enrollment_id
    missing = [str(p) for p in wanted if p not in enrollment_of]
    if missing:
        raise Conflict(
            f"Not enrolled in the activity on {day}: {', '.join(missing)}.",
            type_=ProblemType.NOT_ENROLLED,
            extra={"participantIds": missing, "day": day.isoformat()},
        )
    await session.execute(
        delete(Attendance).where(
            Attendance.activity_id == activity.id, Attendance.session_date == day
        )
    )
    if entries:
        await session.execute(
            insert(Attendance),
            [
                {
                    "id": uuid.uuid4(),
                    "activity_id": activity.id,
                    "enrollment_id": enrollment_of[e.participant_id],
                    "participant_id": e.participant_id,
                    "session_date": day,
                    "status": e.status,
                }
                for e in entries
            ],
        )
    # Core writes bypass the automatic ORM audit: say what happened, without persons.
    record(
        session,
        action="attendance_replaced",
        entity="activities",
        entity_id=activity.id,
        details={"date": day.isoformat(), "entries": len(entries)},
    )
