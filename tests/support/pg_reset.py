"""Create (if needed) and empty a PostgreSQL test database.

``python -m tests.support.pg_reset URL``
"""

from __future__ import annotations

import sys

import psycopg
from sqlalchemy.engine import make_url


def reset(url: str) -> None:
    parsed = make_url(url)
    name = parsed.database
    assert name and name.replace("_", "").isalnum(), "unexpected database name"
    admin = parsed.set(drivername="postgresql", database="postgres")
    conninfo = admin.render_as_string(hide_password=False)
    with psycopg.connect(conninfo, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
    target = parsed.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(target, autocommit=True) as conn:
        conn.execute("DROP SCHEMA IF EXISTS public CASCADE")
        conn.execute("CREATE SCHEMA public")


if __name__ == "__main__":
    reset(sys.argv[1])
