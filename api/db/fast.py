"""Hot reads on the driver: a Core ``SELECT`` compiled once per dialect, run as a
prepared statement on a pooled driver connection (``fetchrow`` / ``fetch``), its rows
turned into JSON by orjson in one pass.

What this skips, measured on ``GET /partners/{id}`` (issue 19): the ORM session and
SQLAlchemy's execution and row layers (about half a simple read's time), and pydantic's
validation and serialization of the answer (which FastAPI does twice). What it keeps:
the statement is SQLAlchemy's (the same ``select`` the service builds, so scoping and
columns cannot drift apart), the values pass SQLAlchemy's own bind and result processors
(UUIDs as hex on SQLite, UTC timestamps, enums), and the JSON is the read schema's:
``tests/db/test_fast.py`` checks it against the schema's own serializer.

On PostgreSQL the reads run on a small asyncpg pool of their own (asyncpg prepares and
caches each statement per connection), in autocommit, as GET requests already read. A
database bound to one connection (the tests) and SQLite read on a session's connection.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import enum
import json
import sqlite3
import types
import uuid
from collections.abc import AsyncIterator, Callable, Collection, Iterator, Mapping, Sequence
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any, Literal, Union, get_args, get_origin

import asyncpg
import orjson
from pydantic import BaseModel
from sqlalchemy import BindParameter, Select
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.compiler import SQLCompiler

from api.error_handlers import unavailable_sqlstate

if TYPE_CHECKING:
    from api.db.session import Database

Processor = Callable[[Any], Any] | None
AnySelect = Select[*tuple[Any, ...]]
JSON_OPTIONS = orjson.OPT_UTC_Z


@dataclass(frozen=True, slots=True)
class Compiled:
    sql: str
    binds: tuple[str, ...]
    bind_processors: tuple[Processor, ...]
    preset: Mapping[str, BindParameter[Any]]  # value or callable, taken at each execution
    result_processors: tuple[tuple[int, Callable[[Any], Any]], ...]


class DriverQuery:
    """A ``SELECT`` whose parameters are named bind parameters, compiled once per
    dialect. ``keys`` are the JSON names of its columns (default: the read schema's
    wire names, in the schema's order, which the columns must follow)."""

    def __init__(self, stmt: AnySelect, keys: Sequence[str]) -> None:
        if len(keys) != len(stmt.selected_columns):
            raise ValueError("one JSON key per selected column")
        self.stmt = stmt
        self.keys = tuple(keys)
        self._compiled: dict[str, Compiled] = {}

    def compiled(self, dialect: Dialect) -> Compiled:
        found = self._compiled.get(dialect.name)
        if found is None:
            found = self._compiled[dialect.name] = _compile(self.stmt, dialect)
        return found


def _compile(stmt: AnySelect, dialect: Dialect, done: SQLCompiler | None = None) -> Compiled:
    compiled = done or stmt.compile(dialect=dialect)
    names = tuple(compiled.positiontup or ())
    binds = {name: _bind(compiled, name) for name in names}
    if any(bind.expanding for bind in binds.values()):
        raise ValueError("expanding (IN) parameters: compile with render_postcompile")
    bind_processors = tuple(
        binds[name].type.dialect_impl(dialect).bind_processor(dialect) for name in names
    )
    # The bind itself, not its value: a value given by a callable (the first day a partner
    # still sees an ended stay, ``visible_since_param``) is taken at each execution, not
    # frozen at the first compilation.
    preset = {name: binds[name] for name in names if not binds[name].required}
    results = (
        column.type.dialect_impl(dialect).result_processor(dialect, None)
        for column in stmt.selected_columns
    )
    return Compiled(
        sql=compiled.string,
        binds=names,
        bind_processors=bind_processors,
        preset=preset,
        result_processors=tuple((i, p) for i, p in enumerate(results) if p is not None),
    )


def _bind(compiled: SQLCompiler, name: str) -> BindParameter[Any]:
    """The bind parameter of a positional name; an IN list rendered out (``id_1_2``)
    takes the type of its list (``id_1``)."""
    found = compiled.binds.get(name)
    if found is None:
        found = compiled.binds[name.rsplit("_", 1)[0]]
        return BindParameter(name, None, type_=found.type, required=True)
    return found


# Statements built per request (a list with its filters, page and order) are compiled
# once per shape, as SQLAlchemy's own cache does: by the statement's cache key, whose
# extracted parameters give this request's values. A statement with an IN list is
# compiled for each request with the list written out.
_SHAPES: dict[tuple[str, Any], tuple[SQLCompiler, Compiled] | None] = {}
_MAX_SHAPES = 2_000


def _shape(stmt: AnySelect, dialect: Dialect) -> tuple[Compiled, Mapping[str, Any]]:
    key = stmt._generate_cache_key()
    if key is not None:
        shape = (dialect.name, key.key)
        if shape not in _SHAPES:
            if len(_SHAPES) >= _MAX_SHAPES:
                _SHAPES.clear()
            sa_compiled = stmt.compile(dialect=dialect, cache_key=key)
            expanding = any(bind.expanding for bind in sa_compiled.binds.values())
            _SHAPES[shape] = (
                None if expanding else (sa_compiled, _compile(stmt, dialect, sa_compiled))
            )
        found = _SHAPES[shape]
        if found is not None:
            sa_compiled, compiled = found
            return compiled, sa_compiled.construct_params(extracted_parameters=key.bindparams)
    # An IN list, or a statement that cannot be cached.
    written = stmt.compile(dialect=dialect, compile_kwargs={"render_postcompile": True})
    return _compile(stmt, dialect, written), written.construct_params()


class Reader:
    """One driver connection for the length of a read."""

    def __init__(self, driver: Any, dialect: Dialect) -> None:
        self.driver = driver
        self.dialect = dialect
        self.postgres = dialect.name == "postgresql"

    def _args(self, compiled: Compiled, params: Mapping[str, Any]) -> list[Any]:
        args = []
        for name, process in zip(compiled.binds, compiled.bind_processors, strict=True):
            value = params[name] if name in params else compiled.preset[name].effective_value
            args.append(process(value) if process is not None and value is not None else value)
        return args

    async def _fetch(self, compiled: Compiled, args: list[Any], one: bool) -> list[Sequence[Any]]:
        with driver_errors():
            return await self._fetch_raw(compiled, args, one)

    async def _fetch_raw(
        self, compiled: Compiled, args: list[Any], one: bool
    ) -> list[Sequence[Any]]:
        if self.postgres:
            if one:
                row = await self.driver.fetchrow(compiled.sql, *args)
                return [] if row is None else [row]
            return list(await self.driver.fetch(compiled.sql, *args))
        async with self.driver.execute(compiled.sql, args) as cursor:
            if one:
                found = await cursor.fetchone()
                return [] if found is None else [found]
            return list(await cursor.fetchall())

    async def rows(
        self, query: DriverQuery, params: Mapping[str, Any], *, one: bool = False
    ) -> list[dict[str, Any]]:
        """The rows as dicts of JSON names to Python values (after SQLAlchemy's result
        processors)."""
        compiled = query.compiled(self.dialect)
        found = await self._processed(compiled, self._args(compiled, params), one)
        return [dict(zip(query.keys, values, strict=True)) for values in found]

    async def select(self, stmt: AnySelect) -> list[list[Any]]:
        """Any Core ``SELECT`` built for this request, its values bound: the rows as lists
        of Python values in the order of ``stmt.selected_columns``."""
        compiled, values = _shape(stmt, self.dialect)
        return await self._processed(compiled, self._args(compiled, values), one=False)

    async def _processed(self, compiled: Compiled, args: list[Any], one: bool) -> list[list[Any]]:
        """The rows as lists of values after SQLAlchemy's result processors."""
        out = []
        for record in await self._fetch(compiled, args, one):
            row = list(record)
            for i, process in compiled.result_processors:
                if row[i] is not None:
                    row[i] = process(row[i])
            out.append(row)
        return out

    async def one(self, query: DriverQuery, params: Mapping[str, Any]) -> dict[str, Any] | None:
        found = await self.rows(query, params, one=True)
        return found[0] if found else None

    async def scalar(self, query: DriverQuery, params: Mapping[str, Any]) -> Any:
        found = await self.rows(query, params, one=True)
        return next(iter(found[0].values())) if found else None


async def session_reader(session: AsyncSession) -> Reader:
    """The driver connection of ``session``, inside its transaction: for reads that
    belong with the session's other work (an audited read, a check before a write)."""
    connection = await session.connection()
    raw = await connection.get_raw_connection()
    return Reader(raw.driver_connection, connection.dialect)


@asynccontextmanager
async def reading(db: Database) -> AsyncIterator[Reader]:
    """A driver connection to read on: from the driver pool (PostgreSQL), else from a
    read session (SQLite; a database bound to one connection)."""
    dialect = db.engine.dialect
    if dialect.name == "postgresql" and db.driver_args is not None and not db.bound:
        with driver_errors():  # taking the connection, giving it back
            pool = db.driver_pool or await _open_pool(db)
            async with pool.acquire() as connection:
                yield Reader(connection, dialect)
        return
    async with db.read_sessionmaker() as session:
        connection = await session.connection()
        raw = await connection.get_raw_connection()
        yield Reader(raw.driver_connection, dialect)


@contextmanager
def driver_errors() -> Iterator[None]:
    """The driver's own errors as the rest of the service knows them: a lost connection,
    a timeout or a busy SQLite as ``ConnectionError`` (answered 503, as SQLAlchemy's are),
    anything else as it is (a 500: a fault of ours)."""
    try:
        yield
    except (asyncpg.InterfaceError, asyncpg.PostgresConnectionError, OSError) as exc:
        raise ConnectionError(f"database connection: {type(exc).__name__}") from exc
    except asyncpg.InternalClientError as exc:
        # E.g. "waiter is not done while handling critical protocol error": the server
        # dropped the connection in the middle of an operation (tests/db/test_faults.py).
        raise ConnectionError(f"database connection: {type(exc).__name__}") from exc
    except asyncpg.PostgresError as exc:
        if unavailable_sqlstate(str(getattr(exc, "sqlstate", "") or "")):
            raise ConnectionError(f"database unavailable: {type(exc).__name__}") from exc
        raise
    except sqlite3.OperationalError as exc:
        raise ConnectionError(f"database busy: {type(exc).__name__}") from exc


_opening = asyncio.Lock()


async def _open_pool(db: Database) -> asyncpg.Pool:
    async with _opening:
        if db.driver_pool is None:
            url = db.engine.url.set(drivername="postgresql")
            args = dict(db.driver_args or {})
            db.driver_pool = await asyncpg.create_pool(
                url.render_as_string(hide_password=False),
                min_size=1,
                max_size=args.pop("pool_size", 10),
                reset=_reset,
                init=_json_codecs,
                **args,
            )
        return db.driver_pool


async def _json_codecs(connection: asyncpg.Connection) -> None:
    """JSON and JSONB as SQLAlchemy's asyncpg dialect sets them up on its own connections:
    decoded by the driver (the dialect's JSON types then have no result processor, so
    without these a JSON column would come back as its text), encoded from the text the
    types' bind processors make."""
    await connection.set_type_codec(
        "json",
        encoder=str.encode,
        decoder=lambda value: json.loads(value.decode()),
        schema="pg_catalog",
        format="binary",
    )
    await connection.set_type_codec(
        "jsonb",
        encoder=lambda value: b"\x01" + value.encode(),  # JSONB's binary format version
        decoder=lambda value: json.loads(value[1:].decode()),
        schema="pg_catalog",
        format="binary",
    )


async def _reset(connection: asyncpg.Connection) -> None:
    """Before a connection goes back to the pool. These connections only ever run the
    reads of this module, in autocommit: no session settings, locks or listeners to
    undo, so asyncpg's own reset (a round trip on every release: ``RESET ALL``, unlock,
    unlisten) is left out; a transaction left open (never, but cheap to check) is
    rolled back."""
    if connection.is_in_transaction():
        await connection.execute("ROLLBACK")


def _default(value: Any) -> Any:
    if isinstance(value, uuid.UUID):  # asyncpg's own UUID type
        return str(value)
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"{type(value).__name__} is not JSON")


def dumps(value: Any) -> bytes:
    return orjson.dumps(value, default=_default, option=JSON_OPTIONS)


# The field types whose JSON orjson writes exactly as pydantic does.
_PLAIN = (str, int, bool, uuid.UUID, dt.date, dt.datetime, type(None))


def _plain(annotation: Any) -> bool:
    origin = get_origin(annotation)
    if origin in (Union, types.UnionType):
        return all(_plain(arg) for arg in get_args(annotation))
    if origin is Literal:
        return True
    if origin is Annotated:
        # Annotated[X, ...]: X decides (constraints do not change the JSON)
        return _plain(get_args(annotation)[0]) and _only_constraints(annotation)
    if origin in (list, tuple, dict):
        # JSON arrays and objects of plain values (a dict's keys are strings)
        return all(arg is Ellipsis or _plain(arg) for arg in get_args(annotation))
    if origin is not None:
        return False
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return True
    return isinstance(annotation, type) and issubclass(annotation, _PLAIN)


def _only_constraints(annotation: Any) -> bool:
    return all(
        not callable(m) or isinstance(m, type) for m in getattr(annotation, "__metadata__", ())
    )


def plain_schema(schema: type[BaseModel], vouched: Collection[str] = ()) -> bool:
    """Whether orjson writes ``schema``'s answers as pydantic would: only plain field
    types, no validators, serializers or computed fields. ``vouched``: fields whose JSON
    the caller writes itself (an extended list's computed fields), left unchecked."""
    decorators = schema.__pydantic_decorators__
    if decorators.field_serializers or decorators.model_serializers:
        return False
    if decorators.field_validators or decorators.model_validators:
        return False
    if schema.model_computed_fields:
        return False
    return all(
        _plain(field.annotation)
        for name, field in schema.model_fields.items()
        if name not in vouched
    )


def wire_keys(schema: type[BaseModel]) -> list[str]:
    return [
        field.serialization_alias or field.alias or name
        for name, field in schema.model_fields.items()
    ]
