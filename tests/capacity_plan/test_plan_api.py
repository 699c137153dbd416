"""The capacity plan and the occupancy assumptions over the API: every rule's problem
with its code, If-Match, realised changes frozen, and who may do what (both engines).
Today is Heemstede's date; the plan's days lie in 2027 and later, after it."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import httpx
from sqlalchemy import update

from api.db import Database
from api.models import PlannedCapacityChange, Role
from tests.support import records
from tests.support.builders import Builder, problem

URL = "/api/v1/planned-capacity-changes"
ASSUME = "/api/v1/occupancy-assumptions"
NOWHERE = "6f1c6a9e-7d5e-4a50-8d2c-3f4b5a6c7d8e"


def codes(r: httpx.Response) -> set[tuple[str, str]]:
    return {(e["name"], e["code"]) for e in problem(r)["errors"]}


async def test_plan_a_change_and_change_the_plan(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    partner = await build.partner()
    loc = await records.location(db, partner, name="Dreef", opened_on=date(2024, 1, 1))
    h = build.headers_for(Role.coordinator)
    body: dict[str, Any] = {
        "locationId": str(loc.id),
        "kind": "capacity",
        "takesEffectOn": "2027-07-01",
        "capacity": 25,
        "decisionReference": "RB 2026/50",
    }
    r = await client.post(URL, json=body, headers=h)
    assert r.status_code == 201, r.text
    made = r.json()
    assert (made["locationName"], made["capacity"], made["realisedAt"]) == ("Dreef", 25, None)
    url = f"{URL}/{made['id']}"
    assert r.headers["location"] == url and r.headers["etag"] == '"1"'
    # One planned change per location and day.
    r = await client.post(URL, json=body, headers=h)
    assert codes(r) == {("takesEffectOn", "duplicate")}
    r = await client.patch(url, json={"capacity": 22}, headers={**h, "If-Match": '"7"'})
    assert r.status_code == 412
    r = await client.patch(url, json={"capacity": 22}, headers={**h, "If-Match": '"1"'})
    assert r.status_code == 200 and r.json()["capacity"] == 22 and r.json()["version"] == 2
    r = await client.post(
        URL, json={**body, "kind": "closing", "takesEffectOn": "2028-01-01", "capacity": None},
        headers=h,
    )  # fmt: skip
    assert r.status_code == 201, r.text
    # Listed per location and overall, in day order; finance and the viewer read.
    for role in (Role.finance, Role.viewer):
        r = await client.get(f"{URL}?locationId={loc.id}", headers=build.headers_for(role))
        assert [c["kind"] for c in r.json()["items"]] == ["capacity", "closing"]
    r = await client.get(f"{URL}?realised=true", headers=h)
    assert r.json()["total"] == 0
    # Realised: history, frozen.
    async with db.sessionmaker() as session, session.begin():
        await session.execute(
            update(PlannedCapacityChange)
            .where(PlannedCapacityChange.kind == "capacity")
            .values(realised_at=datetime(2027, 7, 1, 0, 5, tzinfo=UTC))
        )
    assert (await client.patch(url, json={"capacity": 1}, headers=h)).status_code == 409
    assert (await client.delete(url, headers=h)).status_code == 409


async def test_every_rule_of_the_plan(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    partner = await build.partner()
    open_one = await records.location(db, partner, opened_on=date(2024, 1, 1))
    to_open = await records.location(db, partner, opened_on=date(2027, 4, 1), capacity=0)
    closed = await records.location(
        db, partner, opened_on=date(2024, 1, 1), closed_on=date(2027, 2, 28)
    )
    h = build.headers_for(Role.admin)

    async def post(**body: Any) -> httpx.Response:
        return await client.post(URL, json=body, headers=h)

    r = await post(locationId=str(open_one.id), kind="capacity", takesEffectOn="2026-01-01")
    assert codes(r) == {("takesEffectOn", "not_in_future"), ("capacity", "missing")}
    r = await post(
        locationId=str(open_one.id), kind="closing", takesEffectOn="2027-01-01", capacity=3
    )
    assert codes(r) == {("capacity", "not_allowed")}
    r = await post(locationId=NOWHERE, kind="capacity", takesEffectOn="2027-01-01", capacity=3)
    assert codes(r) == {("locationId", "not_found")}
    # An opening only for a location that opens that day or later.
    r = await post(
        locationId=str(open_one.id), kind="opening", takesEffectOn="2027-01-01", capacity=3
    )
    assert codes(r) == {("takesEffectOn", "opens_earlier")}
    # A closing (or a capacity change) after the opening; a capacity change before closing.
    r = await post(locationId=str(to_open.id), kind="closing", takesEffectOn="2027-03-01")
    assert codes(r) == {("takesEffectOn", "before_opening")}
    r = await post(
        locationId=str(closed.id), kind="capacity", takesEffectOn="2027-03-01", capacity=3
    )
    assert codes(r) == {("takesEffectOn", "after_closing")}
    r = await post(
        locationId=str(to_open.id), kind="opening", takesEffectOn="2027-03-15", capacity=8
    )
    assert r.status_code == 201, r.text
    # After a planned opening, a closing must come after it (and not on its day).
    r = await post(locationId=str(to_open.id), kind="closing", takesEffectOn="2027-03-15")
    assert codes(r) == {("takesEffectOn", "before_opening"), ("takesEffectOn", "duplicate")}
    r = await post(locationId=str(to_open.id), kind="closing", takesEffectOn="2027-03-10")
    assert codes(r) == {("takesEffectOn", "before_opening")}
    r = await post(
        locationId=str(to_open.id), kind="capacity", takesEffectOn="2027-05-01", capacity=-1
    )
    assert r.status_code == 400 and {e["name"] for e in problem(r)["errors"]} == {"capacity"}
    r = await post(locationId=str(to_open.id), kind="teleport", takesEffectOn="x", extra=1)
    assert {e["name"] for e in problem(r)["errors"]} >= {"kind", "takesEffectOn", "extra"}


async def test_who_may_plan(client: httpx.AsyncClient, build: Builder, db: Database) -> None:
    partner = await build.partner()
    loc = await records.location(db, partner)
    body = {"locationId": str(loc.id), "kind": "capacity", "takesEffectOn": "2027-02-01",
            "capacity": 4}  # fmt: skip
    assert (await client.get(URL)).status_code == 401
    assert (await client.post(URL, json=body)).status_code == 401
    for role in (Role.finance, Role.viewer):
        r = await client.post(URL, json=body, headers=build.headers_for(role))
        assert r.status_code == 403
    own = build.headers_for(Role.partner, partner)
    for url in (URL, ASSUME, f"{ASSUME}/{loc.id}"):
        assert (await client.get(url, headers=own)).status_code == 403
    r = await client.put(f"{ASSUME}/{loc.id}", json={"ratePercent": 90}, headers=own)
    assert r.status_code == 403
    r = await client.put(
        f"{ASSUME}/{loc.id}", json={"ratePercent": 90}, headers=build.headers_for(Role.viewer)
    )
    assert r.status_code == 403


async def test_occupancy_assumptions(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    partner = await build.partner()
    loc = await records.location(db, partner, name="Binnenweg")
    url = f"{ASSUME}/{loc.id}"
    h = build.headers_for(Role.finance)
    assert (await client.get(url, headers=h)).status_code == 404
    r = await client.put(url, json={"ratePercent": 101, "note": ""}, headers=h)
    assert r.status_code == 400
    assert {e["name"] for e in problem(r)["errors"]} == {"ratePercent", "note"}
    r = await client.put(f"{ASSUME}/{NOWHERE}", json={"ratePercent": 90}, headers=h)
    assert r.status_code == 404
    r = await client.put(url, json={"ratePercent": "95.5", "note": "COA-norm"}, headers=h)
    assert r.status_code == 201, r.text
    assert (r.json()["ratePercent"], r.json()["locationName"]) == ("95.50", "Binnenweg")
    coordinator = build.headers_for(Role.coordinator)
    r = await client.put(url, json={"ratePercent": 90}, headers={**coordinator, "If-Match": '"3"'})
    assert r.status_code == 412
    r = await client.put(url, json={"ratePercent": 90}, headers={**coordinator, "If-Match": '"1"'})
    assert r.status_code == 200 and r.json()["ratePercent"] == "90.00" and r.json()["note"] is None
    r = await client.get(ASSUME, headers=build.headers_for(Role.viewer))
    assert [a["ratePercent"] for a in r.json()["items"]] == ["90.00"]
    assert (await client.delete(url, headers=h)).status_code == 204
    assert (await client.get(url, headers=h)).status_code == 404
