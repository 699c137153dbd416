"""The session factories and the request's session dependency.

One place commits: ``get_session`` commits when the endpoint returns and rolls back
when it raises. Services ``add`` and ``flush`` only. A session that may write begins
``BEGIN IMMEDIATE`` on SQLite (see ``api.db.engine``).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated, Any

import asyncpg
from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession, async_sessionmaker

from api.db.engine import IMMEDIATE

# Set on a session whose commit erased personal data (``api.participants.erasure``).
CHECKPOINT_AFTER_COMMIT = "checkpoint_after_commit"


async def checkpoint_wal(engine: AsyncEngine) -> None:
    """SQLite: move the log into the database file and truncate it, so that pages from
    before an erasure do not stay in the log. A reader still on an older snapshot makes
    this a partial checkpoint; the next one (or the last connection closing) finishes."""
    if engine.dialect.name != "sqlite":
        return
    async with engine.connect() as connection:
        await connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")


class Database:
    """The engine and the session factories: ``sessionmaker`` for work that may write,
    ``read_sessionmaker`` for reads (GET requests). Tests bind both to one connection."""

    def __init__(
        self,
        engine: AsyncEngine,
        *,
        bind: AsyncConnection | None = None,
        driver_args: dict[str, Any] | None = None,
    ) -> None:
        self.engine = engine
        self.bound = bind is not None
        # PostgreSQL: the hot reads' own driver pool (``api.db.fast``), opened on first use
        # with these asyncpg arguments (``api.db.engine.driver_args``).
        self.driver_args = driver_args
        self.driver_pool: asyncpg.Pool | None = None
        if bind is not None:
            self.sessionmaker = async_sessionmaker(
                bind=bind, expire_on_commit=False, join_transaction_mode="create_savepoint"
            )
            self.read_sessionmaker = self.sessionmaker
            return
        self.read_sessionmaker = async_sessionmaker(engine, expire_on_commit=False)
        self.sessionmaker = self.read_sessionmaker
        if engine.dialect.name == "sqlite":
            # A writer queues for the write lock before it reads (see ``api.db.engine``).
            self.sessionmaker = async_sessionmaker(
                engine, expire_on_commit=False, execution_options=IMMEDIATE
            )
        elif engine.dialect.name == "postgresql":
            # GET requests read in autocommit: no BEGIN and COMMIT round trips for a read.
            # What a read writes (the audit of a person's record) commits statement by
            # statement.
            self.read_sessionmaker = async_sessionmaker(
                engine.execution_options(isolation_level="AUTOCOMMIT"), expire_on_commit=False
            )

    async def dispose(self) -> None:
        if self.driver_pool is not None:
            pool, self.driver_pool = self.driver_pool, None
            await pool.close()
        await self.engine.dispose()


def get_database(request: Request) -> Database:
    db: Database = request.app.state.db
    return db


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    db = get_database(request)
    maker = db.read_sessionmaker if request.method == "GET" else db.sessionmaker
    async with maker() as session:
        # The audit hook finds the request id and the caller (resolved later) here.
        session.info["request_state"] = request.state
        try:
            yield session
            await session.commit()
        except BaseException:
            await session.rollback()
            raise
        if session.info.get(CHECKPOINT_AFTER_COMMIT) and not db.bound:
            await checkpoint_wal(db.engine)


# scope="function": the commit happens when the endpoint returns, before the response is
# sent, so a client never sees a 2xx for a transaction that then fails to commit.
SessionDep = Annotated[AsyncSession, Depends(get_session, scope="function")]
