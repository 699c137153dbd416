"""``GET /locations/{id}`` on the driver (``api.locations.service.read_response``): the
answer is the JSON ``LocationRead`` makes of ``service.read``'s row (the statement built
per request, today's figures included), for every role that reads locations; another
partner's location is a 404; the ETag is the version."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

import httpx
import pytest

from api.auth.principal import Principal
from api.common.calendar import today
from api.db import Database
from api.locations import service
from api.locations.schemas import LocationRead
from api.models import Location, Partner, PartnerKind, Role
from tests.support import records
from tests.support.builders import Builder

URL = "/api/v1/locations"


def _principal(role: Role, partner: Partner | None = None) -> Principal:
    return Principal(
        kind="user", id=uuid.uuid4(), role=role, partner_id=partner.id if partner else None
    )


async def _schemas_answer(db: Database, location: Location, principal: Principal) -> Any:
    async with db.read_sessionmaker() as session:
        row = await service.read(session, location_id=location.id, principal=principal)
        return LocationRead.model_validate(row).model_dump(mode="json")


async def _locations(db: Database, operator: Partner) -> list[Location]:
    """Open with room, over-full (free stays 0), closed (no places today), and one whose
    capacity changed since it opened."""
    now = today()
    roomy = await records.location(db, operator, capacity=5)
    full = await records.location(db, operator, capacity=1)
    closed = await records.location(
        db, operator, opened_on=date(2024, 1, 1), closed_on=now - timedelta(days=3), capacity=4
    )
    changed = await records.location(
        db, operator, capacity={date(2024, 1, 1): 3, now - timedelta(days=10): 8}
    )
    for loc, stays in ((roomy, 2), (full, 2), (changed, 1)):
        for _ in range(stays):
            person = await records.participant(db)
            await records.placement(db, person, loc, start=now - timedelta(days=5))
    gone = await records.participant(db)
    await records.placement(db, gone, closed, start=date(2024, 2, 1), end=now - timedelta(days=4))
    return [roomy, full, closed, changed]


@pytest.mark.parametrize("role", [Role.admin, Role.coordinator, Role.finance, Role.partner])
async def test_the_answer_is_the_schemas_json(
    client: httpx.AsyncClient, build: Builder, db: Database, role: Role
) -> None:
    operator = await build.partner(kind=PartnerKind.coa)
    partner = operator if role is Role.partner else None
    headers = build.headers_for(role, partner) if partner else build.headers_for(role)
    seen = set()
    for loc in await _locations(db, operator):
        r = await client.get(f"{URL}/{loc.id}", headers=headers)
        assert r.status_code == 200, r.text
        assert r.headers["content-type"] == "application/json"
        expected = await _schemas_answer(db, loc, _principal(role, partner))
        assert r.json() == expected
        assert r.headers["etag"] == f'"{expected["version"]}"'
        seen.add((r.json()["capacity"], r.json()["occupied"], r.json()["free"]))
    assert seen == {(5, 2, 3), (1, 2, 0), (0, 0, 0), (8, 1, 7)}


async def test_another_partners_location_is_not_found(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    own, other = await build.partner(), await build.partner()
    theirs = await records.location(db, other)
    headers = build.headers_for(Role.partner, own)
    for target in (theirs.id, uuid.uuid4()):
        r = await client.get(f"{URL}/{target}", headers=headers)
        assert r.status_code == 404
        assert r.headers["content-type"] == "application/problem+json"
        assert "etag" not in r.headers
    assert (
        await client.get(f"{URL}/{theirs.id}", headers=build.headers_for(Role.viewer))
    ).status_code == 403


async def test_today_is_taken_at_each_request(
    client: httpx.AsyncClient, build: Builder, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The statement is built once; its day is bound per request (across midnight)."""
    operator = await build.partner()
    now = today()
    loc = await records.location(
        db, operator, capacity={date(2024, 1, 1): 2, now + timedelta(days=1): 6}
    )
    headers = build.headers_for(Role.admin)
    assert (await client.get(f"{URL}/{loc.id}", headers=headers)).json()["capacity"] == 2
    monkeypatch.setattr(service, "today", lambda: now + timedelta(days=1))
    assert (await client.get(f"{URL}/{loc.id}", headers=headers)).json()["capacity"] == 6


@pytest.mark.parametrize("role", [Role.coordinator, Role.partner])
async def test_a_page_of_locations_answers_as_each_location_does(
    client: httpx.AsyncClient, build: Builder, db: Database, role: Role
) -> None:
    """The list computes ``free`` from capacity and occupied (each subquery once a row);
    it must say what the location's own read says, an overfull one (0 free) included."""
    operator = await build.partner(kind=PartnerKind.coa)
    partner = operator if role is Role.partner else None
    headers = build.headers_for(role, partner) if partner else build.headers_for(role)
    ids = {str(loc.id) for loc in await _locations(db, operator)}
    r = await client.get(f"{URL}?pageSize=100", headers=headers)
    assert r.status_code == 200, r.text
    listed = {item["id"]: item for item in r.json()["items"] if item["id"] in ids}
    assert listed.keys() == ids
    for location_id, item in listed.items():
        alone = await client.get(f"{URL}/{location_id}", headers=headers)
        assert item == alone.json()
        assert list(item) == list(alone.json())  # the schema's order
    assert {(i["capacity"], i["occupied"], i["free"]) for i in listed.values()} == {
        (5, 2, 3), (1, 2, 0), (0, 0, 0), (8, 1, 7)
    }  # fmt: skip
