"""The reference for ``api_overhead``: a bare Starlette route that runs the same SQL as
``GET /api/v1/partners/{id}`` through the same driver and answers the same JSON.

No auth, no ORM, no validation layer: only what any handler must do (parse the id, run
the query, turn the row into JSON). The SQL comes from the harness in ``BENCH_SQL``
(captured from the partner service as it runs) so the two cannot drift apart; the database
in ``BENCH_DATABASE_URL``. Run: ``uvicorn bench.reference_app:app``.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any, Protocol

import aiosqlite
import asyncpg
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

# The same ceilings as ours: SQLAlchemy's asyncpg pool is db_pool_size (10) plus as many
# overflow, its aiosqlite pool 5 plus 10 overflow.
PG_POOL_SIZE = 20
SQLITE_POOL_SIZE = 15
TIMESTAMP_COLUMNS = frozenset({"created_at", "updated_at"})


class Backend(Protocol):
    async def fetch_one(self, sql: str, partner_id: uuid.UUID) -> dict[str, Any] | None: ...

    async def close(self) -> None: ...


class Postgres:
    def __init__(self, pool: asyncpg.Pool) -> None:
        self.pool = pool

    @classmethod
    async def open(cls, url: str) -> Postgres:
        dsn = url.replace("postgresql+asyncpg://", "postgresql://", 1)
        dsn = dsn.replace("postgresql+psycopg://", "postgresql://", 1)
        return cls(await asyncpg.create_pool(dsn, min_size=1, max_size=PG_POOL_SIZE))

    async def fetch_one(self, sql: str, partner_id: uuid.UUID) -> dict[str, Any] | None:
        # asyncpg prepares and caches the statement per connection, as SQLAlchemy does.
        row = await self.pool.fetchrow(sql, partner_id)
        return dict(row.items()) if row is not None else None

    async def close(self) -> None:
        await self.pool.close()


class Sqlite:
    """A queue of connections: aiosqlite runs each on its own thread, as ours does."""

    def __init__(self, connections: asyncio.Queue[aiosqlite.Connection]) -> None:
        self.connections = connections

    @classmethod
    async def open(cls, url: str) -> Sqlite:
        path = url.split(":///", 1)[1]
        queue: asyncio.Queue[aiosqlite.Connection] = asyncio.Queue()
        for _ in range(SQLITE_POOL_SIZE):
            conn = await aiosqlite.connect(path)
            await conn.execute("PRAGMA busy_timeout=5000")
            queue.put_nowait(conn)
        return cls(queue)

    async def fetch_one(self, sql: str, partner_id: uuid.UUID) -> dict[str, Any] | None:
        conn = await self.connections.get()
        try:
            # SQLAlchemy's Uuid stores 32 hex digits on SQLite; bind it the same way.
            async with conn.execute(sql, (partner_id.hex,)) as cursor:
                row = await cursor.fetchone()
                names = [d[0] for d in cursor.description]
        finally:
            self.connections.put_nowait(conn)
        if row is None:
            return None
        record = dict(zip(names, row, strict=True))
        # SQLite hands back text; decode it as SQLAlchemy's result processors do.
        record["id"] = uuid.UUID(record["id"])
        for column in TIMESTAMP_COLUMNS & record.keys():
            record[column] = datetime.fromisoformat(record[column]).replace(tzinfo=UTC)
        return record

    async def close(self) -> None:
        while not self.connections.empty():
            await self.connections.get_nowait().close()


def camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def plain(value: Any) -> Any:
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, datetime):
        # Pydantic writes UTC as "Z"; match it so the bodies compare equal.
        return value.astimezone(UTC).isoformat().replace("+00:00", "Z")
    return value


async def read_partner(request: Request) -> Response:
    backend: Backend = request.app.state.backend
    record = await backend.fetch_one(request.app.state.sql, request.path_params["id"])
    if record is None:
        return JSONResponse({"status": 404}, status_code=404)
    return JSONResponse({camel(key): plain(value) for key, value in record.items()})


@asynccontextmanager
async def lifespan(application: Starlette) -> AsyncIterator[None]:
    url = os.environ["BENCH_DATABASE_URL"]
    backend: Backend = await (Sqlite.open(url) if url.startswith("sqlite") else Postgres.open(url))
    application.state.backend = backend
    application.state.sql = os.environ["BENCH_SQL"]
    try:
        yield
    finally:
        await backend.close()


app = Starlette(routes=[Route("/partners/{id:uuid}", read_partner)], lifespan=lifespan)
