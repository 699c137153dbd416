"""bulk_import: ``POST /api/v1/imports/participants`` of a 100,000-row semicolon CSV
(Dutch dates and headers) to a running ``opvang serve``, against loading the same rows,
already typed, into a plain table with the fastest bare-driver path: asyncpg's ``COPY``
on PostgreSQL, ``sqlite3.executemany`` on SQLite. Ours includes the upload, parsing,
validation with the API's schema, staging, the rule checks, the upsert and the change
feed; the plain reference includes none of that. On PostgreSQL a fair reference too:
``COPY`` of the same rows, ready-made, into the migrated schema (its indexes and
constraints), with the two progress rows and the change-feed row each that the import
writes (``_import_data.fair_copy``, rolled back, run before ours on the same database).
The line's ratios are ours rows/s over each reference's (aims: 0.5 of the fair COPY,
0.5 of executemany). A second measurement imports a
placement for each of those people (by reference and location name), with the rules
checked set-wise. Peak memory is the server's VmHWM, each size on a fresh server after
a small warm-up import; the aim is the same peak for 100,000 rows as for 10,000.

    python -m bench bulk_import [--database postgresql|sqlite] [--url URL]
                                [--sizes 10000,100000] [--no-placements]
"""

from __future__ import annotations

import argparse
import asyncio
import secrets
import signal
import sqlite3
import sys
import tempfile
import time
import uuid
from datetime import date
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import create_engine, insert

from api.auth.principal import Principal
from api.auth.tokens import create_access_token
from api.config import Settings
from api.models import CapacityChange, Location, LocationKind, Role, utcnow
from bench import _data, _import_data
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

NAME = "bulk_import"
DEFAULT_PG_URL = "postgresql://postgres@127.0.0.1:5432/opvang_bench_import"
LOCATIONS = 200


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog=f"python -m bench {NAME}", description=__doc__)
    parser.add_argument("--database", choices=["postgresql", "sqlite"], default="postgresql")
    parser.add_argument("--url", help=f"database URL (default {DEFAULT_PG_URL} or a temp file)")
    parser.add_argument("--sizes", default="10000,100000", help="rows per measured import")
    parser.add_argument("--no-placements", action="store_true", help="participants only")
    return parser.parse_args(argv)


def run(argv: list[str]) -> str:
    args = parse_args(argv)
    previous = signal.signal(signal.SIGTERM, stop_on_sigterm)
    try:
        return _run(args)
    finally:
        signal.signal(signal.SIGTERM, previous)


def _locations(url: str, operator: uuid.UUID) -> list[str]:
    """Places enough for everyone: 200 locations of 1,000 places each."""
    settings = _data.local_settings(url)
    now = utcnow()
    names = [f"Benchlocatie {i:03d}" for i in range(LOCATIONS)]
    ids = [uuid.uuid4() for _ in names]
    engine = create_engine(settings.sync_url)
    try:
        with engine.begin() as conn:
            conn.execute(
                insert(Location),
                [
                    {
                        "id": ids[i],
                        "name": name,
                        "address": f"Benchstraat {i}",
                        "postcode": "2101 AA",
                        "kind": LocationKind.municipal_ukrainian,
                        "operator_partner_id": operator,
                        "opened_on": date(2022, 1, 1),
                        "version": 1,
                        "created_at": now,
                        "updated_at": now,
                    }
                    for i, name in enumerate(names)
                ],
            )
            conn.execute(
                insert(CapacityChange),
                [
                    {
                        "location_id": i,
                        "valid_from": date(2022, 1, 1),
                        "capacity": 1000,
                        "version": 1,
                        "created_at": now,
                        "updated_at": now,
                    }
                    for i in ids
                ],
            )
    finally:
        engine.dispose()
    return names


def _reference(url: str, rows: list[tuple[Any, ...]]) -> float:
    """Seconds to load the typed rows into a fresh plain table, bare driver."""
    settings = _data.local_settings(url)
    table = f"bench_plain_{uuid.uuid4().hex[:8]}"
    if settings.is_sqlite:
        conn = sqlite3.connect(settings.sync_url.database or "")
        try:
            conn.execute(_import_data.PLAIN_PG.format(name=table))
            conn.commit()
            marks = ", ".join("?" * len(_import_data.PLAIN_COLUMNS))
            started = time.perf_counter()
            conn.executemany(f"INSERT INTO {table} VALUES ({marks})", rows)
            conn.commit()
            elapsed = time.perf_counter() - started
            conn.execute(f"DROP TABLE {table}")
            conn.commit()
        finally:
            conn.close()
        return elapsed

    async def copy() -> float:
        import asyncpg

        dsn = settings.sync_url.set(drivername="postgresql")
        conn = await asyncpg.connect(dsn.render_as_string(hide_password=False))
        try:
            await conn.execute(_import_data.PLAIN_PG.format(name=table))
            started = time.perf_counter()
            await conn.copy_records_to_table(
                table, records=rows, columns=_import_data.PLAIN_COLUMNS
            )
            elapsed = time.perf_counter() - started
            await conn.execute(f"DROP TABLE {table}")
            return elapsed
        finally:
            await conn.close()

    return asyncio.run(copy())


def _fair(url: str, rows: list[tuple[Any, ...]]) -> float:
    """Seconds of ``_import_data.fair_copy`` (PostgreSQL): what the import must write at
    minimum, copied ready-made into the migrated schema."""
    dsn = _data.local_settings(url).sync_url.set(drivername="postgresql")
    return asyncio.run(_import_data.fair_copy(dsn.render_as_string(hide_password=False), rows))


def _peak_mib(server: Server) -> float:
    for line in Path(f"/proc/{server.process.pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _post(http: httpx.Client, server: Server, kind: str, path: Path) -> tuple[float, Any]:
    started = time.perf_counter()
    with path.open("rb") as f:
        answer = http.post(
            f"{server.base_url}/api/v1/imports/{kind}", files={"file": (path.name, f, "text/csv")}
        )
    elapsed = time.perf_counter() - started
    if answer.status_code != 200:
        raise RuntimeError(f"import of {kind} answered {answer.status_code}: {answer.text[:500]}")
    return elapsed, answer.json()


def _run(args: argparse.Namespace) -> str:
    sizes = [int(s) for s in args.sizes.split(",")]
    with tempfile.TemporaryDirectory(prefix="opvang-bench-") as tmp:
        workdir = Path(tmp)
        if args.url:
            url = _data.database_url(args.database, args.url, workdir)
        elif args.database == "sqlite":
            url = f"sqlite:///{workdir / 'bench_import.db'}"
        else:
            url = DEFAULT_PG_URL
        print(f"{NAME}: preparing {url}", file=sys.stderr)
        data = _data.prepare(url, partners=5)
        names = _locations(url, data.partner_id)
        secret = secrets.token_urlsafe(48)
        settings = Settings(
            database_url=url,
            secret_key=secret,
            environment="production",
            access_token_ttl_seconds=TOKEN_TTL_SECONDS,
        )
        token, _ = create_access_token(
            settings, Principal(kind="user", id=data.admin_id, role=Role.admin)
        )
        parts: list[str] = []
        peaks: list[str] = []
        for size in sizes:
            prefix = f"B{size}"
            people = workdir / f"participants-{size}.csv"
            typed = _import_data.participants(people, size, prefix)
            stays = workdir / f"placements-{size}.csv"
            _import_data.placements(stays, size, prefix, names)
            warm = workdir / f"warm-{size}.csv"
            _import_data.participants(warm, 100, f"W{size}")
            # The fair reference first, rolled back: on the database ours then meets.
            fair = None if settings.is_sqlite else _fair(url, typed)
            server = _start_ours(url, secret, workdir)
            try:
                with httpx.Client(headers={"Authorization": f"Bearer {token}"}, timeout=900) as h:
                    _post(h, server, "participants", warm)
                    base = _peak_mib(server)
                    ours, answer = _post(h, server, "participants", people)
                    if answer["created"] != size:
                        raise RuntimeError(f"created {answer['created']} of {size}")
                    after_people = _peak_mib(server)
                    line = ""
                    if not args.no_placements:
                        ours_pl, answer = _post(h, server, "placements", stays)
                        if answer["created"] != size:
                            raise RuntimeError(f"placements created {answer['created']}")
                        line = f"; placements {size / ours_pl:,.0f} rows/s ({ours_pl:.2f} s)"
                    peak = _peak_mib(server)
            except Exception:
                print(f"--- server log ---\n{server.log_tail()}", file=sys.stderr)
                raise
            finally:
                stop_server(server)
            ref = _reference(url, typed)
            ratio = ref / ours
            fair_part = (
                ""
                if fair is None
                else f"; vs fair COPY (same schema, progress and change rows) "
                f"{size / fair:,.0f} rows/s ({fair:.2f} s): fair ratio={fair / ours:.2f}"
            )
            parts.append(
                f"{size:,} participants {size / ours:,.0f} rows/s ({ours:.2f} s) vs plain "
                f"{'executemany' if settings.is_sqlite else 'COPY'} {size / ref:,.0f} rows/s "
                f"({ref:.2f} s): plain ratio={ratio:.2f}{fair_part}{line}"
            )
            peaks.append(f"{size:,}: {base:.0f} -> {after_people:.0f} -> {peak:.0f} MiB")
            print(f"  {parts[-1]}; peak {peaks[-1]}", file=sys.stderr)
    engine = "sqlite" if settings.is_sqlite else "postgresql"
    return f"{NAME} ({engine}): " + " | ".join(parts) + " | peak VmHWM " + ", ".join(peaks)


def _start_ours(url: str, secret: str, workdir: Path) -> Server:
    port = free_port()
    env = server_env(url, secret, webhooks_enabled="false")
    command = [venv_script("opvang"), "serve", "--port", str(port)]
    server = start_server("ours", command, port=port, env=env, log_dir=workdir)
    try:
        wait_until_up(server, "/api/v1/health")
    except Exception:
        stop_server(server)
        raise
    return server


if __name__ == "__main__":
    try:
        print(run(sys.argv[1:]))
    except RuntimeError as exc:
        print(f"{NAME}: failed: {exc}", file=sys.stderr)
        sys.exit(1)
