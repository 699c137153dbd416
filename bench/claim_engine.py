"""claim_engine: a year's ``per_person_day`` claim (rate change on 1 July) over 2,000
locations and 400,000 placements, computed by ``api.reimbursements.claims.engine.compute``
on an ``AsyncSession`` in this process, against one hand-written SQL query for the same
total (one SUM of clipped interval lengths per rate) through the bare driver (asyncpg or
sqlite3). Both totals must equal the one counted in Python. One at a time, alternating
ABBA, median of the rounds; the ratio is reference time / our time (1.0 = as fast as the
hand-written query; the aim is 0.67). Then three more parts of the same size are loaded
(4x the placements) and both are timed again: the engine's time must grow with the
placements (aim: at most 4.5x), never with placements x days.

    python -m bench claim_engine [--database postgresql|sqlite] [--url URL] ...
"""

from __future__ import annotations

import argparse
import asyncio
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from api.db import Database, build_engine
from api.models.base import cents
from api.reimbursements.claims.engine import compute
from bench import _claim_data, _data

NAME = "claim_engine"
DEFAULT_PG_URL = "postgresql://postgres@127.0.0.1:5432/opvang_bench_claims"

# Nights start_date <= d < end_date, clipped to each rate's days, at the covered kinds of
# location, priced in cents. {s}/{e}: a stay's first night and departure day as numbers
# (PostgreSQL: dates, whose difference is an integer; SQLite: julian days); {first},
# {change}, {end}: the period's first day, the second rate's first, the day after the
# period, the same way; {first_on}/{end_on} as plain dates for the index.
_REFERENCE = """
SELECT CAST(sum({greatest}({least}({e}, {change}) - {greatest}({s}, {first}), 0)) * {rate1}
     + sum({greatest}({least}({e}, {end}) - {greatest}({s}, {change}), 0)) * {rate2} AS BIGINT)
FROM placements p JOIN locations l ON l.id = p.location_id
WHERE l.kind IN ({kinds}) AND p.start_date < {end_on}
  AND (p.end_date IS NULL OR p.end_date > {first_on})
"""


def reference_sql(scheme: _claim_data.Scheme, sqlite: bool) -> str:
    after = date.fromordinal(scheme.last.toordinal() + 1)

    def day(d: date) -> str:
        return f"julianday('{d}')" if sqlite else f"DATE '{d}'"

    return _REFERENCE.format(
        s="julianday(p.start_date)" if sqlite else "p.start_date",
        e=f"coalesce({'julianday(p.end_date)' if sqlite else 'p.end_date'}, {day(after)})",
        first=day(scheme.first),
        change=day(scheme.change),
        end=day(after),
        first_on=f"'{scheme.first}'" if sqlite else f"DATE '{scheme.first}'",
        end_on=f"'{after}'" if sqlite else f"DATE '{after}'",
        rate1=int(scheme.rates[0][2] * 100),
        rate2=int(scheme.rates[1][2] * 100),
        greatest="max" if sqlite else "greatest",
        least="min" if sqlite else "least",
        kinds=", ".join(f"'{k.value}'" for k in _claim_data.KINDS),
    )


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog=f"python -m bench {NAME}")
    parser.add_argument("--database", choices=["postgresql", "sqlite"], default="postgresql")
    parser.add_argument("--url", help=f"database to wipe and use (default {DEFAULT_PG_URL})")
    parser.add_argument("--locations", type=int, default=2000)
    parser.add_argument("--placements", type=int, default=400_000)
    parser.add_argument("--year", type=int, default=2024)
    parser.add_argument("--rounds", type=int, default=7, help="timed runs per side")
    parser.add_argument("--scale", type=int, default=4, help="parts for the scaling run")
    return parser.parse_args(argv)


def run(argv: list[str]) -> str:
    args = parse_args(argv)
    if args.rounds < 1 or args.scale < 1:
        raise ValueError("--rounds and --scale must be at least 1")
    with tempfile.TemporaryDirectory(prefix="opvang-bench-") as tmp:
        if args.url:
            url = _data.database_url(args.database, args.url, Path(tmp))
        elif args.database == "sqlite":
            url = f"sqlite:///{Path(tmp) / 'bench_claims.db'}"
        else:
            url = DEFAULT_PG_URL
        return _run(args, url)


def _run(args: argparse.Namespace, url: str) -> str:
    print(f"{NAME}: preparing {url}", file=sys.stderr)
    _data.prepare(url, partners=5)
    scheme = _claim_data.Scheme(args.year)
    locs = _claim_data.locations(args.locations, args.year)
    scheme_id = _claim_data.load_base(url, scheme, locs)
    ids = [loc["id"] for loc in locs]
    parts = [_claim_data.part(0, args.year, ids, args.placements)]
    started = time.perf_counter()
    _claim_data.load_part(url, parts[0])
    print(
        f"  loaded {args.placements} placements in {time.perf_counter() - started:.1f} s",
        file=sys.stderr,
    )
    one = asyncio.run(_measure(url, scheme, scheme_id, locs, parts, args.rounds))
    line = (
        f"{NAME}: ratio={one.reference / one.ours:.2f} "
        f"(ours {one.ours:.3f} s, reference {one.reference:.3f} s)"
    )
    if args.scale > 1:
        started = time.perf_counter()
        for index in range(1, args.scale):
            more = _claim_data.part(index, args.year, ids, args.placements)
            _claim_data.load_part(url, more)
            parts.append(more)
        print(f"  loaded {args.scale}x in {time.perf_counter() - started:.1f} s", file=sys.stderr)
        big = asyncio.run(_measure(url, scheme, scheme_id, locs, parts, args.rounds))
        line += (
            f"; scaling {args.scale}x data: {big.ours / one.ours:.1f}x time "
            f"(ours {big.ours:.3f} s, reference {big.reference:.3f} s, "
            f"ratio={big.reference / big.ours:.2f})"
        )
    return line


class Timing:
    def __init__(self, ours: float, reference: float) -> None:
        self.ours = ours
        self.reference = reference


async def _measure(
    url: str,
    scheme: _claim_data.Scheme,
    scheme_id: Any,
    locs: list[dict[str, Any]],
    parts: list[_claim_data.Part],
    rounds: int,
) -> Timing:
    settings = _data.local_settings(url)
    nights, expected = _claim_data.expected_total(scheme, locs, parts)
    db = Database(build_engine(settings))
    sql = reference_sql(scheme, settings.is_sqlite)
    lite: sqlite3.Connection | None = None
    pg: Any = None
    if settings.is_sqlite:
        lite = sqlite3.connect(settings.sync_url.database or "")
    else:
        import asyncpg

        dsn = settings.sync_url.set(drivername="postgresql")
        pg = await asyncpg.connect(dsn.render_as_string(hide_password=False))

    async def ours() -> Decimal:
        async with db.sessionmaker() as session:
            result = await compute(
                session, scheme_id=scheme_id, first=scheme.first, last=scheme.last
            )
            return result.total

    async def reference() -> Decimal:
        if lite is not None:
            return cents(lite.execute(sql).fetchone()[0])
        return cents(await pg.fetchval(sql))

    try:
        # The first of each (the check) warms caches, plans and the pool.
        got_ours, got_ref = await ours(), await reference()
        if not got_ours == got_ref == expected:
            raise RuntimeError(
                f"totals differ: ours {got_ours}, reference {got_ref}, expected {expected}"
            )
        print(
            f"  {sum(len(p.stays) for p in parts)} placements, {nights} nights, total {expected}",
            file=sys.stderr,
        )
        sides: dict[str, Callable[[], Awaitable[Decimal]]] = {"ours": ours, "reference": reference}
        times: dict[str, list[float]] = {"ours": [], "reference": []}
        for n in range(rounds):
            for side in ("ours", "reference") if n % 2 == 0 else ("reference", "ours"):
                started = time.perf_counter()
                await sides[side]()
                times[side].append(time.perf_counter() - started)
            print(
                f"  round {n + 1}: ours {times['ours'][-1]:.3f} s, "
                f"reference {times['reference'][-1]:.3f} s",
                file=sys.stderr,
            )
    finally:
        if lite is not None:
            lite.close()
        if pg is not None:
            await pg.close()
        await db.engine.dispose()
    return Timing(statistics.median(times["ours"]), statistics.median(times["reference"]))


if __name__ == "__main__":
    try:
        print(run(sys.argv[1:]))
    except RuntimeError as exc:
        print(f"{NAME}: failed: {exc}", file=sys.stderr)
        sys.exit(1)
