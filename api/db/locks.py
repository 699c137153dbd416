"""Locks that differ between the engines: SQLite has one write lock for the whole file,
PostgreSQL locks rows."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, func, literal_column, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from api.db.engine import SQLITE_BEGIN, write_gate
from api.models import Location


async def take_write_lock(session: AsyncSession) -> None:
    """On SQLite, hold the database's write lock from here until commit; call it before
    the transaction reads anything. PostgreSQL locks rows instead.

    A writer's session (``Database.sessionmaker``) took it at ``BEGIN IMMEDIATE``. A
    reader's (a GET that audits what it shows) began deferred: an UPDATE as its first
    statement takes the lock, waiting for it as ``BEGIN IMMEDIATE`` would (any UPDATE
    does, even one that matches no row). After a read it could not wait: SQLite answers
    "database is locked" at once when another writer committed in between."""
    connection = (await session.connection()).sync_connection
    if connection is None or connection.dialect.name != "sqlite":
        return
    if connection.get_execution_options().get(SQLITE_BEGIN) == "IMMEDIATE":
        return
    gate = write_gate(connection.engine)
    if gate is not None:  # this connection's turn among the writers (``api.db.gate``)
        await gate.enter(connection.info)
    await session.execute(
        update(Location)
        .where(literal_column("0") == 1)
        .values(version=Location.version)
        .execution_options(synchronize_session=False)
    )


async def lock_rows(session: AsyncSession, id_column: Any, ids: Select[Any]) -> None:
    """Hold the rows whose ``id_column`` is among ``ids`` (a SELECT) until commit, taken
    in id order so that writers locking overlapping sets queue instead of deadlocking:
    ``SELECT ... FOR UPDATE`` on PostgreSQL, counted in the database rather than
    fetched (100,000 ids would be as many objects here). SQLite has no row locks: the
    writer holds the database's write lock already (``take_write_lock``)."""
    if (await session.connection()).dialect.name != "postgresql":
        return
    locked = (
        select(id_column).where(id_column.in_(ids)).order_by(id_column).with_for_update().subquery()
    )
    await session.scalar(select(func.count()).select_from(locked))
