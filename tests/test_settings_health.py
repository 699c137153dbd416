from __future__ import annotations

import httpx
import pytest
from pydantic import ValidationError

from api.config import Settings


def test_placeholder_secret_is_refused_outside_development() -> None:
    Settings(environment="development")  # the default secret is fine for a laptop
    for secret in ("change-me", "", "short", Settings().secret_key):
        with pytest.raises(ValidationError, match="OPVANG_SECRET_KEY"):
            Settings(environment="production", secret_key=secret)
    Settings(environment="production", secret_key="x" * 40)


def test_database_urls(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPVANG_DATABASE_URL", raising=False)
    default = Settings()
    assert default.is_sqlite
    assert default.database_url.endswith("data/opvang.db")
    assert default.async_url.drivername == "sqlite+aiosqlite"
    monkeypatch.setenv("OPVANG_DATABASE_URL", "postgresql+psycopg://u@db.example/opvang")
    pg = Settings()
    assert not pg.is_sqlite
    assert pg.sync_url.drivername == "postgresql+psycopg"
    assert pg.async_url.drivername == "postgresql+asyncpg"
    assert pg.async_url.host == "db.example"


async def test_health_reports_the_database(client: httpx.AsyncClient) -> None:
    r = await client.get("/api/v1/health")
    assert r.status_code == 200
    assert r.json()["database"] == "ok"
