"""The decision behind a capacity change: validated (exists, about the same location),
returned in the read-outs, and kept when a planned change is realised."""

from __future__ import annotations

from datetime import timedelta

import httpx
from sqlalchemy import select

from api.capacity_plan.realise import realise_due
from api.common import calendar
from api.db import Database
from api.models import CapacityChange, Role
from tests.decisions.world import NOWHERE, create_decision, venue
from tests.support.builders import Builder, problem


async def test_capacity_change_names_its_decision(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    partner = await build.partner()
    place, elsewhere = await venue(db, partner), await venue(db, partner)
    h = build.headers_for(Role.coordinator)
    decision = await create_decision(client, h, place)
    other = await create_decision(client, h, elsewhere)
    url = f"/api/v1/locations/{place.id}/capacity-changes"
    for wrong, code in ((other["id"], "other_location"), (NOWHERE, "not_found")):
        r = await client.post(
            url, json={"validFrom": "2024-06-01", "capacity": 12, "decisionId": wrong}, headers=h
        )
        assert r.status_code == 400
        assert [(e["name"], e["code"]) for e in problem(r)["errors"]] == [("decisionId", code)]
    r = await client.post(
        url,
        json={"validFrom": "2024-06-01", "capacity": 12, "decisionId": decision["id"]},
        headers=h,
    )
    assert r.status_code == 201 and r.json()["decisionId"] == decision["id"]
    items = (await client.get(url, headers=h)).json()["items"]
    assert [i["decisionId"] for i in items] == [None, decision["id"]]


async def test_planned_change_keeps_its_decision_when_realised(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    partner = await build.partner()
    place, elsewhere = await venue(db, partner), await venue(db, partner)
    h = build.headers_for(Role.admin)
    decision = await create_decision(client, h, place)
    other = await create_decision(client, h, elsewhere)
    tomorrow = calendar.today() + timedelta(days=1)
    body = {
        "locationId": str(place.id),
        "kind": "capacity",
        "takesEffectOn": tomorrow.isoformat(),
        "capacity": 14,
    }
    url = "/api/v1/planned-capacity-changes"
    r = await client.post(url, json={**body, "decisionId": other["id"]}, headers=h)
    assert r.status_code == 400
    assert [e["name"] for e in problem(r)["errors"]] == ["decisionId"]
    r = await client.post(url, json={**body, "decisionId": decision["id"]}, headers=h)
    assert r.status_code == 201 and r.json()["decisionId"] == decision["id"]
    planned = r.json()
    r = await client.patch(f"{url}/{planned['id']}", json={"decisionId": NOWHERE}, headers=h)
    assert r.status_code == 400
    async with db.sessionmaker() as session, session.begin():
        outcomes = await realise_due(session, today=tomorrow)
    assert [
        o.realised for o in outcomes if o.planned_change_id.hex == planned["id"].replace("-", "")
    ] == [True]
    async with db.sessionmaker() as session:
        kept = await session.scalar(
            select(CapacityChange.decision_id).where(
                CapacityChange.location_id == place.id, CapacityChange.valid_from == tomorrow
            )
        )
    assert str(kept) == decision["id"]
