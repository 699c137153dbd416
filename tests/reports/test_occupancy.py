"""The occupancy report (the same figures on SQLite and PostgreSQL) and the race for the
last place (PostgreSQL, real transactions)."""

from __future__ import annotations

import asyncio
import uuid
from datetime import date, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import delete

from api.config import Settings
from api.db import Database, build_engine
from api.main import create_app
from api.models import (
    CapacityChange,
    Location,
    Participant,
    Partner,
    PartnerKind,
    Placement,
    Role,
)
from api.reports.shared import rate
from tests.support import records, subjects
from tests.support.builders import Builder, auth_headers, problem

URL = "/api/v1/reports/occupancy"

# (opened, closed, capacity history, stays)
PLAN: dict[str, Any] = {
    "A": (
        date(2024, 1, 1),
        date(2024, 1, 20),
        {date(2024, 1, 1): 2, date(2024, 1, 10): 3},
        [
            (date(2024, 1, 1), date(2024, 1, 5)),
            (date(2024, 1, 3), date(2024, 1, 15)),
            (date(2024, 1, 10), date(2024, 1, 20)),
            (date(2023, 12, 31), date(2024, 1, 2)),  # a fact from before opening
        ],
    ),
    "B": (date(2024, 1, 5), None, {date(2024, 1, 5): 1}, [(date(2024, 1, 5), None)]),
    "C": (date(2024, 1, 1), None, {date(2024, 1, 1): 0}, []),
}


def expected(first: date, last: date, plan: Any) -> list[tuple[str, int, int]]:
    """The figures by walking the days, as the report must not."""
    opened, closed, history, stays = plan
    rows = []
    day = first
    while day <= last:
        if opened <= day and (closed is None or day <= closed):
            earlier = [d for d in history if d <= day]
            cap = history[max(earlier)] if earlier else 0  # the latest change
            occ = sum(1 for s, e in stays if s <= day and (e is None or day < e))
            rows.append((day.isoformat(), cap, occ))
        day += timedelta(days=1)
    return rows


async def seed(db: Database, operator: Partner) -> dict[str, Location]:
    made = {}
    for key, (opened, closed, history, stays) in PLAN.items():
        loc = await records.location(
            db,
            operator,
            name=f"Loc {key} {operator.id.hex[:6]}",
            opened_on=opened,
            closed_on=closed,
            capacity=history,
        )
        for start, end in stays:
            await records.placement(db, await records.participant(db), loc, start=start, end=end)
        made[key] = loc
    return made


async def test_daily_rows_match_a_walk_over_the_days(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    op = await build.partner()
    locs = await seed(db, op)
    first, last = date(2023, 12, 30), date(2024, 1, 21)
    h = build.headers_for(Role.finance)
    for key, loc in locs.items():
        r = await client.get(f"{URL}?from={first}&to={last}&locationId={loc.id}", headers=h)
        assert r.status_code == 200, r.text
        items = r.json()["items"]
        got = [(i["date"], i["capacity"], i["occupied"]) for i in items]
        assert got == expected(first, last, PLAN[key]), key
        for i in items:
            assert set(i) == {"locationId", "date", "capacity", "occupied", "free", "rate"}
            assert i["locationId"] == str(loc.id)
            assert i["free"] == max(i["capacity"] - i["occupied"], 0)
            assert i["rate"] == rate(i["occupied"], i["capacity"])
    r = await client.get(f"{URL}?from=2024-01-10&to=2024-01-10", headers=h)
    mine = [i for i in r.json()["items"] if i["locationId"] in {str(v.id) for v in locs.values()}]
    assert sorted((i["capacity"], i["occupied"], i["rate"]) for i in mine) == [
        (0, 0, None),
        (1, 1, "1.0000"),
        (3, 2, "0.6667"),
    ]


def test_rate_rounds_half_up_with_four_places() -> None:
    assert rate(1, 3) == "0.3333"
    assert rate(2, 3) == "0.6667"
    assert rate(7, 4) == "1.7500"
    assert rate(0, 5) == "0.0000"
    assert rate(1, 0) is None


async def test_roles_scope_and_bad_input(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    op, other = await build.partner(), await build.partner()
    mine = await records.location(db, op)
    theirs = await records.location(db, other)
    q = "from=2024-01-01&to=2024-01-31"
    assert (await client.get(f"{URL}?{q}")).status_code == 401
    for role in (Role.admin, Role.coordinator, Role.finance, Role.viewer):
        r = await client.get(f"{URL}?{q}&locationId={mine.id}", headers=build.headers_for(role))
        assert r.status_code == 200 and len(r.json()["items"]) == 31
    partner = build.headers_for(Role.partner, op)
    r = await client.get(f"{URL}?{q}", headers=partner)
    assert {i["locationId"] for i in r.json()["items"]} == {str(mine.id)}
    r = await client.get(f"{URL}?{q}&locationId={theirs.id}", headers=partner)
    assert r.status_code == 404
    problem(r)
    h = build.headers_for(Role.viewer)
    for query, names in [
        ("from=2024-01-01&to=2025-01-01", {"to"}),  # 367 days
        ("from=2024-02-01&to=2024-01-01", {"to"}),
        ("to=2024-01-01&locationId=x&colour=red", {"from", "locationId", "colour"}),
    ]:
        r = await client.get(f"{URL}?{query}", headers=h)
        assert r.status_code == 400, query
        assert {e["name"] for e in problem(r)["errors"]} == names, query
    r = await client.get(f"{URL}?from=2024-01-01&to=2024-12-31&locationId={mine.id}", headers=h)
    assert r.status_code == 200 and len(r.json()["items"]) == 366


@pytest.mark.postgres
async def test_two_writers_racing_for_the_last_place(migrated: Settings) -> None:
    """Two coordinators place two people into the last place at the same moment, each in
    its own committed transaction: exactly one succeeds (the location row is locked)."""
    if migrated.is_sqlite:
        pytest.skip("needs PostgreSQL: real concurrent transactions")
    await race_for_the_last_place(migrated)


async def test_two_writers_racing_on_sqlite(migrated: Settings) -> None:
    """The same race on SQLite: the write lock is taken before anything is read, so the
    second writer waits and answers 409 (not a 503 for a stale snapshot)."""
    if not migrated.is_sqlite:
        pytest.skip("the PostgreSQL variant runs instead")
    await race_for_the_last_place(migrated)


async def race_for_the_last_place(migrated: Settings) -> None:
    setup = Database(build_engine(migrated))
    app = create_app(migrated)
    async with setup.sessionmaker() as session, session.begin():
        operator = Partner(name=f"Race operator {uuid.uuid4().hex[:8]}", kind=PartnerKind.coa)
        session.add(operator)
    loc = await records.location(setup, operator, capacity=1)
    people = [await records.participant(setup), await records.participant(setup)]
    try:
        headers = auth_headers(migrated, Role.coordinator)
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with (
            subjects.made_up_callers(setup) as hooks,  # the caller becomes a user
            httpx.AsyncClient(transport=transport, base_url="http://a", event_hooks=hooks) as one,
            httpx.AsyncClient(transport=transport, base_url="http://b", event_hooks=hooks) as two,
        ):
            answers = await asyncio.gather(
                *(
                    c.post(
                        "/api/v1/placements",
                        json={
                            "participantId": str(p.id),
                            "locationId": str(loc.id),
                            "startDate": "2024-03-01",
                        },
                        headers=headers,
                    )
                    for c, p in zip((one, two), people, strict=True)
                )
            )
        assert sorted(a.status_code for a in answers) == [201, 409], [a.text for a in answers]
        refused = next(a for a in answers if a.status_code == 409)
        assert problem(refused)["type"] == "urn:opvang:problem:over-capacity"
    finally:
        # Committed rows are ours to remove; audit events are append-only and stay.
        ids = [p.id for p in people]
        async with setup.sessionmaker() as session, session.begin():
            await session.execute(delete(Placement).where(Placement.participant_id.in_(ids)))
            await session.execute(delete(Participant).where(Participant.id.in_(ids)))
            await session.execute(
                delete(CapacityChange).where(CapacityChange.location_id == loc.id)
            )
            await session.execute(delete(Location).where(Location.id == loc.id))
            await session.execute(delete(Partner).where(Partner.id == operator.id))
        await setup.dispose()
        await app.state.db.dispose()
