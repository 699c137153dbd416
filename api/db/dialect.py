"""The SQL that differs between PostgreSQL and SQLite, in one place.

``sql_of(session)`` answers the ``Sql`` of the session's database; modules ask it for
the expression they need instead of branching on the dialect themselves. Where the two
write the same thing the same way, nothing here: most of the SQL of this service is
portable (the occupancy sweep, the reports), and that is on purpose.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any, Final

from sqlalchemy import (
    ARRAY,
    ColumnElement,
    Date,
    DateTime,
    Engine,
    Integer,
    Select,
    String,
    Text,
    any_,
    bindparam,
    cast,
    func,
    literal,
    literal_column,
    select,
    true,
    type_coerce,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession
from sqlalchemy.orm import Session

EPOCH: Final = date(1970, 1, 1)
_JULIAN_EPOCH = "2440587.5"  # julianday('1970-01-01')


def _int(value: int) -> ColumnElement[int]:
    # Inlined, not bound: asyncpg cannot type a bare parameter in some positions.
    return literal_column(str(int(value)), Integer)


class Sql:
    """The expressions of one dialect (``postgresql`` or ``sqlite``)."""

    def __init__(self, dialect: str) -> None:
        self.dialect = dialect
        self.postgres = dialect == "postgresql"

    # --- dates ---------------------------------------------------------------------------
    # Clipped interval lengths are differences of days: PostgreSQL's ``date - date`` is an
    # integer, so there dates stay dates (bounds inlined as DATE literals); SQLite's dates
    # are text, so there they become day numbers since EPOCH through ``julianday`` (bounds
    # inlined as the same numbers).

    def dayno(self, column: Any) -> ColumnElement[Any]:
        """A date column as something whose differences are day counts."""
        if not self.postgres:
            return cast(func.julianday(column) - literal_column(_JULIAN_EPOCH), Integer)
        return column  # type: ignore[no-any-return]

    def day(self, value: date) -> ColumnElement[Any]:
        """A date from Python, inlined, comparable with ``dayno`` of a column."""
        if not self.postgres:
            return _int((value - EPOCH).days)
        return literal_column(f"DATE '{value.isoformat()}'", Date)

    def greatest(self, *args: Any) -> ColumnElement[int]:
        fn = func.greatest if self.postgres else func.max
        return type_coerce(fn(*args), Integer)

    def least(self, *args: Any) -> ColumnElement[int]:
        fn = func.least if self.postgres else func.min
        return type_coerce(fn(*args), Integer)

    def hours_between(self, earlier: Any, later: Any) -> ColumnElement[int]:
        """Whole hours from one timestamp column to another (rounded down)."""
        if self.postgres:
            elapsed = func.extract("epoch", later - earlier)
            return cast(func.floor(elapsed / _int(3600)), Integer)
        # Rounded to whole seconds first: julianday's floating point would make 48 hours
        # 47.999...; then integer division (rounds down for a positive span).
        days = func.julianday(later) - func.julianday(earlier)
        seconds = cast(func.round(days * _int(86400)), Integer)
        return type_coerce(seconds / _int(3600), Integer)

    def calendar_start(self, first: date) -> ColumnElement[Any]:
        """The first day of a recursive calendar CTE: a DATE on PostgreSQL (so the
        recursive step keeps its type); SQLite keeps dates as ISO text, and its
        ``CAST(... AS DATE)`` would make a number of it."""
        if self.postgres:
            return cast(literal(first, Date), Date)
        return literal(first, Date)

    def next_day(self, day: Any) -> ColumnElement[Any]:
        """The day after ``day`` (a column of dates)."""
        if self.postgres:
            return day + _int(1)  # type: ignore[no-any-return]
        return func.date(day, "+1 day")

    def within_days(self, earlier: Any, later: Any, days: int) -> ColumnElement[bool]:
        """``later`` at most ``days`` days after ``earlier`` (two timestamp columns)."""
        if self.postgres:
            return later <= earlier + literal_column(f"INTERVAL '{int(days)} days'")  # type: ignore[no-any-return]
        return func.julianday(later) - func.julianday(earlier) <= _int(days)

    def date_literal(self, day: date) -> ColumnElement[Any]:
        """A date written into the statement (not bound, so one statement can hold many
        in a VALUES-like list): SQLite keeps dates as ISO text, PostgreSQL a DATE."""
        if self.postgres:
            return literal_column(f"DATE '{day.isoformat()}'", Date)
        return literal_column(f"'{day.isoformat()}'", Date)

    def instant_literal(self, moment: datetime) -> ColumnElement[Any]:
        """A UTC timestamp written into the statement; SQLite stores them as text in
        SQLAlchemy's format."""
        if self.postgres:
            return literal_column(f"TIMESTAMPTZ '{moment.isoformat()}'", DateTime(timezone=True))
        return literal_column(f"'{moment.strftime('%Y-%m-%d %H:%M:%S.%f')}'", DateTime())

    def yyyymmdd(self, day: Any, *, plus_days: int = 0) -> ColumnElement[str]:
        """A date column ``plus_days`` on, as YYYYMMDD text (for calendar comparisons
        such as "five years on": the number plus 50000)."""
        if self.postgres:
            shifted = day + _int(plus_days) if plus_days else day
            return func.to_char(shifted, "YYYYMMDD")
        if plus_days:
            return func.strftime("%Y%m%d", day, f"{plus_days:+d} day")
        return func.strftime("%Y%m%d", day)

    # --- text ----------------------------------------------------------------------------

    def uuid_text(self, column: Any) -> ColumnElement[str]:
        """A ``Uuid`` column as the text ``str(uuid)`` gives (SQLite stores 32 hex
        digits)."""
        if self.postgres:
            return type_coerce(column, Text).cast(String)  # uuid::varchar: lower, dashed
        hexed = type_coerce(column, String)

        def part(start: int, length: int) -> Any:
            return func.substr(hexed, start, length)

        dashed = part(1, 8) + "-" + part(9, 4) + "-" + part(13, 4) + "-" + part(17, 4)
        return dashed + "-" + part(21, 12)  # type: ignore[no-any-return]

    def finds(self, haystack: str, needle: str) -> str:
        """SQL text: whether the bytes or text ``haystack`` (a column) hold the bound
        parameter named ``needle``."""
        if self.postgres:
            return f"position(:{needle} in {haystack}) > 0"
        return f"instr({haystack}, :{needle}) > 0"

    def json_from_text(self, text: Any) -> Any:
        """JSON held as text (a staged column), as a JSON column takes it: PostgreSQL's
        JSONB parses it; SQLite stores JSON as that text."""
        return cast(text, JSONB) if self.postgres else text

    def json_compared(self, column: Any) -> Any:
        """A JSON column, comparable with ``json_from_text``: JSONB values on
        PostgreSQL, the stored text on SQLite."""
        return column if self.postgres else type_coerce(column, Text)

    # --- sets of keys --------------------------------------------------------------------

    def among(self, column: Any, values: Any) -> ColumnElement[bool]:
        """``column IN values``; on PostgreSQL as ``= ANY(array)``: one parameter, so one
        statement text (and one prepared plan) whatever the number of values."""
        values = list(values)
        if not self.postgres:
            return column.in_(values)  # type: ignore[no-any-return]
        return column == any_(bindparam(None, values, type_=ARRAY(column.type)))  # type: ignore[no-any-return]

    def by_keys(
        self, owner_column: Any, owner: uuid.UUID, key_column: Any, keys: Any, *columns: Any
    ) -> Select[Any]:
        """``SELECT columns WHERE owner_column = owner AND key_column IN keys``, for a
        table with a unique index on (owner, key). On PostgreSQL one probe of that index
        per key (a ``LATERAL`` look-up per ``unnest``-ed key): with ``= ANY(array)`` the
        planner, on statistics that lag behind a fast-growing table, scanned all of the
        owner's rows and compared each with every key -- a partner-event batch's cost grew
        with every event the partner had ever sent (``bench/partner_events``: 90 ms per
        batch of 500 at first, 760 ms after 40,000 events)."""
        keys = list(keys)
        if not self.postgres:
            return select(*columns).where(owner_column == owner, key_column.in_(keys))
        wanted = (
            func.unnest(bindparam(None, keys, type_=ARRAY(key_column.type)))
            .table_valued("key")
            .render_derived(name="wanted")
        )
        probe = (
            select(*columns)
            .where(owner_column == owner, key_column == wanted.c.key)
            .limit(1)
            .lateral("probe")
        )
        return select(*(probe.c[c.key] for c in columns)).select_from(wanted).join(probe, true())

    # --- writes --------------------------------------------------------------------------

    def insert(self, model: Any) -> Any:
        """``INSERT`` with ``on_conflict_do_nothing`` / ``on_conflict_do_update`` (an
        upsert), as the dialect writes it."""
        return pg_insert(model) if self.postgres else sqlite_insert(model)

    def feed_at_once(self) -> str | None:
        """PostgreSQL: the statement that writes a transaction's change feed at COMMIT in
        one round trip (``api.changes.recorder``): it bumps the counter and inserts the
        changes and their audiences, all three given as arrays (``$1`` the count,
        ``$2..$7`` the changes numbered 1..n, ``$8..$9`` the audiences by number).
        SQLite: None (the recorder writes them one statement each)."""
        return _FEED_AT_ONCE if self.postgres else None


# The positions are numbered 1..n in the arrays and placed after the counter's old value
# here; the counter's row lock orders concurrent writers as before.
_FEED_AT_ONCE: Final = (
    "WITH counter AS (UPDATE change_counter SET last_position = last_position + $1 "
    "WHERE id = 1 RETURNING last_position - $1 AS base), "
    "written AS (INSERT INTO changes (position, entity, entity_id, operation, version, "
    "changed_at) SELECT counter.base + c.n, c.entity, c.entity_id, c.operation, c.version, "
    "c.changed_at FROM counter, unnest($2::bigint[], $3::varchar[], $4::varchar[], "
    "$5::varchar[], $6::integer[], $7::timestamptz[]) "
    "AS c(n, entity, entity_id, operation, version, changed_at)) "
    "INSERT INTO change_audiences (position, partner_id) SELECT counter.base + a.n, a.partner "
    "FROM counter, unnest($8::bigint[], $9::uuid[]) AS a(n, partner)"
)


_BY_DIALECT: dict[str, Sql] = {}

Bind = AsyncSession | Session | AsyncConnection | Connection | AsyncEngine | Engine


def sql_of(bind: Bind) -> Sql:
    """The ``Sql`` of the database behind a session, connection or engine."""
    if isinstance(bind, AsyncSession | Session):
        name = bind.get_bind().dialect.name
    else:
        name = bind.dialect.name
    found = _BY_DIALECT.get(name)
    if found is None:
        found = _BY_DIALECT[name] = Sql(name)
    return found
