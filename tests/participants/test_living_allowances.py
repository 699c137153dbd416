"""The living-allowance status (issue 17): staff set it as dated ranges that never overlap,
finance reads it, partners neither set nor see it (not here, not through partner events),
changes are audited, and it goes with the person."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
from sqlalchemy import func, select

from api.db import Database
from api.models import AuditEvent, LivingAllowance, LocationKind, PartnerKind, Role
from tests.support import records
from tests.support.builders import Builder, problem
from tests.support.partner_events import intake, post

URL = "/api/v1/participants"


async def test_staff_set_ranges_that_never_overlap(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    person = await records.participant(db)
    url = f"{URL}/{person.id}/living-allowances"
    h = build.headers_for(Role.coordinator)
    r = await client.post(url, json={"startsOn": "2025-01-01", "endsOn": "2025-06-30"}, headers=h)
    assert r.status_code == 201, r.text
    first = r.json()
    assert set(first) == {
        "id", "version", "createdAt", "updatedAt", "participantId", "startsOn", "endsOn",
    }  # fmt: skip
    assert r.headers["location"] == f"{url}/{first['id']}" and r.headers["etag"] == '"1"'
    # Overlaps are named with the other range; an empty range is its own problem.
    for body in (
        {"startsOn": "2025-06-30"},
        {"startsOn": "2024-01-01", "endsOn": "2025-01-01"},
    ):
        r = await client.post(url, json=body, headers=h)
        assert r.status_code == 400, body
        [err] = problem(r)["errors"]
        assert (err["name"], err["code"], err["params"]) == (
            "startsOn",
            "allowance_overlap",
            {"from": "2025-01-01", "to": "2025-06-30"},
        )
    r = await client.post(url, json={"startsOn": "2025-08-01", "endsOn": "2025-07-01"}, headers=h)
    assert r.status_code == 400 and problem(r)["errors"][0]["code"] == "before_start"
    r = await client.post(url, json={"startsOn": "01-07-2025", "colour": "red"}, headers=h)
    assert r.status_code == 400
    assert {e["name"] for e in problem(r)["errors"]} == {"startsOn", "colour"}
    # Admin adds an ongoing range after it; the coordinator ends it (If-Match honoured).
    r = await client.post(
        url, json={"startsOn": "2025-07-01"}, headers=build.headers_for(Role.admin)
    )
    assert r.status_code == 201, r.text
    second = r.json()
    item = f"{url}/{second['id']}"
    r = await client.patch(item, json={"endsOn": "2025-12-31"}, headers={**h, "If-Match": '"5"'})
    assert r.status_code == 412
    r = await client.patch(item, json={"startsOn": "2025-06-01"}, headers=h)
    assert r.status_code == 400 and problem(r)["errors"][0]["code"] == "allowance_overlap"
    r = await client.patch(item, json={"endsOn": "2025-12-31"}, headers={**h, "If-Match": '"1"'})
    assert r.status_code == 200 and r.json()["endsOn"] == "2025-12-31"
    # Finance reads them, oldest first.
    r = await client.get(url, headers=build.headers_for(Role.finance))
    assert r.status_code == 200
    assert [(x["startsOn"], x["endsOn"]) for x in r.json()["items"]] == [
        ("2025-01-01", "2025-06-30"),
        ("2025-07-01", "2025-12-31"),
    ]
    # Audited as changes of the participant's records.
    async with db.sessionmaker() as session:
        actions = (
            await session.execute(
                select(AuditEvent.action, func.count())
                .where(AuditEvent.entity == "living_allowances")
                .group_by(AuditEvent.action)
            )
        ).all()
    assert dict(actions) == {"create": 2, "update": 1}
    # Removed when entered in error; unknown ids are 404.
    r = await client.delete(item, headers=h)
    assert r.status_code == 204
    r = await client.delete(item, headers=h)
    assert r.status_code == 404
    problem(r)
    r = await client.get(f"{URL}/{uuid.uuid4()}/living-allowances", headers=h)
    assert r.status_code == 404
    problem(r)


async def test_roles(client: httpx.AsyncClient, build: Builder, db: Database) -> None:
    partner = await build.partner(kind=PartnerKind.coa)
    where = await records.location(db, partner, kind=LocationKind.private_hosting)
    person = await records.participant(db)
    await records.placement(db, person, where)  # the partner sees the person, not this
    url = f"{URL}/{person.id}/living-allowances"
    item = f"{url}/{uuid.uuid4()}"
    body = {"startsOn": "2025-01-01"}
    calls: list[tuple[str, str, dict[str, Any]]] = [
        ("GET", url, {}),
        ("POST", url, {"json": body}),
        ("PATCH", item, {"json": body}),
        ("DELETE", item, {}),
    ]
    for method, u, kw in calls:
        r = await client.request(method, u, **kw)
        assert r.status_code == 401, (method, u)
        for h in (build.headers_for(Role.partner, partner), build.headers_for(Role.viewer)):
            r = await client.request(method, u, headers=h, **kw)
            assert r.status_code == 403, (h, method, u)
            problem(r)
    # Finance reads, never writes.
    fin = build.headers_for(Role.finance)
    assert (await client.get(url, headers=fin)).status_code == 200
    assert (await client.post(url, json=body, headers=fin)).status_code == 403
    # The participant as a partner sees it: no allowance field.
    r = await client.get(f"{URL}/{person.id}", headers=build.headers_for(Role.partner, partner))
    assert r.status_code == 200, r.text
    assert not any("allowance" in key.lower() for key in r.json())


async def test_a_partner_event_cannot_set_it(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    coa = await build.partner(kind=PartnerKind.coa)
    await records.location(db, coa, external_code="AZC-LA")
    h = build.client_headers(await build.api_client(coa))
    event = intake("la-1", "V-LA", code="AZC-LA", livingAllowance={"startsOn": "2024-03-01"})
    r = await post(client, h, [event])
    assert r.status_code in (400, 409), r.text
    assert "livingAllowance" in r.text
    async with db.sessionmaker() as session:
        assert await session.scalar(select(func.count(LivingAllowance.id))) == 0


async def test_it_goes_with_the_person(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    """Anonymising (DELETE) keeps the dated ranges, as it keeps the stays, so frozen claims
    stay reproducible (they hold no personal text); the person and the ranges are then
    gone for the API (404)."""
    h = build.headers_for(Role.admin)
    gone = await records.participant(db)
    url = f"{URL}/{gone.id}/living-allowances"
    assert (await client.post(url, json={"startsOn": "2025-01-01"}, headers=h)).status_code == 201
    r = await client.delete(f"{URL}/{gone.id}", headers=h)
    assert r.status_code == 204, r.text
    async with db.sessionmaker() as session:
        left = await session.scalar(
            select(func.count(LivingAllowance.id)).where(LivingAllowance.participant_id == gone.id)
        )
    assert left == 1
    assert (await client.get(url, headers=h)).status_code == 404
