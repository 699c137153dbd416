"""The enrollment rules, for every writer:

- the status flow ``enrolled -> active -> completed | dropped_out`` (and
  ``enrolled -> dropped_out``); nothing leaves completed or dropped_out;
- ``endedOn`` is set by the move to completed or dropped_out (default today) and is on
  or after ``enrolledOn``; ``enrolledOn`` lies within the activity's dates;
- an anonymised participant is not enrolled; only participants of the activity's target
  groups are (an empty list: everyone);
- at most one open (enrolled or active) enrollment per participant and activity;
- never more open enrollments than the activity's capacity.

The activity row is locked before anything is checked (``activities.service.lock``), so
two writers racing for the last place are serialised; a refusal raises and the request's
transaction rolls back.
"""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from api.activities.service import OPEN
from api.errors import Conflict, ProblemType
from api.models import Activity, Attendance, Enrollment, EnrollmentStatus, Participant

FLOW: dict[EnrollmentStatus, frozenset[EnrollmentStatus]] = {
    EnrollmentStatus.enrolled: frozenset({EnrollmentStatus.active, EnrollmentStatus.dropped_out}),
    EnrollmentStatus.active: frozenset({EnrollmentStatus.completed, EnrollmentStatus.dropped_out}),
    EnrollmentStatus.completed: frozenset(),
    EnrollmentStatus.dropped_out: frozenset(),
}
CLOSED = frozenset({EnrollmentStatus.completed, EnrollmentStatus.dropped_out})


def check_move(before: EnrollmentStatus, after: EnrollmentStatus) -> None:
    if after is before or after in FLOW[before]:
        return
    raise Conflict(
        f"An enrollment cannot move from '{before.value}' to '{after.value}'.",
        type_=ProblemType.STATUS_FLOW,
        extra={"field": "status", "from": before.value, "to": after.value},
    )


def check_within_activity(activity: Activity, day: date) -> None:
    if day < activity.starts_on or (activity.ends_on is not None and day > activity.ends_on):
        raise Conflict(
            f"enrolledOn {day} is outside the activity's dates ({activity.starts_on} to "
            f"{activity.ends_on or 'open end'}).",
            type_=ProblemType.OUTSIDE_ACTIVITY_DATES,
            extra={"field": "enrolledOn", "day": day.isoformat()},
        )


def check_participant(activity: Activity, person: Participant) -> None:
    if person.anonymised_at is not None:
        raise Conflict(
            "The participant has been anonymised and cannot be enrolled.",
            type_=ProblemType.PARTICIPANT_ANONYMISED,
            extra={"field": "participantId"},
        )
    groups = activity.target_groups or []
    if groups and person.group.value not in groups:
        raise Conflict(
            f"The activity is for {', '.join(groups)}; the participant's group "
            f"'{person.group.value}' is not among them.",
            type_=ProblemType.TARGET_GROUP,
            extra={"field": "participantId", "group": person.group.value, "targetGroups": groups},
        )


async def check_not_enrolled(
    session: AsyncSession, activity: Activity, participant_id: uuid.UUID
) -> None:
    other = await session.scalar(
        select(Enrollment.id).where(
            Enrollment.activity_id == activity.id,
            Enrollment.participant_id == participant_id,
            Enrollment.status.in_(OPEN),
        )
    )
    if other is not None:
        raise Conflict(
            f"The participant already has open enrollment {other} in this activity.",
            type_=ProblemType.ALREADY_ENROLLED,
            extra={"field": "participantId", "enrollmentId": str(other)},
        )


async def check_capacity(session: AsyncSession, activity: Activity) -> None:
    """Before adding one open enrollment (the activity row is locked)."""
    if activity.capacity is None:
        return
    taken = await session.scalar(
        select(func.count(Enrollment.id)).where(
            Enrollment.activity_id == activity.id, Enrollment.status.in_(OPEN)
        )
    )
    if (taken or 0) >= activity.capacity:
        raise Conflict(
            f"The activity is full: {taken} open enrollments for {activity.capacity} places.",
            type_=ProblemType.ACTIVITY_FULL,
            extra={"activityId": str(activity.id), "open": taken, "capacity": activity.capacity},
        )


async def check_attendance_within(
    session: AsyncSession, enrollment: Enrollment, enrolled_on: date, ended_on: date | None
) -> None:
    """New dates must still cover every session attendance was recorded for."""
    outside = [Attendance.session_date < enrolled_on]
    if ended_on is not None:
        outside.append(Attendance.session_date > ended_on)
    day = await session.scalar(
        select(func.min(Attendance.session_date)).where(
            Attendance.enrollment_id == enrollment.id, or_(*outside)
        )
    )
    if day is not None:
        raise Conflict(
            f"Attendance is recorded on {day}, outside the enrollment's new dates.",
            type_=ProblemType.ATTENDANCE_OUTSIDE_ENROLLMENT,
            extra={"day": day.isoformat()},
        )
