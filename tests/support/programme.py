"""Builders for activities, enrollments and attendance, written straight through the ORM
(no rules), so tests can set up any state and then test the rules through the API."""

from __future__ import annotations

import uuid
from datetime import date

from api.db import Database
from api.models import (
    Activity,
    ActivityKind,
    Attendance,
    AttendanceStatus,
    Enrollment,
    EnrollmentStatus,
    Group,
    Location,
    Participant,
    Partner,
)


async def activity(
    db: Database,
    provider: Partner,
    *,
    title: str | None = None,
    kind: ActivityKind = ActivityKind.language,
    venue: Location | None = None,
    starts_on: date = date(2024, 1, 1),
    ends_on: date | None = date(2024, 12, 31),
    capacity: int | None = None,
    groups: list[Group] | None = None,
) -> Activity:
    async with db.sessionmaker() as session, session.begin():
        act = Activity(
            title=title or f"NT2-les {uuid.uuid4().hex[:8]}",
            kind=kind,
            provider_partner_id=provider.id,
            location_id=venue.id if venue else None,
            starts_on=starts_on,
            ends_on=ends_on,
            schedule="dinsdag 10:00-12:00",
            capacity=capacity,
            target_groups=[g.value for g in groups or []],
        )
        session.add(act)
    return act


async def enrollment(
    db: Database,
    act: Activity,
    person: Participant,
    *,
    on: date = date(2024, 2, 1),
    status: EnrollmentStatus = EnrollmentStatus.enrolled,
    ended_on: date | None = None,
) -> Enrollment:
    async with db.sessionmaker() as session, session.begin():
        row = Enrollment(
            activity_id=act.id,
            participant_id=person.id,
            enrolled_on=on,
            status=status,
            ended_on=ended_on,
        )
        session.add(row)
    return row


async def attended(
    db: Database,
    row: Enrollment,
    day: date,
    status: AttendanceStatus = AttendanceStatus.present,
) -> Attendance:
    async with db.sessionmaker() as session, session.begin():
        mark = Attendance(
            activity_id=row.activity_id,
            enrollment_id=row.id,
            participant_id=row.participant_id,
            session_date=day,
            status=status,
        )
        session.add(mark)
    return mark
