"""Locations and their capacity history: rules, roles and today's figures."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

import httpx
from sqlalchemy import func, select

from api.common.calendar import today
from api.db import Database
from api.models import CapacityChange, Location, Role
from tests.support import records
from tests.support.builders import Builder, problem

URL = "/api/v1/locations"


def new(operator: Any, **extra: Any) -> dict[str, Any]:
    return {
        "name": "Heemsteedse Dreef 156",
        "address": "Heemsteedse Dreef 156, Heemstede",
        "postcode": "2101kc",
        "kind": "amv_small_scale",
        "operatorPartnerId": str(operator.id),
        "externalCode": "HSD-156",
        "openedOn": "2024-01-01",
        "capacity": 16,
        **extra,
    }


async def test_create_read_list_and_today(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    op = await build.partner()
    h = build.headers_for(Role.coordinator)
    r = await client.post(URL, json=new(op), headers=h)
    assert r.status_code == 201, r.text
    loc = r.json()
    assert loc["postcode"] == "2101 KC"
    assert (loc["capacity"], loc["occupied"], loc["free"]) == (16, 0, 16)
    assert r.headers["location"] == f"{URL}/{loc['id']}" and r.headers["etag"] == '"1"'
    r = await client.get(f"{URL}/{loc['id']}/capacity-changes", headers=h)
    assert r.json()["items"][0]["validFrom"] == "2024-01-01"
    # Two people tonight, one who left yesterday.
    now = today()
    async with db.sessionmaker() as session:
        location = await session.get(Location, uuid.UUID(loc["id"]))
    assert location is not None
    for start, end in [(now, None), (now - timedelta(days=3), now + timedelta(days=1))]:
        await records.placement(db, await records.participant(db), location, start=start, end=end)
    await records.placement(
        db, await records.participant(db), location, start=now - timedelta(5), end=now
    )
    r = await client.get(f"{URL}/{loc['id']}", headers=h)
    assert (r.json()["capacity"], r.json()["occupied"], r.json()["free"]) == (16, 2, 14)
    assert r.headers["etag"] == '"1"'
    r = await client.get(f"{URL}?kind=amv_small_scale&q=dreef", headers=h)
    assert r.status_code == 200
    assert [(i["id"], i["occupied"]) for i in r.json()["items"]] == [(loc["id"], 2)]


async def test_roles_and_scope(client: httpx.AsyncClient, build: Builder, db: Database) -> None:
    op, other = await build.partner(), await build.partner()
    loc = await records.location(db, op)
    assert (await client.get(URL)).status_code == 401
    assert (await client.post(URL, json=new(op))).status_code == 401
    r = await client.get(URL, headers=build.headers_for(Role.viewer))
    assert r.status_code == 403
    problem(r)
    assert (await client.get(f"{URL}/{loc.id}", headers=build.headers_for(Role.finance))).is_success
    for role in (Role.finance, Role.viewer):
        r = await client.post(URL, json=new(op), headers=build.headers_for(role))
        assert r.status_code == 403
    mine = build.headers_for(Role.partner, op)
    assert (await client.get(f"{URL}/{loc.id}", headers=mine)).status_code == 200
    assert (await client.get(f"{URL}/{loc.id}/capacity-changes", headers=mine)).status_code == 200
    assert (await client.patch(f"{URL}/{loc.id}", json={}, headers=mine)).status_code == 403
    theirs = build.headers_for(Role.partner, other)
    for path in (f"{URL}/{loc.id}", f"{URL}/{loc.id}/capacity-changes"):
        r = await client.get(path, headers=theirs)
        assert r.status_code == 404
        problem(r)
    assert (await client.get(URL, headers=theirs)).json()["total"] == 0
    r = await client.post(
        f"{URL}/{loc.id}/capacity-changes",
        json={"validFrom": "2024-02-01", "capacity": 3},
        headers=mine,
    )
    assert r.status_code == 403


async def test_bad_input_lists_every_problem(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    op = await build.partner()
    h = build.headers_for(Role.admin)
    bad = new(op, postcode="0123 AB", kind="castle", capacity=-1, openedOn="soon", extra=1)
    del bad["name"]
    r = await client.post(URL, json=bad, headers=h)
    assert r.status_code == 400
    names = {e["name"] for e in problem(r)["errors"]}
    assert names == {"name", "postcode", "kind", "capacity", "openedOn", "extra"}
    for code in ("1234 SS", "1234 SA", "1234 SD", "12345 AB", "1234-AB"):
        r = await client.post(URL, json=new(op, postcode=code), headers=h)
        assert r.status_code == 400, code
    r = await client.post(
        URL,
        json=new(
            op, operatorPartnerId="6f1c6a9e-7d5e-4a50-8d2c-3f4b5a6c7d8e", closedOn="2023-12-31"
        ),
        headers=h,
    )
    assert r.status_code == 400
    assert {e["name"] for e in problem(r)["errors"]} == {"operatorPartnerId", "closedOn"}
    loc = await records.location(db, op)
    r = await client.patch(f"{URL}/{loc.id}", json={"name": None, "kind": None}, headers=h)
    assert r.status_code == 400
    assert {e["name"] for e in problem(r)["errors"]} == {"name", "kind"}
    r = await client.post(
        f"{URL}/{loc.id}/capacity-changes", json={"validFrom": "x", "capacity": "many"}, headers=h
    )
    assert r.status_code == 400 and len(problem(r)["errors"]) == 2


async def test_unique_name_and_code_per_operator(client: httpx.AsyncClient, build: Builder) -> None:
    op, other = await build.partner(), await build.partner()
    h = build.headers_for(Role.admin)
    assert (await client.post(URL, json=new(op), headers=h)).status_code == 201
    r = await client.post(URL, json=new(op, externalCode="X"), headers=h)
    assert r.status_code == 409 and problem(r)["field"] == "name"
    r = await client.post(URL, json=new(op, name="Another"), headers=h)
    assert r.status_code == 409 and problem(r)["field"] == "externalCode"
    r = await client.post(URL, json=new(other, name="Another"), headers=h)
    assert r.status_code == 201  # the same code at another operator


async def test_open_dates_keep_every_stay_inside(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    op = await build.partner()
    loc = await records.location(db, op, capacity={date(2024, 1, 1): 5, date(2024, 8, 1): 6})
    person = await records.participant(db)
    stay = await records.placement(db, person, loc, start=date(2024, 2, 1), end=date(2024, 7, 1))
    h = build.headers_for(Role.coordinator)
    for change in ({"closedOn": "2024-06-30"}, {"openedOn": "2024-02-02"}):
        r = await client.patch(f"{URL}/{loc.id}", json=change, headers=h)
        assert r.status_code == 409, change
        p = problem(r)
        assert p["type"] == "urn:opvang:problem:outside-open-dates"
        assert p["placementId"] == str(stay.id)
    r = await client.patch(f"{URL}/{loc.id}", json={"closedOn": "2024-07-31"}, headers=h)
    assert r.status_code == 409 and problem(r)["day"] == "2024-08-01"  # a capacity change
    r = await client.patch(
        f"{URL}/{loc.id}",
        json={"closedOn": "2024-08-31", "openedOn": "2024-02-01"},
        headers={**h, "If-Match": '"1"'},
    )
    assert r.status_code == 200, r.text
    assert r.json()["version"] == 2
    async with db.sessionmaker() as session:
        days = (
            (
                await session.execute(
                    select(CapacityChange.valid_from)
                    .where(CapacityChange.location_id == loc.id)
                    .order_by(CapacityChange.valid_from)
                )
            )
            .scalars()
            .all()
        )
    assert days == [date(2024, 2, 1), date(2024, 8, 1)]  # the opening capacity moved along
    r = await client.patch(
        f"{URL}/{loc.id}", json={"closedOn": None}, headers={**h, "If-Match": '"1"'}
    )
    assert r.status_code == 412


async def test_delete_only_without_placements(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    op = await build.partner()
    used, unused = await records.location(db, op), await records.location(db, op)
    await records.placement(db, await records.participant(db), used)
    h = build.headers_for(Role.coordinator)
    r = await client.delete(f"{URL}/{used.id}", headers=h)
    assert r.status_code == 409
    assert problem(r)["type"] == "urn:opvang:problem:location-in-use"
    assert (await client.delete(f"{URL}/{unused.id}", headers=h)).status_code == 204
    assert (await client.get(f"{URL}/{unused.id}", headers=h)).status_code == 404
    async with db.sessionmaker() as session:
        left = await session.scalar(
            select(func.count()).where(CapacityChange.location_id == unused.id)
        )
    assert left == 0


async def test_capacity_history(client: httpx.AsyncClient, build: Builder, db: Database) -> None:
    op = await build.partner()
    loc = await records.location(db, op, capacity=2, closed_on=date(2024, 12, 31))
    a, b = await records.participant(db), await records.participant(db)
    await records.placement(db, a, loc, start=date(2024, 3, 1), end=date(2024, 6, 1))
    await records.placement(db, b, loc, start=date(2024, 4, 1), end=date(2024, 5, 1))
    url = f"{URL}/{loc.id}/capacity-changes"
    h = build.headers_for(Role.coordinator)
    r = await client.post(url, json={"validFrom": "2024-02-01", "capacity": 1}, headers=h)
    assert r.status_code == 409
    p = problem(r)
    assert p["type"] == "urn:opvang:problem:over-capacity"
    assert (p["day"], p["occupied"], p["capacity"]) == ("2024-04-01", 2, 1)
    # From May one place is enough; the history is ordered by day.
    r = await client.post(url, json={"validFrom": "2024-05-01", "capacity": 1}, headers=h)
    assert r.status_code == 201, r.text
    may = r.json()
    r = await client.post(url, json={"validFrom": "2024-03-01", "capacity": 3}, headers=h)
    assert r.status_code == 201
    march = r.json()
    r = await client.get(url, headers=h)
    assert [(i["validFrom"], i["capacity"]) for i in r.json()["items"]] == [
        ("2024-01-01", 2),
        ("2024-03-01", 3),
        ("2024-05-01", 1),
    ]
    r = await client.post(url, json={"validFrom": "2024-05-01", "capacity": 4}, headers=h)
    assert r.status_code == 409 and problem(r)["capacityChangeId"] == may["id"]
    for day in ("2023-12-31", "2025-01-01"):
        r = await client.post(url, json={"validFrom": day, "capacity": 4}, headers=h)
        assert r.status_code == 409 and problem(r)["field"] == "validFrom"
    # Removing March is fine (2 places still hold 2 people); removing the opening
    # capacity is not: no places until May, with people from 1 March.
    assert (await client.delete(f"{url}/{march['id']}", headers=h)).status_code == 204
    opening = (await client.get(url, headers=h)).json()["items"][0]
    r = await client.delete(f"{url}/{opening['id']}", headers=h)
    assert r.status_code == 409 and problem(r)["day"] == "2024-03-01"
    r = await client.delete(f"{url}/{may['id']}", headers=build.headers_for(Role.partner, op))
    assert r.status_code == 403
    r = await client.delete(f"{url}/{march['id']}", headers=h)
    assert r.status_code == 404


async def test_change_fields(client: httpx.AsyncClient, build: Builder, db: Database) -> None:
    op, other = await build.partner(), await build.partner()
    loc = await records.location(db, op, external_code="K-1")
    h = build.headers_for(Role.admin)
    r = await client.patch(
        f"{URL}/{loc.id}",
        json={"postcode": "2102ab", "address": "Binnenweg 2", "operatorPartnerId": str(other.id)},
        headers=h,
    )
    assert r.status_code == 200, r.text
    answer = r.json()
    assert (answer["postcode"], answer["address"]) == ("2102 AB", "Binnenweg 2")
    assert answer["operatorPartnerId"] == str(other.id) and answer["capacity"] == 10
    assert r.headers["etag"] == '"2"'
    # The old operator no longer sees it; the new one does.
    assert (
        await client.get(f"{URL}/{loc.id}", headers=build.headers_for(Role.partner, op))
    ).status_code == 404
    assert (
        await client.get(f"{URL}/{loc.id}", headers=build.headers_for(Role.partner, other))
    ).status_code == 200
    r = await client.patch(f"{URL}/{loc.id}", json={"externalCode": None}, headers=h)
    assert r.status_code == 200 and r.json()["externalCode"] is None
    assert (await client.get(f"{URL}/{loc.id}/capacity-changes")).status_code == 401


async def test_refused_capacity_change_leaves_nothing(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    op = await build.partner()
    loc = await records.location(db, op, capacity=1)
    await records.placement(db, await records.participant(db), loc)
    url = f"{URL}/{loc.id}/capacity-changes"
    h = build.headers_for(Role.coordinator)
    r = await client.post(url, json={"validFrom": "2024-01-15", "capacity": 0}, headers=h)
    assert r.status_code == 409 and problem(r)["day"] == "2024-02-01"
    assert len((await client.get(url, headers=h)).json()["items"]) == 1


async def test_capacity_is_optional_on_create(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    """A location decided before its places are known (issue 15): 0 places until its first
    capacity change; a stay there is refused until then, as at any full location."""
    op = await build.partner()
    h = build.headers_for(Role.coordinator)
    fields = new(op, externalCode="HSD-NEW")
    del fields["capacity"]
    r = await client.post(URL, json=fields, headers=h)
    assert r.status_code == 201, r.text
    loc = r.json()
    assert (loc["capacity"], loc["occupied"], loc["free"]) == (0, 0, 0)
    r = await client.get(f"{URL}/{loc['id']}/capacity-changes", headers=h)
    assert r.status_code == 200 and r.json()["items"] == []
    person = await records.participant(db)
    stay = {"participantId": str(person.id), "locationId": loc["id"], "startDate": "2024-02-01"}
    r = await client.post("/api/v1/placements", json=stay, headers=h)
    assert r.status_code == 409 and r.json()["type"].endswith("over-capacity"), r.text
    r = await client.post(
        f"{URL}/{loc['id']}/capacity-changes",
        json={"validFrom": "2024-01-01", "capacity": 4},
        headers=h,
    )
    assert r.status_code == 201, r.text
    r = await client.post("/api/v1/placements", json=stay, headers=h)
    assert r.status_code == 201, r.text
