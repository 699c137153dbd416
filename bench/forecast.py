"""forecast: the forecast of 2,000 locations and 400,000 stays (the ``claim_engine``
data), a capacity plan, occupancy assumptions and three scenarios over three years,
computed by ``api.reports.forecast`` (``forecast(session, today=..., scenario_ids=...)``,
the base and the three scenarios) on an ``AsyncSession`` in this process, against one
hand-written PostgreSQL query for the base's income per quarter and scheme through the
bare driver (asyncpg). Both must give the same base figures. One at a time, alternating
ABBA, median of the rounds; the ratio is our time / reference time (aim: at most 1.5,
with our side doing four forecasts to the reference's one). Then three more parts of
stays are loaded (4x the stays) and both are timed again (aim: at most 4.5x the time).

"Today" is 15 February of the year after the claim data's year, in the first quarter:
the forecast then needs no budget report of the year's earlier quarters (in Q2-Q4 it
adds the budget report, the claim engine's work for the quarters behind).

    python -m bench forecast [--url URL] [--locations N] [--placements N] ...
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import create_engine, delete, insert

from api.db import Database, build_engine
from api.forecast.report import forecast
from api.models import (
    Basis,
    LocationKind,
    OccupancyAssumption,
    PlannedCapacityChange,
    ReimbursementRate,
    ReimbursementScheme,
    Scenario,
    ScenarioChange,
)
from bench import _claim_data, _data

NAME = "forecast"
DEFAULT_PG_URL = "postgresql://postgres@127.0.0.1:5432/opvang_bench_forecast"
YEAR = 2025  # the claim data's year: stays from 2024 to 2027
TODAY = date(YEAR + 1, 2, 15)
PLACE_CODE = "BENCH-PLACE"

# The base's income per quarter and scheme: capacity intervals (history, then the
# unrealised plan; a planned closing ends the open interval), each location's occupancy
# (its assumption, else its trailing 90 nights over its capacity-days), rates as
# intervals (stored in whole cents), all clipped against each other; per_place_day
# counts capacity-days, per_person_day capacity-days x occupancy.
REFERENCE = """
WITH quarters(qlo, qhi) AS (SELECT d::date, (d + interval '3 months')::date
    FROM generate_series($1::date, $2::date - interval '3 months', interval '3 months') d),
events AS (
    SELECT location_id, valid_from AS d, capacity FROM capacity_changes
    UNION ALL
    SELECT location_id, takes_effect_on, capacity FROM planned_capacity_changes
    WHERE realised_at IS NULL AND kind <> 'closing'
),
steps AS (
    SELECT location_id, d AS lo, coalesce(lead(d) OVER (PARTITION BY location_id ORDER BY d),
        'infinity'::date) AS hi, capacity FROM events
),
opened AS (
    SELECT l.id, l.kind::text AS kind, l.opened_on AS lo,
        least(coalesce(l.closed_on + 1, 'infinity'::date),
              coalesce(min(p.takes_effect_on), 'infinity'::date)) AS hi
    FROM locations l LEFT JOIN planned_capacity_changes p
        ON p.location_id = l.id AND p.kind = 'closing' AND p.realised_at IS NULL
    GROUP BY l.id
),
capacity AS (
    SELECT s.location_id, o.kind, greatest(s.lo, o.lo) AS lo, least(s.hi, o.hi) AS hi, s.capacity
    FROM steps s JOIN opened o ON o.id = s.location_id
    WHERE greatest(s.lo, o.lo) < least(s.hi, o.hi)
),
nights AS (
    SELECT location_id, sum(greatest(least(coalesce(end_date, $3::date), $3::date)
        - greatest(start_date, $3::date - 90), 0)) AS n
    FROM placements WHERE start_date < $3::date AND (end_date IS NULL OR end_date > $3::date - 90)
    GROUP BY location_id
),
window_days AS (
    SELECT location_id, sum(greatest(least(hi, $3::date) - greatest(lo, $3::date - 90), 0)
        * capacity) AS cd
    FROM capacity GROUP BY location_id
),
occupancy AS (
    SELECT w.location_id, coalesce(a.rate_bp / 10000.0,
        least(coalesce(n.n, 0)::numeric / nullif(w.cd, 0), 1)) AS rate
    FROM window_days w LEFT JOIN nights n USING (location_id)
        LEFT JOIN occupancy_assumptions a USING (location_id)
),
rates AS (
    SELECT s.id, s.code, s.basis::text AS basis, s.location_kinds, r.valid_from AS lo,
        coalesce(r.valid_to + 1, 'infinity'::date) AS hi, r.amount / 100.0 AS amount
    FROM reimbursement_schemes s JOIN reimbursement_rates r ON r.scheme_id = s.id
)
SELECT q.qlo, r.code, sum(greatest(least(c.hi, r.hi, q.qhi) - greatest(c.lo, r.lo, q.qlo), 0)
    * c.capacity * CASE WHEN r.basis = 'per_person_day' THEN coalesce(o.rate, 0) ELSE 1 END
    * r.amount) AS amount
FROM capacity c JOIN rates r ON r.location_kinds ? c.kind
    JOIN quarters q ON c.lo < q.qhi AND c.hi > q.qlo AND r.lo < q.qhi AND r.hi > q.qlo
    LEFT JOIN occupancy o ON o.location_id = c.location_id
GROUP BY q.qlo, r.code ORDER BY q.qlo, r.code
"""


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog=f"python -m bench {NAME}")
    parser.add_argument("--url", help=f"PostgreSQL database to wipe and use ({DEFAULT_PG_URL})")
    parser.add_argument("--locations", type=int, default=2000)
    parser.add_argument("--placements", type=int, default=400_000)
    parser.add_argument("--rounds", type=int, default=5, help="timed runs per side")
    parser.add_argument("--scale", type=int, default=4, help="parts for the scaling run")
    return parser.parse_args(argv)


def run(argv: list[str]) -> str:
    args = parse_args(argv)
    url = args.url or DEFAULT_PG_URL
    if "bench" not in url.rsplit("/", 1)[-1]:
        raise ValueError(f"refusing to wipe {url}: its database name lacks 'bench'")
    print(f"{NAME}: preparing {url}", file=sys.stderr)
    _data.prepare(url, partners=5)
    locs = _claim_data.locations(args.locations, YEAR)
    _claim_data.load_base(url, _claim_data.Scheme(YEAR), locs)
    scenario_ids = _load_steering(url, locs)
    ids = [loc["id"] for loc in locs]
    parts = [_claim_data.part(0, YEAR, ids, args.placements)]
    started = time.perf_counter()
    _claim_data.load_part(url, parts[0])
    print(f"  loaded {args.placements} stays in {time.perf_counter() - started:.1f} s",
          file=sys.stderr)  # fmt: skip
    one = asyncio.run(_measure(url, scenario_ids, args.rounds))
    line = (
        f"{NAME}: ratio={one.ours / one.reference:.2f} "
        f"(ours {one.ours:.3f} s, reference {one.reference:.3f} s)"
    )
    if args.scale > 1:
        for index in range(1, args.scale):
            _claim_data.load_part(url, _claim_data.part(index, YEAR, ids, args.placements))
        big = asyncio.run(_measure(url, scenario_ids, args.rounds))
        line += (
            f"; scaling {args.scale}x stays: {big.ours / one.ours:.1f}x time "
            f"(ours {big.ours:.3f} s, reference {big.reference:.3f} s, "
            f"ratio={big.ours / big.reference:.2f})"
        )
    return line


def _load_steering(url: str, locs: list[dict[str, Any]]) -> list[uuid.UUID]:
    """Only the bench's schemes (the seeded ones have gaps in their rates), a per place-day
    scheme at asylum centres with a rate change inside the horizon, a plan (a rise at one
    location in five, a closing at one in fifty), set occupancy at one in ten, and three
    scenarios of a few changes each."""
    rng = random.Random(17)
    now = datetime.now(UTC)
    stamp = {"version": 1, "created_at": now, "updated_at": now}
    engine = create_engine(_data.local_settings(url).sync_url)
    place_id, scenario_ids = uuid.uuid4(), [uuid.uuid4() for _ in range(3)]
    try:
        with engine.begin() as conn:
            seeded = ReimbursementScheme.code != _claim_data.SCHEME_CODE
            keep = conn.execute(ReimbursementScheme.__table__.select().where(~seeded)).first()
            assert keep is not None
            conn.execute(delete(ReimbursementRate).where(ReimbursementRate.scheme_id != keep.id))
            conn.execute(delete(ReimbursementScheme).where(seeded))
            conn.execute(insert(ReimbursementScheme).values(
                id=place_id, code=PLACE_CODE, name="Benchmark: per place per day",
                basis=Basis.per_place_day, location_kinds=[LocationKind.asylum_center.value],
                groups=None, **stamp,
            ))  # fmt: skip
            conn.execute(insert(ReimbursementRate), [
                {"scheme_id": place_id, "valid_from": date(2024, 1, 1),
                 "valid_to": date(2026, 6, 30), "amount": Decimal("50.00")} | stamp,
                {"scheme_id": place_id, "valid_from": date(2026, 7, 1), "valid_to": None,
                 "amount": Decimal("45.00")} | stamp,
            ])  # fmt: skip
            plan, assumptions = [], []
            for n, loc in enumerate(locs):
                if n % 5 == 0:
                    day = TODAY + timedelta(days=rng.randrange(30, 900))
                    plan.append({"location_id": loc["id"], "kind": "capacity",
                                 "takes_effect_on": day, "capacity": 420} | stamp)  # fmt: skip
                elif n % 50 == 1:
                    day = TODAY + timedelta(days=rng.randrange(30, 900))
                    plan.append({"location_id": loc["id"], "kind": "closing",
                                 "takes_effect_on": day, "capacity": None} | stamp)  # fmt: skip
                if n % 10 == 3:
                    assumptions.append({"location_id": loc["id"],
                                        "rate_bp": rng.randrange(5000, 10000)} | stamp)  # fmt: skip
            conn.execute(insert(PlannedCapacityChange), plan)
            conn.execute(insert(OccupancyAssumption), assumptions)
            for i, sid in enumerate(scenario_ids):
                conn.execute(insert(Scenario).values(id=sid, name=f"Bench scenario {i}", **stamp))
                changes: list[tuple[str, date, date | None, dict[str, Any]]] = [
                    ("rate", date(2027, 1, 1), date(2027, 12, 31),
                     {"schemeId": str(keep.id), "factor": "0.8", "amount": None}),
                    ("occupancy", date(2026, 7, 1), None,
                     {"locationId": None, "locationKind": "emergency", "rateBp": 9000 - 500 * i}),
                    ("location_open", date(2027, 3, 1), None,
                     {"name": f"Nieuw {i}", "locationKind": "asylum_center", "capacity": 60,
                      "rateBp": 9500}),
                    ("cost", date(2026, 4, 1), None,
                     {"category": "staff", "amountPerQuarter": "25000.00"}),
                ]  # fmt: skip
                for j in range(20):
                    loc = locs[rng.randrange(len(locs))]
                    params = {"locationId": str(loc["id"]), "capacity": 300 + j}
                    changes.append(("capacity", date(2026, 9, 1), None, params))
                changes.append(("location_close", date(2027, 6, 1), None,
                                {"locationId": str(locs[i]["id"])}))  # fmt: skip
                conn.execute(insert(ScenarioChange), [
                    {"scenario_id": sid, "position": p, "kind": kind, "starts_on": lo,
                     "ends_on": hi, "params": params}
                    for p, (kind, lo, hi, params) in enumerate(changes)
                ])  # fmt: skip
            conn.exec_driver_sql("ANALYZE")
    finally:
        engine.dispose()
    return scenario_ids


class Timing:
    def __init__(self, ours: float, reference: float) -> None:
        self.ours = ours
        self.reference = reference


async def _measure(url: str, scenario_ids: list[uuid.UUID], rounds: int) -> Timing:
    import asyncpg

    settings = _data.local_settings(url)
    db = Database(build_engine(settings))
    dsn = settings.sync_url.set(drivername="postgresql").render_as_string(hide_password=False)
    pg = await asyncpg.connect(dsn)
    first, after = date(TODAY.year, 1, 1), date(TODAY.year + 3, 1, 1)

    async def ours() -> dict[tuple[date, str], Decimal]:
        async with db.sessionmaker() as session:
            report = await forecast(session, today=TODAY, scenario_ids=scenario_ids)
        assert len(report.scenarios) == len(scenario_ids)
        return {
            (q.from_, f.scheme_code): f.amount or Decimal(0)
            for q in report.base.quarters
            for f in q.income
        }

    async def reference() -> dict[tuple[date, str], Decimal]:
        rows = await pg.fetch(REFERENCE, first, after, TODAY)
        return {(r["qlo"], r["code"]): Decimal(r["amount"]).quantize(Decimal("0.01")) for r in rows}

    try:
        got, want = await ours(), await reference()
        # The reference's quarters before the current one are not in the forecast.
        want = {k: v for k, v in want.items() if k in got}
        off = {k: (got[k], v) for k, v in want.items() if abs(got[k] - v) > Decimal("0.05")}
        off |= {k: (v, Decimal(0)) for k, v in got.items() if k not in want and v}
        if off:
            raise RuntimeError(f"base figures differ (ours, reference): {off}")
        print(f"  base total {sum(got.values())} over {len(got)} figures", file=sys.stderr)
        sides: dict[str, Callable[[], Awaitable[Any]]] = {"ours": ours, "reference": reference}
        times: dict[str, list[float]] = {"ours": [], "reference": []}
        for n in range(rounds):
            for side in ("ours", "reference") if n % 2 == 0 else ("reference", "ours"):
                started = time.perf_counter()
                await sides[side]()
                times[side].append(time.perf_counter() - started)
            print(f"  round {n + 1}: ours {times['ours'][-1]:.3f} s, "
                  f"reference {times['reference'][-1]:.3f} s", file=sys.stderr)  # fmt: skip
    finally:
        await pg.close()
        await db.engine.dispose()
    return Timing(statistics.median(times["ours"]), statistics.median(times["reference"]))


if __name__ == "__main__":
    try:
        print(run(sys.argv[1:]))
    except RuntimeError as exc:
        print(f"{NAME}: failed: {exc}", file=sys.stderr)
        sys.exit(1)
