"""Scenarios: the CRUD API (finance and admin write, viewer reads), each kind's params
checked (400 with codes), and the comparison on the small world of
``tests.forecast.world``, computed by hand for a change of each kind."""

from __future__ import annotations

import uuid
from typing import Any

import httpx

from api.db import Database
from api.forecast.report import forecast
from api.models import Role
from tests.forecast.world import TODAY, World, small_world
from tests.support.builders import Builder, problem

URL = "/api/v1/scenarios"
FORECAST = "/api/v1/reports/forecast"


async def _create(client: httpx.AsyncClient, build: Builder, body: dict[str, Any]) -> Any:
    r = await client.post(URL, json=body, headers=build.headers_for(Role.finance))
    assert r.status_code == 201, r.text
    return r.json()


async def _compare(db: Database, ids: list[Any]) -> Any:
    async with db.sessionmaker() as session:
        return await forecast(session, today=TODAY, scenario_ids=ids)


def _q1(run: Any) -> dict[str, str | None]:
    return {
        f.scheme_code: None if f.amount is None else str(f.amount) for f in run.quarters[0].income
    }


async def test_a_change_of_each_kind_by_hand(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    w: World = await small_world(db, build)
    rate = await _create(client, build, {
        "name": "T-PERSON half in 2027",
        "changes": [{"kind": "rate", "startsOn": "2027-01-01", "endsOn": "2027-12-31",
                     "schemeId": str(w.schemes["T-PERSON"].id), "factor": "0.5"}],
    })  # fmt: skip
    capacity = await _create(client, build, {
        "name": "B 25 places from February",
        "changes": [{"kind": "capacity", "startsOn": "2027-02-01",
                     "locationId": str(w.b.id), "capacity": 25}],
    })  # fmt: skip
    mixed = await _create(client, build, {
        "name": "Half full, A closed, a new centre, more staff",
        "description": "Every other kind",
        "changes": [
            {"kind": "occupancy", "startsOn": "2027-01-01", "endsOn": "2027-12-31",
             "locationId": str(w.b.id), "rateBp": 5000},
            {"kind": "location_close", "startsOn": "2027-03-01", "locationId": str(w.a.id)},
            {"kind": "location_open", "startsOn": "2027-03-15", "name": "Nieuw",
             "locationKind": "asylum_center", "capacity": 6, "rateBp": 10000},
            {"kind": "cost", "startsOn": "2027-01-01", "category": "staff",
             "amountPerQuarter": "200.00"},
        ],
    })  # fmt: skip
    report = await _compare(db, [uuid.UUID(s["id"]) for s in (rate, capacity, mixed)])
    base_q1 = _q1(report.base)
    assert base_q1["T-PERSON"] == "16200.00"  # see test_forecast: 18 x 90 x 10.00
    r, c, m = report.scenarios
    # Rate x 0.5 in 2027: T-PERSON 18 x 90 x 5.00 = 8100.00, assumed (a scenario's rate).
    assert _q1(r.forecast)["T-PERSON"] == "8100.00"
    certainty = {f.scheme_code: f.certainty.value for f in r.forecast.quarters[0].income}
    assert certainty["T-PERSON"] == "assumed"
    assert str(r.difference[0].income_total) == "-8100.00"
    assert str(r.difference[4].income_total) == "0.00"  # 2028: the base again
    # B at 25 places from 1 February (occupancy 0.9 stays): January 31 days x 18 people,
    # February and March 59 days x 22.5: T-PERSON (558 + 1327.5) x 10.00 = 18855.00;
    # T-MONTH 18 + 22.5 + 22.5 = 63 people-months x 100.00 = 6300.00; difference
    # 2655.00 + 900.00 = 3555.00.
    assert (_q1(c.forecast)["T-PERSON"], _q1(c.forecast)["T-MONTH"]) == ("18855.00", "6300.00")
    assert str(c.difference[0].income_total) == "3555.00"
    # B half full in 2027: T-PERSON 10 x 90 x 10.00 = 9000.00; T-MONTH 10 x 3 x 100.00 =
    # 3000.00. A closed from 1 March: 45 days x 10 x 2.00 + 14 days (15-28 Feb) x 10 x
    # 3.00 = 1320.00; the new centre, 6 places from 15 March: 17 days x 6 x 3.00 = 306.00,
    # T-PLACE 1626.00; its 6 places are a rise: 6 x 500.00 = 3000.00 (T-ONCE). Staff
    # 1000.00 + 200.00. In 2027Q3 A's planned 14 places do not come: it is closed (no rise).
    assert _q1(m.forecast) == {
        "T-PLACE": "1626.00",
        "T-PERSON": "9000.00",
        "T-MONTH": "3000.00",
        "T-ONCE": "3000.00",
    }
    assert str(m.forecast.quarters[0].cost_total) == "1200.00"
    assert _q1(m.forecast)["T-ONCE"] == "3000.00"
    q3 = {f.scheme_code: str(f.amount) for f in m.forecast.quarters[2].income}
    assert q3["T-ONCE"] == "0.00" and q3["T-PLACE"] == "1656.00"  # 6 x 92 x 3.00
    # Through the endpoint: the same, side by side (real today: only the shape here).
    h = build.headers_for(Role.viewer)
    got = await client.get(f"{FORECAST}?scenario={rate['id']}&scenario={mixed['id']}", headers=h)
    assert got.status_code == 200
    assert [s["name"] for s in got.json()["scenarios"]] == [rate["name"], mixed["name"]]


async def test_crud_etag_and_roles(client: httpx.AsyncClient, build: Builder, db: Database) -> None:
    partner = await build.partner()
    body = {"name": "Kosten omhoog", "changes": [
        {"kind": "cost", "startsOn": "2027-01-01", "category": "staff", "amountPerQuarter": "50.00"}
    ]}  # fmt: skip
    assert problem(await client.post(URL, json=body))["status"] == 401
    for role in (Role.viewer, Role.coordinator):
        r = await client.post(URL, json=body, headers=build.headers_for(role))
        assert problem(r)["status"] == 403
    r = await client.post(URL, json=body, headers=build.headers_for(Role.partner, partner))
    assert problem(r)["status"] == 403
    admin = build.headers_for(Role.admin)
    r = await client.post(URL, json=body, headers=admin)
    assert r.status_code == 201 and r.headers["ETag"] == '"1"'
    created = r.json()
    assert created["changes"] == [{
        "kind": "cost", "startsOn": "2027-01-01", "endsOn": None, "category": "staff",
        "amountPerQuarter": "50.00",
    }]  # fmt: skip
    assert problem(await client.post(URL, json=body, headers=admin))["status"] == 409
    one = f"{URL}/{created['id']}"
    for role in (Role.viewer, Role.finance):
        assert (await client.get(one, headers=build.headers_for(role))).status_code == 200
        assert (await client.get(URL, headers=build.headers_for(role))).status_code == 200
    for headers in (build.headers_for(Role.coordinator), build.headers_for(Role.partner, partner)):
        assert problem(await client.get(one, headers=headers))["status"] == 403
    fin = build.headers_for(Role.finance)
    r = await client.patch(one, json={"changes": []}, headers={**fin, "If-Match": '"1"'})
    assert r.status_code == 200 and r.json()["changes"] == [] and r.headers["ETag"] == '"2"'
    r = await client.patch(one, json={"name": "Oud"}, headers={**fin, "If-Match": '"1"'})
    assert problem(r)["status"] == 412
    r = await client.delete(one, headers=build.headers_for(Role.viewer))
    assert problem(r)["status"] == 403
    assert (await client.delete(one, headers={**fin, "If-Match": '"2"'})).status_code == 204
    assert problem(await client.get(one, headers=fin))["status"] == 404


async def test_bad_changes_name_every_problem(client: httpx.AsyncClient, build: Builder) -> None:
    fin = build.headers_for(Role.finance)
    missing = "00000000-0000-4000-8000-000000000001"
    r = await client.post(URL, headers=fin, json={
        "name": "",
        "changes": [
            {"kind": "rate", "startsOn": "2027-01-01", "schemeId": missing},
            {"kind": "capacity", "startsOn": "2027-01-01", "locationId": missing, "capacity": -1},
            {"kind": "occupancy", "startsOn": "2027-02-01", "endsOn": "2027-01-01",
             "locationKind": "amv_small_scale", "rateBp": 12000},
            {"kind": "teleport", "startsOn": "2027-01-01"},
        ],
    })  # fmt: skip
    errors = {(e["name"], e["code"]) for e in problem(r)["errors"]}
    assert {
        ("name", "string_too_short"),
        ("changes.0.rate", "factor_or_amount"),
        ("changes.1.capacity.capacity", "greater_than_equal"),
        ("changes.2.occupancy.rateBp", "less_than_equal"),
        ("changes.3", "union_tag_invalid"),
    } <= errors, errors
    # References are checked once the shapes are right: each missing one named.
    r = await client.post(URL, headers=fin, json={"name": "Refs", "changes": [
        {"kind": "rate", "startsOn": "2027-01-01", "schemeId": missing, "factor": "0.8"},
        {"kind": "location_close", "startsOn": "2027-01-01", "locationId": missing},
    ]})  # fmt: skip
    assert [(e["name"], e["code"]) for e in problem(r)["errors"]] == [
        ("changes.0.rate.schemeId", "unknown_reference"),
        ("changes.1.location_close.locationId", "unknown_reference"),
    ]
    r = await client.post(URL, headers=fin, json={"name": "X", "extra": 1})
    assert [e["name"] for e in problem(r)["errors"]] == ["extra"]
