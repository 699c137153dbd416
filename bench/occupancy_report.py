"""occupancy_report: a year's daily occupancy of 200 locations over 100,000 placements
through ``GET /api/v1/reports/occupancy`` (token, role guard, SQL, serialization) against
the fastest hand-written SQL for the same rows through the bare driver (asyncpg or
sqlite3): a sweep over start and end events with a running SUM, expanded to days with
a calendar. One request at a time, alternating, median of the rounds; the line's ratio
is reference time / our time (1.0 = as fast as the hand-written query).

    python -m bench occupancy_report [--database postgresql|sqlite] [--url URL] ...
"""

from __future__ import annotations

import argparse
import asyncio
import secrets
import signal
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

import httpx

from api.auth.principal import Principal
from api.auth.tokens import create_access_token
from api.common.calendar import today
from api.config import Settings
from api.models import Role
from bench import _data, _occupancy_data
from bench._harness import (
    TOKEN_TTL_SECONDS,
    Server,
    free_port,
    server_env,
    start_server,
    stop_on_sigterm,
    stop_server,
    venv_script,
    wait_until_up,
)

NAME = "occupancy_report"
DEFAULT_PG_URL = "postgresql://postgres@127.0.0.1:5432/opvang_bench_occ"

# Every open day of every location gets a zero event, so one ordered pass of the running
# sums yields every row; capacity changes enter as differences with the previous one.
# Days: opened_on <= d <= closed_on, as api/occupancy.py counts them.
_REFERENCE = """
WITH RECURSIVE calendar(d) AS (
    SELECT {first} UNION ALL SELECT {next_day} FROM calendar WHERE d < {last}
),
history AS (
    SELECT location_id, valid_from, capacity - coalesce(lag(capacity) OVER
        (PARTITION BY location_id ORDER BY valid_from), 0) AS delta
    FROM capacity_changes
),
events(location_id, d, occ, cap, is_day) AS (
    SELECT location_id, {greatest}(start_date, {first}), 1, 0, 0 FROM placements
        WHERE start_date <= {last} AND (end_date IS NULL OR end_date > {first})
    UNION ALL
    SELECT location_id, end_date, -1, 0, 0 FROM placements
        WHERE end_date > {first} AND end_date <= {last}
    UNION ALL
    SELECT location_id, {greatest}(valid_from, {first}), 0, delta, 0 FROM history
        WHERE valid_from <= {last}
    UNION ALL
    SELECT l.id, c.d, 0, 0, 1 FROM locations l JOIN calendar c
        ON c.d >= l.opened_on AND (l.closed_on IS NULL OR c.d <= l.closed_on)
),
swept AS (
    SELECT location_id, d, max(is_day) AS is_day,
        sum(sum(occ)) OVER w AS occupied, sum(sum(cap)) OVER w AS capacity
    FROM events GROUP BY location_id, d
    WINDOW w AS (PARTITION BY location_id ORDER BY d)
)
SELECT location_id, d, {int}(capacity), {int}(occupied), {int}(capacity - occupied)
FROM swept WHERE is_day = 1 ORDER BY location_id, d
"""
REFERENCE_PG = _REFERENCE.format(
    first="$1::date", last="$2::date", next_day="(d + 1)::date", greatest="greatest", int="int4"
)
REFERENCE_SQLITE = _REFERENCE.format(
    first=":first", last=":last", next_day="date(d, '+1 day')", greatest="max", int=""
)

Totals = tuple[int, int, int]  # rows, Σ capacity, Σ occupied


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog=f"python -m bench {NAME}", description=__doc__)
    parser.add_argument("--database", choices=["postgresql", "sqlite"], default="postgresql")
    parser.add_argument("--url", help=f"database URL (default {DEFAULT_PG_URL} or a temp file)")
    parser.add_argument("--locations", type=int, default=200)
    parser.add_argument("--placements", type=int, default=100_000)
    parser.add_argument("--year", type=int, default=today().year - 1)
    parser.add_argument("--rounds", type=int, default=5, help="timed requests per side")
    return parser.parse_args(argv)


class Reference:
    """The hand-written query on one open connection, as a server's pool would hold."""

    def __init__(self, url: str) -> None:
        self.settings = _data.local_settings(url)
        self.loop = asyncio.new_event_loop()
        self.pg: Any = None
        self.lite: sqlite3.Connection | None = None
        if self.settings.is_sqlite:
            self.lite = sqlite3.connect(self.settings.sync_url.database or "")
        else:
            import asyncpg

            dsn = self.settings.sync_url.set(drivername="postgresql")
            self.pg = self.loop.run_until_complete(
                asyncpg.connect(dsn.render_as_string(hide_password=False))
            )

    def rows(self, first: date, last: date) -> list[Any]:
        if self.lite is not None:
            params = {"first": first.isoformat(), "last": last.isoformat()}
            return self.lite.execute(REFERENCE_SQLITE, params).fetchall()
        result: list[Any] = self.loop.run_until_complete(self.pg.fetch(REFERENCE_PG, first, last))
        return result

    def close(self) -> None:
        if self.lite is not None:
            self.lite.close()
        if self.pg is not None:
            self.loop.run_until_complete(self.pg.close())
        self.loop.close()


def totals(rows: list[Any]) -> Totals:
    return len(rows), sum(r[2] for r in rows), sum(r[3] for r in rows)


def api_totals(body: Any) -> Totals:
    items = body["items"] if isinstance(body, dict) else body
    return len(items), sum(i["capacity"] for i in items), sum(i["occupied"] for i in items)


def prepare(args: argparse.Namespace, workdir: Path) -> tuple[str, _data.BenchData, Totals]:
    if args.url:
        url = _data.database_url(args.database, args.url, workdir)
    elif args.database == "sqlite":
        url = f"sqlite:///{workdir / 'bench_occ.db'}"
    else:
        url = DEFAULT_PG_URL
    print(f"{NAME}: preparing {url}", file=sys.stderr)
    bench_data = _data.prepare(url, partners=5)
    data = _occupancy_data.generate(args.year, locations=args.locations, placements=args.placements)
    _occupancy_data.load(url, data)
    return url, bench_data, data.expected_totals()


def run(argv: list[str]) -> str:
    args = parse_args(argv)
    if args.rounds < 1:
        raise ValueError("--rounds must be at least 1")
    previous = signal.signal(signal.SIGTERM, stop_on_sigterm)
    try:
        return _run(args)
    finally:
        signal.signal(signal.SIGTERM, previous)


def _run(args: argparse.Namespace) -> str:
    first, last = date(args.year, 1, 1), date(args.year, 12, 31)
    with tempfile.TemporaryDirectory(prefix="opvang-bench-") as tmp:
        workdir = Path(tmp)
        url, bench_data, expected = prepare(args, workdir)
        reference = Reference(url)
        servers: list[Server] = []
        try:
            got = totals(reference.rows(first, last))
            if got != expected:
                raise RuntimeError(f"reference totals {got} differ from the data's {expected}")
            secret = secrets.token_urlsafe(48)
            ours = _start_ours(url, secret, workdir, servers)
            settings = Settings(
                database_url=url,
                secret_key=secret,
                environment="production",
                access_token_ttl_seconds=TOKEN_TTL_SECONDS,
            )
            token, _ = create_access_token(
                settings, Principal(kind="user", id=bench_data.admin_id, role=Role.admin)
            )
            target = f"{ours.base_url}/api/v1/reports/occupancy?from={first}&to={last}"
            headers = {"Authorization": f"Bearer {token}"}
            with httpx.Client(headers=headers, timeout=600) as http:
                answer = http.get(target)
                if answer.status_code == 404:
                    raise RuntimeError(
                        "GET /api/v1/reports/occupancy answers 404: the report endpoint "
                        f"does not exist yet (reference alone: {expected[0]} rows)"
                    )
                answer.raise_for_status()
                if api_totals(answer.json()) != expected:
                    raise RuntimeError(
                        f"ours totals {api_totals(answer.json())} differ from {expected}"
                    )
                ours_times, ref_times = _measure(args.rounds, http, target, reference, first, last)
        except Exception:
            for server in servers:
                print(f"--- {server.name} log ---\n{server.log_tail()}", file=sys.stderr)
            raise
        finally:
            for server in servers:
                stop_server(server)
            reference.close()
    ours_s, ref_s = statistics.median(ours_times), statistics.median(ref_times)
    return f"{NAME}: ratio={ref_s / ours_s:.2f} (ours {ours_s:.3f} s, reference {ref_s:.3f} s)"


def _start_ours(url: str, secret: str, workdir: Path, servers: list[Server]) -> Server:
    port = free_port()
    env = server_env(url, secret)
    command = [venv_script("opvang"), "serve", "--port", str(port)]
    server = start_server("ours", command, port=port, env=env, log_dir=workdir)
    servers.append(server)
    wait_until_up(server, "/api/v1/health")
    return server


def _measure(
    rounds: int, http: httpx.Client, target: str, reference: Reference, first: date, last: date
) -> tuple[list[float], list[float]]:
    """Alternate the two (ABBA), one request or query at a time; the first of each
    (above, and the verification) has warmed caches and plans."""
    ours: list[float] = []
    ref: list[float] = []
    for n in range(rounds):
        for side in ("ours", "reference") if n % 2 == 0 else ("reference", "ours"):
            started = time.perf_counter()
            if side == "ours":
                http.get(target).raise_for_status()  # the whole body read, not parsed
                ours.append(time.perf_counter() - started)
            else:
                reference.rows(first, last)
                ref.append(time.perf_counter() - started)
        print(f"  round {n + 1}: ours {ours[-1]:.3f} s, reference {ref[-1]:.3f} s", file=sys.stderr)
    return ours, ref


if __name__ == "__main__":
    try:
        print(run(sys.argv[1:]))
    except RuntimeError as exc:
        print(f"{NAME}: failed: {exc}", file=sys.stderr)
        sys.exit(1)
