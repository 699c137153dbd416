"""Data for the ``overview_report`` benchmark: a national-scale programme.

Participants in three groups with one stay each (a few moved once), most placed today;
a dated history of Dutch level and employment status over the last two years; activities
of every kind with target groups, enrollments, a year of attendance and a few thousand
signals. Dates are relative to the programme's today, as the overview looks at today.
Everything comes from one ``random.Random(seed)``, so a run is reproducible.

Loading: COPY on PostgreSQL, Core ``insert()`` executemany in big chunks on SQLite.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import create_engine, insert, select

from api.common.calendar import today
from api.models import (
    Activity,
    ActivityKind,
    Attendance,
    AttendanceStatus,
    CapacityChange,
    DutchLevel,
    EmploymentStatus,
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
from bench._data import local_settings

CHUNK = 50_000  # rows per executemany on SQLite

PEOPLE_COLUMNS = (
    'id, reference, "group", languages, dutch_level, employment_status,'
    " version, created_at, updated_at"
)
STAY_COLUMNS = (
    "id, participant_id, location_id, start_date, end_date, version, created_at, updated_at"
)
PROGRESS_COLUMNS = "participant_id, field, value, valid_from, recorded_at"
ENROLLMENT_COLUMNS = (
    "id, activity_id, participant_id, enrolled_on, status, ended_on,"
    " version, created_at, updated_at"
)
ATTENDANCE_COLUMNS = "id, activity_id, enrollment_id, participant_id, session_date, status"

GROUP_WEIGHTS = {
    Group.ukrainian_displaced: 50,
    Group.asylum_seeker: 42,
    Group.unaccompanied_minor: 8,
}
ENROLLMENT_WEIGHTS = {
    EnrollmentStatus.enrolled: 25,
    EnrollmentStatus.active: 40,
    EnrollmentStatus.completed: 20,
    EnrollmentStatus.dropped_out: 15,
}
ATTENDANCE_WEIGHTS = {
    AttendanceStatus.present: 72,
    AttendanceStatus.absent: 18,
    AttendanceStatus.excused: 10,
}
SIGNAL_WEIGHTS = {SignalStatus.open: 25, SignalStatus.in_progress: 15, SignalStatus.resolved: 60}

People = tuple[uuid.UUID, str, Group]  # id, reference, group
Stay = tuple[uuid.UUID, uuid.UUID, uuid.UUID, date, date | None]  # id, person, location, ...
Progress = tuple[uuid.UUID, str, str, date]  # person, field, value, valid_from
Joining = tuple[uuid.UUID, uuid.UUID, uuid.UUID, date, str, date | None]
# (id, activity, person, enrolled_on, status, ended_on)


@dataclass
class OverviewData:
    on: date
    attendance_rows: int
    seed: int
    locations: list[dict[str, Any]] = field(default_factory=list)
    changes: list[dict[str, Any]] = field(default_factory=list)
    people: list[People] = field(default_factory=list)
    stays: list[Stay] = field(default_factory=list)
    progress: list[Progress] = field(default_factory=list)
    activities: list[dict[str, Any]] = field(default_factory=list)
    enrollments: list[Joining] = field(default_factory=list)
    signals: list[dict[str, Any]] = field(default_factory=list)

    def placed_today(self) -> int:
        """Participants placed today, counted in Python: the independent check."""
        on = self.on
        return len(
            {
                pid
                for _id, pid, _loc, start, end in self.stays
                if start <= on and (end is None or end > on)
            }
        )

    def attendance(self) -> Iterator[tuple[uuid.UUID, uuid.UUID, uuid.UUID, uuid.UUID, date, str]]:
        """``attendance_rows`` rows over the enrollments, each on distinct days of the last
        year; generated while loading (a million rows need not sit in memory twice)."""
        rng = random.Random(self.seed + 1)
        statuses = list(ATTENDANCE_WEIGHTS)
        weights = list(ATTENDANCE_WEIGHTS.values())
        count = len(self.enrollments)
        base, extra = divmod(self.attendance_rows, count)
        for n, (eid, aid, pid, *_rest) in enumerate(self.enrollments):
            sessions = base + (1 if n < extra else 0)
            days = rng.sample(range(365), min(sessions, 365))
            picked = rng.choices(statuses, weights, k=len(days))
            for offset, status in zip(days, picked, strict=True):
                yield (
                    uuid.UUID(int=rng.getrandbits(128), version=4),
                    aid,
                    eid,
                    pid,
                    self.on - timedelta(days=offset),
                    status.value,
                )


def _uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def generate(
    *,
    participants: int,
    locations: int,
    activities: int,
    enrollments: int,
    attendance: int,
    signals: int,
    seed: int = 2026,
) -> OverviewData:
    rng = random.Random(seed)
    on = today()
    data = OverviewData(on=on, attendance_rows=attendance, seed=seed)
    per_location = participants * 1.1 / locations
    location_ids = []
    for n in range(locations):
        loc_id = _uuid(rng)
        location_ids.append(loc_id)
        opened = on - timedelta(days=800 + rng.randrange(0, 400))
        data.locations.append(
            {
                "id": loc_id,
                "name": f"Benchmark location {n:04d}",
                "address": f"Benchmarkstraat {n + 1}",
                "postcode": f"{2101 + n % 5} AB",
                "kind": list(LocationKind)[n % len(LocationKind)],
                "opened_on": opened,
                "closed_on": None,
            }
        )
        capacity = max(5, int(per_location * rng.uniform(0.8, 1.1)))
        data.changes.append({"location_id": loc_id, "valid_from": opened, "capacity": capacity})
        rise = on - timedelta(days=rng.randrange(30, 700))
        data.changes.append(
            {"location_id": loc_id, "valid_from": rise, "capacity": capacity + rng.randint(5, 80)}
        )

    groups = list(GROUP_WEIGHTS)
    group_weights = list(GROUP_WEIGHTS.values())
    level_values = [lv.value for lv in DutchLevel]
    statuses = [s.value for s in EmploymentStatus]
    for i in range(participants):
        pid = _uuid(rng)
        group = rng.choices(groups, group_weights)[0]
        data.people.append((pid, f"BO{i:07d}", group))
        start = on - timedelta(days=rng.randrange(1, 730))
        loc = location_ids[rng.randrange(locations)]
        draw = rng.random()
        span = (on - start).days
        if draw < 0.05 and span >= 2:  # moved once, placed at the second location now
            moved = start + timedelta(days=rng.randrange(1, span))
            data.stays.append((_uuid(rng), pid, loc, start, moved))
            other = location_ids[rng.randrange(locations)]
            data.stays.append((_uuid(rng), pid, other, moved, None))
        elif draw < 0.20:  # left the programme
            data.stays.append(
                (_uuid(rng), pid, loc, start, start + timedelta(days=1 + rng.randrange(span)))
            )
        else:
            data.stays.append((_uuid(rng), pid, loc, start, None))
        # Dutch level: 0-3 entries, never down; employment: 0-2 entries.
        entries = rng.choices((0, 1, 2, 3), (15, 30, 35, 20))[0]
        rank = rng.randrange(0, 3)
        for offset in sorted(rng.sample(range(730), entries), reverse=True):
            data.progress.append(
                (
                    pid,
                    ProgressField.dutch_level.value,
                    level_values[rank],
                    on - timedelta(days=offset),
                )
            )
            rank = min(rank + rng.randint(0, 2), len(level_values) - 1)
        jobs = rng.choices((0, 1, 2), (40, 40, 20))[0]
        for offset in sorted(rng.sample(range(730), jobs), reverse=True):
            data.progress.append(
                (
                    pid,
                    ProgressField.employment_status.value,
                    rng.choice(statuses),
                    on - timedelta(days=offset),
                )
            )

    kinds = list(ActivityKind)
    group_values = [g.value for g in Group]
    for n in range(activities):
        starts = on - timedelta(days=rng.randrange(0, 500))
        ends = None if rng.random() < 0.5 else starts + timedelta(days=rng.randrange(30, 600))
        targets = (
            []
            if rng.random() < 0.4
            else sorted(rng.sample(group_values, rng.randint(1, len(group_values))))
        )
        data.activities.append(
            {
                "id": _uuid(rng),
                "title": f"Benchmark activity {n:05d}",
                "kind": kinds[n % len(kinds)] if n < len(kinds) else rng.choice(kinds),
                "location_id": location_ids[rng.randrange(locations)]
                if rng.random() < 0.5
                else None,
                "starts_on": starts,
                "ends_on": ends,
                "schedule": None,
                "capacity": None,
                "target_groups": targets,
            }
        )

    enrollment_statuses = list(ENROLLMENT_WEIGHTS)
    enrollment_weights = list(ENROLLMENT_WEIGHTS.values())
    for _ in range(enrollments):
        act = data.activities[rng.randrange(activities)]
        pid = data.people[rng.randrange(participants)][0]
        status = rng.choices(enrollment_statuses, enrollment_weights)[0]
        enrolled_on = min(act["starts_on"] + timedelta(days=rng.randrange(0, 60)), on)
        ended = None
        if status in (EnrollmentStatus.completed, EnrollmentStatus.dropped_out):
            ended = enrolled_on + timedelta(days=rng.randrange(0, 120))
        data.enrollments.append((_uuid(rng), act["id"], pid, enrolled_on, status.value, ended))

    signal_statuses = list(SIGNAL_WEIGHTS)
    signal_weights = list(SIGNAL_WEIGHTS.values())
    now = datetime.now(UTC)
    for n in range(signals):
        reported = now - timedelta(seconds=rng.randrange(1, 730 * 86_400))
        state = rng.choices(signal_statuses, signal_weights)[0]
        resolved = None
        if state is SignalStatus.resolved:
            resolved = min(reported + timedelta(seconds=rng.randrange(3600, 60 * 86_400)), now)
        data.signals.append(
            {
                "id": _uuid(rng),
                "reported_at": reported,
                "source": rng.choice(list(SignalSource)),
                "category": rng.choice(list(SignalCategory)),
                "severity": rng.choice(list(Severity)),
                "location_id": location_ids[rng.randrange(locations)],
                "summary": f"Benchmark signal {n}",
                "status": state,
                "resolved_at": resolved,
            }
        )
    return data


def load(url: str, data: OverviewData) -> None:
    """The few locations, activities and signals through Core; the many rows by COPY
    (PostgreSQL) or chunked executemany (SQLite). ANALYZE at the end, as a live
    database has statistics."""
    settings = local_settings(url)
    now = datetime.now(UTC)
    stamp = {"version": 1, "created_at": now, "updated_at": now}
    engine = create_engine(settings.sync_url)
    try:
        with engine.begin() as conn:
            partners = list(conn.execute(select(Partner.id).order_by(Partner.name)).scalars())
            conn.execute(
                insert(Location),
                [
                    {**loc, **stamp, "operator_partner_id": partners[n % len(partners)]}
                    for n, loc in enumerate(data.locations)
                ],
            )
            conn.execute(insert(CapacityChange), [{**c, **stamp} for c in data.changes])
            conn.execute(
                insert(Activity),
                [
                    {**act, **stamp, "provider_partner_id": partners[n % len(partners)]}
                    for n, act in enumerate(data.activities)
                ],
            )
            if settings.is_sqlite:
                _load_sqlite(conn, data, stamp)
            conn.execute(insert(Signal), [{**s, **stamp} for s in data.signals])
            if settings.is_sqlite:
                conn.exec_driver_sql("ANALYZE")
        if not settings.is_sqlite:
            _copy_postgresql(settings.sync_url.set(drivername="postgresql"), data, now)
    finally:
        engine.dispose()


def _chunks(conn: Any, table: Any, rows: Iterator[dict[str, Any]]) -> None:
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= CHUNK:
            conn.execute(insert(table), batch)
            batch = []
    if batch:
        conn.execute(insert(table), batch)


def _load_sqlite(conn: Any, data: OverviewData, stamp: dict[str, Any]) -> None:
    _chunks(
        conn,
        Participant,
        (
            {"id": pid, "reference": ref, "group": group, "languages": [], **stamp}
            for pid, ref, group in data.people
        ),
    )
    _chunks(
        conn,
        Placement,
        (
            {
                "id": sid,
                "participant_id": pid,
                "location_id": loc,
                "start_date": start,
                "end_date": end,
                **stamp,
            }
            for sid, pid, loc, start, end in data.stays
        ),
    )
    recorded = stamp["created_at"]
    _chunks(
        conn,
        ParticipantProgress,
        (
            {
                "participant_id": pid,
                "field": ProgressField(fld),
                "value": value,
                "valid_from": valid_from,
                "recorded_at": recorded,
            }
            for pid, fld, value, valid_from in data.progress
        ),
    )
    _chunks(
        conn,
        Enrollment,
        (
            {
                "id": eid,
                "activity_id": aid,
                "participant_id": pid,
                "enrolled_on": enrolled_on,
                "status": EnrollmentStatus(status),
                "ended_on": ended,
                **stamp,
            }
            for eid, aid, pid, enrolled_on, status, ended in data.enrollments
        ),
    )
    _chunks(
        conn,
        Attendance,
        (
            {
                "id": rid,
                "activity_id": aid,
                "enrollment_id": eid,
                "participant_id": pid,
                "session_date": day,
                "status": AttendanceStatus(status),
            }
            for rid, aid, eid, pid, day, status in data.attendance()
        ),
    )


def _copy_postgresql(url: Any, data: OverviewData, now: datetime) -> None:
    import psycopg

    with psycopg.connect(url.render_as_string(hide_password=False)) as conn, conn.cursor() as cur:
        with cur.copy(f"COPY participants ({PEOPLE_COLUMNS}) FROM STDIN") as copy:
            for pid, ref, group in data.people:
                copy.write_row((pid, ref, group.value, "[]", "none", "not_working", 1, now, now))
        with cur.copy(f"COPY placements ({STAY_COLUMNS}) FROM STDIN") as copy:
            for stay in data.stays:
                copy.write_row((*stay, 1, now, now))
        with cur.copy(f"COPY participant_progress ({PROGRESS_COLUMNS}) FROM STDIN") as copy:
            for entry in data.progress:
                copy.write_row((*entry, now))
        with cur.copy(f"COPY enrollments ({ENROLLMENT_COLUMNS}) FROM STDIN") as copy:
            for joining in data.enrollments:
                copy.write_row((*joining, 1, now, now))
        with cur.copy(f"COPY attendance ({ATTENDANCE_COLUMNS}) FROM STDIN") as copy:
            for row in data.attendance():
                copy.write_row(row)
        conn.commit()
        cur.execute("ANALYZE")
