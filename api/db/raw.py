"""Work on the driver itself, below SQLAlchemy's row and parameter layers, where those
layers cost as much as the work: reading a report's rows, and writing many rows at once.

Both run on the session's connection, inside its transaction.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import JSON, Dialect, Select, Table, bindparam, update
from sqlalchemy.ext.asyncio import AsyncSession

# SQLite (3.32 and later) takes up to 32,766 parameters in a statement.
SQLITE_MAX_PARAMS = 32_766
SQLITE_ROWS = 500


async def fetch_raw(session: AsyncSession, stmt: Select[Any]) -> list[Any]:
    """Run a report statement on the driver itself, skipping SQLAlchemy's row layer (on
    a year of 200 locations that layer cost as much as the query). The statement's only
    values must be dates and ids from validated input: they are rendered as SQL
    literals. Values come as the driver gives them (SQLite: ids as hex, dates as
    text)."""
    connection = await session.connection()
    sql = str(stmt.compile(dialect=connection.dialect, compile_kwargs={"literal_binds": True}))
    raw = await connection.get_raw_connection()
    driver: Any = raw.driver_connection
    if connection.dialect.name == "sqlite":
        async with driver.execute(sql) as cursor:
            return list(await cursor.fetchall())
    return list(await driver.fetch(sql))


async def copy_rows(
    session: AsyncSession, table: str, columns: Sequence[str], records: Sequence[Sequence[Any]]
) -> None:
    """Write many rows into ``table``: ``COPY`` on PostgreSQL, multi-row INSERTs on
    SQLite. The records give the ``columns`` in order, with values as the driver takes
    them (``insert_rows`` converts an ORM table's values)."""
    if not records:
        return
    connection = await session.connection()
    raw = await connection.get_raw_connection()
    driver: Any = raw.driver_connection
    if connection.dialect.name == "postgresql":
        await driver.copy_records_to_table(table, records=records, columns=list(columns))
        return
    # Multi-row INSERTs of up to SQLITE_ROWS rows (one statement per batch, its
    # parameters flattened), and one for the rest.
    width = len(columns)
    per = max(1, min(SQLITE_ROWS, SQLITE_MAX_PARAMS // width))
    names = ", ".join(f'"{n}"' for n in columns)
    one = "(" + ", ".join("?" * width) + ")"

    def insert(rows: int) -> str:
        return f'INSERT INTO "{table}" ({names}) VALUES {", ".join([one] * rows)}'  # noqa: S608

    full = len(records) - len(records) % per
    if full:
        await driver.executemany(
            insert(per),
            [[v for record in records[i : i + per] for v in record] for i in range(0, full, per)],
        )
    if rest := records[full:]:
        await driver.execute(insert(len(rest)), [v for record in rest for v in record])


async def insert_rows(session: AsyncSession, table: Table, rows: list[dict[str, Any]]) -> None:
    """Write many rows of an ORM table, given as Python values (every row with the same
    keys), through ``copy_rows``. Only the columns given are written (no Python-side
    defaults, as with ``COPY``), and ``None`` is NULL, also in a JSON column. The values
    become what the driver takes, as a Core ``INSERT`` would make them (SQLite: ids as
    hex, dates as text ...); asyncpg takes them as they are, only JSON is serialised.

    On PostgreSQL up to ``UNNEST_ROWS`` rows go as one ``INSERT ... SELECT FROM
    unnest(arrays)``: one round trip on a prepared statement, where ``COPY`` takes two
    (a partner batch writes four tables while it holds the partner's lock)."""
    if not rows:
        return
    columns = list(rows[0])
    dialect = (await session.connection()).dialect
    convert: dict[int, Callable[[Any], Any]]
    if dialect.name == "postgresql":
        convert = {
            i: json.dumps for i, name in enumerate(columns) if isinstance(table.c[name].type, JSON)
        }
    else:
        found = ((i, table.c[name].type) for i, name in enumerate(columns))
        processors = ((i, t.dialect_impl(dialect).bind_processor(dialect)) for i, t in found)
        convert = {i: p for i, p in processors if p is not None}
    if dialect.name == "postgresql" and len(rows) <= UNNEST_ROWS:
        arrays = [[row[name] for row in rows] for name in columns]
        for i, to_driver in convert.items():
            arrays[i] = [None if v is None else to_driver(v) for v in arrays[i]]
        raw = await (await session.connection()).get_raw_connection()
        driver: Any = raw.driver_connection
        await driver.execute(_unnest_insert(table, tuple(columns), dialect), *arrays)
        return
    records: list[Any] = [tuple(row.values()) for row in rows]
    if convert:
        for n, record in enumerate(records):
            values = list(record)
            for i, to_driver in convert.items():
                if values[i] is not None:
                    values[i] = to_driver(values[i])
            records[n] = values
    await copy_rows(session, table.name, columns, records)


UNNEST_ROWS = 1000
_unnest_statements: dict[tuple[str, tuple[str, ...]], str] = {}


def _unnest_insert(table: Table, columns: tuple[str, ...], dialect: Dialect) -> str:
    """``INSERT INTO table (columns) SELECT ... FROM unnest($1::type[], ...)``: one
    array parameter per column, so one statement text (and plan) for any number of
    rows. JSON travels as text and is cast back in the select list."""
    key = (table.name, columns)
    found = _unnest_statements.get(key)
    if found is not None:
        return found
    arrays, picked = _unnested(table, columns, dialect)
    names = ", ".join(f'"{name}"' for name in columns)
    aliases = ", ".join(f"c{n}" for n in range(1, len(columns) + 1))
    sql = (
        f'INSERT INTO "{table.name}" ({names}) SELECT {", ".join(picked)} '  # noqa: S608
        f"FROM unnest({', '.join(arrays)}) AS u({aliases})"
    )
    _unnest_statements[key] = sql
    return sql


def _unnested(
    table: Table, columns: tuple[str, ...], dialect: Dialect
) -> tuple[list[str], list[str]]:
    """Per column, the typed array parameter (``$n::type[]``) and the value as the
    statement takes it from ``unnest(...) AS u(c1, c2 ...)``."""
    arrays, picked = [], []
    for n, name in enumerate(columns, start=1):
        kind = table.c[name].type
        if isinstance(kind, JSON):
            arrays.append(f"${n}::text[]")
            picked.append(f"c{n}::{kind.compile(dialect=dialect)}")
        else:
            arrays.append(f"${n}::{kind.compile(dialect=dialect)}[]")
            picked.append(f"c{n}")
    return arrays, picked


async def update_rows(
    session: AsyncSession, table: Table, rows: list[dict[str, Any]], *, key: str = "id"
) -> None:
    """Update many rows of an ORM table by ``key``, each to its own values (every row
    with the same keys, ``key`` among them). PostgreSQL: one ``UPDATE ... FROM
    unnest(arrays)`` on a prepared statement, however many rows (an executemany runs one
    statement per row on the server); SQLite: a Core executemany."""
    if not rows:
        return
    columns = tuple(rows[0])
    connection = await session.connection()
    dialect = connection.dialect
    if dialect.name != "postgresql":
        values: dict[str, Any] = {name: bindparam(f"v_{name}") for name in columns if name != key}
        stmt = update(table).where(table.c[key] == bindparam(f"v_{key}")).values(**values)
        await session.execute(stmt, [{f"v_{k}": v for k, v in row.items()} for row in rows])
        return
    arrays = [[row[name] for row in rows] for name in columns]
    for i, name in enumerate(columns):
        if isinstance(table.c[name].type, JSON):
            arrays[i] = [None if v is None else json.dumps(v) for v in arrays[i]]
    sql = _unnest_update(table, columns, key, dialect)
    raw = await connection.get_raw_connection()
    driver: Any = raw.driver_connection
    await driver.execute(sql, *arrays)


def _unnest_update(table: Table, columns: tuple[str, ...], key: str, dialect: Dialect) -> str:
    cache_key = (f"update {table.name} by {key}", columns)
    found = _unnest_statements.get(cache_key)
    if found is not None:
        return found
    arrays, picked = _unnested(table, columns, dialect)
    aliases = ", ".join(f"c{n}" for n in range(1, len(columns) + 1))
    sets = ", ".join(
        f'"{name}" = {value}' for name, value in zip(columns, picked, strict=True) if name != key
    )
    at = picked[columns.index(key)]
    sql = (
        f'UPDATE "{table.name}" SET {sets} FROM unnest({", ".join(arrays)}) '  # noqa: S608
        f'AS u({aliases}) WHERE "{table.name}"."{key}" = {at}'
    )
    _unnest_statements[cache_key] = sql
    return sql
