"""The request's session commits once, when the endpoint returns, and rolls back on error;
on SQLite, writers queue for the one write lock and readers do not."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
import uuid
from contextlib import closing
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import APIRouter
from sqlalchemy import event, func, select, text
from sqlalchemy.exc import OperationalError

from api.audit.service import record_reads
from api.auth.deps import CurrentPrincipal
from api.config import Settings
from api.db import Database, SessionDep, build_engine, is_busy, retry_busy
from api.errors import Conflict
from api.main import Site
from api.models import AuditEvent, Partner, PartnerKind, Role
from tests.support.builders import Builder, problem


async def test_a_failing_request_writes_nothing(
    app: Site, client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    half = APIRouter()

    @half.post("/half-done", status_code=201)
    async def half_done(session: SessionDep, _p: CurrentPrincipal) -> None:
        session.add(Partner(name="Half written", kind=PartnerKind.other))
        await session.flush()  # written inside the transaction...
        raise Conflict("...and then a rule refuses the request")

    app.state.api.include_router(half)
    r = await client.post("/api/v1/half-done", headers=build.headers_for(Role.admin))
    assert r.status_code == 409
    problem(r)
    async with db.sessionmaker() as session:
        count = await session.scalar(
            select(func.count()).select_from(Partner).where(Partner.name == "Half written")
        )
        events = await session.scalar(select(func.count()).select_from(AuditEvent))
    assert count == 0
    assert events == 0


async def test_reads_of_a_record_are_audited(
    app: Site, client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    """The building block the participant endpoints use for "who saw this person"."""
    person = uuid.uuid4()
    reader = APIRouter()

    @reader.get("/peek")
    async def peek(session: SessionDep, _p: CurrentPrincipal) -> None:
        record_reads(session, entity="participants", ids=[person])

    app.state.api.include_router(reader)
    r = await client.get(
        "/api/v1/peek", headers=build.headers_for(Role.coordinator, **{"X-Request-ID": "peek-1"})
    )
    assert r.status_code == 200
    async with db.sessionmaker() as session:
        event = await session.scalar(select(AuditEvent).where(AuditEvent.entity_id == str(person)))
    assert event is not None
    assert (event.action, event.entity, event.actor_role, event.request_id) == (
        "read",
        "participants",
        "coordinator",
        "peek-1",
    )


# --- SQLite: one write lock, and how sessions queue for it (issue 15) ------------------
# On files of their own, whatever database the suite runs on.


def _sqlite(tmp_path: Path, busy_timeout_ms: int = 5_000) -> tuple[Database, str]:
    path = tmp_path / "lock.db"
    settings = Settings(
        environment="test",
        database_url=f"sqlite:///{path}",
        secret_key="test-secret-0123456789abcdef0123456789abcdef",
        sqlite_busy_timeout_ms=busy_timeout_ms,
    )
    with closing(sqlite3.connect(path)) as setup:  # as `opvang migrate` leaves it
        setup.execute("PRAGMA journal_mode=WAL")
        setup.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)")
    return Database(build_engine(settings)), str(path)


def _rows(path: str) -> list[str]:
    with closing(sqlite3.connect(path)) as conn:
        return [v for (v,) in conn.execute("SELECT v FROM t ORDER BY id")]


async def test_sqlite_a_writer_that_reads_first_waits_for_the_other_writer(
    tmp_path: Path,
) -> None:
    """Deferred, the read would pin a snapshot and the write after it fail at once
    ("database is locked") because another connection committed in between. A writer's
    session begins IMMEDIATE: the other connection waits for it instead."""
    db, path = _sqlite(tmp_path)
    theirs: list[str] = []

    def other_writer() -> None:
        with closing(sqlite3.connect(path, timeout=5, isolation_level=None)) as conn:
            conn.execute("INSERT INTO t (v) VALUES ('theirs')")
        theirs.append("done")

    try:
        async with db.sessionmaker() as session:
            assert await session.scalar(text("SELECT count(*) FROM t")) == 0
            other = threading.Thread(target=other_writer)
            other.start()
            await asyncio.sleep(0.3)
            await session.execute(text("INSERT INTO t (v) VALUES ('ours')"))
            await session.commit()
        await asyncio.to_thread(other.join, 10)
    finally:
        await db.dispose()
    assert theirs == ["done"]
    assert _rows(path) == ["ours", "theirs"]


async def test_sqlite_reads_do_not_take_the_write_lock(tmp_path: Path) -> None:
    """GET requests' sessions begin deferred: they read beside a writer (WAL)."""
    db, path = _sqlite(tmp_path, busy_timeout_ms=0)
    with closing(sqlite3.connect(path, isolation_level=None)) as writer:
        writer.execute("BEGIN IMMEDIATE")
        writer.execute("INSERT INTO t (v) VALUES ('uncommitted')")
        try:
            async with db.read_sessionmaker() as session:
                assert await session.scalar(text("SELECT count(*) FROM t")) == 0
        finally:
            writer.execute("COMMIT")
            await db.dispose()


async def test_sqlite_a_busy_commit_is_tried_again(tmp_path: Path) -> None:
    """Without WAL (a file system that cannot share memory) a COMMIT waits for readers,
    and after the busy timeout SQLite answers BUSY with the transaction still open: the
    COMMIT is tried again rather than the finished work thrown away."""
    db, path = _sqlite(tmp_path, busy_timeout_ms=150)

    def rollback_journal(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=DELETE")
        cursor.close()

    event.listen(db.engine.sync_engine, "connect", rollback_journal)
    async with db.engine.connect() as first:  # the pool's connection, out of WAL now
        assert await first.scalar(text("PRAGMA journal_mode")) == "delete"
    with closing(sqlite3.connect(path, isolation_level=None, check_same_thread=False)) as reader:
        reader.execute("BEGIN")
        reader.execute("SELECT count(*) FROM t").fetchall()  # holds a shared lock
        # The reader finishes after the first COMMIT gave up, during the second.
        timer = threading.Timer(0.25, reader.execute, args=("COMMIT",))
        timer.start()
        try:
            async with db.sessionmaker() as session:
                await session.execute(text("INSERT INTO t (v) VALUES ('kept')"))
                await session.commit()
            timer.join()
            # A reader that stays: a few tries, then the error a request answers 503 to.
            reader.execute("BEGIN")
            reader.execute("SELECT count(*) FROM t").fetchall()
            async with db.sessionmaker() as session:
                await session.execute(text("INSERT INTO t (v) VALUES ('lost')"))
                with pytest.raises(OperationalError) as busy:
                    await session.commit()
            assert is_busy(busy.value)
            reader.execute("COMMIT")
        finally:
            timer.join()
            await db.dispose()
    assert _rows(path) == ["kept"]


async def test_retry_busy_runs_a_short_transaction_again(tmp_path: Path) -> None:
    """The webhook worker's short transactions: busy beyond the timeout, tried again."""
    db, path = _sqlite(tmp_path, busy_timeout_ms=100)

    async def write() -> None:
        async with db.sessionmaker() as session, session.begin():
            await session.execute(text("INSERT INTO t (v) VALUES ('worker')"))

    try:
        holding = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        with closing(holding) as holder:
            holder.execute("BEGIN IMMEDIATE")
            with pytest.raises(OperationalError) as once:
                await write()
            assert is_busy(once.value)
            timer = threading.Timer(0.15, holder.execute, args=("COMMIT",))
            timer.start()
            await retry_busy(write)
            timer.join()

        async def misspelt() -> None:
            async with db.sessionmaker() as session:
                await session.execute(text("SELECT * FROM nothing"))

        with pytest.raises(OperationalError) as other:
            await retry_busy(misspelt)
        assert not is_busy(other.value)  # only BUSY is tried again
    finally:
        await db.dispose()
    assert _rows(path) == ["worker"]
