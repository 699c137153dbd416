"""Test fixtures.

The schema is built by running the migrations, on SQLite by default or on PostgreSQL
when ``OPVANG_TEST_DATABASE_URL`` points at it. Each test runs inside a transaction on
one connection that is rolled back afterwards; the app's sessions join it as savepoints.
"""

from __future__ import annotations

import logging
import os
import tempfile
import uuid
from collections.abc import AsyncIterator, Iterator
from ipaddress import ip_network
from pathlib import Path

import httpx
import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine
from sqlalchemy.ext.asyncio import AsyncEngine

from api.config import Settings
from api.db import Database, build_engine
from api.logs import configure_logging
from api.main import Site, create_app
from tests.support import privacy, subjects
from tests.support.builders import Builder

ROOT = Path(__file__).resolve().parent.parent
TEST_SECRET = "test-secret-0123456789abcdef0123456789abcdef"


@pytest.fixture(scope="session", autouse=True)
def _no_personal_data_in_logs(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[privacy.LogCapture]:
    """Every log record of the run goes to a file (the root logger, and the opvang logger
    each app configures); at the end the file must hold no BSN- or V-number-shaped value
    and none of the names, numbers and birth dates the builders wrote."""
    path = tmp_path_factory.getbasetemp() / "all-logs.jsonl"
    handler = privacy.LogCapture(path)

    def configure_and_capture(level: str = "INFO") -> None:
        configure_logging(level)
        privacy.attach(handler, "opvang")

    privacy.attach(handler, "")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("api.main.configure_logging", configure_and_capture)
        yield handler
    for name in ("", "opvang"):
        logging.getLogger(name).removeHandler(handler)
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    found = privacy.leaks(lines, privacy.registered())
    assert not found, f"personal data in the logs ({path}):\n" + "\n".join(found[:20])


@pytest.fixture(autouse=True)
def _log_capture_attached(_no_personal_data_in_logs: privacy.LogCapture) -> None:
    """A test may have reconfigured logging (uvicorn's dictConfig): capture again."""
    privacy.attach(_no_personal_data_in_logs, "")


def _database_url(tmp: Path) -> str:
    return os.environ.get("OPVANG_TEST_DATABASE_URL") or f"sqlite:///{tmp / 'opvang-test.db'}"


@pytest.fixture(scope="session")
def settings() -> Iterator[Settings]:
    with tempfile.TemporaryDirectory(prefix="opvang-test-") as tmp:
        yield Settings(
            environment="test",
            database_url=_database_url(Path(tmp)),
            secret_key=TEST_SECRET,
            argon2_time_cost=1,
            argon2_memory_kib=64,
            cors_origins=["https://dashboard.heemstede.example"],
            # Changes through the API forget a token generation at once in this process;
            # a long cache keeps the statements of a request the same from one to the next.
            token_generation_cache_seconds=60,
            # The public summary is computed afresh for every request (its cache has its
            # own test: tests/public/test_summary_cache.py).
            public_summary_cache_seconds=0,
            # The webhook tests' receivers listen on 127.0.0.1 (refused unless admitted).
            webhook_allowed_networks=[ip_network("127.0.0.0/8"), ip_network("::1/128")],
        )


@pytest.fixture(scope="session")
def migrated(settings: Settings) -> Settings:
    if not settings.is_sqlite:
        from tests.support.pg_reset import reset

        reset(settings.database_url)
    engine = create_engine(settings.sync_url)
    cfg = Config(str(ROOT / "alembic.ini"))
    cfg.attributes["configure_logger"] = False
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, "head")
    engine.dispose()
    return settings


@pytest.fixture(scope="session")
async def engine(migrated: Settings) -> AsyncIterator[AsyncEngine]:
    eng = build_engine(migrated)
    yield eng
    await eng.dispose()


@pytest.fixture
async def db(engine: AsyncEngine) -> AsyncIterator[Database]:
    async with engine.connect() as conn:
        outer = await conn.begin()
        yield Database(engine, bind=conn)
        await outer.rollback()


@pytest.fixture
def app(settings: Settings, db: Database) -> Site:
    return create_app(settings, db)


@pytest.fixture
async def client(app: Site, db: Database) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    # The made-up callers of `build.headers_for` become users on first use.
    hooks = subjects.materialize(db)
    async with httpx.AsyncClient(
        transport=transport, base_url="http://testserver", event_hooks=hooks
    ) as c:
        yield c


@pytest.fixture
def build(db: Database, settings: Settings) -> Builder:
    return Builder(db, settings)


@pytest.fixture
def unique() -> str:
    return uuid.uuid4().hex[:8]
