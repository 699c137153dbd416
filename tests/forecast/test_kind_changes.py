"""A scenario's occupancy for a whole kind is applied to the kind's sums at once, not
location by location: it must give exactly what the same occupancy set for each of the
kind's locations gives, also where other changes name some of them (before or after it),
where it overlaps itself, where a location opens or closes inside it, and where a
location's occupancy was a fact, an assumption or the kind's average."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
from sqlalchemy import select

from api.db import Database
from api.forecast.report import forecast
from api.models import Location, LocationKind, OccupancyAssumption, Role
from tests.forecast.world import TODAY, small_world
from tests.support import records
from tests.support.builders import Builder

URL = "/api/v1/scenarios"
AMV = LocationKind.amv_small_scale.value


def _kind(starts: str, ends: str | None, rate_bp: int) -> dict[str, Any]:
    return {"kind": "occupancy", "startsOn": starts, "endsOn": ends, "locationKind": AMV,
            "rateBp": rate_bp}  # fmt: skip


async def _create(client: httpx.AsyncClient, build: Builder, body: dict[str, Any]) -> uuid.UUID:
    r = await client.post(URL, json=body, headers=build.headers_for(Role.finance))
    assert r.status_code == 201, r.text
    return uuid.UUID(r.json()["id"])


async def test_a_kinds_occupancy_equals_it_set_for_each_location(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    w = await small_world(db, build)
    partner = await build.partner()
    c = await records.location(
        db,
        partner,
        name="C",
        kind=LocationKind.amv_small_scale,
        opened_on=TODAY.replace(year=2026, month=1, day=1),
        capacity=12,
    )
    d = await records.location(
        db,
        partner,
        name="D",
        kind=LocationKind.amv_small_scale,
        opened_on=TODAY.replace(year=2026, month=6, day=1),
        capacity=8,
    )
    await records.location(db, partner, name="E", kind=LocationKind.amv_small_scale,
                           opened_on=TODAY.replace(month=4, day=1), capacity=5)  # fmt: skip
    async with db.sessionmaker() as session, session.begin():
        session.add(OccupancyAssumption(location_id=d.id, rate_bp=7000))
        amv = [
            str(i)
            for i in (
                await session.scalars(
                    select(Location.id).where(Location.kind == LocationKind.amv_small_scale)
                )
            ).all()
        ]
    assert len(amv) >= 4  # B (a fact), C (the kind's average), D (assumed), E (opens later)
    kind_wide = {
        0: _kind("2027-02-01", "2027-08-31", 6000),
        3: _kind("2027-05-01", "2027-06-30", 7500),  # over B's own, later: wins there
        6: _kind("2028-01-01", None, 0),
    }
    others: dict[int, dict[str, Any]] = {
        1: {"kind": "capacity", "startsOn": "2027-03-01", "locationId": str(c.id), "capacity": 30},
        2: {"kind": "occupancy", "startsOn": "2027-04-01", "endsOn": "2027-05-31",
            "locationId": str(w.b.id), "rateBp": 2000},
        4: {"kind": "location_close", "startsOn": "2027-07-01", "locationId": str(d.id)},
        5: {"kind": "location_open", "startsOn": "2027-03-15", "name": "Nieuw",
            "locationKind": AMV, "capacity": 6, "rateBp": 10000},
    }  # fmt: skip
    at_once: list[dict[str, Any]] = []
    one_by_one: list[dict[str, Any]] = []
    for n in range(7):
        if n in others:
            at_once.append(others[n])
            one_by_one.append(others[n])
            continue
        change = kind_wide[n]
        at_once.append(change)
        for location_id in amv:
            one = {k: v for k, v in change.items() if k != "locationKind"}
            one_by_one.append(one | {"locationId": location_id})
    ids = [
        await _create(client, build, {"name": "Per kind", "changes": at_once}),
        await _create(client, build, {"name": "Per location", "changes": one_by_one}),
    ]
    async with db.sessionmaker() as session:
        report = await forecast(session, today=TODAY, scenario_ids=ids)
    kind, each = (s.forecast.model_dump() for s in report.scenarios)
    assert kind == each
    assert kind != report.base.model_dump()
    certainty = {
        f.scheme_code: f.certainty.value for f in report.scenarios[0].forecast.quarters[0].income
    }
    assert certainty["T-PERSON"] == "assumed"
