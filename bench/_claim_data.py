"""Data for the ``claim_engine`` benchmark: locations of every kind, people with two stays
each (moved once), and a ``per_person_day`` scheme whose rate changes mid-year.

Stays are facts for the engine (it applies no placement rules), so they are drawn freely:
starts over the two years around the claimed one, 10 to 400 nights, one in ten still
open. The data comes in *parts* of equal size, each from its own ``random.Random``, so
"4x the data" is the first part plus three more, loaded on top. The expected total is
counted here in Python, independently of both SQL answers.

Loading: COPY (asyncpg ``copy_records_to_table``) on PostgreSQL, Core ``insert()``
executemany in big chunks on SQLite.
"""

from __future__ import annotations

import asyncio
import random
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
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
from api.models.reimbursement import Basis, ReimbursementRate, ReimbursementScheme
from bench._data import local_settings

CHUNK = 50_000  # rows per executemany on SQLite
SCHEME_CODE = "BENCH-DAY"
# Every kind but asylum centres, so the kind filter has work to do.
KINDS = [k for k in LocationKind if k is not LocationKind.asylum_center]
GROUPS = list(Group)

Stay = tuple[uuid.UUID, uuid.UUID, uuid.UUID, date, date | None]  # id, person, location, ..


@dataclass(frozen=True)
class Scheme:
    year: int

    @property
    def first(self) -> date:
        return date(self.year, 1, 1)

    @property
    def last(self) -> date:
        return date(self.year, 12, 31)

    @property
    def change(self) -> date:  # the first day of the second rate
        return date(self.year, 7, 1)

    @property
    def rates(self) -> list[tuple[date, date | None, Decimal]]:
        return [
            (date(self.year - 1, 1, 1), self.change - timedelta(days=1), Decimal("61.00")),
            (self.change, None, Decimal("44.00")),
        ]


@dataclass
class Part:
    people: list[tuple[uuid.UUID, str, Group]] = field(default_factory=list)
    stays: list[Stay] = field(default_factory=list)


def _uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def locations(count: int, year: int, seed: int = 2026) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    out = []
    for n in range(count):
        out.append(
            {
                "id": _uuid(rng),
                "name": f"Claim location {n:05d}",
                "address": f"Declaratiestraat {n + 1}",
                "postcode": f"{2101 + n % 5} AB",
                "kind": list(LocationKind)[n % len(LocationKind)],
                "opened_on": date(year - 2, 1, 1) + timedelta(days=rng.randrange(0, 365)),
                "closed_on": None,
            }
        )
    return out


def part(
    index: int, year: int, location_ids: list[uuid.UUID], placements: int, seed: int = 2026
) -> Part:
    """``placements`` stays (two per person: a transfer on the day the first ends)."""
    rng = random.Random(seed * 1000 + index)
    begin = date(year - 1, 1, 1)
    span = 2 * 365 + 180
    data = Part()
    for i in range(placements // 2):
        person = _uuid(rng)
        data.people.append((person, f"C{index}-{i:07d}", GROUPS[i % len(GROUPS)]))
        start = begin + timedelta(days=rng.randrange(0, span))
        middle = start + timedelta(days=rng.randint(10, 400))
        end = None if rng.random() < 0.1 else middle + timedelta(days=rng.randint(10, 400))
        data.stays.append((_uuid(rng), person, rng.choice(location_ids), start, middle))
        data.stays.append((_uuid(rng), person, rng.choice(location_ids), middle, end))
    return data


def expected_total(
    scheme: Scheme, locs: list[dict[str, Any]], parts: list[Part]
) -> tuple[int, Decimal]:
    """(nights, total) counted in Python: each stay's nights clipped to each rate."""
    covered = {loc["id"] for loc in locs if loc["kind"] in KINDS}
    bounds = [
        (scheme.first.toordinal(), scheme.change.toordinal(), scheme.rates[0][2]),
        (scheme.change.toordinal(), scheme.last.toordinal() + 1, scheme.rates[1][2]),
    ]
    nights = [0, 0]
    for data in parts:
        for _, _, loc, start, end in data.stays:
            if loc not in covered:
                continue
            lo = start.toordinal()
            hi = end.toordinal() if end is not None else bounds[-1][1]
            for k, (a, b, _) in enumerate(bounds):
                n = min(hi, b) - max(lo, a)
                if n > 0:
                    nights[k] += n
    total = sum((n * rate for n, (_, _, rate) in zip(nights, bounds, strict=True)), Decimal())
    return sum(nights), total.quantize(Decimal("0.01"))


def load_base(url: str, scheme: Scheme, locs: list[dict[str, Any]]) -> uuid.UUID:
    """Locations (one capacity each), the scheme and its rates; returns the scheme's id."""
    settings = local_settings(url)
    now = datetime.now(UTC)
    stamp = {"version": 1, "created_at": now, "updated_at": now}
    scheme_id = uuid.uuid4()
    engine = create_engine(settings.sync_url)
    try:
        with engine.begin() as conn:
            operator = conn.execute(select(Partner.id).limit(1)).scalar_one()
            conn.execute(
                insert(Location),
                [{**loc, **stamp, "operator_partner_id": operator} for loc in locs],
            )
            conn.execute(
                insert(CapacityChange),
                [
                    {"location_id": loc["id"], "valid_from": loc["opened_on"], "capacity": 400}
                    | stamp
                    for loc in locs
                ],
            )
            conn.execute(
                insert(ReimbursementScheme).values(
                    id=scheme_id,
                    code=SCHEME_CODE,
                    name="Benchmark: per person per day",
                    basis=Basis.per_person_day,
                    location_kinds=[k.value for k in KINDS],
                    groups=None,
                    **stamp,
                )
            )
            conn.execute(
                insert(ReimbursementRate),
                [
                    {"scheme_id": scheme_id, "valid_from": a, "valid_to": b, "amount": amount}
                    | stamp
                    for a, b, amount in scheme.rates
                ],
            )
    finally:
        engine.dispose()
    return scheme_id


def load_part(url: str, data: Part) -> None:
    settings = local_settings(url)
    now = datetime.now(UTC)
    if settings.is_sqlite:
        stamp = {"version": 1, "created_at": now, "updated_at": now}
        engine = create_engine(settings.sync_url)
        try:
            with engine.begin() as conn:
                people = [
                    {"id": pid, "reference": ref, "group": group, "languages": [], **stamp}
                    for pid, ref, group in data.people
                ]
                for n in range(0, len(people), CHUNK):
                    conn.execute(insert(Participant), people[n : n + CHUNK])
                stays = [
                    {
                        "id": sid,
                        "participant_id": pid,
                        "location_id": loc,
                        "start_date": s,
                        "end_date": e,
                        **stamp,
                    }
                    for sid, pid, loc, s, e in data.stays
                ]
                for n in range(0, len(stays), CHUNK):
                    conn.execute(insert(Placement), stays[n : n + CHUNK])
                conn.exec_driver_sql("ANALYZE")
        finally:
            engine.dispose()
        return
    dsn = settings.sync_url.set(drivername="postgresql").render_as_string(hide_password=False)
    asyncio.run(_copy(dsn, data, now))


async def _copy(dsn: str, data: Part, now: datetime) -> None:
    import asyncpg

    conn = await asyncpg.connect(dsn)
    try:
        await conn.copy_records_to_table(
            "participants",
            columns=[
                "id",
                "reference",
                "group",
                "languages",
                "dutch_level",
                "employment_status",
                "version",
                "created_at",
                "updated_at",
            ],
            records=[
                (pid, ref, group.value, "[]", "none", "not_working", 1, now, now)
                for pid, ref, group in data.people
            ],
        )
        await conn.copy_records_to_table(
            "placements",
            columns=[
                "id",
                "participant_id",
                "location_id",
                "start_date",
                "end_date",
                "version",
                "created_at",
                "updated_at",
            ],
            records=[(sid, pid, loc, s, e, 1, now, now) for sid, pid, loc, s, e in data.stays],
        )
        await conn.execute("ANALYZE")
    finally:
        await conn.close()
