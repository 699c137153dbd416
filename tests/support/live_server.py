"""The real service on a real socket, for tests that talk HTTP to it (the Python client,
``opvang import --api-url``).

``live_server()`` gives the server its own fresh database -- an SQLite file in a
temporary directory, or, when ``OPVANG_TEST_DATABASE_URL`` points at PostgreSQL, a
separate database named after it plus ``suffix`` (created, migrated, dropped after) --
because the per-test rollback of ``conftest`` cannot reach another connection's work.
The server runs with uvicorn in a thread of the test process, on a port the OS picks::

    with live_server(suffix="_import") as server:
        server.create_user("admin@example.org", "admin", "pw-0123456789")
        httpx.get(server.api_url + "/health")
"""

from __future__ import annotations

import asyncio
import os
import socket
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import uvicorn

from api import admin_tasks
from api.config import Settings
from api.main import create_app
from api.models import Role
from api.serving import proxy_options
from tests.support.faults import fresh_database, migrate

SECRET = "live-server-secret-0123456789abcdef0123456789"


@dataclass
class LiveServer:
    url: str
    """``http://127.0.0.1:<port>``: the server's root (the API is below ``/api/v1``)."""
    settings: Settings

    @property
    def api_url(self) -> str:
        return self.url + "/api/v1"

    def create_user(self, email: str, role: str, password: str, partner: str | None = None) -> str:
        """A user made as ``opvang users create`` does; the user's id."""
        user_id = asyncio.run(
            admin_tasks.create_user(
                self.settings, email=email, role=Role(role), partner=partner, password=password
            )
        )
        return str(user_id)

    def create_client(self, partner: str, name: str) -> tuple[str, str]:
        """An API client made as ``opvang clients create`` does: (client_id, secret)."""
        return asyncio.run(admin_tasks.create_client(self.settings, partner=partner, name=name))


@contextmanager
def _database(suffix: str) -> Iterator[str]:
    """A fresh, migrated database: an SQLite file, or a PostgreSQL database of its own."""
    base = os.environ.get("OPVANG_TEST_DATABASE_URL")
    if base:
        with fresh_database(base, suffix) as url:
            yield url
        return
    with tempfile.TemporaryDirectory(prefix="opvang-live-") as tmp:
        url = f"sqlite:///{Path(tmp) / 'live.db'}"
        migrate(url)
        yield url


@contextmanager
def live_server(*, suffix: str = "_live", **settings: Any) -> Iterator[LiveServer]:
    """Serve the app on 127.0.0.1 with a fresh, migrated database. ``settings`` override
    the test defaults (e.g. ``access_token_ttl_seconds=60``)."""
    with _database(suffix) as url:
        config = Settings(
            **{
                "environment": "test",
                "database_url": url,
                "secret_key": SECRET,
                "argon2_time_cost": 1,
                "argon2_memory_kib": 64,
                "webhooks_enabled": False,
                **settings,
            }
        )
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
        server = uvicorn.Server(
            uvicorn.Config(
                create_app(config),
                loop="asyncio",
                lifespan="on",
                log_level="warning",
                access_log=False,
                server_header=False,
                # As `opvang serve` has them: forwarded headers only from listed proxies.
                **proxy_options(config),
            )
        )
        thread = threading.Thread(
            target=server.run, kwargs={"sockets": [sock]}, name="live-server", daemon=True
        )
        thread.start()
        deadline = time.monotonic() + 15
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the live server did not start")
            time.sleep(0.02)
        try:
            yield LiveServer(url=f"http://127.0.0.1:{port}", settings=config)
        finally:
            server.should_exit = True
            thread.join(timeout=15)
            sock.close()
