"""The public summary's cache per worker (``OPVANG_PUBLIC_SUMMARY_CACHE_SECONDS``):
within it every caller gets the figures computed first, with one computation for callers
that arrive together; with 0 every request computes them."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from api.config import Settings
from api.db import Database
from api.main import create_app
from api.public.router import forget_summary
from tests.support import overview_data
from tests.support.builders import Builder
from tests.support.overview_data import count_statements

URL = "/api/v1/public/summary"


@pytest.fixture
async def cached(settings: Settings, db: Database) -> AsyncIterator[httpx.AsyncClient]:
    forget_summary()
    app = create_app(settings.model_copy(update={"public_summary_cache_seconds": 600}), db)
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
        yield c
    forget_summary()


async def test_within_the_cache_callers_get_the_first_figures(
    cached: httpx.AsyncClient, client: httpx.AsyncClient, build: Builder, engine: AsyncEngine
) -> None:
    partner = await build.partner()
    await overview_data.known(build.db, partner)
    with count_statements(engine) as together:
        answers = await asyncio.gather(*(cached.get(URL) for _ in range(4)))
    assert {a.status_code for a in answers} == {200}
    assert len({a.content for a in answers}) == 1
    with count_statements(engine) as once:
        assert (await client.get(URL)).status_code == 200  # uncached: one computation
    assert len(together) == len(once)  # four callers, one computation
    first = answers[0].json()

    await overview_data.more(build.db, partner, 5)
    with count_statements(engine) as none:
        again = await cached.get(URL)
    assert again.json() == first and len(none) == 0
    assert again.headers["cache-control"] == "no-store"  # the cache is the worker's only
    fresh = (await client.get(URL)).json()
    assert fresh["locationsTotal"] != first["locationsTotal"]

    forget_summary()
    assert (await cached.get(URL)).json() == fresh
