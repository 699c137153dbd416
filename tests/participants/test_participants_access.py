"""Participants: partner scope and field-level access, search, list filters, anonymisation
and the subject-access export."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import httpx
from sqlalchemy import func, select

from api.common.calendar import today
from api.db import Database
from api.models import AuditEvent, Group, ParticipantProgress, PartnerKind, Placement, Role
from tests.participants.test_participants import URL, VALID_BSN, body, read_events
from tests.support import records
from tests.support.builders import Builder, problem

TODAY = today()


async def test_partner_sees_its_scope_without_bsn(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    coa, nidos, other = (
        await build.partner(kind=PartnerKind.coa),
        await build.partner(kind=PartnerKind.nidos),
        await build.partner(),
    )
    azc = await records.location(db, coa)
    placed = await records.participant(db, bsn=VALID_BSN, v_number="V100", reference="HS-P1")
    await records.placement(db, placed, azc, start=TODAY - timedelta(days=30))
    guarded = await records.participant(
        db, group=Group.unaccompanied_minor, guardian=nidos, date_of_birth=date(2012, 1, 1)
    )
    stranger = await records.participant(db)

    as_coa = build.headers_for(Role.partner, coa)
    r = await client.get(f"{URL}/{placed.id}", headers=as_coa)
    assert r.status_code == 200
    read = r.json()
    assert "bsn" not in read
    assert read["vNumber"] == "V100" and read["dateOfBirth"] == "1990-05-17"
    r = await client.get(URL, headers=as_coa)
    assert [p["id"] for p in r.json()["items"]] == [str(placed.id)]
    assert all("bsn" not in p for p in r.json()["items"])
    for outside in (guarded, stranger):
        r = await client.get(f"{URL}/{outside.id}", headers=as_coa)
        assert r.status_code == 404
        problem(r)

    as_nidos = build.client_headers(await build.api_client(nidos))
    r = await client.get(URL, headers=as_nidos)
    assert [p["id"] for p in r.json()["items"]] == [str(guarded.id)]
    r = await client.get(URL, headers=build.headers_for(Role.partner, other))
    assert r.json()["total"] == 0

    r = await client.get(f"{URL}/{placed.id}", headers=build.headers_for(Role.coordinator))
    assert r.json()["bsn"] == VALID_BSN


async def test_partner_may_not_write(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    coa = await build.partner()
    person = await records.participant(db)
    await records.placement(db, person, await records.location(db, coa))
    as_coa = build.headers_for(Role.partner, coa)
    for method, path, payload in [
        ("POST", URL, body()),
        ("PATCH", f"{URL}/{person.id}", {"givenName": "X"}),
        ("DELETE", f"{URL}/{person.id}", None),
        ("GET", f"{URL}/{person.id}/data-export", None),
        ("POST", f"{URL}/_search", {"bsn": VALID_BSN}),
        ("POST", f"{URL}/_search", {"bsn": "invalid"}),
    ]:
        r = await client.request(method, path, json=payload, headers=as_coa)
        assert r.status_code == 403, (method, path)
        problem(r)


async def test_search_by_bsn_and_v_number(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    coa = await build.partner()
    person = await records.participant(db, bsn=VALID_BSN, v_number="V200")
    await records.participant(db, v_number="V201")
    staff = build.headers_for(Role.coordinator)
    r = await client.post(f"{URL}/_search", json={"bsn": VALID_BSN}, headers=staff)
    assert r.status_code == 200, r.text
    page = r.json()
    assert page["total"] == 1 and page["items"][0]["id"] == str(person.id)
    assert page["items"][0]["bsn"] == VALID_BSN
    r = await client.post(f"{URL}/_search", json={"vNumber": "V200"}, headers=staff)
    assert [p["id"] for p in r.json()["items"]] == [str(person.id)]
    r = await client.post(f"{URL}/_search", json={"bsn": "123456782"}, headers=staff)
    assert r.json() == {"items": [], "page": 1, "pageSize": 1, "total": 0}
    reads = [e for e in await read_events(db, str(person.id)) if e.action == "read"]
    assert len(reads) == 2

    for bad in ({}, {"bsn": VALID_BSN, "vNumber": "V200"}, {"bsn": "123"}, {"vNumber": "a b"}):
        r = await client.post(f"{URL}/_search", json=bad, headers=staff)
        assert r.status_code == 400, bad
        problem(r)

    # A partner may search by V-number, within its scope only.
    as_coa = build.headers_for(Role.partner, coa)
    r = await client.post(f"{URL}/_search", json={"vNumber": "V200"}, headers=as_coa)
    assert r.json()["total"] == 0
    await records.placement(db, person, await records.location(db, coa))
    r = await client.post(f"{URL}/_search", json={"vNumber": "V200"}, headers=as_coa)
    assert r.json()["total"] == 1 and "bsn" not in r.json()["items"][0]


async def test_list_filters(client: httpx.AsyncClient, build: Builder, db: Database) -> None:
    op = await build.partner()
    here, there = await records.location(db, op), await records.location(db, op)
    now = await records.participant(db, reference="HS-F-NOW", given_name="Iryna")
    await records.placement(db, now, here, start=TODAY - timedelta(days=10))
    ending = await records.participant(db, reference="HS-F-END", family_name="Shev_chenko")
    # Leaves today: the night of today is not covered any more.
    await records.placement(db, ending, here, start=TODAY - timedelta(days=10), end=TODAY)
    future = await records.participant(db, reference="HS-F-FUT", group=Group.asylum_seeker)
    await records.placement(db, future, there, start=TODAY + timedelta(days=1))
    elsewhere = await records.participant(db, reference="HS-F-ELS", group=Group.asylum_seeker)
    await records.placement(db, elsewhere, there, start=TODAY - timedelta(days=1), end=None)

    staff = build.headers_for(Role.admin)

    async def ids(**params: str) -> set[str]:
        r = await client.get(URL, params=params, headers=staff)
        assert r.status_code == 200, r.text
        return {p["reference"] for p in r.json()["items"]}

    assert await ids(locationId=str(here.id)) == {"HS-F-NOW"}
    assert await ids(locationId=str(there.id)) == {"HS-F-ELS"}
    assert await ids(q="hs-f-", active="true") == {"HS-F-NOW", "HS-F-ELS"}
    assert await ids(q="hs-f-", active="false") == {"HS-F-END", "HS-F-FUT"}
    assert await ids(q="hs-f-", group="asylum_seeker") == {"HS-F-FUT", "HS-F-ELS"}
    assert await ids(q="IRYNA") == {"HS-F-NOW"}
    assert await ids(q="v_c") == {"HS-F-END"}  # the underscore is literal, not a wildcard
    assert await ids(q="%") == set()
    r = await client.get(
        URL, params={"q": "hs-f-", "sort": "-reference", "pageSize": 2}, headers=staff
    )
    assert [p["reference"] for p in r.json()["items"]] == ["HS-F-NOW", "HS-F-FUT"]
    assert r.json()["total"] == 4 and 'rel="next"' in r.headers["link"]
    for bad in ({"group": "x"}, {"active": "maybe"}, {"sort": "bsn"}, {"bsn": VALID_BSN}):
        r = await client.get(URL, params=bad, headers=staff)
        assert r.status_code == 400, bad
        problem(r)


async def test_list_pages_are_audited(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    person = await records.participant(db, reference="HS-AUD-1")
    r = await client.get(URL, params={"q": "HS-AUD-1"}, headers=build.headers_for(Role.admin))
    assert r.json()["total"] == 1
    assert [e.action for e in await read_events(db, str(person.id))] == ["create", "read"]


async def test_delete_anonymises(client: httpx.AsyncClient, build: Builder, db: Database) -> None:
    staff = build.headers_for(Role.coordinator)
    op = await build.partner()
    loc = await records.location(db, op)
    created = (
        await client.post(
            URL, json=body(bsn=VALID_BSN, vNumber="V300", householdRef="H-1"), headers=staff
        )
    ).json()
    pid = created["id"]
    async with db.sessionmaker() as session, session.begin():
        session.add(
            Placement(
                participant_id=uuid.UUID(pid),
                location_id=loc.id,
                start_date=TODAY - timedelta(days=3),
            )
        )
    r = await client.delete(f"{URL}/{pid}", headers={**staff, "If-Match": '"42"'})
    assert r.status_code == 412
    r = await client.delete(
        f"{URL}/{pid}", headers={**staff, "If-Match": f'"{created["version"]}"'}
    )
    assert r.status_code == 204
    actions = [e.action for e in await read_events(db, pid)]
    assert actions[-2:] == ["update", "anonymise"]
    for role in (Role.admin, Role.coordinator):
        r = await client.get(f"{URL}/{pid}", headers=build.headers_for(role))
        assert r.status_code == 404
    assert (
        await client.get(f"{URL}/{pid}", headers=build.headers_for(Role.partner, op))
    ).status_code == 404
    assert (await client.delete(f"{URL}/{pid}", headers=staff)).status_code == 404
    assert (await client.get(f"{URL}/{pid}/data-export", headers=staff)).status_code == 404
    r = await client.get(URL, params={"locationId": str(loc.id)}, headers=staff)
    assert r.json()["total"] == 0
    r = await client.post(f"{URL}/_search", json={"bsn": VALID_BSN}, headers=staff)
    assert r.json()["total"] == 0
    # The BSN is free again; the row, its stay and its progress stay without identity.
    r = await client.post(URL, json=body(bsn=VALID_BSN, vNumber="V300"), headers=staff)
    assert r.status_code == 201
    async with db.sessionmaker() as session:
        from api.models import Participant

        row = await session.get(Participant, uuid.UUID(pid))
        assert row is not None and row.anonymised_at is not None
        assert row.reference == f"ANON-{uuid.UUID(pid).hex[:12]}"
        assert (row.bsn, row.v_number, row.given_name, row.family_name) == (None,) * 4
        assert (row.date_of_birth, row.household_ref, row.nationality) == (None,) * 3
        assert row.languages == []
        stays = await session.scalar(select(func.count()).where(Placement.participant_id == row.id))
        progress = await session.scalar(
            select(func.count()).where(ParticipantProgress.participant_id == row.id)
        )
        assert (stays, progress) == (1, 2)


async def test_data_export(client: httpx.AsyncClient, build: Builder, db: Database) -> None:
    staff = build.headers_for(Role.coordinator)
    op = await build.partner()
    loc = await records.location(db, op, name="AZC Heemsteedse Dreef")
    person = (
        await client.post(
            URL, json=body(bsn=VALID_BSN, dutchLevel="A2", progressOn="2024-03-01"), headers=staff
        )
    ).json()
    await client.patch(
        f"{URL}/{person['id']}", json={"employmentStatus": "studying"}, headers=staff
    )
    async with db.sessionmaker() as session, session.begin():
        session.add(
            Placement(
                participant_id=uuid.UUID(person["id"]),
                location_id=loc.id,
                start_date=date(2024, 2, 1),
                end_date=None,  # the operator sees the person while the stay is open
            )
        )
    await client.get(f"{URL}/{person['id']}", headers=build.headers_for(Role.partner, op))
    r = await client.get(f"{URL}/{person['id']}/data-export", headers=build.headers_for(Role.admin))
    assert r.status_code == 200, r.text
    export = r.json()
    assert export["participant"]["bsn"] == VALID_BSN
    assert export["participant"]["languages"] == ["uk", "ru"]
    assert [(p["field"], p["value"]) for p in export["progress"]] == [
        ("dutchLevel", "A2"),
        ("employmentStatus", "not_working"),
        ("employmentStatus", "studying"),
    ]
    assert export["placements"] == [
        {
            "id": export["placements"][0]["id"],
            "locationId": str(loc.id),
            "locationName": "AZC Heemsteedse Dreef",
            "startDate": "2024-02-01",
            "endDate": None,
            "endReason": None,
        }
    ]
    trail = [(e["entity"], e["action"], e["actorRole"]) for e in export["auditEvents"]]
    assert trail == [
        ("participants", "create", "coordinator"),
        ("participants", "update", "coordinator"),
        ("placements", "create", "admin"),
        ("participants", "read", "partner"),
    ]
    assert export["exportedAt"]
    events = await read_events(db, person["id"])
    assert events[-1].action == "read" and events[-1].actor_role == "admin"
    count = await _count_reads(db, person["id"])
    assert count == 2


async def _count_reads(db: Database, entity_id: str) -> int:
    async with db.sessionmaker() as session:
        return int(
            await session.scalar(
                select(func.count()).where(
                    AuditEvent.entity_id == entity_id, AuditEvent.action == "read"
                )
            )
            or 0
        )
