"""Participants: create, read, change, validation, uniqueness and the progress history."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from api.common.calendar import today
from api.db import Database
from api.models import AuditEvent, PartnerKind, Role
from api.participants.bsn import is_valid_bsn
from tests.support import records
from tests.support.builders import Builder, problem

URL = "/api/v1/participants"
VALID_BSN = "111222333"
OTHER_BSN = "123456782"


def body(**extra: Any) -> dict[str, Any]:
    return {
        "reference": f"HS-{uuid.uuid4().hex[:8]}",
        "givenName": "Olena",
        "familyName": "Kovalenko",
        "dateOfBirth": "1988-03-14",
        "nationality": "UKR",
        "group": "ukrainian_displaced",
        "languages": ["uk", "ru"],
        **extra,
    }


async def read_events(db: Database, entity_id: str) -> list[AuditEvent]:
    async with db.sessionmaker() as session:
        rows = await session.scalars(
            select(AuditEvent).where(AuditEvent.entity_id == entity_id).order_by(AuditEvent.id)
        )
        return list(rows)


def test_elfproef() -> None:
    assert is_valid_bsn("111222333")
    assert is_valid_bsn("123456782")
    assert not is_valid_bsn("123456789")
    assert not is_valid_bsn("000000000")
    assert not is_valid_bsn("12345678")
    assert not is_valid_bsn("12345678a")
    assert not is_valid_bsn("١١١٢٢٢٣٣٣")  # non-ASCII digits


async def test_create_read_patch_with_progress(client: httpx.AsyncClient, build: Builder) -> None:
    staff = build.headers_for(Role.coordinator)
    r = await client.post(
        URL,
        json=body(bsn=VALID_BSN, vNumber="V1234567890", dutchLevel="A1", progressOn="2024-05-01"),
        headers=staff,
    )
    assert r.status_code == 201, r.text
    created = r.json()
    assert r.headers["etag"] == f'"{created["version"]}"'
    assert r.headers["location"] == f"{URL}/{created['id']}"
    assert created["bsn"] == VALID_BSN
    assert created["vNumber"] == "V1234567890"
    assert created["employmentStatus"] == "not_working"
    assert created["progress"] == [
        {"field": "dutchLevel", "value": "A1", "validFrom": "2024-05-01"},
        {"field": "employmentStatus", "value": "not_working", "validFrom": "2024-05-01"},
    ]

    r = await client.patch(
        f"{URL}/{created['id']}",
        json={"dutchLevel": "A2", "employmentStatus": "part_time", "progressOn": "2025-01-10"},
        headers={**staff, "If-Match": r.headers["etag"]},
    )
    assert r.status_code == 200, r.text
    assert r.json()["dutchLevel"] == "A2"
    # Unchanged values add nothing to the history; the default date is today.
    r = await client.patch(
        f"{URL}/{created['id']}", json={"dutchLevel": "A2", "familyName": "K."}, headers=staff
    )
    assert r.status_code == 200
    r = await client.patch(f"{URL}/{created['id']}", json={"dutchLevel": "B1"}, headers=staff)
    r = await client.get(f"{URL}/{created['id']}", headers=staff)
    assert r.status_code == 200
    read = r.json()
    assert read["familyName"] == "K."
    assert r.headers["etag"] == f'"{read["version"]}"'
    assert [(p["field"], p["value"], p["validFrom"]) for p in read["progress"]] == [
        ("dutchLevel", "A1", "2024-05-01"),
        ("employmentStatus", "not_working", "2024-05-01"),
        ("dutchLevel", "A2", "2025-01-10"),
        ("employmentStatus", "part_time", "2025-01-10"),
        ("dutchLevel", "B1", today().isoformat()),
    ]


async def test_patch_if_match_and_clearing(client: httpx.AsyncClient, build: Builder) -> None:
    admin = build.headers_for(Role.admin)
    person = (await client.post(URL, json=body(bsn=VALID_BSN), headers=admin)).json()
    r = await client.patch(
        f"{URL}/{person['id']}", json={"givenName": "X"}, headers={**admin, "If-Match": '"99"'}
    )
    assert r.status_code == 412
    problem(r)
    r = await client.patch(
        f"{URL}/{person['id']}", json={"bsn": None, "householdRef": None}, headers=admin
    )
    assert r.status_code == 200
    assert r.json()["bsn"] is None
    r = await client.patch(
        f"{URL}/{person['id']}", json={"reference": None, "group": None}, headers=admin
    )
    assert r.status_code == 400
    assert {e["name"] for e in problem(r)["errors"]} == {"reference", "group"}


async def test_every_problem_is_listed(client: httpx.AsyncClient, build: Builder) -> None:
    staff = build.headers_for(Role.coordinator)
    tomorrow = (today() + timedelta(days=1)).isoformat()
    r = await client.post(
        URL,
        json=body(
            bsn="123456789",
            vNumber="V-12",
            nationality="ukr",
            languages=["uk", "Ukrainian"],
            dateOfBirth=tomorrow,
            dutchLevel="B3",
            group="tourist",
            progressOn=tomorrow,
        ),
        headers=staff,
    )
    assert r.status_code == 400
    names = {e["name"] for e in problem(r)["errors"]}
    assert {
        "bsn",
        "vNumber",
        "nationality",
        "languages.1",
        "dateOfBirth",
        "dutchLevel",
        "group",
        "progressOn",
    } <= names
    assert "123456789" not in r.text  # the refused BSN is not echoed in the message


@pytest.mark.parametrize("field", ["id", "version", "createdAt", "anonymisedAt", "religion"])
async def test_mass_assignment_is_refused(
    client: httpx.AsyncClient, build: Builder, field: str
) -> None:
    r = await client.post(URL, json=body(**{field: 1}), headers=build.headers_for(Role.admin))
    assert r.status_code == 400
    assert field in {e["name"] for e in problem(r)["errors"]}


async def test_reference_is_required(client: httpx.AsyncClient, build: Builder) -> None:
    data = body()
    del data["reference"]
    r = await client.post(URL, json=data, headers=build.headers_for(Role.admin))
    assert r.status_code == 400
    assert "reference" in {e["name"] for e in problem(r)["errors"]}


async def test_duplicates_are_409(client: httpx.AsyncClient, build: Builder, db: Database) -> None:
    staff = build.headers_for(Role.coordinator)
    first = await records.participant(db, reference="HS-DUP", bsn=VALID_BSN, v_number="V1")
    r = await client.post(
        URL, json=body(reference="HS-DUP", bsn=VALID_BSN, vNumber="V1"), headers=staff
    )
    assert r.status_code == 409
    assert {e["name"] for e in problem(r)["errors"]} == {"reference", "bsn", "vNumber"}
    assert VALID_BSN not in r.text
    other = (await client.post(URL, json=body(bsn=OTHER_BSN), headers=staff)).json()
    r = await client.patch(f"{URL}/{other['id']}", json={"vNumber": "V1"}, headers=staff)
    assert r.status_code == 409
    assert [e["name"] for e in problem(r)["errors"]] == ["vNumber"]
    # A participant's own values are no conflict with itself.
    r = await client.patch(
        f"{URL}/{first.id}", json={"reference": "HS-DUP", "bsn": VALID_BSN}, headers=staff
    )
    assert r.status_code == 200


async def test_unaccompanied_minor_rules(client: httpx.AsyncClient, build: Builder) -> None:
    staff = build.headers_for(Role.coordinator)
    nidos = await build.partner(kind=PartnerKind.nidos)
    young = (today() - timedelta(days=16 * 365)).isoformat()
    adult = (today() - timedelta(days=19 * 365)).isoformat()
    minor = {"group": "unaccompanied_minor", "nationality": "ERI", "languages": ["ti"]}

    r = await client.post(URL, json=body(**minor, dateOfBirth=None), headers=staff)
    assert r.status_code == 400
    assert {e["name"] for e in problem(r)["errors"]} == {"guardianPartnerId", "dateOfBirth"}
    r = await client.post(
        URL,
        json=body(**minor, dateOfBirth=young, guardianPartnerId=str(uuid.uuid4())),
        headers=staff,
    )
    assert r.status_code == 400
    assert [e["name"] for e in problem(r)["errors"]] == ["guardianPartnerId"]
    r = await client.post(
        URL, json=body(**minor, dateOfBirth=young, guardianPartnerId=str(nidos.id)), headers=staff
    )
    assert r.status_code == 201, r.text
    person = r.json()
    r = await client.patch(f"{URL}/{person['id']}", json={"guardianPartnerId": None}, headers=staff)
    assert r.status_code == 400
    # Age is a rule of a stay, not of the record (issue 15): a young person who arrived
    # as a minor and has since turned 18 is registered with their history...
    r = await client.post(
        URL,
        json=body(**minor, dateOfBirth=adult, guardianPartnerId=str(nidos.id), reference="R-18"),
        headers=staff,
    )
    assert r.status_code == 201, r.text
    # ...and a group set later needs the date of birth and the guardian, not an age.
    no_birth = (
        await client.post(URL, json=body(reference="R-X", dateOfBirth=None), headers=staff)
    ).json()
    r = await client.patch(
        f"{URL}/{no_birth['id']}",
        json={"group": "unaccompanied_minor", "guardianPartnerId": str(nidos.id)},
        headers=staff,
    )
    assert r.status_code == 400
    assert [e["name"] for e in problem(r)["errors"]] == ["dateOfBirth"]


async def test_writes_are_audited_without_values(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    staff = build.headers_for(Role.coordinator)
    person = (await client.post(URL, json=body(bsn=VALID_BSN), headers=staff)).json()
    await client.patch(f"{URL}/{person['id']}", json={"bsn": OTHER_BSN}, headers=staff)
    await client.get(f"{URL}/{person['id']}", headers=staff)
    events = await read_events(db, person["id"])
    assert [e.action for e in events] == ["create", "update", "read"]
    assert events[1].details == {"fields": ["bsn"]}
    for event in events:
        assert VALID_BSN not in str(event.details) and OTHER_BSN not in str(event.details)


async def test_unauthenticated_and_forbidden_roles(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    person = await records.participant(db)
    paths = [
        ("GET", URL, None),
        ("POST", URL, body()),
        ("GET", f"{URL}/{person.id}", None),
        ("PATCH", f"{URL}/{person.id}", {"givenName": "X"}),
        ("DELETE", f"{URL}/{person.id}", None),
        ("POST", f"{URL}/_search", {"vNumber": "V1"}),
        ("GET", f"{URL}/{person.id}/data-export", None),
    ]
    for method, path, payload in paths:
        r = await client.request(method, path, json=payload)
        assert r.status_code == 401, (method, path)
        problem(r)
        for role in (Role.finance, Role.viewer):
            r = await client.request(method, path, json=payload, headers=build.headers_for(role))
            assert r.status_code == 403, (method, path, role)
            problem(r)


async def test_unknown_participant_is_404(client: httpx.AsyncClient, build: Builder) -> None:
    admin = build.headers_for(Role.admin)
    missing = uuid.uuid4()
    for method, path in [
        ("GET", f"{URL}/{missing}"),
        ("PATCH", f"{URL}/{missing}"),
        ("DELETE", f"{URL}/{missing}"),
        ("GET", f"{URL}/{missing}/data-export"),
    ]:
        r = await client.request(
            method, path, headers=admin, json={} if method == "PATCH" else None
        )
        assert r.status_code == 404, (method, path)
        problem(r)
    r = await client.get(f"{URL}/not-a-uuid", headers=admin)
    assert r.status_code == 400
