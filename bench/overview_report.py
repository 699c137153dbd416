"""overview_report: the programme manager's morning figures through
``GET /api/v1/reports/overview`` (token, role guard, six statements, serialization) for a
national-scale data set (100,000 participants, 2,000 activities, 1,000,000 attendance
rows) against the same figures from hand-written SQL through the bare driver (asyncpg or
sqlite3). One request at a time, alternating ABBA, median of the rounds; the line's ratio
is reference time / our time (1.0 = as fast as the hand-written SQL; the aim is 0.67).

    python -m bench overview_report [--database postgresql|sqlite] [--url URL] ...
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
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

from api.auth.principal import Principal
from api.auth.tokens import create_access_token
from api.common.calendar import today
from api.config import Settings
from api.models import DutchLevel, EmploymentStatus, Role
from api.reports.overview.router import ATTENDANCE_DAYS, year_before
from bench import _data, _overview_data
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

NAME = "overview_report"
DEFAULT_PG_URL = "postgresql://postgres@127.0.0.1:5432/opvang_bench_overview"

# The hand-written statements, one per section, as someone writing the report in SQL
# would: {on} today, {ws} the attendance window's first day, {first}/{last} the progress
# period, {overdue} the overdue cut-off, {since} the resolved-since cut-off. Placed on a
# day: start_date <= d < end_date (nights).
_PLACED = """
SELECT l.id, l.name, l.kind, p."group", count(DISTINCT pl.participant_id)
FROM placements pl
JOIN locations l ON l.id = pl.location_id
JOIN participants p ON p.id = pl.participant_id
WHERE pl.start_date <= {on} AND (pl.end_date IS NULL OR pl.end_date > {on})
GROUP BY l.id, l.name, l.kind, p."group"
ORDER BY l.name, p."group"
"""
_OCCUPANCY = """
WITH occ AS (
    SELECT location_id, count(*) AS n FROM placements
    WHERE start_date <= {on} AND (end_date IS NULL OR end_date > {on})
    GROUP BY location_id
), cap AS (
    SELECT l.id, l.name, l.kind, coalesce((
        SELECT c.capacity FROM capacity_changes c
        WHERE c.location_id = l.id AND c.valid_from <= {on}
        ORDER BY c.valid_from DESC LIMIT 1), 0) AS capacity
    FROM locations l
    WHERE l.opened_on <= {on} AND (l.closed_on IS NULL OR l.closed_on >= {on})
)
SELECT cap.id, cap.name, cap.kind, cap.capacity, coalesce(occ.n, 0),
    {greatest}(cap.capacity - coalesce(occ.n, 0), 0)
FROM cap LEFT JOIN occ ON occ.location_id = cap.id
ORDER BY cap.name
"""
_OFFERED = "SELECT kind, target_groups FROM activities WHERE ends_on IS NULL OR ends_on >= {on}"
_TAKING_PART = """
SELECT a.kind, count(DISTINCT e.participant_id)
FROM enrollments e JOIN activities a ON a.id = e.activity_id
WHERE e.status IN ('enrolled', 'active') AND (a.ends_on IS NULL OR a.ends_on >= {on})
  AND e.participant_id IN (
    SELECT participant_id FROM placements
    WHERE start_date <= {on} AND (end_date IS NULL OR end_date > {on}))
GROUP BY a.kind
"""
_ATTENDANCE = """
SELECT a.kind, count(*), {count_if}t.status = 'present'{count_if_end}
FROM attendance t JOIN activities a ON a.id = t.activity_id
WHERE t.session_date >= {ws} AND t.session_date <= {on}
GROUP BY a.kind
"""
_SIGNALS = """
SELECT severity, category,
    {count_if}status <> 'resolved'{count_if_end},
    {count_if}status <> 'resolved' AND severity = 'high' AND reported_at < {overdue}{count_if_end},
    {count_if}status = 'resolved' AND resolved_at >= {since}{count_if_end}
FROM signals
WHERE status <> 'resolved' OR resolved_at >= {since}
GROUP BY severity, category
"""
# The latest entry per person on or before a day. PostgreSQL: DISTINCT ON, one sorted
# pass per figure (0.36 s at national scale; correlated look-ups took 1.0 s). SQLite has
# no DISTINCT ON, and there three look-ups per person on the (participant_id, field,
# valid_from) index are the fastest plain SQL (0.78 s; row_number() passes took 1.7 s).
_LATEST_PG = """
    SELECT DISTINCT ON (participant_id) participant_id, value FROM participant_progress
    WHERE field = '{field}' AND valid_from {op} {day}
    ORDER BY participant_id, valid_from DESC, id DESC
"""
_PEOPLE = """
    SELECT p.id, p."group" FROM participants p
    WHERE EXISTS (SELECT 1 FROM placements pl WHERE pl.participant_id = p.id
        AND pl.start_date <= {last} AND (pl.end_date IS NULL OR pl.end_date > {first}))
"""
_PROGRESS_PG = """
WITH people AS ({people}),
start_level AS ({start_level}),
end_level AS ({end_level}),
end_status AS ({end_status})
SELECT people."group", s.value, e.value, st.value, count(*)
FROM people
LEFT JOIN start_level s ON s.participant_id = people.id
LEFT JOIN end_level e ON e.participant_id = people.id
LEFT JOIN end_status st ON st.participant_id = people.id
GROUP BY people."group", s.value, e.value, st.value
"""
_LOOKUP_SQLITE = """(
        SELECT x.value FROM participant_progress x
        WHERE x.participant_id = people.id AND x.field = '{field}' AND x.valid_from {op} {day}
        ORDER BY x.valid_from DESC, x.id DESC LIMIT 1)"""
_PROGRESS_SQLITE = """
WITH people AS ({people})
SELECT grp, start_level, end_level, status, count(*) FROM (
    SELECT people."group" AS grp, {start_level} AS start_level, {end_level} AS end_level,
        {end_status} AS status
    FROM people
)
GROUP BY grp, start_level, end_level, status
"""

PARAMS = ("on", "ws", "first", "last", "overdue", "since")
_CASTS = {"overdue": "timestamptz", "since": "timestamptz"}


def _statements(dialect: str) -> dict[str, tuple[str, list[str]]]:
    """Per section: the SQL for ``dialect`` and the names of its parameters in order
    (asyncpg numbers them ``$1``..``$n``, each used at least once)."""
    marks = {name: f"\x00{name}\x00" for name in PARAMS}
    if dialect == "postgresql":
        latest, progress, greatest = _LATEST_PG, _PROGRESS_PG, "greatest"
        count_if, count_if_end = "count(*) FILTER (WHERE ", ")"
    else:
        latest, progress, greatest = _LOOKUP_SQLITE, _PROGRESS_SQLITE, "max"
        count_if, count_if_end = "coalesce(sum(CASE WHEN ", " THEN 1 ELSE 0 END), 0)"
    fmt = dict(marks, greatest=greatest, count_if=count_if, count_if_end=count_if_end)
    templates = {
        "placed": _PLACED,
        "occupancy": _OCCUPANCY,
        "offered": _OFFERED,
        "taking_part": _TAKING_PART,
        "attendance": _ATTENDANCE,
        "signals": _SIGNALS,
    }
    marked = {name: template.format(**fmt) for name, template in templates.items()}
    marked["progress"] = progress.format(
        people=_PEOPLE.format(first=marks["first"], last=marks["last"]),
        start_level=latest.format(field="dutch_level", op="<", day=marks["first"]),
        end_level=latest.format(field="dutch_level", op="<=", day=marks["last"]),
        end_status=latest.format(field="employment_status", op="<=", day=marks["last"]),
    )
    answer: dict[str, tuple[str, list[str]]] = {}
    for section, sql in marked.items():
        used = sorted((n for n in PARAMS if marks[n] in sql), key=lambda n: sql.index(marks[n]))
        for number, name in enumerate(used, start=1):
            if dialect == "postgresql":
                placeholder = f"${number}::{_CASTS.get(name, 'date')}"
            else:
                placeholder = f":{name}"
            sql = sql.replace(marks[name], placeholder)
        answer[section] = (sql, used)
    return answer


@dataclass(frozen=True)
class Period:
    on: date
    window_start: date
    first: date
    overdue: datetime
    since: datetime

    @classmethod
    def now(cls, overdue_days: int) -> Period:
        on, moment = today(), datetime.now(UTC)
        return cls(
            on=on,
            window_start=on - timedelta(days=ATTENDANCE_DAYS - 1),
            first=year_before(on),
            overdue=moment - timedelta(days=overdue_days),
            since=moment - timedelta(days=365),
        )


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog=f"python -m bench {NAME}", description=__doc__)
    parser.add_argument("--database", choices=["postgresql", "sqlite"], default="postgresql")
    parser.add_argument("--url", help=f"database URL (default {DEFAULT_PG_URL} or a temp file)")
    parser.add_argument("--participants", type=int, default=100_000)
    parser.add_argument("--locations", type=int, default=200)
    parser.add_argument("--activities", type=int, default=2_000)
    parser.add_argument("--enrollments", type=int, default=150_000)
    parser.add_argument("--attendance", type=int, default=1_000_000)
    parser.add_argument("--signals", type=int, default=3_000)
    parser.add_argument("--rounds", type=int, default=5, help="timed requests per side")
    return parser.parse_args(argv)


class Reference:
    """The hand-written statements on one open connection, as a server's pool holds."""

    def __init__(self, url: str) -> None:
        self.settings = _data.local_settings(url)
        self.loop = asyncio.new_event_loop()
        self.pg: Any = None
        self.lite: sqlite3.Connection | None = None
        if self.settings.is_sqlite:
            self.lite = sqlite3.connect(self.settings.sync_url.database or "")
            self.sql = _statements("sqlite")
        else:
            import asyncpg

            dsn = self.settings.sync_url.set(drivername="postgresql")
            self.pg = self.loop.run_until_complete(
                asyncpg.connect(dsn.render_as_string(hide_password=False))
            )
            self.sql = _statements("postgresql")

    def rows(self, period: Period) -> dict[str, list[Any]]:
        if self.lite is not None:
            params = {
                "on": period.on.isoformat(),
                "ws": period.window_start.isoformat(),
                "first": period.first.isoformat(),
                "last": period.on.isoformat(),
                # As SQLAlchemy stores an aware UTC datetime on SQLite.
                "overdue": _sqlite_moment(period.overdue),
                "since": _sqlite_moment(period.since),
            }
            lite = self.lite
            return {
                name: lite.execute(sql, {k: params[k] for k in used}).fetchall()
                for name, (sql, used) in self.sql.items()
            }
        return self.loop.run_until_complete(self._pg_rows(period))

    async def _pg_rows(self, period: Period) -> dict[str, list[Any]]:
        values = {
            "on": period.on,
            "ws": period.window_start,
            "first": period.first,
            "last": period.on,
            "overdue": period.overdue,
            "since": period.since,
        }
        answer: dict[str, list[Any]] = {}
        for name, (sql, used) in self.sql.items():
            answer[name] = list(await self.pg.fetch(sql, *(values[k] for k in used)))
        return answer

    def close(self) -> None:
        if self.lite is not None:
            self.lite.close()
        if self.pg is not None:
            self.loop.run_until_complete(self.pg.close())
        self.loop.close()


def _sqlite_moment(moment: datetime) -> str:
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")


RANK = {level.value: i for i, level in enumerate(DutchLevel)}
WORKING = {EmploymentStatus.part_time.value, EmploymentStatus.full_time.value}


def reference_figures(rows: dict[str, list[Any]]) -> dict[str, Any]:
    """The totals compared with ours, summed by hand from the reference's rows."""
    by_group: dict[str, int] = defaultdict(int)
    for *_location, group, count in rows["placed"]:
        by_group[str(group)] += int(count)
    offered: dict[str, int] = defaultdict(int)
    for kind, _targets in rows["offered"]:
        offered[str(kind)] += 1
    progress = {"participants": 0, "movedUp": 0, "atB1OrHigher": 0, "working": 0}
    for _group, start, end, status, count in rows["progress"]:
        progress["participants"] += count
        progress["movedUp"] += count if RANK[end or "none"] > RANK[start or "none"] else 0
        progress["atB1OrHigher"] += count if RANK[end or "none"] >= RANK["B1"] else 0
        progress["working"] += count if status in WORKING else 0
    return {
        "participants": sum(by_group.values()),
        "by_group": dict(sorted(by_group.items())),
        "occupancy": tuple(sum(int(r[i]) for r in rows["occupancy"]) for i in (3, 4, 5)),
        "activities": dict(sorted(offered.items())),
        "taking_part": {str(k): int(n) for k, n in sorted(rows["taking_part"])},
        "attendance": {str(k): (int(r), int(p)) for k, r, p in sorted(rows["attendance"])},
        "signals": (
            sum(int(r[2]) for r in rows["signals"]),
            sum(int(r[3]) for r in rows["signals"]),
        ),
        "progress": progress,
    }


def our_figures(body: dict[str, Any]) -> dict[str, Any]:
    total = body["progress"]["total"]
    occupancy = body["occupancy"]["total"]
    return {
        "participants": body["participants"]["total"],
        "by_group": {g["group"]: g["count"] for g in body["participants"]["byGroup"] if g["count"]},
        "occupancy": (occupancy["capacity"], occupancy["occupied"], occupancy["free"]),
        "activities": {
            p["kind"]: p["activities"] for p in body["participation"] if p["activities"]
        },
        "taking_part": {
            p["kind"]: p["participants"] for p in body["participation"] if p["participants"]
        },
        "attendance": {
            k["kind"]: (k["recorded"], k["present"])
            for k in body["attendance"]["kinds"]
            if k["recorded"]
        },
        "signals": (body["signals"]["open"], body["signals"]["overdue"]),
        "progress": {
            key: total[key] for key in ("participants", "movedUp", "atB1OrHigher", "working")
        },
    }


def _sorted(figures: dict[str, Any]) -> dict[str, Any]:
    return {k: dict(sorted(v.items())) if isinstance(v, dict) else v for k, v in figures.items()}


def prepare(args: argparse.Namespace, workdir: Path) -> tuple[str, _data.BenchData, int]:
    if args.url:
        url = _data.database_url(args.database, args.url, workdir)
    elif args.database == "sqlite":
        url = f"sqlite:///{workdir / 'bench_overview.db'}"
    else:
        url = DEFAULT_PG_URL
    print(f"{NAME}: preparing {url}", file=sys.stderr)
    started = time.perf_counter()
    bench_data = _data.prepare(url, partners=20)
    data = _overview_data.generate(
        participants=args.participants,
        locations=args.locations,
        activities=args.activities,
        enrollments=args.enrollments,
        attendance=args.attendance,
        signals=args.signals,
    )
    generated = time.perf_counter()
    _overview_data.load(url, data)
    print(
        f"{NAME}: generated in {generated - started:.1f} s, loaded in "
        f"{time.perf_counter() - generated:.1f} s",
        file=sys.stderr,
    )
    return url, bench_data, data.placed_today()


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
    overdue_days = Settings.model_fields["signal_overdue_days"].default
    with tempfile.TemporaryDirectory(prefix="opvang-bench-") as tmp:
        workdir = Path(tmp)
        url, bench_data, placed = prepare(args, workdir)
        reference = Reference(url)
        servers: list[Server] = []
        try:
            period = Period.now(overdue_days)
            expected = reference_figures(reference.rows(period))
            if expected["participants"] != placed:
                raise RuntimeError(
                    f"reference counts {expected['participants']} placed today, the data {placed}"
                )
            secret = secrets.token_urlsafe(48)
            ours = _start_ours(url, secret, workdir, servers, overdue_days)
            settings = Settings(
                database_url=url,
                secret_key=secret,
                environment="production",
                access_token_ttl_seconds=TOKEN_TTL_SECONDS,
            )
            token, _ = create_access_token(
                settings, Principal(kind="user", id=bench_data.admin_id, role=Role.admin)
            )
            target = f"{ours.base_url}/api/v1/reports/overview"
            headers = {"Authorization": f"Bearer {token}"}
            with httpx.Client(headers=headers, timeout=600) as http:
                answer = http.get(target)
                answer.raise_for_status()
                got = _sorted(our_figures(answer.json()))
                want = _sorted(expected)
                if got != want:
                    diff = {k: (got[k], want[k]) for k in want if got.get(k) != want[k]}
                    raise RuntimeError(f"ours differs from the reference (ours, reference): {diff}")
                ours_times, ref_times = _measure(args.rounds, http, target, reference, overdue_days)
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


def _start_ours(
    url: str, secret: str, workdir: Path, servers: list[Server], overdue_days: int
) -> Server:
    port = free_port()
    env = server_env(url, secret, signal_overdue_days=str(overdue_days))
    command = [venv_script("opvang"), "serve", "--port", str(port)]
    server = start_server("ours", command, port=port, env=env, log_dir=workdir)
    servers.append(server)
    wait_until_up(server, "/api/v1/health")
    return server


def _measure(
    rounds: int, http: httpx.Client, target: str, reference: Reference, overdue_days: int
) -> tuple[list[float], list[float]]:
    """Alternate the two (ABBA), one request or set of statements at a time; the first
    of each (the verification above) has warmed caches and plans."""
    ours: list[float] = []
    ref: list[float] = []
    for n in range(rounds):
        for side in ("ours", "reference") if n % 2 == 0 else ("reference", "ours"):
            started = time.perf_counter()
            if side == "ours":
                http.get(target).raise_for_status()  # the whole body read, not parsed
                ours.append(time.perf_counter() - started)
            else:
                reference.rows(Period.now(overdue_days))
                ref.append(time.perf_counter() - started)
        print(f"  round {n + 1}: ours {ours[-1]:.3f} s, reference {ref[-1]:.3f} s", file=sys.stderr)
    return ours, ref


if __name__ == "__main__":
    try:
        print(run(sys.argv[1:]))
    except RuntimeError as exc:
        print(f"{NAME}: failed: {exc}", file=sys.stderr)
        sys.exit(1)
