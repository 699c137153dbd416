"""Data for the overview, progress and public-summary tests, written straight through the
ORM in one transaction (no rules, no other domain's endpoints). Dates are relative to
the programme's today, since the reports look at today."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

from api.common.calendar import today
from api.db import Database
from api.models import (
    Activity,
    ActivityKind,
    Attendance,
    AttendanceStatus,
    CapacityChange,
    Enrollment,
    EnrollmentStatus,
    Group,
    Location,
    LocationKind,
    Participant,
    ParticipantProgress,
    Partner,
    Placement,
    ProgressField,
    Severity,
    Signal,
    SignalCategory,
    SignalSource,
    SignalStatus,
)

U, A, M = Group.ukrainian_displaced, Group.asylum_seeker, Group.unaccompanied_minor


@dataclass
class Writer:
    """Collects rows and writes them in one session."""

    partner: Partner
    rows: list[Any] = field(default_factory=list)
    T: date = field(default_factory=today)

    def day(self, offset: int) -> date:
        return self.T + timedelta(days=offset)

    def location(
        self, kind: LocationKind, capacity: int, *, opened: int = -400, closed: int | None = None
    ) -> Location:
        loc = Location(
            id=uuid.uuid4(),
            name=f"Locatie {uuid.uuid4().hex[:10]}",
            address="Kerklaan 1, Heemstede",
            postcode="2101 HN",
            kind=kind,
            operator_partner_id=self.partner.id,
            opened_on=self.day(opened),
            closed_on=None if closed is None else self.day(closed),
        )
        self.rows += [
            loc,
            CapacityChange(location_id=loc.id, valid_from=self.day(opened), capacity=capacity),
        ]
        return loc

    def person(
        self, group: Group, loc: Location, *, start: int = -300, end: int | None = None
    ) -> Participant:
        person = Participant(
            id=uuid.uuid4(), reference=f"HS-{uuid.uuid4().hex[:10]}", group=group, languages=[]
        )
        self.rows += [
            person,
            Placement(
                participant_id=person.id,
                location_id=loc.id,
                start_date=self.day(start),
                end_date=None if end is None else self.day(end),
            ),
        ]
        return person

    def progress(self, person: Participant, fld: ProgressField, value: str, on: int) -> None:
        self.rows.append(
            ParticipantProgress(
                participant_id=person.id, field=fld, value=value, valid_from=self.day(on)
            )
        )

    def level(self, person: Participant, value: str, on: int) -> None:
        self.progress(person, ProgressField.dutch_level, value, on)

    def job(self, person: Participant, value: str, on: int) -> None:
        self.progress(person, ProgressField.employment_status, value, on)

    def activity(
        self, kind: ActivityKind, groups: list[Group], *, starts: int, ends: int | None = None
    ) -> Activity:
        act = Activity(
            id=uuid.uuid4(),
            title=f"{kind.value} {uuid.uuid4().hex[:6]}",
            kind=kind,
            provider_partner_id=self.partner.id,
            starts_on=self.day(starts),
            ends_on=None if ends is None else self.day(ends),
            target_groups=[g.value for g in groups],
        )
        self.rows.append(act)
        return act

    def enroll(
        self, act: Activity, person: Participant, status: EnrollmentStatus = EnrollmentStatus.active
    ) -> Enrollment:
        closed = status in (EnrollmentStatus.completed, EnrollmentStatus.dropped_out)
        enrollment = Enrollment(
            id=uuid.uuid4(),
            activity_id=act.id,
            participant_id=person.id,
            enrolled_on=self.day(-90),
            status=status,
            ended_on=self.day(-1) if closed else None,
        )
        self.rows.append(enrollment)
        return enrollment

    def attend(self, enrollment: Enrollment, on: int, status: AttendanceStatus) -> None:
        self.rows.append(
            Attendance(
                activity_id=enrollment.activity_id,
                enrollment_id=enrollment.id,
                participant_id=enrollment.participant_id,
                session_date=self.day(on),
                status=status,
            )
        )

    def signal(
        self,
        category: SignalCategory,
        severity: Severity,
        status: SignalStatus,
        *,
        days_ago: int,
        resolved_days_ago: int | None = None,
    ) -> None:
        now = datetime.now(UTC)
        self.rows.append(
            Signal(
                reported_at=now - timedelta(days=days_ago),
                source=SignalSource.resident,
                category=category,
                severity=severity,
                summary="Geluidsoverlast in de avond.",
                status=status,
                resolved_at=None
                if resolved_days_ago is None
                else now - timedelta(days=resolved_days_ago),
            )
        )

    async def write(self, db: Database) -> None:
        async with db.sessionmaker() as session, session.begin():
            # Parents first: the rows hold plain foreign keys, not relationships.
            order = [Location, CapacityChange, Participant, Placement, ParticipantProgress]
            order += [Activity, Enrollment, Attendance, Signal]
            for model in order:
                session.add_all([r for r in self.rows if isinstance(r, model)])
                await session.flush()
        self.rows.clear()


async def known(db: Database, partner: Partner) -> dict[str, Any]:
    """The small data set whose figures the tests spell out (see tests/reports/test_overview.py)."""
    w = Writer(partner)
    l1 = w.location(LocationKind.municipal_ukrainian, 10)
    l2 = w.location(LocationKind.private_hosting, 3)
    l3 = w.location(LocationKind.asylum_center, 20, closed=-10)
    u1, u2, u3, u4 = (w.person(U, l1) for _ in range(4))
    u5 = w.person(U, l2)
    a1 = w.person(A, l1)
    m1 = w.person(M, l2)
    x1 = w.person(U, l3, start=-200, end=-30)  # left a month ago; anonymised below
    x1.anonymised_at = datetime.now(UTC)
    y1 = w.person(U, l3, start=-300, end=-200)  # left before the progress period
    w.level(u1, "none", -300)
    w.level(u1, "A1", -100)
    w.level(u1, "A2", -50)
    w.level(u1, "B2", 5)  # in the future: ignored
    w.level(u2, "A2", -300)
    w.level(u2, "B1", -20)
    w.level(u3, "B1", -300)
    w.job(u3, "full_time", -10)
    w.level(u5, "A1", -300)
    w.job(u5, "volunteering", -60)
    w.level(a1, "A1", -180)  # on the period's first day: a move within it
    w.job(a1, "part_time", -300)
    w.level(x1, "A1", -300)
    w.level(x1, "A2", -100)
    w.level(y1, "B2", -250)

    language = w.activity(ActivityKind.language, [], starts=-60)
    work = w.activity(ActivityKind.work, [A], starts=-30, ends=30)
    sport = w.activity(ActivityKind.sport, [U], starts=-100, ends=-50)  # ended
    volunteering = w.activity(ActivityKind.volunteering, [M, A], starts=10)  # upcoming
    e_u1 = w.enroll(language, u1)
    e_u2 = w.enroll(language, u2, EnrollmentStatus.enrolled)
    w.enroll(language, u3, EnrollmentStatus.completed)
    w.enroll(language, x1)  # not placed today
    e_a1 = w.enroll(work, a1)
    e_u4 = w.enroll(sport, u4, EnrollmentStatus.enrolled)
    w.enroll(volunteering, m1, EnrollmentStatus.enrolled)
    w.attend(e_u1, -7, AttendanceStatus.present)
    w.attend(e_u1, -14, AttendanceStatus.absent)
    w.attend(e_u1, -30, AttendanceStatus.present)  # before the 4 weeks
    w.attend(e_u2, -7, AttendanceStatus.present)
    w.attend(e_u2, -14, AttendanceStatus.excused)
    w.attend(e_a1, -1, AttendanceStatus.present)
    w.attend(e_a1, -2, AttendanceStatus.present)
    w.attend(e_u4, -60, AttendanceStatus.present)

    st = SignalStatus
    w.signal(SignalCategory.nuisance, Severity.high, st.open, days_ago=10)
    w.signal(SignalCategory.safety, Severity.high, st.in_progress, days_ago=2)
    w.signal(SignalCategory.nuisance, Severity.low, st.open, days_ago=30)
    w.signal(SignalCategory.safety, Severity.high, st.resolved, days_ago=40, resolved_days_ago=20)
    w.signal(
        SignalCategory.question, Severity.medium, st.resolved, days_ago=420, resolved_days_ago=400
    )
    await w.write(db)
    return {"today": w.T, "l1": l1, "l2": l2, "l3": l3}


async def more(db: Database, partner: Partner, n: int) -> None:
    """``n`` more of everything, to show the statement count does not grow with data."""
    w = Writer(partner)
    loc = w.location(LocationKind.asylum_center, n)
    act = w.activity(ActivityKind.sport, [], starts=-30)
    for i in range(n):
        person = w.person(list(Group)[i % 3], loc)
        w.level(person, "A1", -200)
        w.level(person, "A2", -20)
        w.job(person, "part_time", -5)
        enrollment = w.enroll(act, person)
        w.attend(enrollment, -3, AttendanceStatus.present)
        w.attend(enrollment, -10, AttendanceStatus.absent)
        w.signal(list(SignalCategory)[i % 8], list(Severity)[i % 3], SignalStatus.open, days_ago=i)
    await w.write(db)


@contextmanager
def count_statements(engine: AsyncEngine) -> Iterator[list[str]]:
    """The SQL statements sent to the database inside the block."""
    seen: list[str] = []

    def hook(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(statement)

    event.listen(engine.sync_engine, "before_cursor_execute", hook)
    try:
        yield seen
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", hook)
