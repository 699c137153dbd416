"""A parent's children on the driver (``api.auth.scoping.FastChildren``): a location's
capacity changes, a candidate's stage history, an agreement's notes, a session's
attendance and a participant's living-allowance ranges. Each answer is byte for byte the
JSON pydantic writes for the ORM objects (in the route's order); a parent the caller may
not see, or that is not there, is a 404 (never an empty list), and the roles hold."""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

import httpx
import pytest
from pydantic import BaseModel
from sqlalchemy import select

from api.activities.schemas import AttendanceRead
from api.auth.scoping import FastChildren
from api.common.calendar import today
from api.db import Database
from api.living_allowances.schemas import LivingAllowanceRead
from api.locations.schemas import CapacityChangeRead
from api.meetings.schemas import AgreementNoteRead
from api.models import (
    AgreementNote,
    Attendance,
    CandidateStageChange,
    CapacityChange,
    LivingAllowance,
    Location,
    Participant,
    PartnerKind,
    ReimbursementRate,
    Role,
)
from api.pipeline.schemas import StageChangeRead
from api.reimbursements.schemes.schemas import RateRead
from tests.support import programme, records
from tests.support.builders import Builder

API = "/api/v1"


def as_pydantic(
    schema: type[BaseModel], objects: Sequence[Any], envelope: str | None = "items"
) -> bytes:
    """What FastAPI wrote from the schema's models: compact, UTF-8, camelCase."""
    items = [schema.model_validate(o).model_dump(mode="json", by_alias=True) for o in objects]
    body = items if envelope is None else {envelope: items}
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()


async def _all(db: Database, stmt: Any) -> list[Any]:
    async with db.read_sessionmaker() as session:
        return list((await session.scalars(stmt)).all())


def _not_found(r: httpx.Response) -> None:
    assert r.status_code == 404, r.text
    assert r.headers["content-type"] == "application/problem+json"


async def test_capacity_changes(client: httpx.AsyncClient, build: Builder, db: Database) -> None:
    operator, other = await build.partner(), await build.partner()
    history = {date(2024, 1, 1): 10, date(2024, 6, 1): 14, date(2024, 3, 1): 12}
    loc = await records.location(db, operator, capacity=history)
    await records.location(db, other)
    url = f"{API}/locations/{loc.id}/capacity-changes"
    r = await client.get(url, headers=build.headers_for(Role.coordinator))
    assert r.status_code == 200 and r.headers["content-type"] == "application/json"
    stored = await _all(
        db,
        select(CapacityChange)
        .where(CapacityChange.location_id == loc.id)
        .order_by(CapacityChange.valid_from),
    )
    assert r.content == as_pydantic(CapacityChangeRead, stored)
    assert [i["capacity"] for i in r.json()["items"]] == [10, 12, 14]  # by validFrom
    own = await client.get(url, headers=build.headers_for(Role.partner, operator))
    assert own.content == r.content
    _not_found(await client.get(url, headers=build.headers_for(Role.partner, other)))
    _not_found(
        await client.get(
            f"{API}/locations/{uuid.uuid4()}/capacity-changes",
            headers=build.headers_for(Role.admin),
        )
    )
    assert (await client.get(url, headers=build.headers_for(Role.viewer))).status_code == 403
    assert (await client.get(url)).status_code == 401


async def test_candidate_stage_history(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    h = build.headers_for(Role.coordinator)
    body = {"name": "Kerklaan 61", "proposedKind": "amv_small_scale", "ideaOn": "2025-01-10"}
    r = await client.post(f"{API}/candidate-locations", json=body, headers=h)
    assert r.status_code == 201, r.text
    cand = r.json()
    url = f"{API}/candidate-locations/{cand['id']}"
    for stage, on, note in (
        ("investigation", "2025-02-01", "Gesprek met de eigenaar"),
        ("rejected", "2025-02-01", None),
    ):
        move = {"stage": stage, "changedOn": on, **({"note": note} if note else {})}
        version = (await client.get(url, headers=h)).json()["version"]
        r = await client.post(f"{url}/stage", json=move, headers={**h, "If-Match": f'"{version}"'})
        assert r.status_code == 200, r.text
    r = await client.get(f"{url}/stages", headers=build.headers_for(Role.viewer))
    assert r.status_code == 200
    stored = await _all(
        db,
        select(CandidateStageChange)
        .where(CandidateStageChange.candidate_id == uuid.UUID(cand["id"]))
        .order_by(CandidateStageChange.changed_on, CandidateStageChange.id),
    )
    assert r.content == as_pydantic(StageChangeRead, stored)
    assert [i["stage"] for i in r.json()["items"]] == ["idea", "investigation", "rejected"]
    missing = f"{API}/candidate-locations/{uuid.uuid4()}/stages"
    _not_found(await client.get(missing, headers=h))
    partner = build.headers_for(Role.partner, await build.partner())
    assert (await client.get(f"{url}/stages", headers=partner)).status_code == 403


async def test_agreement_notes(client: httpx.AsyncClient, build: Builder, db: Database) -> None:
    owner, other = await build.partner(), await build.partner()
    h = build.headers_for(Role.coordinator)
    body = {"description": "Jongerenwerk loopt extra rondes.", "partnerId": str(owner.id)}
    r = await client.post(f"{API}/agreements", json=body, headers=h)
    assert r.status_code == 201, r.text
    url = f"{API}/agreements/{r.json()['id']}/notes"
    empty = await client.get(url, headers=h)
    assert (empty.status_code, empty.content) == (200, b"[]")
    for note, who in (
        ("Eerste ronde gelopen.", h),
        ("Tweede ronde, café “De Ééndracht”.", build.headers_for(Role.partner, owner)),
    ):
        assert (await client.post(url, json={"note": note}, headers=who)).status_code == 201
    r = await client.get(url, headers=build.headers_for(Role.viewer))
    assert r.status_code == 200
    stored = await _all(
        db,
        select(AgreementNote)
        .where(AgreementNote.agreement_id == uuid.UUID(url.split("/")[-2]))
        .order_by(AgreementNote.created_at, AgreementNote.id),
    )
    assert r.content == as_pydantic(AgreementNoteRead, stored, envelope=None)
    assert [n["authorRole"] for n in r.json()] == ["coordinator", "partner"]
    own = await client.get(url, headers=build.headers_for(Role.partner, owner))
    assert own.content == r.content
    _not_found(await client.get(url, headers=build.headers_for(Role.partner, other)))
    _not_found(await client.get(f"{API}/agreements/{uuid.uuid4()}/notes", headers=h))
    assert (await client.get(url, headers=build.headers_for(Role.finance))).status_code == 403


async def test_session_attendance(client: httpx.AsyncClient, build: Builder, db: Database) -> None:
    provider, other = await build.partner(), await build.partner()
    act = await programme.activity(db, provider)
    people = [await records.participant(db) for _ in range(3)]
    for person in people:
        await programme.enrollment(db, act, person, on=date(2024, 2, 1))
    h = build.headers_for(Role.coordinator)
    url = f"{API}/activities/{act.id}/attendance/2024-02-06"
    listed = [
        {"participantId": str(p.id), "status": s}
        for p, s in zip(people, ("present", "absent", "excused"), strict=True)
    ]
    assert (await client.put(url, json=listed, headers=h)).status_code == 200
    # Another day's list is not this day's.
    other_day = f"{API}/activities/{act.id}/attendance/2024-02-13"
    assert (await client.put(other_day, json=listed[:1], headers=h)).status_code == 200
    r = await client.get(url, headers=build.headers_for(Role.partner, provider))
    assert r.status_code == 200
    stored = await _all(
        db,
        select(Attendance)
        .where(Attendance.activity_id == act.id, Attendance.session_date == date(2024, 2, 6))
        .order_by(Attendance.participant_id),
    )
    assert r.content == as_pydantic(AttendanceRead, stored, envelope=None)
    assert [i["participantId"] for i in r.json()] == sorted(str(p.id) for p in people)
    assert len((await client.get(other_day, headers=h)).json()) == 1
    none = await client.get(f"{API}/activities/{act.id}/attendance/2024-02-20", headers=h)
    assert (none.status_code, none.content) == (200, b"[]")
    _not_found(await client.get(url, headers=build.headers_for(Role.partner, other)))
    _not_found(
        await client.get(f"{API}/activities/{uuid.uuid4()}/attendance/2024-02-06", headers=h)
    )
    assert (await client.get(url, headers=build.headers_for(Role.viewer))).status_code == 403


async def test_living_allowance_ranges(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    person = await records.participant(db)
    gone = await records.participant(db)
    h = build.headers_for(Role.coordinator)
    url = f"{API}/participants/{person.id}/living-allowances"
    for body in ({"startsOn": "2025-07-01"}, {"startsOn": "2025-01-01", "endsOn": "2025-06-30"}):
        assert (await client.post(url, json=body, headers=h)).status_code == 201
    r = await client.get(url, headers=build.headers_for(Role.finance))
    assert r.status_code == 200
    stored = await _all(
        db,
        select(LivingAllowance)
        .where(LivingAllowance.participant_id == person.id)
        .order_by(LivingAllowance.starts_on),
    )
    assert r.content == as_pydantic(LivingAllowanceRead, stored)
    assert [i["startsOn"] for i in r.json()["items"]] == ["2025-01-01", "2025-07-01"]
    # An anonymised participant is gone (404), as an unknown one.
    async with db.sessionmaker() as session, session.begin():
        found = await session.get(Participant, gone.id)
        assert found is not None
        found.anonymised_at = found.created_at
    _not_found(await client.get(f"{API}/participants/{gone.id}/living-allowances", headers=h))
    _not_found(await client.get(f"{API}/participants/{uuid.uuid4()}/living-allowances", headers=h))
    # Partners see none of it, not even of a person placed with them.
    operator = await build.partner(kind=PartnerKind.coa)
    loc = await records.location(db, operator)
    await records.placement(db, person, loc, start=today() - timedelta(days=5))
    partner = build.headers_for(Role.partner, operator)
    assert (await client.get(url, headers=partner)).status_code == 403


def test_the_columns_must_be_the_schemas_in_order() -> None:
    columns = [getattr(CapacityChange, n) for n in CapacityChangeRead.model_fields]
    with pytest.raises(ValueError, match="in order"):
        FastChildren(Location, "location", select(*reversed(columns)), CapacityChangeRead)
    # A schema orjson cannot write as pydantic does (money as a formatted decimal) is
    # refused, its columns in order or not.
    rates = [getattr(ReimbursementRate, n) for n in RateRead.model_fields]
    with pytest.raises(ValueError, match="orjson"):
        FastChildren(Location, "location", select(*rates), RateRead)
