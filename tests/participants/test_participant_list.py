"""``GET /participants`` on the driver (``paginate`` with the audit as its ``extend``):
the page is byte for byte what pydantic writes for each participant in the caller's read
shape (the BSN for staff, absent for a partner), a partner sees only the people placed at
its locations or in its guardianship, sorting and paging hold, and every participant on
the page (and only those) is audited as one read of the caller."""

from __future__ import annotations

import json
import uuid
from datetime import date, timedelta

import httpx
import pytest
from pydantic import BaseModel
from sqlalchemy import select

from api.common.calendar import today
from api.db import Database
from api.models import AuditEvent, Group, Participant, Partner, PartnerKind, Role
from api.participants.schemas import ParticipantPartnerRead, ParticipantRead
from tests.participants.test_participants import VALID_BSN
from tests.support import records
from tests.support.builders import Builder

URL = "/api/v1/participants"


async def _setup(db: Database, build: Builder) -> tuple[Partner, Partner, list[Participant]]:
    """Placed at the operator's location today: Anna (with BSN), Bram; a Nidos ward (not
    placed); Cees, placed at another operator's location."""
    operator = await build.partner(kind=PartnerKind.coa)
    guardian = await build.partner(kind=PartnerKind.nidos)
    other = await build.partner(kind=PartnerKind.coa)
    azc, elsewhere = await records.location(db, operator), await records.location(db, other)
    anna = await records.participant(
        db, reference="L-01", bsn=VALID_BSN, v_number="V1", given_name="Anna"
    )
    bram = await records.participant(db, reference="L-02", given_name="Bram", family_name="Ölçek")
    ward = await records.participant(
        db,
        reference="L-03",
        group=Group.unaccompanied_minor,
        guardian=guardian,
        date_of_birth=date(2012, 1, 1),
        given_name="Dana",
    )
    cees = await records.participant(db, reference="L-04", given_name="Cees")
    start = today() - timedelta(days=10)
    await records.placement(db, anna, azc, start=start)
    await records.placement(db, bram, azc, start=start)
    await records.placement(db, cees, elsewhere, start=start)
    return operator, guardian, [anna, bram, ward, cees]


async def _expected(
    db: Database, schema: type[BaseModel], ids: list[str], *, page: int, size: int, total: int
) -> bytes:
    async with db.read_sessionmaker() as session:
        found = {
            str(p.id): p
            for p in await session.scalars(
                select(Participant).where(Participant.id.in_([uuid.UUID(i) for i in ids]))
            )
        }
        items = [
            schema.model_validate(found[i]).model_dump(mode="json", by_alias=True) for i in ids
        ]
    body = {"items": items, "page": page, "pageSize": size, "total": total}
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()


async def _reads(db: Database) -> list[tuple[str, str | None, str | None]]:
    async with db.sessionmaker() as session:
        events = await session.scalars(
            select(AuditEvent)
            .where(AuditEvent.entity == "participants", AuditEvent.action == "read")
            .order_by(AuditEvent.id)
        )
        return [(e.entity_id or "", e.actor_role, e.partner_id) for e in events]


@pytest.mark.parametrize("role", [Role.admin, Role.coordinator])
async def test_staff_get_the_schemas_json_with_the_bsn(
    client: httpx.AsyncClient, build: Builder, db: Database, role: Role
) -> None:
    _, _, people = await _setup(db, build)
    r = await client.get(URL, headers=build.headers_for(role))
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/json"
    ids = [i["id"] for i in r.json()["items"]]
    assert ids == [str(p.id) for p in people]  # by reference
    assert r.content == await _expected(db, ParticipantRead, ids, page=1, size=50, total=4)
    assert r.json()["items"][0]["bsn"] == VALID_BSN


async def test_partners_see_their_own_without_the_bsn(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    operator, guardian, (anna, bram, ward, cees) = await _setup(db, build)
    for partner, people in ((operator, [anna, bram]), (guardian, [ward])):
        r = await client.get(URL, headers=build.headers_for(Role.partner, partner))
        assert r.status_code == 200, r.text
        ids = [i["id"] for i in r.json()["items"]]
        assert ids == [str(p.id) for p in people]
        expected = await _expected(
            db, ParticipantPartnerRead, ids, page=1, size=50, total=len(people)
        )
        assert r.content == expected
        assert "bsn" not in r.text and VALID_BSN not in r.text
    stranger = build.headers_for(Role.partner, await build.partner())
    r = await client.get(URL, headers=stranger)
    assert (r.json()["items"], r.json()["total"]) == ([], 0)
    assert (
        str(cees.id)
        not in (await client.get(URL, headers=build.headers_for(Role.partner, operator))).text
    )
    for role in (Role.finance, Role.viewer):
        assert (await client.get(URL, headers=build.headers_for(role))).status_code == 403


async def test_sort_filter_and_page(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    _, _, (_, bram, ward, _) = await _setup(db, build)
    h = build.headers_for(Role.coordinator)
    r1 = await client.get(f"{URL}?sort=-givenName&pageSize=3", headers=h)
    r2 = await client.get(f"{URL}?sort=-givenName&pageSize=3&page=2", headers=h)
    names = [i["givenName"] for i in r1.json()["items"] + r2.json()["items"]]
    assert names == ["Dana", "Cees", "Bram", "Anna"]
    assert (r1.json()["total"], r2.json()["total"]) == (4, 4)
    assert 'rel="next"' in r1.headers["link"] and 'rel="next"' not in r2.headers["link"]
    ids = [i["id"] for i in r2.json()["items"]]
    assert r2.content == await _expected(db, ParticipantRead, ids, page=2, size=3, total=4)
    r = await client.get(f"{URL}?active=false", headers=h)
    assert [i["id"] for i in r.json()["items"]] == [str(ward.id)]
    r = await client.get(f"{URL}?q=BRA", headers=h)
    assert [i["id"] for i in r.json()["items"]] == [str(bram.id)]
    assert (await client.get(f"{URL}?sort=bsn", headers=h)).status_code == 400


async def test_each_shown_participant_is_audited_once(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    operator, _, (anna, bram, ward, cees) = await _setup(db, build)
    before = len(await _reads(db))
    r = await client.get(f"{URL}?pageSize=2", headers=build.headers_for(Role.admin))
    assert r.status_code == 200
    partner = build.headers_for(Role.partner, operator)
    assert (await client.get(URL, headers=partner)).status_code == 200
    reads = (await _reads(db))[before:]
    assert reads == [
        (str(anna.id), "admin", None),
        (str(bram.id), "admin", None),
        (str(anna.id), "partner", str(operator.id)),
        (str(bram.id), "partner", str(operator.id)),
    ]
    assert str(ward.id) not in {e[0] for e in reads}
    assert str(cees.id) not in {e[0] for e in reads}
