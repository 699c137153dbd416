"""Verhuizen (one atomic transfer), arrivals and departures, free places per target
group, and what a refusal carries for a sentence about it; on both engines."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import httpx
from sqlalchemy import select

from api.common.calendar import today
from api.db import Database
from api.models import Group, LocationKind, Placement, Role
from tests.support import records
from tests.support.builders import Builder, problem

URL = "/api/v1/placements"


def body(person: Any, loc: Any, start: str = "2024-03-01", **extra: Any) -> dict[str, Any]:
    return {"participantId": str(person.id), "locationId": str(loc.id), "startDate": start, **extra}


async def stays(db: Database, person: Any) -> list[tuple[Any, ...]]:
    async with db.sessionmaker() as session:
        rows = await session.execute(
            select(
                Placement.location_id,
                Placement.start_date,
                Placement.end_date,
                Placement.end_reason,
            )
            .where(Placement.participant_id == person.id)
            .order_by(Placement.start_date)
        )
        return [tuple(r) for r in rows]


async def test_transfer_ends_one_stay_and_starts_the_next(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    op = await build.partner()
    a, b = await records.location(db, op), await records.location(db, op)
    person = await records.participant(db)
    old = await records.placement(db, person, a, start=date(2024, 2, 1))
    h = build.headers_for(Role.coordinator)
    move = {"locationId": str(b.id), "date": "2024-05-01"}
    r = await client.post(
        f"{URL}/{old.id}/_transfer",
        json=move,
        headers={**h, "If-Match": '"1"', "Idempotency-Key": "move-1"},
    )
    assert r.status_code == 201, r.text
    answer = r.json()
    assert answer["ended"]["id"] == str(old.id)
    assert (answer["ended"]["endDate"], answer["ended"]["endReason"]) == ("2024-05-01", "transfer")
    assert answer["ended"]["version"] == 2
    started = answer["started"]
    assert (started["locationId"], started["startDate"], started["endDate"]) == (
        str(b.id),
        "2024-05-01",
        None,
    )
    assert r.headers["location"] == f"{URL}/{started['id']}"
    # The same key again replays the answer: no second stay.
    again = await client.post(
        f"{URL}/{old.id}/_transfer",
        json=move,
        headers={**h, "If-Match": '"1"', "Idempotency-Key": "move-1"},
    )
    assert again.status_code == 201 and again.json() == answer
    assert again.headers.get("idempotent-replayed") == "true"
    assert await stays(db, person) == [
        (a.id, date(2024, 2, 1), date(2024, 5, 1), "transfer"),
        (b.id, date(2024, 5, 1), None, None),
    ]
    # The stay now ends on the moving day: a stale version is refused.
    r = await client.post(
        f"{URL}/{old.id}/_transfer",
        json={"locationId": str(a.id), "date": "2024-04-01"},
        headers={**h, "If-Match": '"1"'},
    )
    assert r.status_code == 412


async def test_a_refused_transfer_writes_nothing(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    op = await build.partner()
    a = await records.location(db, op)
    full = await records.location(db, op, name="Vol huis", capacity=1)
    person, other = await records.participant(db), await records.participant(db)
    old = await records.placement(db, person, a, start=date(2024, 2, 1))
    await records.placement(db, other, full, start=date(2024, 1, 15))
    h = build.headers_for(Role.coordinator)
    r = await client.post(
        f"{URL}/{old.id}/_transfer",
        json={"locationId": str(full.id), "date": "2024-05-01"},
        headers=h,
    )
    assert r.status_code == 409
    p = problem(r)
    assert p["type"] == "urn:opvang:problem:over-capacity"
    assert (p["field"], p["day"], p["locationName"]) == ("date", "2024-05-01", "Vol huis")
    assert (p["occupied"], p["capacity"]) == (2, 1)
    # All or nothing: the old stay is still open.
    assert await stays(db, person) == [(a.id, date(2024, 2, 1), None, None)]
    # An admin may move above capacity, with a reason.
    r = await client.post(
        f"{URL}/{old.id}/_transfer",
        json={
            "locationId": str(full.id),
            "date": "2024-05-01",
            "capacityOverride": {"reason": "Crisisplaatsing, afgesproken met COA"},
        },
        headers=build.headers_for(Role.admin),
    )
    assert r.status_code == 201, r.text
    assert r.json()["started"]["capacityOverride"] == {
        "reason": "Crisisplaatsing, afgesproken met COA"
    }


async def test_transfer_input_is_checked(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    op = await build.partner()
    a = await records.location(db, op)
    closing = await records.location(db, op, name="Sluit", closed_on=date(2024, 6, 30))
    person = await records.participant(db)
    old = await records.placement(db, person, a, start=date(2024, 2, 1), end=date(2024, 4, 1))
    h = build.headers_for(Role.coordinator)
    r = await client.post(
        f"{URL}/{old.id}/_transfer", json={"locationId": str(a.id), "date": "2024-01-20"}, headers=h
    )
    assert r.status_code == 400
    assert {e["name"] for e in problem(r)["errors"]} == {"date", "locationId"}
    r = await client.post(
        f"{URL}/{old.id}/_transfer",
        json={"locationId": str(closing.id), "date": "2024-05-01"},
        headers=h,
    )
    assert r.status_code == 400  # the stay ended on 1 April
    assert [e["name"] for e in problem(r)["errors"]] == ["date"]
    # An open-ended stay at a location that closes is refused at endDate.
    r = await client.post(
        f"{URL}/{old.id}/_transfer",
        json={"locationId": str(closing.id), "date": "2024-03-01"},
        headers=h,
    )
    assert r.status_code == 409
    p = problem(r)
    assert (p["type"], p["field"], p["day"], p["locationName"]) == (
        "urn:opvang:problem:outside-open-dates",
        "endDate",
        "2024-06-30",
        "Sluit",
    )
    r = await client.post(
        f"{URL}/{old.id}/_transfer",
        json={
            "locationId": str(closing.id),
            "date": "2024-03-01",
            "endDate": "2024-06-30",
            "endReason": "housing",
        },
        headers=h,
    )
    assert r.status_code == 201, r.text
    for role in (Role.finance, Role.viewer):
        r = await client.post(
            f"{URL}/{old.id}/_transfer",
            json={"locationId": str(a.id), "date": "2024-03-15"},
            headers=build.headers_for(role),
        )
        assert r.status_code == 403
    r = await client.post(
        f"{URL}/{old.id}/_transfer",
        json={"locationId": str(a.id), "date": "2024-03-15"},
        headers=build.headers_for(Role.partner, op),
    )
    assert r.status_code == 403


async def test_overlap_names_the_other_stays_location_and_start(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    op = await build.partner()
    a = await records.location(db, op, name="GOO Eerste")
    b = await records.location(db, op)
    person = await records.participant(db)
    first = await records.placement(db, person, a, start=date(2024, 2, 1))
    r = await client.post(
        URL, json=body(person, b, "2024-03-15"), headers=build.headers_for(Role.coordinator)
    )
    assert r.status_code == 409
    p = problem(r)
    assert p["placementId"] == str(first.id)
    assert (p["placementLocationId"], p["placementLocationName"], p["placementStartDate"]) == (
        str(a.id),
        "GOO Eerste",
        "2024-02-01",
    )


async def test_movements_this_week_and_next(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    op, other = await build.partner(), await build.partner()
    a = await records.location(db, op, name="A")
    b = await records.location(db, other, name="B")
    ann = await records.participant(db, given_name="Ann", family_name="Aa")
    bob = await records.participant(db, given_name="Bob", family_name="Bb")
    cas = await records.participant(db, given_name="Cas", family_name="Cc")
    # Near today: a partner sees a stay until its visibility window after the end.
    monday = today() - timedelta(days=today().weekday())
    day = [monday + timedelta(days=n) for n in range(20)]
    await records.placement(db, ann, a, start=day[0], end=day[8])
    await records.placement(db, bob, b, start=day[2])
    await records.placement(db, cas, a, start=date(2024, 1, 1), end=day[16])
    await records.placement(db, cas, b, start=day[16])  # outside the window
    h = build.headers_for(Role.coordinator)
    window = {"from": day[0].isoformat(), "to": day[13].isoformat()}
    r = await client.get(f"{URL}/movements", params=window, headers=h)
    assert r.status_code == 200, r.text
    got = [(m["kind"], m["day"], m["givenName"], m["locationName"]) for m in r.json()["items"]]
    assert got == [
        ("arrival", day[0].isoformat(), "Ann", "A"),
        ("arrival", day[2].isoformat(), "Bob", "B"),
        ("departure", day[8].isoformat(), "Ann", "A"),
    ]
    r = await client.get(f"{URL}/movements", params={**window, "locationId": str(b.id)}, headers=h)
    assert [m["givenName"] for m in r.json()["items"]] == ["Bob"]
    # A partner sees the stays at its own locations only.
    r = await client.get(
        f"{URL}/movements", params=window, headers=build.headers_for(Role.partner, op)
    )
    assert [m["givenName"] for m in r.json()["items"]] == ["Ann", "Ann"]
    r = await client.get(
        f"{URL}/movements",
        params={**window, "locationId": str(b.id)},
        headers=build.headers_for(Role.partner, op),
    )
    assert r.status_code == 404
    for role in (Role.finance, Role.viewer):
        r = await client.get(f"{URL}/movements", params=window, headers=build.headers_for(role))
        assert r.status_code == 403
    backwards = {"from": "2024-03-04", "to": "2024-01-01"}
    r = await client.get(f"{URL}/movements", params=backwards, headers=h)
    assert r.status_code == 400 and problem(r)["errors"][0]["name"] == "to"
    too_long = {"from": "2024-01-01", "to": "2024-12-31"}
    r = await client.get(f"{URL}/movements", params=too_long, headers=h)
    assert r.status_code == 400


async def test_free_places_per_target_group(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    op, other = await build.partner(), await build.partner()
    await records.location(db, op, name="GOO", capacity=3)
    amv = await records.location(db, op, name="AMV", kind=LocationKind.amv_small_scale, capacity=2)
    shut = await records.location(db, op, name="Dicht", capacity=5, closed_on=date(2024, 3, 1))
    await records.location(db, other, name="Elders", capacity=4)
    minor = await records.participant(
        db, group=Group.unaccompanied_minor, date_of_birth=date(2010, 1, 1)
    )
    await records.placement(db, minor, amv, start=date(2024, 2, 1))
    url = "/api/v1/locations/availability"
    r = await client.get(
        url, params={"on": "2024-03-01"}, headers=build.headers_for(Role.partner, op)
    )
    assert r.status_code == 200, r.text
    answer = r.json()
    assert answer["on"] == "2024-03-01"
    by_name = {i["name"]: i for i in answer["items"]}
    assert set(by_name) == {"GOO", "AMV", "Dicht"}  # the partner's own locations
    assert (by_name["AMV"]["targetGroup"], by_name["AMV"]["free"]) == ("unaccompanied_minor", 1)
    assert (by_name["Dicht"]["isOpen"], by_name["Dicht"]["free"]) == (False, 0)
    assert by_name["GOO"]["free"] == 3
    groups = {g["targetGroup"]: g for g in answer["groups"]}
    assert groups["unaccompanied_minor"] == {
        "targetGroup": "unaccompanied_minor",
        "capacity": 2,
        "occupied": 1,
        "free": 1,
    }
    assert groups["ukrainian_displaced"]["free"] == 3 and groups["asylum_seeker"]["free"] == 0
    assert shut.id  # used
    r = await client.get(
        url, params={"on": "2024-02-01"}, headers=build.headers_for(Role.coordinator)
    )
    names = [i["name"] for i in r.json()["items"] if i["name"] in {"GOO", "AMV", "Dicht", "Elders"}]
    assert sorted(names) == ["AMV", "Dicht", "Elders", "GOO"]
    assert (await client.get(url, headers=build.headers_for(Role.viewer))).status_code == 403
    r = await client.get(url, params={"on": "2024-13-01"}, headers=build.headers_for(Role.admin))
    assert r.status_code == 400 and problem(r)["errors"][0]["name"] == "on"
