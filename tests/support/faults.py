"""The real ``opvang serve`` as a subprocess on a database of its own, and the tools to
hurt it: terminate its PostgreSQL connections, find and SIGKILL the worker serving a
request. For ``tests/db/test_faults.py`` (PostgreSQL only) and ``bench/load.py``.

Only 127.0.0.1; every process started here is stopped by the context that started it.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import psycopg
from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine
from sqlalchemy.engine import make_url

from api.config import Settings

ROOT = Path(__file__).resolve().parents[2]
SECRET = "faults-secret-0123456789abcdef0123456789abcdef"
OPVANG = str(Path(sys.executable).with_name("opvang"))


def admin_conninfo(url: str) -> str:
    """The maintenance database (``postgres``) of the server ``url`` points at."""
    return (
        make_url(url)
        .set(drivername="postgresql", database="postgres")
        .render_as_string(hide_password=False)
    )


def conninfo(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


@contextlib.contextmanager
def fresh_database(base_url: str, suffix: str) -> Iterator[str]:
    """A new, migrated database named after ``base_url``'s plus ``suffix``; dropped after."""
    parsed = make_url(base_url)
    name = f"{parsed.database}{suffix}"
    assert name.replace("_", "").isalnum(), "unexpected database name"
    with psycopg.connect(admin_conninfo(base_url), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    url = parsed.set(database=name).render_as_string(hide_password=False)
    try:
        migrate(url)
        yield url
    finally:
        with psycopg.connect(admin_conninfo(base_url), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def migrate(url: str) -> None:
    engine = create_engine(Settings(database_url=url).sync_url)
    cfg = Config(str(ROOT / "alembic.ini"))
    cfg.attributes["configure_logger"] = False
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, "head")
    engine.dispose()


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def server_env(url: str, **settings: Any) -> dict[str, str]:
    """The environment of a test server: ``OPVANG_*`` from ``settings`` over defaults."""
    values: dict[str, Any] = {
        "environment": "test",
        "database_url": url,
        "secret_key": SECRET,
        "argon2_time_cost": 1,
        "argon2_memory_kib": 64,
        "webhooks_enabled": "false",
        "log_level": "WARNING",
        **settings,
    }
    env = {k: v for k, v in os.environ.items() if not k.startswith("OPVANG_")}
    env.update({f"OPVANG_{k.upper()}": str(v) for k, v in values.items()})
    return env


def settings_for(url: str, **settings: Any) -> Settings:
    """The same settings, in process (to create users and clients as the CLI does)."""
    base: dict[str, Any] = {
        "environment": "test",
        "database_url": url,
        "secret_key": SECRET,
        "argon2_time_cost": 1,
        "argon2_memory_kib": 64,
        "webhooks_enabled": False,
    }
    return Settings(**{**base, **settings})


@dataclass
class Served:
    process: subprocess.Popen[bytes]
    port: int
    log: Path
    env: dict[str, str] = field(repr=False)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_url(self) -> str:
        return self.url + "/api/v1"

    def workers(self) -> list[int]:
        """The worker processes (children) of a multi-worker server; else the server."""
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        try:
            pids = [int(p) for p in children.read_text().split()]
        except OSError:
            pids = []
        return pids or [self.process.pid]

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


def wait_healthy(url: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    last: object = None
    while time.monotonic() < deadline:
        try:
            r = httpx.get(url + "/api/v1/health", timeout=2.0)
            if r.status_code == 200:
                return
            last = r.status_code
        except httpx.TransportError as exc:
            last = exc
        time.sleep(0.1)
    raise RuntimeError(f"the server at {url} did not become healthy ({last!r})")


@contextlib.contextmanager
def serve(
    url: str, log_dir: Path, *, workers: int = 1, port: int | None = None, **settings: Any
) -> Iterator[Served]:
    """``opvang serve`` on 127.0.0.1 against ``url``; stopped (SIGTERM, then SIGKILL) after."""
    port = port or free_port()
    log = log_dir / f"serve-{port}-{time.monotonic_ns()}.log"
    env = server_env(url, **settings)
    with log.open("wb") as out:
        process = subprocess.Popen(
            [
                OPVANG,
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--workers",
                str(workers),
            ],
            env=env,
            cwd=log_dir,  # no stray .env file is read
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    served = Served(process=process, port=port, log=log, env=env)
    try:
        wait_healthy(served.url)
        yield served
    finally:
        stop(process)


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
    else:
        # The session may hold orphans (workers whose supervisor died).
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)


def terminate_backends(url: str) -> int:
    """``pg_terminate_backend`` every connection to ``url``'s database but our own; how
    many were terminated."""
    name = make_url(url).database
    with psycopg.connect(admin_conninfo(url), autocommit=True) as conn:
        row = conn.execute(
            "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = %s AND pid <> pg_backend_pid()",
            (name,),
        ).fetchone()
    return int(row[0]) if row else 0


def backend_in_long_transaction(url: str, min_seconds: float) -> tuple[int, int] | None:
    """(backend pid, client port) of a connection to ``url``'s database whose transaction
    has written (holds an xid) for at least ``min_seconds``; None if there is none."""
    name = make_url(url).database
    with psycopg.connect(admin_conninfo(url), autocommit=True) as conn:
        row = conn.execute(
            "SELECT pid, client_port FROM pg_stat_activity "
            "WHERE datname = %s AND pid <> pg_backend_pid() AND backend_xid IS NOT NULL "
            "AND state IN ('active', 'idle in transaction') "
            "AND now() - xact_start >= make_interval(secs => %s) "
            "ORDER BY xact_start LIMIT 1",
            (name, min_seconds),
        ).fetchone()
    return (int(row[0]), int(row[1])) if row else None


def process_with_local_port(pids: list[int], port: int) -> int | None:
    """Which of ``pids`` owns the TCP socket bound locally to 127.0.0.1:``port`` (the
    client end of a database connection), from /proc."""
    inodes: set[str] = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with contextlib.suppress(OSError):
            for line in Path(table).read_text().splitlines()[1:]:
                parts = line.split()
                if int(parts[1].rsplit(":", 1)[1], 16) == port:
                    inodes.add(parts[9])
    wanted = {f"socket:[{inode}]" for inode in inodes}
    for pid in pids:
        fd_dir = Path(f"/proc/{pid}/fd")
        with contextlib.suppress(OSError):
            for fd in fd_dir.iterdir():
                with contextlib.suppress(OSError):
                    if os.readlink(fd) in wanted:
                        return pid
    return None


def backends_of(url: str) -> int:
    name = make_url(url).database
    with psycopg.connect(admin_conninfo(url), autocommit=True) as conn:
        row = conn.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            (name,),
        ).fetchone()
    return int(row[0]) if row else 0


def scalar(url: str, sql: str, *params: Any) -> Any:
    with psycopg.connect(conninfo(url), autocommit=True) as conn:
        row = conn.execute(sql, params).fetchone()
    return row[0] if row else None


def rows(url: str, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    with psycopg.connect(conninfo(url), autocommit=True) as conn:
        return conn.execute(sql, params).fetchall()
