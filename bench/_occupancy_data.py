"""Data and the hand-written reference query for the ``occupancy_report`` benchmark.

Locations are modelled as beds: each bed holds one stay after another with gaps, so no
night is ever above capacity and no participant (one per stay) has overlapping stays,
whatever the random draw. Capacity only grows (beds added at a change), which keeps the
bed model exact; a few locations open or close inside the measured year.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import create_engine, insert, select

from api.models import (
    CapacityChange,
    Group,
    Location,
    LocationKind,
    Participant,
    Partner,
    Placement,
)
from bench._data import local_settings

PEOPLE_COLUMNS = (
    'id, reference, "group", languages, dutch_level, employment_status,'
    " version, created_at, updated_at"
)
STAY_COLUMNS = (
    "id, participant_id, location_id, start_date, end_date, version, created_at, updated_at"
)


@dataclass
class OccupancyData:
    first: date  # the measured year
    last: date
    locations: list[dict[str, Any]] = field(default_factory=list)
    changes: list[dict[str, Any]] = field(default_factory=list)
    placements: list[tuple[uuid.UUID, uuid.UUID, date, date | None]] = field(
        default_factory=list
    )  # (id, location_id, start, end); each stay has its own participant

    def expected_totals(self) -> tuple[int, int, int]:
        """``(rows, Σ capacity, Σ occupied)`` over the open days of the measured year,
        counted in Python as the independent check of both SQL answers."""
        rows = capacity = 0
        for loc in self.locations:
            first = max(self.first, loc["opened_on"])
            last = min(self.last, loc["closed_on"] or self.last)
            changes = sorted(
                (c["valid_from"], c["capacity"])
                for c in self.changes
                if c["location_id"] == loc["id"]
            )
            day = first
            while day <= last:
                rows += 1
                capacity += max((c for d, c in changes if d <= day), default=0)
                day += timedelta(days=1)
        occupied = 0
        for _, _, start, end in self.placements:
            lo = max(start, self.first)
            hi = min(end, self.last + timedelta(days=1)) if end else self.last + timedelta(days=1)
            occupied += max((hi - lo).days, 0)
        return rows, capacity, occupied


def generate(year: int, *, locations: int, placements: int, seed: int = 2026) -> OccupancyData:
    rng = random.Random(seed)  # reproducible benchmark data
    data = OccupancyData(first=date(year, 1, 1), last=date(year, 12, 31))
    begin, end = date(year - 1, 7, 1), date(year + 1, 6, 30)  # ~two years of stays
    beds: list[tuple[uuid.UUID, date, date]] = []  # (location, usable from, usable until)
    # A bed holds ~7.5 stays in two years (~87 nights + ~6 days' gap); aim 15% over the
    # count and trim. The rises below add ~10 beds per location.
    per_location = int(placements * 1.15 / (locations * 7.5)) - 10
    for n in range(locations):
        loc_id = uuid.UUID(int=rng.getrandbits(128), version=4)
        opened = begin - timedelta(days=rng.randrange(0, 400))
        closed: date | None = None
        if n % 25 == 3:  # a few open inside the measured year...
            opened = data.first + timedelta(days=rng.randrange(30, 200))
        if n % 25 == 7:  # ...and a few close inside it
            closed = data.first + timedelta(days=rng.randrange(100, 330))
        data.locations.append(
            {
                "id": loc_id,
                "name": f"Benchmark location {n:04d}",
                "address": f"Benchmarkstraat {n + 1}",
                "postcode": f"{2101 + n % 5} AB",
                "kind": list(LocationKind)[n % len(LocationKind)],
                "opened_on": opened,
                "closed_on": closed,
            }
        )
        capacity = max(2, per_location + rng.randint(-6, 6))
        steps = [(opened, capacity)]
        for _ in range(rng.randint(2, 4)):  # a few rises while open
            day = steps[-1][0] + timedelta(days=rng.randrange(40, 200))
            steps.append((day, steps[-1][1] + rng.randint(1, 6)))
        previous = 0
        for valid_from, cap in steps:
            data.changes.append({"location_id": loc_id, "valid_from": valid_from, "capacity": cap})
            beds += [(loc_id, max(valid_from, begin), closed or end)] * (cap - previous)
            previous = cap
    stays: list[tuple[uuid.UUID, uuid.UUID, date, date | None]] = []
    for loc_id, usable_from, usable_until in beds:
        day = usable_from + timedelta(days=rng.randrange(0, 30))
        while day < usable_until:
            leave = day + timedelta(days=rng.randint(14, 160))
            if leave >= usable_until:
                # A closing location's bed ends its stay on the closing day; else it runs on.
                leave_or_open = usable_until if usable_until != end else None
                stays.append(
                    (uuid.UUID(int=rng.getrandbits(128), version=4), loc_id, day, leave_or_open)
                )
                break
            stays.append((uuid.UUID(int=rng.getrandbits(128), version=4), loc_id, day, leave))
            day = leave + timedelta(days=rng.randrange(0, 12))
    if len(stays) < placements:
        raise RuntimeError(f"generated {len(stays)} stays, fewer than {placements}")
    # Dropping stays keeps every rule (capacity, no overlap), so trim to the exact count.
    data.placements = rng.sample(stays, placements)
    return data


def load(url: str, data: OccupancyData) -> None:
    """Insert through SQLAlchemy for the few location rows; COPY (PostgreSQL) or
    executemany (SQLite) for the many people and stays."""
    settings = local_settings(url)
    now = datetime.now(UTC)
    engine = create_engine(settings.sync_url)
    try:
        with engine.begin() as conn:
            operator = conn.execute(select(Partner.id).limit(1)).scalar_one()
            stamp = {"version": 1, "created_at": now, "updated_at": now}
            conn.execute(
                insert(Location),
                [{**loc, **stamp, "operator_partner_id": operator} for loc in data.locations],
            )
            conn.execute(insert(CapacityChange), [{**c, **stamp} for c in data.changes])
            if settings.is_sqlite:
                _load_sqlite(conn, data, stamp)
                conn.exec_driver_sql("ANALYZE")
        if not settings.is_sqlite:
            _copy_postgresql(settings.sync_url.set(drivername="postgresql"), data, now)
    finally:
        engine.dispose()


def _load_sqlite(conn: Any, data: OccupancyData, stamp: dict[str, Any]) -> None:
    people = [
        {
            "id": pid,
            "reference": f"B{i:07d}",
            "group": Group.asylum_seeker,
            "languages": [],
            **stamp,
        }
        for i, (pid, *_rest) in enumerate(data.placements)
    ]
    conn.execute(insert(Participant), people)
    conn.execute(
        insert(Placement),
        [
            {"participant_id": pid, "location_id": loc, "start_date": s, "end_date": e, **stamp}
            for pid, loc, s, e in data.placements
        ],
    )


def _copy_postgresql(url: Any, data: OccupancyData, now: datetime) -> None:
    import psycopg

    with psycopg.connect(url.render_as_string(hide_password=False)) as conn, conn.cursor() as cur:
        with cur.copy(f"COPY participants ({PEOPLE_COLUMNS}) FROM STDIN") as copy:
            for i, (pid, *_rest) in enumerate(data.placements):
                row = (pid, f"B{i:07d}", "asylum_seeker", "[]", "none", "not_working")
                copy.write_row((*row, 1, now, now))
        with cur.copy(f"COPY placements ({STAY_COLUMNS}) FROM STDIN") as copy:
            for pid, loc, start, end in data.placements:
                copy.write_row((uuid.uuid4(), pid, loc, start, end, 1, now, now))
        cur.execute("ANALYZE")
