"""Decisions: roles, partner scope, the subject rule (a location or a candidate), the
document address, If-Match, and when a decision stays (409)."""

from __future__ import annotations

import httpx
from sqlalchemy import select

from api.db import Database
from api.models import AuditEvent, Role
from tests.decisions.world import (
    DECISIONS,
    NOWHERE,
    create_condition,
    create_decision,
    decision_body,
    venue,
)
from tests.support.builders import Builder, problem


def names(r: httpx.Response) -> dict[str, str]:
    return {e["name"]: e["code"] for e in problem(r)["errors"]}


async def test_create_read_list_patch_delete(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    place = await venue(db, await build.partner(), name="Heemsteedse Dreef 156")
    h = build.headers_for(Role.coordinator)
    created = await create_decision(client, h, place)
    assert set(created) == {
        "id", "version", "createdAt", "updatedAt", "decidedOn", "body", "reference",
        "summary", "documentUrl", "locationId", "locationName", "candidateId",
    }  # fmt: skip
    assert created["locationName"] == "Heemsteedse Dreef 156"
    assert created["candidateId"] is None and created["body"] == "council"
    older = await create_decision(client, h, place, decidedOn="2022-01-01", body="college")
    r = await client.get(DECISIONS, params={"locationId": str(place.id)}, headers=h)
    assert r.status_code == 200
    assert [d["id"] for d in r.json()["items"]] == [created["id"], older["id"]]  # newest first
    r = await client.get(f"{DECISIONS}/{created['id']}", headers=h)
    assert r.status_code == 200 and r.json() == created and r.headers["etag"] == '"1"'
    url = f"{DECISIONS}/{created['id']}"
    r = await client.patch(url, json={"reference": "RB 2023/59"}, headers={**h, "If-Match": '"9"'})
    assert r.status_code == 412
    r = await client.patch(url, json={"reference": "RB 2023/59"}, headers={**h, "If-Match": '"1"'})
    assert r.status_code == 200 and r.json()["reference"] == "RB 2023/59"
    assert r.json()["version"] == 2
    r = await client.delete(url, headers=h)
    assert r.status_code == 204
    assert (await client.get(url, headers=h)).status_code == 404
    async with db.sessionmaker() as session:
        actions = (
            await session.scalars(
                select(AuditEvent.action).where(AuditEvent.entity_id == created["id"])
            )
        ).all()
    assert len(actions) >= 3  # created, changed, deleted: through the audit trail


async def test_roles(client: httpx.AsyncClient, build: Builder, db: Database) -> None:
    place = await venue(db, await build.partner())
    assert (await client.get(DECISIONS)).status_code == 401
    assert (await client.post(DECISIONS, json=decision_body(place))).status_code == 401
    for role in (Role.finance, Role.viewer):
        r = await client.post(DECISIONS, json=decision_body(place), headers=build.headers_for(role))
        assert r.status_code == 403
        assert (await client.get(DECISIONS, headers=build.headers_for(role))).status_code == 200
    admin = build.headers_for(Role.admin)
    assert (
        await client.post(DECISIONS, json=decision_body(place), headers=admin)
    ).status_code == 201


async def test_partner_reads_its_own_locations_decisions_only(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    own, other = await build.partner(), await build.partner()
    mine, theirs = await venue(db, own), await venue(db, other)
    h = build.headers_for(Role.coordinator)
    d_mine = await create_decision(client, h, mine)
    d_theirs = await create_decision(client, h, theirs)
    p = build.headers_for(Role.partner, own)
    r = await client.get(DECISIONS, headers=p)
    assert [d["id"] for d in r.json()["items"]] == [d_mine["id"]]
    assert (await client.get(f"{DECISIONS}/{d_mine['id']}", headers=p)).status_code == 200
    assert (await client.get(f"{DECISIONS}/{d_theirs['id']}", headers=p)).status_code == 404
    r = await client.get(DECISIONS, params={"locationId": str(theirs.id)}, headers=p)
    assert r.status_code == 200 and r.json()["items"] == []
    r = await client.post(DECISIONS, json=decision_body(mine), headers=p)
    assert r.status_code == 403


async def test_bad_input_names_every_field(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    h = build.headers_for(Role.coordinator)
    r = await client.post(
        DECISIONS,
        json=decision_body(
            None,
            body="minister",
            documentUrl="javascript:alert(1)",
            summary="Bewoner 111222333 klaagt.",
            decidedOn="13-07-2023",
        ),
        headers=h,
    )
    assert r.status_code == 400
    codes = names(r)
    assert set(codes) == {"body", "documentUrl", "summary", "decidedOn"}
    assert codes["documentUrl"] == "url_scheme" and codes["summary"] == "text_holds_bsn"
    # Neither a location nor a candidate: both named.
    r = await client.post(DECISIONS, json=decision_body(None), headers=h)
    assert names(r) == {"locationId": "missing", "candidateId": "missing"}
    r = await client.post(
        DECISIONS, json=decision_body(None, locationId=NOWHERE, candidateId=NOWHERE), headers=h
    )
    assert names(r) == {"locationId": "not_found", "candidateId": "not_found"}
    for url in ("ftp://x.nl/a", "https://", "http://a b.nl"):
        r = await client.post(DECISIONS, json=decision_body(None, documentUrl=url), headers=h)
        assert "documentUrl" in names(r), url
    place = await venue(db, await build.partner())
    created = await create_decision(client, h, place)
    url = f"{DECISIONS}/{created['id']}"
    r = await client.patch(url, json={"locationId": None, "reference": None}, headers=h)
    assert names(r) == {
        "reference": "cannot_clear",
        "locationId": "missing",
        "candidateId": "missing",
    }
    assert (await client.patch(f"{DECISIONS}/{NOWHERE}", json={}, headers=h)).status_code == 404
    r = await client.get(DECISIONS, params={"locationId": "nope"}, headers=h)
    assert r.status_code == 400


async def test_a_decision_in_use_stays(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    place = await venue(db, await build.partner())
    h = build.headers_for(Role.admin)
    # Open conditions go with the decision.
    gone = await create_decision(client, h, place)
    await create_condition(client, h, gone["id"])
    assert (await client.delete(f"{DECISIONS}/{gone['id']}", headers=h)).status_code == 204
    # An evaluated condition keeps it.
    kept = await create_decision(client, h, place)
    cond = await create_condition(client, h, kept["id"])
    r = await client.patch(
        f"/api/v1/conditions/{cond['id']}",
        json={"status": "met", "evidence": "Twee signalen in een half jaar."},
        headers=h,
    )
    assert r.status_code == 200, r.text
    r = await client.delete(f"{DECISIONS}/{kept['id']}", headers=h)
    assert r.status_code == 409 and "evaluated" in problem(r)["detail"]
    # A capacity change resting on it keeps it.
    other = await create_decision(client, h, place)
    r = await client.post(
        f"/api/v1/locations/{place.id}/capacity-changes",
        json={"validFrom": "2024-06-01", "capacity": 12, "decisionId": other["id"]},
        headers=h,
    )
    assert r.status_code == 201, r.text
    r = await client.delete(f"{DECISIONS}/{other['id']}", headers=h)
    assert r.status_code == 409 and "capacity change" in problem(r)["detail"]
    elsewhere = await venue(db, await build.partner())
    r = await client.patch(
        f"{DECISIONS}/{other['id']}", json={"locationId": str(elsewhere.id)}, headers=h
    )
    assert r.status_code == 409
    r = await client.patch(
        f"{DECISIONS}/{other['id']}", json={"locationId": str(place.id)}, headers=h
    )
    assert r.status_code == 200
