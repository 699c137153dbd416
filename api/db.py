"""Engine, session factory and the request's session dependency.

One place commits: ``get_session`` commits when the endpoint returns and rolls back
when it raises. Services ``add`` and ``flush`` only.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, Request
from sqlalchemy import event
from sqlalchemy.engine import URL
from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from api.config import Settings


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # Own the transaction boundaries (the driver's implicit BEGIN is unreliable) and keep
    # SQLite honest about foreign keys; WAL lets readers run beside one writer.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    # Deleted and overwritten content is zeroed in the file: an anonymised person's old
    # bytes do not stay readable in free pages (``api.erasure``).
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.close()


# Set on a session whose commit erased personal data (``api.erasure``).
CHECKPOINT_AFTER_COMMIT = "checkpoint_after_commit"


async def checkpoint_wal(engine: AsyncEngine) -> None:
    """SQLite: move the log into the database file and truncate it, so that pages from
    before an erasure do not stay in the log. A reader still on an older snapshot makes
    this a partial checkpoint; the next one (or the last connection closing) finishes."""
    if engine.dialect.name != "sqlite":
        return
    async with engine.connect() as connection:
        await connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")


def _sqlite_begin(conn: Any) -> None:
    conn.exec_driver_sql("BEGIN")


def build_engine(settings: Settings, url: URL | None = None) -> AsyncEngine:
    # hide_parameters: a statement's parameters are personal data (names, BSNs, dates of
    # birth); SQLAlchemy leaves them out of its exceptions' text and its logs.
    url = url or settings.async_url
    if url.get_backend_name() == "sqlite":
        if url.database and url.database != ":memory:":
            Path(url.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_async_engine(url, hide_parameters=True)
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        event.listen(engine.sync_engine, "begin", _sqlite_begin)
        return engine
    return create_async_engine(
        url,
        hide_parameters=True,
        pool_size=settings.db_pool_size,
        max_overflow=10,
        pool_timeout=settings.db_pool_timeout_seconds,
        # No pre-ping: on asyncpg it costs three round trips per request. A connection
        # that died is invalidated on first use (that request gets a 503) and replaced.
        pool_recycle=1800,
        connect_args={
            "timeout": settings.db_connect_timeout_seconds,
            "command_timeout": settings.db_statement_timeout_ms / 1000 + 5,
            "server_settings": {
                "statement_timeout": str(settings.db_statement_timeout_ms),
                "lock_timeout": str(settings.db_lock_timeout_ms),
                "idle_in_transaction_session_timeout": str(
                    settings.db_idle_in_transaction_timeout_ms
                ),
                "application_name": "opvang",
            },
        },
    )


class Database:
    """The engine and the session factory; tests bind it to one connection instead."""

    def __init__(self, engine: AsyncEngine, *, bind: AsyncConnection | None = None) -> None:
        self.engine = engine
        self.bound = bind is not None
        if bind is None:
            self.sessionmaker = async_sessionmaker(engine, expire_on_commit=False)
        else:
            self.sessionmaker = async_sessionmaker(
                bind=bind, expire_on_commit=False, join_transaction_mode="create_savepoint"
            )
        self.read_sessionmaker = self.sessionmaker
        if bind is None and engine.dialect.name == "postgresql":
            # GET requests read in autocommit: no BEGIN and COMMIT round trips for a read.
            # What a read writes (the audit of a person's record) commits statement by
            # statement.
            self.read_sessionmaker = async_sessionmaker(
                engine.execution_options(isolation_level="AUTOCOMMIT"), expire_on_commit=False
            )

    async def dispose(self) -> None:
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
