"""Activities: every rule, every role, on both engines."""

from __future__ import annotations

from datetime import date
from typing import Any

import httpx
from sqlalchemy import func, select

from api.db import Database
from api.models import Activity, ActivityKind, EnrollmentStatus, Group, Role
from tests.support import programme, records
from tests.support.builders import Builder, problem

URL = "/api/v1/activities"
NOWHERE = "6f1c6a9e-7d5e-4a50-8d2c-3f4b5a6c7d8e"


def body(provider: Any, **extra: Any) -> dict[str, Any]:
    return {
        "title": "NT2 bij de bibliotheek",
        "kind": "language",
        "providerPartnerId": str(provider.id),
        "startsOn": "2024-03-01",
        **extra,
    }


async def count_activities(db: Database) -> int:
    async with db.sessionmaker() as session:
        return int(await session.scalar(select(func.count(Activity.id))) or 0)


async def test_create_read_list_and_filter(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    library = await build.partner()
    venue = await records.location(db, library)
    h = build.headers_for(Role.coordinator)
    r = await client.post(
        URL,
        json=body(
            library,
            locationId=str(venue.id),
            endsOn="2024-06-30",
            schedule="dinsdag 10:00-12:00",
            capacity=12,
            targetGroups=["ukrainian_displaced", "asylum_seeker"],
        ),
        headers=h,
    )
    assert r.status_code == 201, r.text
    created = r.json()
    assert created["targetGroups"] == ["ukrainian_displaced", "asylum_seeker"]
    assert created["capacity"] == 12 and created["locationId"] == str(venue.id)
    assert r.headers["etag"] == '"1"'
    assert r.headers["location"] == f"{URL}/{created['id']}"
    r = await client.get(f"{URL}/{created['id']}", headers=h)
    assert r.status_code == 200 and r.json() == created
    assert r.headers["etag"] == '"1"'
    await programme.activity(db, library, title="Voetbal", kind=ActivityKind.sport, ends_on=None)
    for query, found in [
        ("kind=language", 1),
        ("kind=sport", 1),
        (f"providerPartnerId={library.id}", 2),
        (f"locationId={venue.id}", 1),
        ("activeOn=2024-07-01", 1),  # the open-ended sport activity
        ("activeOn=2024-06-30", 2),  # endsOn is inclusive
        ("activeOn=2023-12-31", 0),
        ("q=bibliotheek", 1),
        ("q=VOET", 1),
        ("sort=-title", 2),
    ]:
        r = await client.get(f"{URL}?{query}&providerPartnerId={library.id}", headers=h)
        assert r.status_code == 200, r.text
        assert r.json()["total"] == found, query
    r = await client.get(f"{URL}?sort=-title&providerPartnerId={library.id}", headers=h)
    assert [a["title"] for a in r.json()["items"]] == ["Voetbal", "NT2 bij de bibliotheek"]


async def test_roles_and_scope(client: httpx.AsyncClient, build: Builder, db: Database) -> None:
    club, other = await build.partner(), await build.partner()
    mine = await programme.activity(db, club)
    theirs = await programme.activity(db, other)
    assert (await client.get(URL)).status_code == 401
    assert (await client.post(URL, json=body(club))).status_code == 401
    assert (await client.get(f"{URL}/{mine.id}")).status_code == 401
    # Activities are not personal: finance reads them, and only reads; a viewer sees
    # aggregate reports only.
    for role in (Role.finance, Role.viewer):
        h = build.headers_for(role)
        if role is Role.viewer:
            assert (await client.get(URL, headers=h)).status_code == 403
            assert (await client.get(f"{URL}/{theirs.id}", headers=h)).status_code == 403
        else:
            assert (await client.get(f"{URL}/{theirs.id}", headers=h)).status_code == 200
            assert (await client.get(f"{URL}?providerPartnerId={club.id}", headers=h)).json()[
                "total"
            ] == 1
        r = await client.post(URL, json=body(club), headers=h)
        assert r.status_code == 403
        problem(r)
        assert (await client.patch(f"{URL}/{mine.id}", json={}, headers=h)).status_code == 403
        assert (await client.delete(f"{URL}/{mine.id}", headers=h)).status_code == 403
    h = build.headers_for(Role.partner, club)
    r = await client.get(URL, headers=h)
    assert [a["id"] for a in r.json()["items"]] == [str(mine.id)]
    assert (await client.get(f"{URL}/{mine.id}", headers=h)).status_code == 200
    for method in ("GET", "PATCH", "DELETE"):
        kw: dict[str, Any] = {"json": {"title": "x"}} if method == "PATCH" else {}
        r = await client.request(method, f"{URL}/{theirs.id}", headers=h, **kw)
        assert r.status_code == 404, method
        problem(r)
    # A partner adds only what it provides itself, and cannot hand an activity away.
    r = await client.post(URL, json=body(other), headers=h)
    assert r.status_code == 403
    assert problem(r)["type"] == "urn:opvang:problem:not-the-provider"
    r = await client.patch(f"{URL}/{mine.id}", json={"providerPartnerId": str(other.id)}, headers=h)
    assert r.status_code == 403
    r = await client.post(URL, json=body(club, title="Zwemmen"), headers=h)
    assert r.status_code == 201
    r = await client.patch(f"{URL}/{mine.id}", json={"capacity": 8}, headers=h)
    assert r.status_code == 200 and r.json()["capacity"] == 8
    assert (await client.delete(f"{URL}/{mine.id}", headers=h)).status_code == 204
    # A client of the partner's own system is a partner too.
    api_client = await build.api_client(club)
    r = await client.get(URL, headers=build.client_headers(api_client))
    assert r.status_code == 200 and r.json()["total"] == 1


async def test_bad_input_lists_every_problem(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    h = build.headers_for(Role.admin)
    r = await client.post(
        URL,
        json={
            "kind": "knitting",
            "providerPartnerId": "x",
            "startsOn": "2024-02-30",
            "capacity": -1,
            "targetGroups": ["tourists"],
            "colour": "red",
        },
        headers=h,
    )
    assert r.status_code == 400
    names = {e["name"] for e in problem(r)["errors"]}
    assert {"title", "kind", "providerPartnerId", "startsOn", "capacity", "colour"} <= names
    assert any(n.startswith("targetGroups") for n in names)
    provider = await build.partner()
    r = await client.post(
        URL, json=body(provider, targetGroups=["asylum_seeker", "asylum_seeker"]), headers=h
    )
    assert r.status_code == 400
    assert [e["name"] for e in problem(r)["errors"]] == ["targetGroups"]
    r = await client.post(
        URL,
        json=body(provider, providerPartnerId=NOWHERE, locationId=NOWHERE, endsOn="2024-02-29"),
        headers=h,
    )
    assert r.status_code == 400
    listed = sorted(e["name"] for e in problem(r)["errors"])
    assert listed == ["endsOn", "locationId", "providerPartnerId"]
    r = await client.get(f"{URL}?activeOn=soon&kind=knitting&pageSize=0&colour=red", headers=h)
    assert r.status_code == 400
    assert {e["name"] for e in problem(r)["errors"]} == {"activeOn", "kind", "pageSize", "colour"}
    r = await client.get(f"{URL}?sort=colour", headers=h)
    assert r.status_code == 400
    assert await count_activities(db) == 0


async def test_patch_rules(client: httpx.AsyncClient, build: Builder, db: Database) -> None:
    provider = await build.partner()
    act = await programme.activity(
        db, provider, starts_on=date(2024, 1, 1), ends_on=date(2024, 6, 30), capacity=3
    )
    a, b = await records.participant(db), await records.participant(db)
    await programme.enrollment(db, act, a, on=date(2024, 2, 1))
    await programme.enrollment(db, act, b, on=date(2024, 3, 1), status=EnrollmentStatus.active)
    done = await records.participant(db)
    await programme.enrollment(
        db,
        act,
        done,
        on=date(2024, 1, 5),
        status=EnrollmentStatus.completed,
        ended_on=date(2024, 1, 31),
    )
    h = build.headers_for(Role.coordinator)
    url = f"{URL}/{act.id}"
    r = await client.patch(
        url, json={"title": None, "kind": None, "startsOn": None, "targetGroups": None}, headers=h
    )
    assert r.status_code == 400
    assert sorted(e["name"] for e in problem(r)["errors"]) == [
        "kind",
        "startsOn",
        "targetGroups",
        "title",
    ]
    r = await client.patch(url, json={"endsOn": "2023-12-31"}, headers=h)
    assert r.status_code == 400
    assert [e["name"] for e in problem(r)["errors"]] == ["endsOn"]
    # Two open enrollments (the completed one does not count).
    r = await client.patch(url, json={"capacity": 1}, headers=h)
    assert r.status_code == 409
    p = problem(r)
    assert p["type"] == "urn:opvang:problem:activity-over-capacity"
    assert p["open"] == 2 and p["capacity"] == 1
    r = await client.patch(url, json={"startsOn": "2024-01-10"}, headers=h)
    assert r.status_code == 409
    p = problem(r)
    assert p["type"] == "urn:opvang:problem:enrollments-outside-dates"
    assert p["day"] == "2024-01-05"
    r = await client.patch(url, json={"endsOn": "2024-02-15"}, headers=h)
    assert r.status_code == 409
    assert problem(r)["day"] == "2024-03-01"
    r = await client.patch(url, json={"title": "x"}, headers={**h, "If-Match": '"7"'})
    assert r.status_code == 412
    r = await client.patch(
        url,
        json={
            "capacity": 2,
            "endsOn": None,
            "schedule": None,
            "targetGroups": ["asylum_seeker"],
            "title": "NT2 gevorderd",
        },
        headers={**h, "If-Match": '"1"'},
    )
    assert r.status_code == 200, r.text
    got = r.json()
    assert got["capacity"] == 2 and got["endsOn"] is None and got["schedule"] is None
    assert got["targetGroups"] == [Group.asylum_seeker.value] and got["version"] == 2
    assert r.headers["etag"] == '"2"'
    r = await client.patch(url, json={"capacity": None}, headers=h)
    assert r.status_code == 200 and r.json()["capacity"] is None


async def test_delete_is_refused_while_enrollments_exist(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    provider = await build.partner()
    act = await programme.activity(db, provider)
    empty = await programme.activity(db, provider)
    person = await records.participant(db)
    await programme.enrollment(
        db, act, person, status=EnrollmentStatus.dropped_out, ended_on=date(2024, 2, 2)
    )
    h = build.headers_for(Role.admin)
    r = await client.delete(f"{URL}/{act.id}", headers=h)
    assert r.status_code == 409
    assert problem(r)["type"] == "urn:opvang:problem:activity-has-enrollments"
    assert (await client.get(f"{URL}/{act.id}", headers=h)).status_code == 200
    r = await client.delete(f"{URL}/{empty.id}", headers={**h, "If-Match": '"2"'})
    assert r.status_code == 412
    assert (await client.delete(f"{URL}/{empty.id}", headers=h)).status_code == 204
    assert (await client.get(f"{URL}/{empty.id}", headers=h)).status_code == 404
    assert (await client.delete(f"{URL}/{empty.id}", headers=h)).status_code == 404


async def test_a_partner_holds_activities_only_at_its_own_locations(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    """Issue 14, item 11: another partner's location reads as an unknown id, on create
    and on PATCH, and nothing is written."""
    club, coa = await build.partner(), await build.partner()
    own = await records.location(db, club)
    theirs = await records.location(db, coa)
    h = build.headers_for(Role.partner, club)
    nowhere = "6f1c6a9e-7d5e-4a50-8d2c-3f4b5a6c7d8e"
    answers = []
    for venue in (str(theirs.id), nowhere):
        r = await client.post(URL, json=body(club, locationId=venue), headers=h)
        assert r.status_code == 400, r.text
        answers.append(problem(r)["errors"])
    assert answers[0] == answers[1] and answers[0][0]["name"] == "locationId"
    r = await client.post(URL, json=body(club, locationId=str(own.id)), headers=h)
    assert r.status_code == 201, r.text
    mine = r.json()
    r = await client.patch(f"{URL}/{mine['id']}", json={"locationId": str(theirs.id)}, headers=h)
    assert r.status_code == 400 and problem(r)["errors"] == answers[0]
    # Staff place any activity at any location.
    staff = build.headers_for(Role.coordinator)
    r = await client.post(URL, json=body(club, locationId=str(theirs.id)), headers=staff)
    assert r.status_code == 201, r.text
    async with db.sessionmaker() as session:
        at_theirs = await session.scalar(
            select(func.count()).where(Activity.location_id == theirs.id)
        )
    assert at_theirs == 1
