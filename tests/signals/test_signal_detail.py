"""``GET /signals/{id}`` on the driver (``api.signals.detail``): the answer is the JSON
``SignalRead`` makes of ``service.read``'s row and actions (the statements built per
request), for staff and the operating partner; other partners and signals without a
location are a 404 for a partner; ``overdue`` follows ``service.now``; the ETag is the
version."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import update

from api.auth.principal import Principal
from api.config import Settings
from api.db import Database
from api.models import Partner, Role, Severity, Signal, SignalStatus
from api.signals import service
from api.signals.schemas import SignalActionRead, SignalRead, SignalSummary
from tests.support import records, signals
from tests.support.builders import Builder

URL = "/api/v1/signals"


def _principal(role: Role, partner: Partner | None = None) -> Principal:
    return Principal(
        kind="user", id=uuid.uuid4(), role=role, partner_id=partner.id if partner else None
    )


async def _schemas_answer(
    db: Database, settings: Settings, signal_id: uuid.UUID, principal: Principal
) -> Any:
    """What the route answered before: ``service.read``, through the schemas."""
    async with db.read_sessionmaker() as session:
        row, actions = await service.read(
            session,
            signal_id=signal_id,
            principal=principal,
            overdue_days=settings.signal_overdue_days,
        )
        answer = SignalRead(
            **SignalSummary.model_validate(row).model_dump(by_alias=False),
            actions=[SignalActionRead.model_validate(a) for a in actions],
        )
        return answer.model_dump(mode="json")


@pytest.mark.parametrize("role", [Role.admin, Role.coordinator, Role.partner])
async def test_the_answer_is_the_schemas_json(
    client: httpx.AsyncClient, build: Builder, db: Database, settings: Settings, role: Role
) -> None:
    operator = await build.partner()
    venue = await records.location(db, operator)
    owner = await build.user(Role.coordinator)
    at = datetime(2024, 3, 1, 9, 30, 15, 250, tzinfo=UTC)
    quiet = await signals.signal(db, venue=venue)  # no actions, no owner, not overdue
    busy = await signals.signal(db, venue=venue, severity=Severity.high, reported_at=at)
    resolved = await signals.signal(db, venue=venue, status=SignalStatus.resolved)
    async with db.sessionmaker() as session, session.begin():
        await session.execute(
            update(Signal)
            .where(Signal.id == busy.id)
            .values(owner_user_id=owner.id, due_at=at + timedelta(days=7))
        )
    await signals.action(db, busy, "Gebeld met de beheerder.", at + timedelta(hours=2))
    await signals.action(db, busy, "Bezoek gepland.", at + timedelta(hours=1))
    partner = operator if role is Role.partner else None
    headers = build.headers_for(role, partner) if partner else build.headers_for(role)
    for signal in (quiet, busy, resolved):
        r = await client.get(f"{URL}/{signal.id}", headers=headers)
        assert r.status_code == 200, r.text
        assert r.headers["content-type"] == "application/json"
        expected = await _schemas_answer(db, settings, signal.id, _principal(role, partner))
        assert r.json() == expected
        assert r.headers["etag"] == f'"{expected["version"]}"'
    shown = (await client.get(f"{URL}/{busy.id}", headers=headers)).json()
    assert shown["ownerEmail"] == owner.email and shown["overdue"] is True
    assert [a["note"] for a in shown["actions"]] == ["Bezoek gepland.", "Gebeld met de beheerder."]


async def test_a_partner_sees_only_its_locations_signals(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    own, other = await build.partner(), await build.partner()
    theirs = await signals.signal(db, venue=await records.location(db, other))
    nowhere = await signals.signal(db)
    headers = build.headers_for(Role.partner, own)
    for target in (theirs.id, nowhere.id, uuid.uuid4()):
        r = await client.get(f"{URL}/{target}", headers=headers)
        assert r.status_code == 404
        assert r.headers["content-type"] == "application/problem+json"
    staff = build.headers_for(Role.coordinator)
    assert (await client.get(f"{URL}/{nowhere.id}", headers=staff)).status_code == 200
    for role in (Role.finance, Role.viewer):
        r = await client.get(f"{URL}/{theirs.id}", headers=build.headers_for(role))
        assert r.status_code == 403


async def test_overdue_is_taken_at_each_request(
    client: httpx.AsyncClient,
    build: Builder,
    db: Database,
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The statement is built once; its moment is ``service.now()`` at each request, to
    the microsecond, for the due date and for the older rule (no due date)."""
    due = datetime(2030, 1, 1, 12, 0, tzinfo=UTC)
    dated = await signals.signal(db)
    undated = await signals.signal(db, severity=Severity.high, reported_at=due)
    async with db.sessionmaker() as session, session.begin():
        await session.execute(update(Signal).where(Signal.id == dated.id).values(due_at=due))
    headers = build.headers_for(Role.admin)

    async def overdue(signal: Signal) -> bool:
        r = await client.get(f"{URL}/{signal.id}", headers=headers)
        return bool(r.json()["overdue"])

    monkeypatch.setattr(service, "now", lambda: due)
    assert not await overdue(dated)
    monkeypatch.setattr(service, "now", lambda: due + timedelta(microseconds=1))
    assert await overdue(dated)
    assert not await overdue(undated)
    window = timedelta(days=settings.signal_overdue_days)
    monkeypatch.setattr(service, "now", lambda: due + window)
    assert not await overdue(undated)
    monkeypatch.setattr(service, "now", lambda: due + window + timedelta(microseconds=1))
    assert await overdue(undated)
