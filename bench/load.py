"""load: the service under a realistic mix at rising concurrency, until it saturates.

``opvang serve --workers N`` on a fresh database (PostgreSQL, or with ``--database
sqlite`` a temporary SQLite file, 1 worker by default) loaded with the demo data
(``opvang migrate && opvang seed-demo``) plus a COA with 40 locations and an API client.
Simulated users (each sending its next request when the last is answered) send ~70%
dashboard reads, ~25% partner event batches of 20 and ~5% small imports, at 1, 2, 4, ...
users, a fixed time per step. Per step: throughput, p50/p95/p99 latency and errors
(non-2xx by status, transport errors). The saturation point is the first step whose
throughput rose by no more than 5% over the best before it, or whose p99 passed 1 s.
Target 127.0.0.1 only; stops by itself (a fixed number of fixed-length steps).

Every batch and import adds people, so by default each step runs on more data than the
one before (by the 16-user step about 12,000 more participants than the demo's 460). With
``--same-data`` each step starts from the prepared database again (PostgreSQL: a copy of
it made once, restored before each step; SQLite: the file), with the server restarted
and warmed: the steps then differ in concurrency only.

    python -m bench load [--database postgresql|sqlite] [--url URL] [--workers 2|1]
                         [--steps 1,2,4,8,16,32,64]
                         [--step-seconds 15] [--all-steps] [--same-data]

Last line: ``load: saturation at C users (X req/s, p99 Y ms), errors below saturation: E``.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from api.auth.principal import Principal
from api.auth.tokens import create_access_token
from api.config import Settings
from api.models import Role
from bench import _partner_events_data
from bench._data import local_settings
from bench._harness import (
    ROOT,
    TOKEN_TTL_SECONDS,
    Server,
    clean_env,
    free_port,
    server_env,
    start_server,
    stop_on_sigterm,
    stop_server,
    venv_script,
    wait_until_up,
)
from bench._load_mix import Scene, StepResult, run_step, saturation

NAME = "load"
DEFAULT_PG_URL = "postgresql://postgres@127.0.0.1:5432/opvang_bench_load"


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog=f"python -m bench {NAME}", description=__doc__)
    parser.add_argument("--database", choices=["postgresql", "sqlite"], default="postgresql")
    parser.add_argument(
        "--url", help=f"PostgreSQL database, wiped (default {DEFAULT_PG_URL}; SQLite: a temp file)"
    )
    parser.add_argument("--workers", type=int, help="opvang serve --workers (default 2; SQLite 1)")
    parser.add_argument("--steps", default="1,2,4,8,16,32,64", help="concurrent users per step")
    parser.add_argument("--step-seconds", type=float, default=15.0)
    parser.add_argument("--log-dir", type=Path, help="keep the server's log there (else dropped)")
    parser.add_argument("--p99-limit-ms", type=float, default=1000.0)
    parser.add_argument("--gain", type=float, default=0.05, help="least rise that is not flat")
    parser.add_argument(
        "--all-steps", action="store_true", help="run every step (else stop one past saturation)"
    )
    parser.add_argument(
        "--same-data",
        action="store_true",
        help="start every step from the prepared data (else each step adds to the last's)",
    )
    args = parser.parse_args(argv)
    args.step_list = [int(s) for s in args.steps.split(",") if s.strip()]
    if not args.step_list or min(args.step_list) < 1 or args.step_seconds <= 0:
        parser.error("--steps needs positive user counts and --step-seconds a positive time")
    sqlite = args.database == "sqlite"
    if args.workers is None:
        args.workers = 1 if sqlite else 2
    if sqlite and args.url is not None:
        parser.error("--database sqlite uses a temporary file; --url is for PostgreSQL")
    if not sqlite:
        args.url = args.url or DEFAULT_PG_URL
        name = make_url(args.url).database or ""
        if make_url(args.url).get_backend_name() != "postgresql" or "bench" not in name:
            parser.error(f"refusing {args.url}: a PostgreSQL database whose name holds 'bench'")
    return args


def run(argv: list[str]) -> str:
    args = parse_args(argv)
    previous = signal.signal(signal.SIGTERM, stop_on_sigterm)
    try:
        return _run(args)
    finally:
        signal.signal(signal.SIGTERM, previous)


def _prepare(url: str) -> tuple[uuid.UUID, uuid.UUID, int]:
    """Wipe, migrate, seed the demo data; (admin user id, COA partner id, participants)."""
    settings = local_settings(url)
    if not settings.is_sqlite:  # a SQLite file is new (a temporary directory)
        from tests.support.pg_reset import reset

        reset(url)
    env = clean_env() | {"OPVANG_DATABASE_URL": url, "OPVANG_ENVIRONMENT": "development"}
    for command in (["migrate"], ["seed-demo"]):
        subprocess.run(
            [venv_script("opvang"), *command], cwd=ROOT, env=env, check=True, capture_output=True
        )
    engine = create_engine(settings.sync_url)
    try:
        with engine.connect() as conn:
            admin = conn.execute(
                text("SELECT id FROM users WHERE role = 'admin' ORDER BY email LIMIT 1")
            ).fetchone()
            coa = conn.execute(
                text("SELECT id FROM partners WHERE kind = 'coa' LIMIT 1")
            ).fetchone()
            people = conn.execute(text("SELECT count(*) FROM participants")).fetchone()
    finally:
        engine.dispose()
    if admin is None or coa is None or people is None:
        raise RuntimeError("the demo data has no admin user or no COA")
    return uuid.UUID(str(admin[0])), uuid.UUID(str(coa[0])), int(people[0])


def _serve(args: argparse.Namespace, env: dict[str, str], log_dir: Path) -> Server:
    port = free_port()
    command = [venv_script("opvang"), "serve", "--port", str(port), "--workers", str(args.workers)]
    server = start_server("ours", command, port=port, env=env, log_dir=log_dir)
    try:
        wait_until_up(server, "/api/v1/health")
    except Exception:
        print(f"--- server log ---\n{server.log_tail()}", file=sys.stderr)
        stop_server(server)
        raise
    return server


class _Snapshot:
    """The prepared database, kept to start each step from (the server is stopped
    while it is restored): PostgreSQL a template database, SQLite a copy of the file."""

    def __init__(self, url: str) -> None:
        self.url = make_url(url)
        if self.url.get_backend_name() == "sqlite":
            self.file = Path(self.url.database or "")
            self.copy = self.file.with_suffix(".start")
            shutil.copyfile(self.file, self.copy)
            return
        self.name = self.url.database or ""
        self.start = f"{self.name}_start"
        self._admin(f'DROP DATABASE IF EXISTS "{self.start}"')
        self._admin(f'CREATE DATABASE "{self.start}" TEMPLATE "{self.name}"')

    def _admin(self, statement: str) -> None:
        admin = self.url.set(drivername="postgresql+psycopg", database="postgres")
        engine = create_engine(admin, isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as conn:
                conn.execute(text(statement))
        finally:
            engine.dispose()

    def restore(self) -> None:
        if self.url.get_backend_name() == "sqlite":
            for extra in ("-wal", "-shm"):
                Path(f"{self.file}{extra}").unlink(missing_ok=True)
            shutil.copyfile(self.copy, self.file)
            return
        self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
        self._admin(f'CREATE DATABASE "{self.name}" TEMPLATE "{self.start}"')

    def drop(self) -> None:
        if self.url.get_backend_name() == "sqlite":
            self.copy.unlink(missing_ok=True)
            return
        self._admin(f'DROP DATABASE IF EXISTS "{self.start}"')


def _line(step: StepResult) -> str:
    errors = ", ".join(f"{k}: {v}" for k, v in sorted(step.errors.items())) or "none"
    return (
        f"load: {step.users:3d} users  {step.throughput:7.1f} req/s  "
        f"p50 {step.p50_ms:6.0f} ms  p95 {step.p95_ms:6.0f} ms  p99 {step.p99_ms:6.0f} ms  "
        f"requests {len(step.samples):6d}  errors {step.error_count} ({errors})"
    )


def _run(args: argparse.Namespace) -> str:
    if args.url is not None:
        return _run_on(args, args.url)
    with tempfile.TemporaryDirectory(prefix="opvang-bench-load-db-") as tmp:
        return _run_on(args, f"sqlite:///{Path(tmp) / 'load.db'}")


def _run_on(args: argparse.Namespace, url: str) -> str:
    print(f"{NAME}: preparing {url} (demo data)", file=sys.stderr)
    admin_id, coa_id, people = _prepare(url)
    setup = _partner_events_data.prepare(url, coa_id)
    secret = secrets.token_urlsafe(48)
    settings = Settings(
        database_url=url,
        secret_key=secret,
        environment="production",
        access_token_ttl_seconds=TOKEN_TTL_SECONDS,
    )
    staff, _ = create_access_token(settings, Principal(kind="user", id=admin_id, role=Role.admin))
    partner, _ = create_access_token(
        settings,
        Principal(kind="client", id=setup.client_id, role=Role.partner, partner_id=coa_id),
    )
    env = server_env(url, secret, webhooks_enabled="false")
    print(
        f"{NAME}: {args.database}, {args.workers} workers, {people} participants, steps "
        f"{args.steps} users x {args.step_seconds:g}s"
        + (", each from the same data" if args.same_data else ", data growing"),
        file=sys.stderr,
    )
    keep = _Snapshot(url) if args.same_data else None
    results: list[StepResult] = []
    with tempfile.TemporaryDirectory(prefix="opvang-bench-load-") as tmp:
        log_dir = args.log_dir or Path(tmp)
        log_dir.mkdir(parents=True, exist_ok=True)
        server: Server | None = None
        try:
            for n, users in enumerate(args.step_list):
                if server is None or keep is not None:
                    if server is not None:
                        stop_server(server)
                        server = None
                    if keep is not None:
                        keep.restore()
                    server = _serve(args, env, log_dir)
                    scene = Scene(
                        api_url=server.base_url + "/api/v1",
                        staff={"Authorization": f"Bearer {staff}"},
                        partner={"Authorization": f"Bearer {partner}"},
                        codes=setup.codes,
                        participant_pages=max(1, people // 50),
                    )
                    warm = min(3.0, args.step_seconds)
                    asyncio.run(run_step(scene, 2, warm, f"warm{n}"))
                step = asyncio.run(run_step(scene, users, args.step_seconds, f"s{n}"))
                results.append(step)
                print(_line(step), flush=True)
                print(f"{NAME}:     {step.reads_and_writes()}", file=sys.stderr)
                print(f"{NAME}:     p50/p95 by kind: {step.by_kind()}", file=sys.stderr)
                found = saturation(results, p99_limit_ms=args.p99_limit_ms, gain=args.gain)
                if found is not None and not args.all_steps and len(results) > found + 1:
                    break
        except Exception:
            if server is not None:
                print(f"--- server log ---\n{server.log_tail()}", file=sys.stderr)
            raise
        finally:
            if server is not None:
                stop_server(server)
            if keep is not None:
                keep.drop()
    found = saturation(results, p99_limit_ms=args.p99_limit_ms, gain=args.gain)
    if found is None:
        below = sum(s.error_count for s in results)
        last = results[-1]
        return (
            f"{NAME}: no saturation up to {last.users} users ({last.throughput:.0f} req/s, "
            f"p99 {last.p99_ms:.0f} ms), errors below saturation: {below}"
        )
    at = results[found]
    below = sum(s.error_count for s in results[:found])
    return (
        f"{NAME}: saturation at {at.users} users ({at.throughput:.0f} req/s, "
        f"p99 {at.p99_ms:.0f} ms), errors below saturation: {below}"
    )


if __name__ == "__main__":
    os.chdir(ROOT)
    try:
        print(run(sys.argv[1:]))
    except RuntimeError as exc:
        print(f"{NAME}: failed: {exc}", file=sys.stderr)
        sys.exit(1)
