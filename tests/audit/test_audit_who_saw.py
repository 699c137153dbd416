""" "Who saw this person's record, and when": GET /audit-events filtered on the record
answers with every read, by whom (user or client, role, partner) and when; admin only."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta

import httpx

from api.auth.principal import Principal
from api.db import Database
from api.models import Role
from tests.support import records, subjects
from tests.support.builders import Builder, auth_headers
from tests.support.live_server import live_server


async def test_reads_of_a_record_by_coordinator_and_partner(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    coa = await build.partner()
    venue = await records.location(db, coa)
    person = await records.participant(db, given_name="Mariya", family_name="Zichtbaar")
    other = await records.participant(db)
    await records.placement(db, person, venue)
    coordinator_id, partner_user_id = uuid.uuid4(), uuid.uuid4()
    coordinator = {
        "Authorization": "Bearer "
        + build.token(Principal(kind="user", id=coordinator_id, role=Role.coordinator))
    }
    partner = {
        "Authorization": "Bearer "
        + build.token(
            Principal(kind="user", id=partner_user_id, role=Role.partner, partner_id=coa.id)
        )
    }
    started = datetime.now(UTC) - timedelta(seconds=1)
    for headers in (coordinator, partner):
        r = await client.get(f"/api/v1/participants/{person.id}", headers=headers)
        assert r.status_code == 200, r.text
    r = await client.get(f"/api/v1/participants/{other.id}", headers=coordinator)
    assert r.status_code == 200

    admin = build.headers_for(Role.admin)
    url = "/api/v1/audit-events"
    about = {"entity": "participants", "entityId": str(person.id), "action": "read", "sort": "at"}
    r = await client.get(url, params=about, headers=admin)
    assert r.status_code == 200, r.text
    items = r.json()["items"]
    assert [(i["actorId"], i["actorRole"], i["partnerId"]) for i in items] == [
        (str(coordinator_id), "coordinator", None),
        (str(partner_user_id), "partner", str(coa.id)),
    ]
    for item in items:
        assert (item["action"], item["entity"], item["entityId"]) == (
            "read",
            "participants",
            str(person.id),
        )
        assert started <= datetime.fromisoformat(item["at"]) <= datetime.now(UTC)
        assert item["requestId"]
        assert "Mariya" not in str(item)  # ids only, never values

    # The time window narrows it; other people's reads are not mixed in.
    since = items[1]["at"]
    r = await client.get(url, params={**about, "from": since}, headers=admin)
    assert [i["actorId"] for i in r.json()["items"]] == [str(partner_user_id)]

    # Only an admin may ask.
    for role in (Role.coordinator, Role.finance, Role.viewer):
        r = await client.get(url, params=about, headers=build.headers_for(role))
        assert r.status_code == 403, role


async def test_parallel_reads_of_records_are_all_answered_and_audited() -> None:
    """The dashboard opens several records at once, and each read writes its audit event.
    On SQLite a read transaction that then writes failed on a stale snapshot when another
    read's audit committed in between (a 503); each audited read now takes the write lock
    first. On a live server (its own database), 16 reads at once of 4 records."""
    with live_server(suffix="_audit_parallel") as server:
        h = auth_headers(server.settings, Role.coordinator)
        async with (
            subjects.made_up_callers_at(server.settings) as hooks,  # the callers become users
            httpx.AsyncClient(base_url=server.api_url, timeout=60, event_hooks=hooks) as http,
        ):
            ids = []
            for n in range(4):
                body = {
                    "givenName": f"Olena{n}",
                    "familyName": "Parallel",
                    "dateOfBirth": "1990-01-01",
                    "group": "ukrainian_displaced",
                    "reference": f"PAR-{n}",
                }
                r = await http.post("/participants", json=body, headers=h)
                assert r.status_code == 201, r.text
                ids.append(r.json()["id"])
            answers = await asyncio.gather(
                *(http.get(f"/participants/{i}", headers=h) for i in ids * 4),
                *(http.get("/participants?pageSize=10", headers=h) for _ in range(4)),
            )
            assert [a.status_code for a in answers] == [200] * 20, [
                a.text for a in answers if a.status_code != 200
            ]
            admin = auth_headers(server.settings, Role.admin)
            r = await http.get(
                f"/audit-events?entity=participants&entityId={ids[0]}&action=read", headers=admin
            )
            assert r.status_code == 200, r.text
            assert r.json()["total"] == 4 + 4  # four reads of the record, four list pages
