"""Staging: many rows, chunk by chunk, in a temporary table (the bulk imports stage the
valid rows of a file there, then check and write them set-wise).

``COPY`` on PostgreSQL, multi-row INSERTs on SQLite (``copy_rows``), both on the
session's connection inside its transaction. New rows get their ids from the database
while staged, so nothing per row comes back to Python: memory stays flat.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from sqlalchemy import Column, Dialect, MetaData, String, Table, Uuid, func, type_coerce, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.schema import CreateTable

from api.db.raw import copy_rows


def temporary_table_ddl(table: Table, dialect: Dialect, *, if_not_exists: bool = False) -> str:
    """``CREATE TEMPORARY TABLE`` for ``table``, to be run as plain SQL
    (``exec_driver_sql``). Run as a DDL construct, SQLAlchemy's asyncpg dialect takes it
    for a schema change: every connection of the process then drops its prepared
    statements and the driver's type cache, and prepares and introspects again -- one
    import did that to every request of the worker after it. A new temporary table
    changes nothing that another statement uses."""
    return str(CreateTable(table, if_not_exists=if_not_exists).compile(dialect=dialect))


class Staged:
    """One staging table in the import's transaction, dropped at its end."""

    def __init__(self, session: AsyncSession, name: str, columns: list[Column[Any]]) -> None:
        self.session = session
        # One name per kind of staging table: a temporary table is the connection's own,
        # so imports on other connections never meet it, and the statements that use it
        # read the same each time -- the driver's cache of prepared statements keeps
        # them (a random name per import made each statement new, and pushed the
        # service's hot statements out of that cache).
        self.table = Table(f"import_{name}", MetaData(), *columns, prefixes=["TEMPORARY"])
        # Columns filled later (``later`` in their info) are not given when staging.
        self.names = [c.name for c in columns if not c.info.get("later")]
        self.pg = False

    async def create(self) -> None:
        connection = await self.session.connection()
        self.pg = connection.dialect.name == "postgresql"
        if self.pg:
            # The checks sort and hash the staged rows: in memory, not in temporary files.
            await connection.exec_driver_sql("SET LOCAL work_mem = '64MB'")
        # One left by an import whose transaction ended without dropping it.
        await connection.exec_driver_sql(f'DROP TABLE IF EXISTS "{self.table.name}"')
        await connection.exec_driver_sql(temporary_table_ddl(self.table, connection.dialect))
        for column in self.table.c:
            if self.pg and column.info.get("new_id"):
                await connection.exec_driver_sql(
                    f'ALTER TABLE "{self.table.name}" ALTER COLUMN "{column.name}" '
                    "SET DEFAULT gen_random_uuid()"
                )

    def uuid(self, value: uuid.UUID | None) -> Any:
        """A UUID as the driver takes it for this table (SQLite: 32 hex digits, as
        SQLAlchemy's ``Uuid`` stores it)."""
        if value is None or self.pg:
            return value
        return value.hex

    def day(self, value: date | None) -> Any:
        if value is None or self.pg:
            return value
        return value.isoformat()

    async def add(self, records: list[tuple[Any, ...]]) -> None:
        """Stage rows given in column order, values as the driver takes them (see
        ``uuid`` and ``day``): ``COPY`` on PostgreSQL, multi-row INSERTs on SQLite --
        both on the session's connection, inside its transaction."""
        await copy_rows(self.session, self.table.name, self.names, records)

    @staticmethod
    def id_column(name: str) -> Column[Any]:
        """A column for the ids of new rows: a random (version 4) UUID made by the
        database, by ``COPY`` itself on PostgreSQL, by ``fill_ids`` on SQLite."""
        return Column(name, Uuid, info={"later": True, "new_id": True})

    async def fill_ids(self, where: Any) -> None:
        """SQLite: the new ids of the rows ``where`` holds (PostgreSQL made them)."""
        if not self.pg:
            values = {c: self.new_id() for c in self.table.c if c.info.get("new_id")}
            await self.session.execute(update(self.table).where(where).values(values))

    def new_id(self) -> Any:
        """A random (version 4) UUID made by the database, one per row."""
        if self.pg:
            return func.gen_random_uuid()

        # SQLite: 32 random hex digits with the version and variant digits set, as
        # ``Uuid`` stores them (each randomblob() call is its own random value).
        def part(length: int) -> Any:
            return type_coerce(
                func.substr(func.lower(func.hex(func.randomblob(16))), 1, length), String
            )

        variant = type_coerce(func.substr("89ab", (func.abs(func.random()) % 4) + 1, 1), String)
        return type_coerce(part(12) + "4" + part(3) + variant + part(15), Uuid())

    async def index(self, *columns: str) -> None:
        name = f"{self.table.name}_{'_'.join(columns)}"
        cols = ", ".join(f'"{c}"' for c in columns)
        connection = await self.session.connection()
        await connection.exec_driver_sql(f'CREATE INDEX "{name}" ON "{self.table.name}" ({cols})')

    async def analyze(self) -> None:
        """PostgreSQL keeps no statistics of a temporary table by itself: gather them, so
        the checks join it by hash rather than probe it row by row."""
        if self.pg:
            connection = await self.session.connection()
            await connection.exec_driver_sql(f'ANALYZE "{self.table.name}"')

    async def drop(self) -> None:
        connection = await self.session.connection()
        await connection.exec_driver_sql(f'DROP TABLE IF EXISTS "{self.table.name}"')
