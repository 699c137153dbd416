"""Placements: every rule, every role, on both engines."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import httpx
from sqlalchemy import func, select

from api.db import Database
from api.models import AuditEvent, Group, Placement, Role
from tests.support import records
from tests.support.builders import Builder, problem

URL = "/api/v1/placements"


def body(person: Any, loc: Any, start: str = "2024-03-01", **extra: Any) -> dict[str, Any]:
    return {"participantId": str(person.id), "locationId": str(loc.id), "startDate": start, **extra}


async def count_placements(db: Database) -> int:
    async with db.sessionmaker() as session:
        return int(await session.scalar(select(func.count(Placement.id))) or 0)


async def test_create_read_and_list(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    op = await build.partner()
    loc = await records.location(db, op, capacity=2)
    person = await records.participant(db)
    admin = build.headers_for(Role.coordinator)
    r = await client.post(URL, json=body(person, loc), headers=admin)
    assert r.status_code == 201, r.text
    created = r.json()
    assert created["participantId"] == str(person.id)
    assert created["endDate"] is None and created["capacityOverride"] is None
    assert r.headers["etag"] == '"1"'
    assert r.headers["location"] == f"{URL}/{created['id']}"
    r = await client.get(f"{URL}/{created['id']}", headers=admin)
    assert r.status_code == 200 and r.json() == created
    for query, found in [
        (f"locationId={loc.id}", 1),
        (f"participantId={person.id}", 1),
        (f"locationId={loc.id}&activeOn=2024-03-01", 1),
        (f"locationId={loc.id}&activeOn=2024-02-29", 0),
    ]:
        r = await client.get(f"{URL}?{query}", headers=admin)
        assert r.status_code == 200, r.text
        assert r.json()["total"] == found, query


async def test_roles_and_scope(client: httpx.AsyncClient, build: Builder, db: Database) -> None:
    op, other, nidos = await build.partner(), await build.partner(), await build.partner()
    loc = await records.location(db, op)
    minor = await records.participant(
        db, group=Group.unaccompanied_minor, date_of_birth=date(2010, 1, 1), guardian=nidos
    )
    stay = await records.placement(db, minor, loc)
    assert (await client.get(URL)).status_code == 401
    assert (await client.post(URL, json=body(minor, loc))).status_code == 401
    for role in (Role.finance, Role.viewer):
        r = await client.get(URL, headers=build.headers_for(role))
        assert r.status_code == 403
        problem(r)
        r = await client.get(f"{URL}/{stay.id}", headers=build.headers_for(role))
        assert r.status_code == 403
    for partner in (op, nidos):  # operator of the location, guardian of the minor
        h = build.headers_for(Role.partner, partner)
        assert (await client.get(f"{URL}/{stay.id}", headers=h)).status_code == 200
        assert (await client.get(URL, headers=h)).json()["total"] == 1
        r = await client.post(URL, json=body(minor, loc, "2025-01-01"), headers=h)
        assert r.status_code == 403
    h = build.headers_for(Role.partner, other)
    r = await client.get(f"{URL}/{stay.id}", headers=h)
    assert r.status_code == 404
    problem(r)
    assert (await client.get(URL, headers=h)).json()["total"] == 0
    coordinator = build.headers_for(Role.coordinator)
    r = await client.patch(f"{URL}/{stay.id}", json={"endDate": "2024-05-01"}, headers=h)
    assert r.status_code == 403
    r = await client.delete(f"{URL}/{stay.id}", headers=coordinator)
    assert r.status_code == 204
    assert (await client.get(f"{URL}/{stay.id}", headers=coordinator)).status_code == 404


async def test_bad_input_lists_every_problem(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    h = build.headers_for(Role.admin)
    r = await client.post(
        URL,
        json={"participantId": "x", "startDate": "2024-13-01", "colour": "red"},
        headers=h,
    )
    assert r.status_code == 400
    names = {e["name"] for e in problem(r)["errors"]}
    assert names == {"participantId", "locationId", "startDate", "colour"}
    op = await build.partner()
    loc = await records.location(db, op)
    person = await records.participant(db)
    r = await client.post(
        URL,
        json={
            "participantId": "6f1c6a9e-7d5e-4a50-8d2c-3f4b5a6c7d8e",
            "locationId": "6f1c6a9e-7d5e-4a50-8d2c-3f4b5a6c7d8f",
            "startDate": "2024-03-01",
            "endDate": "2024-03-01",
        },
        headers=h,
    )
    assert r.status_code == 400
    listed = sorted(e["name"] for e in problem(r)["errors"])
    assert listed == ["endDate", "endReason", "locationId", "participantId"]
    r = await client.post(URL, json=body(person, loc, endReason="left"), headers=h)
    assert r.status_code == 400
    assert [e["name"] for e in problem(r)["errors"]] == ["endReason"]
    r = await client.get(f"{URL}?activeOn=yesterday&pageSize=0", headers=h)
    assert r.status_code == 400
    assert {e["name"] for e in problem(r)["errors"]} == {"activeOn", "pageSize"}
    assert await count_placements(db) == 0


async def test_overlap_is_refused_naming_the_other_stay_and_night(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    op = await build.partner()
    a, b = await records.location(db, op), await records.location(db, op)
    person = await records.participant(db)
    first = await records.placement(db, person, a, start=date(2024, 2, 1), end=date(2024, 4, 1))
    h = build.headers_for(Role.coordinator)
    r = await client.post(URL, json=body(person, b, "2024-03-15"), headers=h)
    assert r.status_code == 409
    p = problem(r)
    assert p["type"] == "urn:opvang:problem:placement-overlap"
    assert p["placementId"] == str(first.id) and p["day"] == "2024-03-15"
    r = await client.post(
        URL,
        json=body(person, b, "2024-01-01", endDate="2024-02-10", endReason="transfer"),
        headers=h,
    )
    assert r.status_code == 409 and problem(r)["day"] == "2024-02-01"
    # The departure day is free: the next stay may start on it.
    r = await client.post(URL, json=body(person, b, "2024-04-01"), headers=h)
    assert r.status_code == 201, r.text


async def test_open_dates(client: httpx.AsyncClient, build: Builder, db: Database) -> None:
    op = await build.partner()
    loc = await records.location(db, op, opened_on=date(2024, 1, 1), closed_on=date(2024, 6, 30))
    person = await records.participant(db)
    h = build.headers_for(Role.admin)
    r = await client.post(URL, json=body(person, loc, "2023-12-31"), headers=h)
    assert r.status_code == 409
    assert problem(r)["type"] == "urn:opvang:problem:outside-open-dates"
    assert problem(r)["field"] == "startDate"
    r = await client.post(URL, json=body(person, loc, "2024-06-01"), headers=h)  # open-ended
    assert r.status_code == 409 and problem(r)["field"] == "endDate"
    late = body(person, loc, "2024-06-01", endDate="2024-07-01", endReason="housing")
    r = await client.post(URL, json=late, headers=h)
    assert r.status_code == 409 and problem(r)["day"] == "2024-06-30"
    ok = body(person, loc, "2024-06-01", endDate="2024-06-30", endReason="housing")
    r = await client.post(URL, json=ok, headers=h)
    assert r.status_code == 201, r.text


async def test_unaccompanied_minor_must_be_under_18(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    op = await build.partner()
    loc = await records.location(db, op, capacity=5)
    young = await records.participant(
        db, group=Group.unaccompanied_minor, date_of_birth=date(2006, 3, 1)
    )
    unknown = await records.participant(db, group=Group.unaccompanied_minor, date_of_birth=None)
    h = build.headers_for(Role.coordinator)
    r = await client.post(URL, json=body(young, loc, "2024-03-01"), headers=h)  # 18th birthday
    assert r.status_code == 409
    assert problem(r)["type"] == "urn:opvang:problem:minor-age"
    r = await client.post(URL, json=body(unknown, loc), headers=h)
    assert r.status_code == 409 and "date of birth" in problem(r)["detail"]
    r = await client.post(URL, json=body(young, loc, "2024-02-29"), headers=h)
    assert r.status_code == 201, r.text
    # Turning 18 during the stay ends nothing: later changes keep the start.
    r = await client.patch(
        f"{URL}/{r.json()['id']}", json={"endDate": "2024-08-01", "endReason": "housing"}, headers=h
    )
    assert r.status_code == 200, r.text


async def test_anonymised_participant_gets_no_stays(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    op = await build.partner()
    loc = await records.location(db, op)
    person = await records.participant(db)
    async with db.sessionmaker() as session, session.begin():
        merged = await session.merge(person)
        merged.anonymised_at = datetime.now(UTC)
    r = await client.post(URL, json=body(person, loc), headers=build.headers_for(Role.admin))
    assert r.status_code == 409
    assert problem(r)["type"] == "urn:opvang:problem:participant-anonymised"


async def test_capacity_is_never_exceeded(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    op = await build.partner()
    loc = await records.location(db, op, capacity={date(2024, 1, 1): 1, date(2024, 5, 1): 2})
    a, b = await records.participant(db), await records.participant(db)
    await records.placement(db, a, loc, start=date(2024, 3, 1), end=date(2024, 6, 1))
    h = build.headers_for(Role.coordinator)
    r = await client.post(
        URL, json=body(b, loc, "2024-02-01", endDate="2024-05-15", endReason="left"), headers=h
    )
    assert r.status_code == 409
    p = problem(r)
    assert p["type"] == "urn:opvang:problem:over-capacity"
    assert (p["day"], p["locationId"], p["occupied"], p["capacity"]) == (
        "2024-03-01",
        str(loc.id),
        2,
        1,
    )
    assert await count_placements(db) == 1  # nothing half-written
    # From May there are two places.
    r = await client.post(URL, json=body(b, loc, "2024-05-01"), headers=h)
    assert r.status_code == 201, r.text
    stay = r.json()
    # Extending it back into April is refused, shortening it is fine.
    r = await client.patch(f"{URL}/{stay['id']}", json={"startDate": "2024-04-20"}, headers=h)
    assert r.status_code == 409 and problem(r)["day"] == "2024-04-20"
    r = await client.patch(
        f"{URL}/{stay['id']}",
        json={"endDate": "2024-05-10", "endReason": "left"},
        headers={**h, "If-Match": '"1"'},
    )
    assert r.status_code == 200, r.text
    assert r.json()["version"] == 2
    r = await client.patch(
        f"{URL}/{stay['id']}", json={"endDate": None}, headers={**h, "If-Match": '"1"'}
    )
    assert r.status_code == 412
    r = await client.patch(f"{URL}/{stay['id']}", json={"endDate": None}, headers=h)
    assert r.status_code == 200 and r.json()["endReason"] is None


async def test_admin_override_is_kept_and_audited(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    op = await build.partner()
    loc = await records.location(db, op, capacity=0)
    person = await records.participant(db)
    override: dict[str, Any] = {"capacityOverride": {"reason": "Crisis night, agreed with COA"}}
    r = await client.post(
        URL, json=body(person, loc, **override), headers=build.headers_for(Role.coordinator)
    )
    assert r.status_code == 403
    r = await client.post(
        URL, json=body(person, loc, **override), headers=build.headers_for(Role.admin)
    )
    assert r.status_code == 201, r.text
    assert r.json()["capacityOverride"] == {"reason": "Crisis night, agreed with COA"}
    async with db.sessionmaker() as session:
        events = (
            (
                await session.execute(
                    select(AuditEvent.details).where(
                        AuditEvent.action == "capacity_override",
                        AuditEvent.entity_id == r.json()["id"],
                    )
                )
            )
            .scalars()
            .all()
        )
    assert len(events) == 1
    assert events[0]["firstDay"] == "2024-03-01" and events[0]["capacity"] == 0


async def test_change_can_move_location_and_not_participant(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    op = await build.partner()
    a = await records.location(db, op)
    b = await records.location(db, op, capacity=0)
    person = await records.participant(db)
    stay = await records.placement(db, person, a)
    h = build.headers_for(Role.coordinator)
    r = await client.patch(f"{URL}/{stay.id}", json={"locationId": str(b.id)}, headers=h)
    assert r.status_code == 409 and problem(r)["locationId"] == str(b.id)
    r = await client.patch(f"{URL}/{stay.id}", json={"participantId": str(person.id)}, headers=h)
    assert r.status_code == 400
    r = await client.patch(f"{URL}/{stay.id}", json={"startDate": "2024-02-02"}, headers=h)
    assert r.status_code == 200 and r.json()["startDate"] == "2024-02-02"


async def test_delete_honours_roles_and_if_match(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    op = await build.partner()
    loc = await records.location(db, op)
    stay = await records.placement(db, await records.participant(db), loc)
    r = await client.delete(f"{URL}/{stay.id}", headers=build.headers_for(Role.partner, op))
    assert r.status_code == 403
    h = build.headers_for(Role.admin)
    r = await client.delete(f"{URL}/{stay.id}", headers={**h, "If-Match": '"7"'})
    assert r.status_code == 412
    r = await client.delete(f"{URL}/{stay.id}", headers={**h, "If-Match": '"1"'})
    assert r.status_code == 204
    assert await count_placements(db) == 0
