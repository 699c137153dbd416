"""The activity list says how full each activity is: open enrollments (enrolled or active)
against the capacity, counted for the whole page in one statement, within the caller's
scope."""

from __future__ import annotations

import httpx
from sqlalchemy.ext.asyncio import AsyncEngine

from api.db import Database
from api.models import EnrollmentStatus, Role
from tests.support import programme, records
from tests.support.builders import Builder
from tests.support.overview_data import count_statements

URL = "/api/v1/activities"


async def test_enrolled_and_free_places_per_activity(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    provider = await build.partner()
    full = await programme.activity(db, provider, title="NT2 A1", capacity=3)
    roomy = await programme.activity(db, provider, title="NT2 A2", capacity=10)
    open_ended = await programme.activity(db, provider, title="Voetbal", capacity=None)
    over = await programme.activity(db, provider, title="Zwemmen", capacity=1)
    people = [await records.participant(db) for _ in range(4)]
    for person in people[:3]:
        await programme.enrollment(db, full, person)
    await programme.enrollment(db, roomy, people[0], status=EnrollmentStatus.active)
    # Ended enrollments do not take a place.
    await programme.enrollment(db, roomy, people[1], status=EnrollmentStatus.completed)
    await programme.enrollment(db, roomy, people[2], status=EnrollmentStatus.dropped_out)
    await programme.enrollment(db, open_ended, people[3])
    # Capacity lowered below the open enrollments (written past the rules): never below 0.
    for person in people[:2]:
        await programme.enrollment(db, over, person)

    h = build.headers_for(Role.coordinator)
    r = await client.get(f"{URL}?providerPartnerId={provider.id}&sort=title", headers=h)
    assert r.status_code == 200, r.text
    got = {a["title"]: (a["capacity"], a["enrolled"], a["free"]) for a in r.json()["items"]}
    assert got == {
        "NT2 A1": (3, 3, 0),
        "NT2 A2": (10, 1, 9),
        "Voetbal": (None, 1, None),
        "Zwemmen": (1, 2, 0),
    }
    # A filter still counts per activity, not over the filtered set.
    r = await client.get(f"{URL}?providerPartnerId={provider.id}&q=A1", headers=h)
    assert [(a["enrolled"], a["free"]) for a in r.json()["items"]] == [(3, 0)]
    # A partner sees its own activities with their figures, nothing of another's.
    other = await build.partner()
    await programme.activity(db, other, title="Elders", capacity=5)
    r = await client.get(URL, headers=build.headers_for(Role.partner, provider))
    assert sorted(a["title"] for a in r.json()["items"]) == sorted(got)
    # The single read keeps its shape: no list-only figures.
    r = await client.get(f"{URL}/{full.id}", headers=h)
    assert "enrolled" not in r.json() and "free" not in r.json()


async def test_the_figures_cost_no_statement_per_activity(
    client: httpx.AsyncClient, build: Builder, db: Database, engine: AsyncEngine
) -> None:
    provider = await build.partner()
    person = await records.participant(db)
    h = build.headers_for(Role.coordinator)
    url = f"{URL}?providerPartnerId={provider.id}"

    async def statements() -> int:
        with count_statements(engine) as counted:
            assert (await client.get(url, headers=h)).status_code == 200
        return len(counted)

    act = await programme.activity(db, provider, capacity=2)
    await programme.enrollment(db, act, person)
    await statements()  # the caller's first request also reads its token generation
    small = await statements()
    for _ in range(5):
        act = await programme.activity(db, provider, capacity=2)
        await programme.enrollment(db, act, person)
    assert await statements() == small
