"""A fresh, migrated benchmark database with partners and an admin user."""

from __future__ import annotations

import asyncio
import os
import subprocess
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event, insert
from sqlalchemy.engine import make_url

from api.auth.passwords import hash_secret
from api.auth.principal import Principal
from api.config import Settings
from api.db import Database, build_engine
from api.models import Partner, PartnerKind, Role, User, utcnow
from api.partners import service as partner_service
from bench._harness import ROOT, venv_script

DEFAULT_PG_URL = "postgresql://postgres@127.0.0.1:5432/opvang_bench"
ADMIN_EMAIL = "bench-admin@heemstede.example"


@dataclass(frozen=True)
class BenchData:
    database_url: str
    partner_id: uuid.UUID
    admin_id: uuid.UUID


def local_settings(url: str) -> Settings:
    # For this process's own set-up only; "development" so an OPVANG_ENVIRONMENT in the
    # caller's shell cannot demand a production secret here.
    return Settings(database_url=url, environment="development")


def database_url(engine: str, override: str | None, workdir: Path) -> str:
    if override:
        # The run wipes this database; a name without "bench" is more likely a typo for
        # the real one than a deliberate choice.
        if "bench" not in (make_url(override).database or ""):
            raise ValueError(f"refusing to wipe {override}: its database name lacks 'bench'")
        return override
    if engine == "sqlite":
        return f"sqlite:///{workdir / 'bench.db'}"
    return DEFAULT_PG_URL


def prepare(url: str, *, partners: int) -> BenchData:
    """Reset, migrate the way operators do (``opvang migrate``), then insert the rows."""
    settings = local_settings(url)
    if settings.is_sqlite:
        path = settings.sync_url.database or ""
        for suffix in ("", "-wal", "-shm"):
            Path(path + suffix).unlink(missing_ok=True)
    else:
        from tests.support.pg_reset import reset

        reset(url)
    env = {k: v for k, v in os.environ.items() if not k.startswith("OPVANG_")}
    env["OPVANG_DATABASE_URL"] = url
    subprocess.run(
        [venv_script("opvang"), "migrate"], cwd=ROOT, env=env, check=True, capture_output=True
    )
    now = utcnow()
    kinds = list(PartnerKind)
    ids = [uuid.uuid4() for _ in range(partners)]
    rows = [
        {
            "id": ids[i],
            "name": f"Benchmark partner {i:04d}",
            "kind": kinds[i % len(kinds)],
            "version": 1,
            "created_at": now,
            "updated_at": now,
        }
        for i in range(partners)
    ]
    admin_id = uuid.uuid4()
    engine = create_engine(settings.sync_url)
    try:
        with engine.begin() as conn:
            conn.execute(insert(Partner), rows)
            conn.execute(
                insert(User).values(
                    id=admin_id,
                    email=ADMIN_EMAIL,
                    # Cheap hash parameters: nobody signs in with it, the token is minted.
                    password_hash=hash_secret(
                        settings.model_copy(
                            update={"argon2_time_cost": 1, "argon2_memory_kib": 64}
                        ),
                        uuid.uuid4().hex,
                    ),
                    role=Role.admin,
                    partner_id=None,
                    version=1,
                    created_at=now,
                    updated_at=now,
                )
            )
            # ANALYZE so the planner has statistics from the start, as in a live database.
            if not settings.is_sqlite:
                conn.exec_driver_sql("ANALYZE partners")
    finally:
        engine.dispose()
    # A partner from the middle of the key range, not the first row inserted.
    return BenchData(database_url=url, partner_id=ids[partners // 2], admin_id=admin_id)


def read_partner_sql(data: BenchData) -> str:
    """The exact SQL ours sends for an admin's ``GET /partners/{id}``, captured from the
    service itself so the reference cannot drift from it (``$1::UUID`` for asyncpg, ``?``
    for SQLite)."""
    return asyncio.run(_capture_read_sql(data))


async def _capture_read_sql(data: BenchData) -> str:
    settings = local_settings(data.database_url)
    db = Database(build_engine(settings))
    seen: list[str] = []

    def capture(_conn: Any, _cursor: Any, statement: str, *_rest: Any) -> None:
        seen.append(statement)

    event.listen(db.engine.sync_engine, "before_cursor_execute", capture)
    principal = Principal(kind="user", id=data.admin_id, role=Role.admin)
    try:
        async with db.sessionmaker() as session:
            await partner_service.read(session, partner_id=data.partner_id, principal=principal)
    finally:
        await db.dispose()
    selects = [s for s in seen if "partners" in s and s.lstrip().upper().startswith("SELECT")]
    if len(selects) != 1:
        raise RuntimeError(f"expected one SELECT from the partner service, saw {seen}")
    return selects[0]
