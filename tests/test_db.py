"""The request's session commits once, when the endpoint returns, and rolls back on error."""

from __future__ import annotations

import uuid

import httpx
from fastapi import APIRouter
from sqlalchemy import func, select

from api.audit.service import record_reads
from api.auth.deps import CurrentPrincipal
from api.db import Database, SessionDep
from api.errors import Conflict
from api.main import Site
from api.models import AuditEvent, Partner, PartnerKind, Role
from tests.support.builders import Builder, problem


async def test_a_failing_request_writes_nothing(
    app: Site, client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    half = APIRouter()

    @half.post("/half-done", status_code=201)
    async def half_done(session: SessionDep, _p: CurrentPrincipal) -> None:
        session.add(Partner(name="Half written", kind=PartnerKind.other))
        await session.flush()  # written inside the transaction...
        raise Conflict("...and then a rule refuses the request")

    app.state.api.include_router(half)
    r = await client.post("/api/v1/half-done", headers=build.headers_for(Role.admin))
    assert r.status_code == 409
    problem(r)
    async with db.sessionmaker() as session:
        count = await session.scalar(
            select(func.count()).select_from(Partner).where(Partner.name == "Half written")
        )
        events = await session.scalar(select(func.count()).select_from(AuditEvent))
    assert count == 0
    assert events == 0


async def test_reads_of_a_record_are_audited(
    app: Site, client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    """The building block the participant endpoints use for "who saw this person"."""
    person = uuid.uuid4()
    reader = APIRouter()

    @reader.get("/peek")
    async def peek(session: SessionDep, _p: CurrentPrincipal) -> None:
        record_reads(session, entity="participants", ids=[person])

    app.state.api.include_router(reader)
    r = await client.get(
        "/api/v1/peek", headers=build.headers_for(Role.coordinator, **{"X-Request-ID": "peek-1"})
    )
    assert r.status_code == 200
    async with db.sessionmaker() as session:
        event = await session.scalar(select(AuditEvent).where(AuditEvent.entity_id == str(person)))
    assert event is not None
    assert (event.action, event.entity, event.actor_role, event.request_id) == (
        "read",
        "participants",
        "coordinator",
        "peek-1",
    )
