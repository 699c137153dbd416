"""The database seam: everything that knows which database it talks to.

* ``engine``: the engine, SQLite's pragmas, ``BEGIN IMMEDIATE`` and busy retries;
* ``session``: the session factories and the request's session dependency;
* ``locks``: SQLite's write lock, taken before a transaction reads what it checks.

The rest of ``api`` imports from here (``from api.db import SessionDep``) and does not
branch on the dialect.
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
