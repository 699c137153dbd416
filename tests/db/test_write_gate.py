"""SQLite: writers in one process queue for the write lock in order (``api.db.gate``).

On files of their own, whatever database the suite runs on. SQLite's busy handler is
set much shorter than the queue here: without the queue, writers that wait longer than
it fail ("database is locked"); with it, every writer gets its turn, in order.
"""

from __future__ import annotations

import asyncio
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from sqlalchemy import text

from api.config import Settings
from api.db import Database, take_write_lock
from api.db.engine import build_engine

WRITERS = 12
HOLD_SECONDS = 0.08  # each writer's transaction; 12 of them are ~1 s of queue


def _sqlite(tmp_path: Path, *, busy_timeout_ms: int, statement_timeout_ms: int) -> Database:
    path = tmp_path / "gate.db"
    with closing(sqlite3.connect(path)) as setup:
        setup.execute("PRAGMA journal_mode=WAL")
        setup.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)")
        # what take_write_lock's no-op UPDATE names
        setup.execute("CREATE TABLE locations (id INTEGER PRIMARY KEY, version INT, updated_at)")
    settings = Settings(
        environment="test",
        database_url=f"sqlite:///{path}",
        secret_key="test-secret-0123456789abcdef0123456789abcdef",
        sqlite_busy_timeout_ms=busy_timeout_ms,
        db_statement_timeout_ms=statement_timeout_ms,
    )
    return Database(build_engine(settings))


async def _write(db: Database, name: str, started: list[str]) -> None:
    async with db.sessionmaker() as session:
        await session.execute(text("INSERT INTO t (v) VALUES (:v)"), {"v": name})
        started.append(name)
        await asyncio.sleep(HOLD_SECONDS)  # the lock is held across the event loop
        await session.commit()


async def _audited_read(db: Database, name: str, started: list[str]) -> None:
    """A GET that writes what it shows to the audit: deferred, then the write lock."""
    async with db.read_sessionmaker() as session:
        await take_write_lock(session)
        await session.execute(text("INSERT INTO t (v) VALUES (:v)"), {"v": name})
        started.append(name)
        await asyncio.sleep(HOLD_SECONDS)
        await session.commit()


async def test_writers_queue_in_order_past_the_busy_timeout(tmp_path: Path) -> None:
    db = _sqlite(tmp_path, busy_timeout_ms=150, statement_timeout_ms=15_000)
    started: list[str] = []
    names = [f"w{i:02d}" for i in range(WRITERS)]
    try:
        tasks = []
        for i, name in enumerate(names):
            work = _audited_read if i % 3 == 2 else _write
            tasks.append(asyncio.create_task(work(db, name, started)))
            await asyncio.sleep(0)
        results = await asyncio.gather(*tasks, return_exceptions=True)
        async with db.read_sessionmaker() as session:
            rows = (await session.execute(text("SELECT v FROM t ORDER BY id"))).scalars().all()
    finally:
        await db.dispose()
    assert [r for r in results if r is not None] == []
    assert sorted(started) == names  # every writer had its turn,
    assert list(rows) == started  # one after the other


async def test_a_writer_that_commits_and_writes_again_keeps_its_turn(tmp_path: Path) -> None:
    db = _sqlite(tmp_path, busy_timeout_ms=150, statement_timeout_ms=15_000)
    try:
        async with db.sessionmaker() as session:
            await session.execute(text("INSERT INTO t (v) VALUES ('one')"))
            await session.commit()
            await session.execute(text("INSERT INTO t (v) VALUES ('two')"))
            await session.commit()
        other: list[str] = []
        await asyncio.wait_for(_write(db, "three", other), 5)  # the turn was given back
        async with db.read_sessionmaker() as session:
            count = await session.scalar(text("SELECT count(*) FROM t"))
    finally:
        await db.dispose()
    assert count == 3


async def test_a_rolled_back_writer_gives_its_turn_back(tmp_path: Path) -> None:
    """The turn goes with the ROLLBACK, not only when the connection goes back."""
    db = _sqlite(tmp_path, busy_timeout_ms=150, statement_timeout_ms=15_000)
    try:
        async with db.sessionmaker() as session:
            await session.execute(text("INSERT INTO t (v) VALUES ('lost')"))
            await session.rollback()  # as get_session does when the endpoint fails
            await asyncio.wait_for(_write(db, "kept", []), 5)  # this session still open
        async with db.read_sessionmaker() as session:
            rows = (await session.execute(text("SELECT v FROM t"))).scalars().all()
    finally:
        await db.dispose()
    assert list(rows) == ["kept"]


async def test_a_writer_waits_no_longer_than_a_statement_may_run(tmp_path: Path) -> None:
    """One writer holds its turn too long: the next answers ConnectionError (a 503) once
    the statement timeout has passed, and nothing of it is written."""
    db = _sqlite(tmp_path, busy_timeout_ms=100, statement_timeout_ms=300)
    release = asyncio.Event()

    async def holder() -> None:
        async with db.sessionmaker() as session:
            await session.execute(text("INSERT INTO t (v) VALUES ('holder')"))
            await release.wait()
            await session.commit()

    try:
        held = asyncio.create_task(holder())
        await asyncio.sleep(0.05)
        loop = asyncio.get_running_loop()
        began = loop.time()
        with pytest.raises(ConnectionError):
            await _write(db, "late", [])
        waited = loop.time() - began
        release.set()
        await held
        async with db.read_sessionmaker() as session:
            rows = (await session.execute(text("SELECT v FROM t"))).scalars().all()
    finally:
        release.set()
        await db.dispose()
    assert 0.25 < waited < 5
    assert list(rows) == ["holder"]
