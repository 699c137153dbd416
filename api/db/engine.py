"""The engine: how a connection is opened and how its transactions begin and end.

SQLite has one write lock for the whole file. A transaction that begins deferred, reads
and then writes cannot wait for it: when another connection wrote in between, SQLite
answers ``SQLITE_BUSY`` at once, whatever the busy timeout (its snapshot is stale). So on
SQLite a session that may write begins ``BEGIN IMMEDIATE``: it queues for the lock,
waiting up to ``OPVANG_SQLITE_BUSY_TIMEOUT_MS``, before it reads anything. Reads (GET
requests, ``read_sessionmaker``) begin deferred and run beside the writer (WAL).
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import weakref
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, Final, TypeVar

from sqlalchemy import event
from sqlalchemy.engine import URL, Connection
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlalchemy.util.concurrency import await_only

from api.config import Settings
from api.db.gate import HELD, WriteGate

log = logging.getLogger("opvang.db")

T = TypeVar("T")

# The execution option that says how a transaction on SQLite begins: "IMMEDIATE" for a
# session that writes, else deferred (see ``_sqlite_transactions``).
SQLITE_BEGIN: Final = "opvang_sqlite_begin"
IMMEDIATE: Final = {SQLITE_BEGIN: "IMMEDIATE"}
# How often a busy COMMIT, or a short transaction of the webhook worker, is tried.
BUSY_ATTEMPTS: Final = 3


def is_busy(exc: BaseException) -> bool:
    """SQLite's ``SQLITE_BUSY`` ("database is locked"), as the driver or SQLAlchemy
    raises it."""
    orig = getattr(exc, "orig", exc)
    code = getattr(orig, "sqlite_errorcode", None)
    return isinstance(orig, sqlite3.OperationalError) and (code or 0) & 0xFF == sqlite3.SQLITE_BUSY


async def retry_busy(work: Callable[[], Awaitable[T]], *, attempts: int = BUSY_ATTEMPTS) -> T:
    """Run ``work`` (a whole short transaction of its own) again when SQLite was busy
    for longer than the busy timeout; a few times, then the error stands."""
    for attempt in range(1, attempts + 1):
        try:
            return await work()
        except OperationalError as exc:
            if attempt == attempts or not is_busy(exc):
                raise
            log.info("database busy; trying again", extra={"attempt": attempt})
            await asyncio.sleep(0.05 * 2**attempt)
    raise AssertionError("unreachable")


def _sqlite_pragmas(busy_timeout_ms: int) -> Callable[[Any, Any], None]:
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Own the transaction boundaries (the driver's implicit BEGIN is unreliable) and
        # keep SQLite honest about foreign keys; WAL lets readers run beside one writer.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        mode = str(cursor.fetchone()[0]).lower()
        if mode not in ("wal", "memory"):
            # E.g. a network file system: readers then block the writer's commit.
            log.warning("SQLite could not use WAL", extra={"journal_mode": mode})
        cursor.execute("PRAGMA synchronous=NORMAL")
        # Deleted and overwritten content is zeroed in the file: an anonymised person's
        # old bytes do not stay readable in free pages (``api.participants.erasure``).
        cursor.execute("PRAGMA secure_delete=ON")
        cursor.close()

    return on_connect


def _sqlite_transactions(gate: WriteGate) -> dict[str, Callable[..., None]]:
    """The listeners that begin and end a transaction on SQLite, writers in the queue of
    ``gate`` (``api.db.gate``)."""

    def begin(conn: Connection) -> None:
        # IMMEDIATE takes the write lock now, after this connection's turn in the queue
        # (and SQLite's busy timeout, should another process hold it); DEFERRED takes
        # nothing until the first statement.
        immediate = conn.get_execution_options().get(SQLITE_BEGIN) == "IMMEDIATE"
        if immediate:
            await_only(gate.enter(conn.info))
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    def commit(conn: Connection) -> None:
        """A writer's COMMIT, tried again when busy (the driver's own commit then finds
        nothing left to do): a COMMIT that finds the database busy leaves the
        transaction open, so the finished work need not be thrown away. With WAL a
        commit hardly ever waits; without it (a file system that cannot share memory) it
        waits for readers. A reader's transaction that did not write is left to the
        driver: ending it cannot be busy."""
        if conn.get_execution_options().get(SQLITE_BEGIN) != "IMMEDIATE" and HELD not in conn.info:
            return
        driver = conn.connection.dbapi_connection
        assert driver is not None
        for attempt in range(1, BUSY_ATTEMPTS + 1):
            try:
                driver.commit()
                break
            except sqlite3.Error as exc:
                if attempt == BUSY_ATTEMPTS or not is_busy(exc):
                    # As SQLAlchemy raises the driver's errors (a 503, ``api.errors``).
                    raise DBAPIError.instance("COMMIT", None, exc, sqlite3.Error) from exc
                log.info("COMMIT found the database busy; trying again", extra={"attempt": attempt})
        gate.leave(conn.info)

    def rollback(conn: Connection) -> None:
        gate.leave(conn.info)  # the next writer's BEGIN waits out this ROLLBACK in SQLite

    def returned(_dbapi_connection: Any, record: Any, *_exc: Any) -> None:
        gate.leave(record.info)  # back in the pool, or closed: never holding a turn

    return {
        "begin": begin,
        "commit": commit,
        "rollback": rollback,
        "checkin": returned,
        "invalidate": returned,
        "close": returned,
    }


_GATES: weakref.WeakKeyDictionary[Any, WriteGate] = weakref.WeakKeyDictionary()


def write_gate(engine: Any) -> WriteGate | None:
    """The write queue of a SQLite engine (sync engine), if it has one."""
    return _GATES.get(engine)


def _pool_settings(settings: Settings) -> dict[str, Any]:
    return {
        "pool_size": settings.db_pool_size,
        "max_overflow": settings.db_pool_max_overflow,
        "pool_timeout": settings.db_pool_timeout_seconds,
    }


def build_engine(settings: Settings, url: URL | None = None) -> AsyncEngine:
    # hide_parameters: a statement's parameters are personal data (names, BSNs, dates of
    # birth); SQLAlchemy leaves them out of its exceptions' text and its logs.
    url = url or settings.async_url
    if url.get_backend_name() == "sqlite":
        pool: dict[str, Any] = {}
        if url.database and url.database != ":memory:":
            Path(url.database).parent.mkdir(parents=True, exist_ok=True)
            # A file database has a queue pool: sized by the same settings.
            pool = _pool_settings(settings)
        engine = create_async_engine(url, hide_parameters=True, **pool)
        pragmas = _sqlite_pragmas(settings.sqlite_busy_timeout_ms)
        event.listen(engine.sync_engine, "connect", pragmas)
        # A writer waits its turn as long as a statement may run (a turn comes when the
        # writers before it are done); SQLite's busy timeout is for other processes.
        wait_ms = max(settings.sqlite_busy_timeout_ms, settings.db_statement_timeout_ms)
        gate = WriteGate(wait_ms / 1000)
        for name, listener in _sqlite_transactions(gate).items():
            event.listen(engine.sync_engine, name, listener)
        _GATES[engine.sync_engine] = gate
        return engine
    return create_async_engine(
        url,
        hide_parameters=True,
        **_pool_settings(settings),
        # No pre-ping: on asyncpg it costs three round trips per request. A connection
        # that died is invalidated on first use (that request gets a 503) and replaced.
        pool_recycle=1800,
        connect_args={
            **pg_connect_args(settings),
            "prepared_statement_cache_size": PREPARED_STATEMENTS,
        },
    )


# Prepared statements kept per connection, by SQLAlchemy's asyncpg adapter (the ORM's and
# Core's statements) and by asyncpg itself (the hot reads'). The load benchmark's mix
# alone runs some 220 distinct statements; with the default of 100 a connection that
# served a report, an import and a partner batch had dropped the statements of the next
# request and prepared them again, a round trip each.
PREPARED_STATEMENTS = 500


def pg_connect_args(settings: Settings) -> dict[str, Any]:
    """asyncpg's connection arguments: the engine's and the hot reads' pool's
    (``api.db.fast``) connections are set up alike."""
    return {
        "statement_cache_size": PREPARED_STATEMENTS,
        "timeout": settings.db_connect_timeout_seconds,
        "command_timeout": settings.db_statement_timeout_ms / 1000 + 5,
        "server_settings": {
            "statement_timeout": str(settings.db_statement_timeout_ms),
            "lock_timeout": str(settings.db_lock_timeout_ms),
            "idle_in_transaction_session_timeout": str(settings.db_idle_in_transaction_timeout_ms),
            "application_name": "opvang",
        },
    }


def driver_args(settings: Settings) -> dict[str, Any] | None:
    """The hot reads' driver pool (PostgreSQL only): the connection arguments and a pool
    of ``db_pool_size`` connections per worker."""
    if settings.async_url.get_backend_name() != "postgresql":
        return None
    return {**pg_connect_args(settings), "pool_size": settings.db_pool_size}
