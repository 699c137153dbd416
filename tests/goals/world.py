"""The small world of the goal tests, with its figures computed by hand.

Quarters: 2026Q1 = Jan 1..Mar 31 (90 days), 2026Q2 = Apr 1..Jun 30 (91 days).

Locations
- GOO (municipal_ukrainian), open since 2025-01-01: 10 places, 20 from 2026-02-01.
- AMV (amv_small_scale), open from 2026-03-01: 4 places.
Capacity-days Q1: GOO 31 x 10 + 59 x 20 = 310 + 1180 = 1490; AMV 31 x 4 = 124; all 1614.
Capacity-days Q2: GOO 91 x 20 = 1820; AMV 91 x 4 = 364; all 2184.

Participants (stays; Dutch level / employment history)
- P1 GOO from 2025-06-01; A2 from 2025-06-01, B1 from 2026-02-10; part_time from 2026-01-15.
- P2 GOO 2026-01-10 -> 2026-03-20 (left); B2, volunteering from 2026-01-10.
- P3 GOO from 2026-02-01; no history (level none, not working).
- P4 AMV from 2026-03-01 (minor); A1 from 2026-03-01; full_time from 2026-03-05.
- P5 AMV from 2026-03-15 (minor); B1 from 2026-03-15; volunteering from 2026-03-15.
- P6 GOO from 2026-01-01; C1 from 2026-01-01.
Present at the end of Q1 (2026-03-31): P1 P3 P4 P5 P6 = 5 (P2 left).
  B1 or higher: P1 P5 P6 = 3 -> 3/5 = 0.6000; working: P1 P4 = 2/5 = 0.4000;
  volunteering: P5 = 1/5 = 0.2000; minors at B1+: P5 of P4 P5 = 1/2.
Present at the end of Q2: the same 5; B1+ 3/5.
Nights in Q1: P1 90, P2 Jan 10..Mar 19 = 22 + 28 + 19 = 69, P3 28 + 31 = 59, P6 90 -> GOO
  308; P4 31, P5 17 (Mar 15..31) -> AMV 48; all 356.
  Occupancy: all 356/1614 = 0.22057 -> 0.2206; GOO 308/1490 = 0.20671 -> 0.2067;
  AMV 48/124 = 0.38710 -> 0.3871.
Nights in Q2: 5 x 91 = 455 -> 455/2184 = 0.20833 -> 0.2083.
Placed at least one night in Q1: P1..P6 = 6.

Enrollments (Q1 end 2026-03-31)
- P1 language from 2026-01-05, active (open);   P3 language 2026-02-01..2026-03-15 completed;
- P4 language from 2026-03-31, active (open: enrolled on the last day counts);
- P6 sport 2026-01-01..2026-03-31 completed (open on its last day, inclusive);
- P2 language 2026-01-10..2026-03-01 dropped out (and P2 is gone).
  Participation language 2/5 = 0.4000 (P1 P4); sport 1/5 = 0.2000 (P6).
Attendance in Q1: language P1 Jan 12 present, Jan 19 absent, Feb 2 present; P4 Mar 31
  present; P3 Feb 9 excused -> 3 present of 5 = 0.6000; sport P6 Jan 5 present, Jan 12
  absent -> 1/2; all 4/7 = 0.5714.

Signals (UTC; Heemstede is UTC+1, UTC+2 from 2026-03-29)
- S1 nuisance 2026-01-10 09:00, resolved 01-15 09:00 (5 days);
- S2 need 2026-02-01 09:00, resolved 02-20 09:00 (19 days);
- S3 need 2026-03-28 09:00, resolved 04-02 09:00 (5 days, but after the quarter end);
- S4 need 2026-03-30 10:00, open;
- S5 need 2026-03-31 21:30 (23:30 in Heemstede: still Q1), resolved 21:45 (before Q1 ended
  at 22:00 UTC).
  Within 7 days: S1 S5 = 2/5 = 0.4000; within 30: S1 S2 S5 = 3/5 = 0.6000 (S3 resolved
  after the quarter end); nuisance within 7: 1/1.

Expenses: 2025-12-31 staff 999.00 (Q4 2025); Q1: 2026-01-15 staff 1000.00, 2026-02-15
  location 614.00 (at GOO), 2026-03-31 activities 200.00 -> 1814.00; Q2: 2026-04-01 staff
  50.00.
  Cost per place-day Q1 1814.00/1614 = 1.1239 -> 1.12; staff only 1000/1614 = 0.62;
  Q2 50/2184 = 0.0229 -> 0.02. Cost per participant Q1 1814.00/6 = 302.333 -> 302.33.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from api.db import Database
from api.goals.metrics import CATALOGUE
from api.models import (
    ActivityKind,
    AttendanceStatus,
    EnrollmentStatus,
    ExpenseCategory,
    Goal,
    GoalTheme,
    Group,
    Indicator,
    IndicatorTarget,
    Location,
    LocationKind,
    Participant,
    ParticipantProgress,
    Partner,
    ProgressField,
    Severity,
    Signal,
    SignalCategory,
    SignalSource,
    SignalStatus,
)
from tests.support import budget, programme, records

LEVEL, WORK = ProgressField.dutch_level, ProgressField.employment_status


@dataclass
class World:
    partner: Partner
    goo: Location
    amv: Location
    people: dict[str, Participant]


async def progress(
    db: Database, person: Participant, field: ProgressField, value: str, on: date
) -> None:
    async with db.sessionmaker() as session, session.begin():
        session.add(
            ParticipantProgress(participant_id=person.id, field=field, value=value, valid_from=on)
        )


async def signal(
    db: Database,
    reported: datetime,
    resolved: datetime | None,
    category: SignalCategory = SignalCategory.need,
) -> None:
    async with db.sessionmaker() as session, session.begin():
        session.add(
            Signal(
                reported_at=reported,
                resolved_at=resolved,
                status=SignalStatus.resolved if resolved else SignalStatus.open,
                source=SignalSource.resident,
                category=category,
                severity=Severity.medium,
                summary="Vraag over de buurt.",
            )
        )


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


async def build(db: Database, partner: Partner) -> World:
    goo = await records.location(
        db,
        partner,
        kind=LocationKind.municipal_ukrainian,
        opened_on=date(2025, 1, 1),
        capacity={date(2025, 1, 1): 10, date(2026, 2, 1): 20},
    )
    amv = await records.location(
        db, partner, kind=LocationKind.amv_small_scale, opened_on=date(2026, 3, 1), capacity=4
    )
    minor = Group.unaccompanied_minor
    p = {
        "P1": await records.participant(db),
        "P2": await records.participant(db),
        "P3": await records.participant(db),
        "P4": await records.participant(db, group=minor, date_of_birth=date(2010, 1, 1)),
        "P5": await records.participant(db, group=minor, date_of_birth=date(2010, 2, 1)),
        "P6": await records.participant(db),
    }
    await records.placement(db, p["P1"], goo, start=date(2025, 6, 1))
    await records.placement(db, p["P2"], goo, start=date(2026, 1, 10), end=date(2026, 3, 20))
    await records.placement(db, p["P3"], goo, start=date(2026, 2, 1))
    await records.placement(db, p["P4"], amv, start=date(2026, 3, 1))
    await records.placement(db, p["P5"], amv, start=date(2026, 3, 15))
    await records.placement(db, p["P6"], goo, start=date(2026, 1, 1))
    for who, field, value, on in [
        ("P1", LEVEL, "A2", date(2025, 6, 1)),
        ("P1", LEVEL, "B1", date(2026, 2, 10)),
        ("P1", WORK, "part_time", date(2026, 1, 15)),
        ("P2", LEVEL, "B2", date(2026, 1, 10)),
        ("P2", WORK, "volunteering", date(2026, 1, 10)),
        ("P4", LEVEL, "A1", date(2026, 3, 1)),
        ("P4", WORK, "full_time", date(2026, 3, 5)),
        ("P5", LEVEL, "B1", date(2026, 3, 15)),
        ("P5", WORK, "volunteering", date(2026, 3, 15)),
        ("P6", LEVEL, "C1", date(2026, 1, 1)),
    ]:
        await progress(db, p[who], field, value, on)
    lang = await programme.activity(
        db, partner, kind=ActivityKind.language, starts_on=date(2025, 1, 1), ends_on=None
    )
    sport = await programme.activity(
        db, partner, kind=ActivityKind.sport, starts_on=date(2025, 1, 1), ends_on=None
    )
    active, done = EnrollmentStatus.active, EnrollmentStatus.completed
    e1 = await programme.enrollment(db, lang, p["P1"], on=date(2026, 1, 5), status=active)
    e3 = await programme.enrollment(
        db, lang, p["P3"], on=date(2026, 2, 1), status=done, ended_on=date(2026, 3, 15)
    )
    e4 = await programme.enrollment(db, lang, p["P4"], on=date(2026, 3, 31), status=active)
    e6 = await programme.enrollment(
        db, sport, p["P6"], on=date(2026, 1, 1), status=done, ended_on=date(2026, 3, 31)
    )
    await programme.enrollment(
        db,
        lang,
        p["P2"],
        on=date(2026, 1, 10),
        status=EnrollmentStatus.dropped_out,
        ended_on=date(2026, 3, 1),
    )
    present, absent = AttendanceStatus.present, AttendanceStatus.absent
    for row, day, status in [
        (e1, date(2026, 1, 12), present),
        (e1, date(2026, 1, 19), absent),
        (e1, date(2026, 2, 2), present),
        (e4, date(2026, 3, 31), present),
        (e3, date(2026, 2, 9), AttendanceStatus.excused),
        (e6, date(2026, 1, 5), present),
        (e6, date(2026, 1, 12), absent),
    ]:
        await programme.attended(db, row, day, status)
    await signal(db, utc(2026, 1, 10, 9), utc(2026, 1, 15, 9), SignalCategory.nuisance)
    await signal(db, utc(2026, 2, 1, 9), utc(2026, 2, 20, 9))
    await signal(db, utc(2026, 3, 28, 9), utc(2026, 4, 2, 9))
    await signal(db, utc(2026, 3, 30, 10), None)
    await signal(db, utc(2026, 3, 31, 21, 30), utc(2026, 3, 31, 21, 45))
    for on, amount, category, where in [
        (date(2025, 12, 31), "999.00", ExpenseCategory.staff, None),
        (date(2026, 1, 15), "1000.00", ExpenseCategory.staff, None),
        (date(2026, 2, 15), "614.00", ExpenseCategory.location, goo.id),
        (date(2026, 3, 31), "200.00", ExpenseCategory.activities, None),
        (date(2026, 4, 1), "50.00", ExpenseCategory.staff, None),
    ]:
        await budget.expense(db, on=on, amount=amount, category=category, location_id=where)
    return World(partner, goo, amv, p)


# (metric, params, Q1 value, Q1 numerator, Q1 denominator): the figures of the docstring.
EXPECTED_Q1: list[tuple[str, dict[str, Any], str | None, str, int]] = [
    ("dutch_b1_share", {}, "0.6000", "3", 5),
    ("dutch_b1_share", {"group": "unaccompanied_minor"}, "0.5000", "1", 2),
    ("working_share", {}, "0.4000", "2", 5),
    ("volunteering_share", {}, "0.2000", "1", 5),
    ("participation_rate", {"activityKind": "language"}, "0.4000", "2", 5),
    ("participation_rate", {"activityKind": "sport"}, "0.2000", "1", 5),
    ("attendance_rate", {"activityKind": "language"}, "0.6000", "3", 5),
    ("attendance_rate", {"activityKind": "sport"}, "0.5000", "1", 2),
    ("attendance_rate", {}, "0.5714", "4", 7),
    ("occupancy_rate", {}, "0.2206", "356", 1614),
    ("occupancy_rate", {"locationKind": "municipal_ukrainian"}, "0.2067", "308", 1490),
    ("occupancy_rate", {"locationKind": "amv_small_scale"}, "0.3871", "48", 124),
    ("signals_resolved_within", {"days": 7}, "0.4000", "2", 5),
    ("signals_resolved_within", {"days": 30}, "0.6000", "3", 5),
    ("signals_resolved_within", {"days": 7, "signalCategory": "nuisance"}, "1.0000", "1", 1),
    ("cost_per_place_day", {}, "1.12", "1814.00", 1614),
    ("cost_per_place_day", {"category": "staff"}, "0.62", "1000.00", 1614),
    ("cost_per_participant", {}, "302.33", "1814.00", 6),
]


async def indicators(
    db: Database,
    rows: list[tuple[str, dict[str, Any]]],
    *,
    public: bool = False,
    title: str = "Meedoen",
) -> Goal:
    """One goal holding an indicator per ``(metric, params)``; a 2026 target of 0.50 on
    the first."""
    async with db.sessionmaker() as session, session.begin():
        goal = Goal(title=title, theme=GoalTheme.participation, public=public)
        session.add(goal)
        await session.flush()
        for i, (metric, params) in enumerate(rows):
            m = CATALOGUE[metric]
            ind = Indicator(
                goal_id=goal.id,
                title=f"{i:02d} {metric}",
                metric=metric,
                params=params,
                unit=m.unit,
                direction=m.direction,
                public=public,
                position=i,
            )
            session.add(ind)
            await session.flush()
            if i == 0:
                session.add(IndicatorTarget(indicator_id=ind.id, year=2026, value=Decimal("0.50")))
    return goal
