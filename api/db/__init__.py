"""The database seam: everything that knows which database it talks to (PostgreSQL or
SQLite), so that the rest of ``api`` does not branch on the dialect.

* ``engine``: the engine, SQLite's pragmas, ``BEGIN IMMEDIATE`` and busy retries;
* ``session``: the session factories and the request's session dependency;
* ``locks``: SQLite's write lock (``take_write_lock``) and PostgreSQL's row locks;
* ``dialect``: the SQL that differs (``sql_of(session)``: date arithmetic, the upsert,
  keys as one array parameter, UUIDs and JSON as text);
* ``raw``: the driver itself: a report's rows (``fetch_raw``), many rows at once
  (``copy_rows``/``insert_rows``: ``COPY`` or multi-row INSERTs);
* ``fast``: the hot reads on the driver (a statement compiled once, prepared on a pooled
  driver connection, its rows to JSON by orjson);
* ``staging``: a temporary table filled through ``copy_rows`` (the bulk imports).

The names below were ``api.db``'s before it became a package; import the others from
their modules.
"""

from api.db.engine import (
    BUSY_ATTEMPTS,
    IMMEDIATE,
    SQLITE_BEGIN,
    build_engine,
    is_busy,
    retry_busy,
)
from api.db.locks import take_write_lock
from api.db.session import (
    CHECKPOINT_AFTER_COMMIT,
    Database,
    SessionDep,
    checkpoint_wal,
    get_database,
    get_session,
)

__all__ = [
    "BUSY_ATTEMPTS",
    "CHECKPOINT_AFTER_COMMIT",
    "IMMEDIATE",
    "SQLITE_BEGIN",
    "Database",
    "SessionDep",
    "build_engine",
    "checkpoint_wal",
    "get_database",
    "get_session",
    "is_busy",
    "retry_busy",
    "take_write_lock",
]
