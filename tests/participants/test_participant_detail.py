"""``GET /participants/{id}`` on the driver (``api.participants.detail``): the answer is
the JSON of the caller's detail schema (``service.detail``: the ORM object and its
progress through pydantic), with the BSN for staff only and absent (not null) for a
partner; out of scope or anonymised is a 404 and is not audited; every read is audited
as one ``read`` event of the caller, as before."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import select, text, update

from api.auth.principal import Principal
from api.common.calendar import today
from api.db import Database
from api.models import (
    AuditEvent,
    Group,
    Participant,
    ParticipantProgress,
    Partner,
    PartnerKind,
    ProgressField,
    Role,
)
from api.participants import service
from tests.participants.test_participants import VALID_BSN, read_events
from tests.support import records
from tests.support.builders import Builder

URL = "/api/v1/participants"


async def _schemas_answer(db: Database, participant_id: uuid.UUID, principal: Principal) -> Any:
    async with db.read_sessionmaker() as session:
        person = await session.get(Participant, participant_id)
        assert person is not None
        answer = await service.detail(session, person, principal)
        return answer.model_dump(mode="json")


async def _with_progress(db: Database, person: Participant) -> None:
    """Entries of both fields, out of order, two on one day (then by id)."""
    entries = [
        (ProgressField.employment_status, "part_time", date(2025, 3, 1)),
        (ProgressField.dutch_level, "a1", date(2024, 6, 1)),
        (ProgressField.dutch_level, "a2", date(2025, 3, 1)),
    ]
    async with db.sessionmaker() as session, session.begin():
        for field, value, day in entries:
            session.add(
                ParticipantProgress(
                    participant_id=person.id, field=field, value=value, valid_from=day
                )
            )


async def _setup(db: Database, build: Builder) -> tuple[Partner, Partner, Participant, Participant]:
    operator = await build.partner(kind=PartnerKind.coa)
    guardian = await build.partner(kind=PartnerKind.nidos)
    azc = await records.location(db, operator)
    placed = await records.participant(db, bsn=VALID_BSN, v_number="V4711")
    ward = await records.participant(
        db, group=Group.unaccompanied_minor, guardian=guardian, date_of_birth=date(2012, 1, 1)
    )
    await records.placement(db, placed, azc, start=today() - timedelta(days=30))
    await records.placement(db, ward, azc, start=date(2024, 2, 1), end=date(2024, 3, 1))
    await _with_progress(db, placed)
    return operator, guardian, placed, ward


@pytest.mark.parametrize("role", [Role.admin, Role.coordinator])
async def test_staff_get_the_schemas_json_with_the_bsn(
    client: httpx.AsyncClient, build: Builder, db: Database, role: Role
) -> None:
    _, _, placed, ward = await _setup(db, build)
    principal = Principal(kind="user", id=uuid.uuid4(), role=role)
    for person in (placed, ward):
        r = await client.get(f"{URL}/{person.id}", headers=build.headers_for(role))
        assert r.status_code == 200, r.text
        assert r.headers["content-type"] == "application/json"
        expected = await _schemas_answer(db, person.id, principal)
        assert r.json() == expected
        assert r.headers["etag"] == f'"{expected["version"]}"'
        assert "bsn" in r.json()
    shown = (await client.get(f"{URL}/{placed.id}", headers=build.headers_for(role))).json()
    assert shown["bsn"] == VALID_BSN
    assert [(p["field"], p["value"], p["validFrom"]) for p in shown["progress"]] == [
        ("dutchLevel", "a1", "2024-06-01"),
        ("employmentStatus", "part_time", "2025-03-01"),
        ("dutchLevel", "a2", "2025-03-01"),
    ]


async def test_partners_get_the_schemas_json_without_the_bsn(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    operator, guardian, placed, ward = await _setup(db, build)
    for partner, person in ((operator, placed), (guardian, ward)):
        principal = Principal(
            kind="user", id=uuid.uuid4(), role=Role.partner, partner_id=partner.id
        )
        r = await client.get(f"{URL}/{person.id}", headers=build.headers_for(Role.partner, partner))
        assert r.status_code == 200, r.text
        expected = await _schemas_answer(db, person.id, principal)
        assert r.json() == expected
        assert "bsn" not in r.json()
        assert VALID_BSN not in r.text
        assert r.headers["etag"] == f'"{expected["version"]}"'


async def test_out_of_scope_is_not_found_and_not_audited(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    operator, guardian, placed, ward = await _setup(db, build)
    stranger = await build.partner()
    # The ward's stay at the operator's location ended long ago: out of its sight.
    for partner, person in ((stranger, placed), (guardian, placed), (operator, ward)):
        headers = build.headers_for(Role.partner, partner)
        r = await client.get(f"{URL}/{person.id}", headers=headers)
        assert r.status_code == 404
        assert r.headers["content-type"] == "application/problem+json"
    async with db.sessionmaker() as session, session.begin():
        await session.execute(
            update(Participant)
            .where(Participant.id == ward.id)
            .values(anonymised_at=placed.created_at)
        )
    r = await client.get(f"{URL}/{ward.id}", headers=build.headers_for(Role.admin))
    assert r.status_code == 404
    for role in (Role.finance, Role.viewer):
        assert (
            await client.get(f"{URL}/{placed.id}", headers=build.headers_for(role))
        ).status_code == 403
    assert [e for e in await read_events(db, str(placed.id)) if e.action == "read"] == []
    assert [e for e in await read_events(db, str(ward.id)) if e.action == "read"] == []


async def test_each_read_is_one_audit_event_of_the_caller(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    operator, _, placed, _ = await _setup(db, build)
    staff = build.headers_for(Role.coordinator, **{"X-Request-ID": "req-detail-1"})
    assert (await client.get(f"{URL}/{placed.id}", headers=staff)).status_code == 200
    partner = build.headers_for(Role.partner, operator)
    assert (await client.get(f"{URL}/{placed.id}", headers=partner)).status_code == 200
    async with db.sessionmaker() as session:
        events = list(
            await session.scalars(
                select(AuditEvent)
                .where(AuditEvent.entity_id == str(placed.id), AuditEvent.action == "read")
                .order_by(AuditEvent.id)
            )
        )
    assert [(e.entity, e.actor_type, e.actor_role, e.partner_id, e.details) for e in events] == [
        ("participants", "user", "coordinator", None, None),
        ("participants", "user", "partner", str(operator.id), None),
    ]
    assert all(e.actor_id for e in events)
    assert events[0].request_id == "req-detail-1"


_REFUSE_AUDIT = {
    "sqlite": [
        "CREATE TEMP TRIGGER refuse_audit BEFORE INSERT ON audit_events "
        "BEGIN SELECT RAISE(ABORT, 'audit refused'); END"
    ],
    "postgresql": [
        "CREATE FUNCTION pg_temp.refuse_audit() RETURNS trigger LANGUAGE plpgsql AS "
        "$$ BEGIN RAISE EXCEPTION 'audit refused'; END $$",
        "CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_events "
        "FOR EACH ROW EXECUTE FUNCTION pg_temp.refuse_audit()",
    ],
}


async def test_no_audit_no_answer(client: httpx.AsyncClient, build: Builder, db: Database) -> None:
    """All or nothing: when the read's audit event cannot be written, the participant is
    not shown (the test's transaction drops the trigger afterwards)."""
    _, _, placed, _ = await _setup(db, build)
    async with db.sessionmaker() as session, session.begin():
        for statement in _REFUSE_AUDIT[db.engine.dialect.name]:
            await session.execute(text(statement))
    r = await client.get(f"{URL}/{placed.id}", headers=build.headers_for(Role.admin))
    # An error (SQLite's RAISE(ABORT) reads as a constraint: 409), never the record.
    assert r.status_code >= 400
    assert r.headers["content-type"] == "application/problem+json"
    assert VALID_BSN not in r.text and placed.reference not in r.text
    assert "etag" not in r.headers
