"""The audit log: every write with who, what, when and the request id; append-only."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from api.auth.principal import Principal
from api.db import Database
from api.models import AuditEvent, Role
from tests.support.builders import Builder


async def _events(db: Database, entity_id: str) -> list[AuditEvent]:
    async with db.sessionmaker() as session:
        rows = await session.scalars(
            select(AuditEvent).where(AuditEvent.entity_id == entity_id).order_by(AuditEvent.id)
        )
        return list(rows)


async def test_every_write_is_audited_with_actor_and_request(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    user = await build.user(Role.coordinator)
    principal = Principal(kind="user", id=user.id, role=Role.coordinator)
    headers = {"Authorization": f"Bearer {build.token(principal)}", "X-Request-ID": "req-audit-1"}
    r = await client.post(
        "/api/v1/partners", json={"name": "Audited", "kind": "welfare"}, headers=headers
    )
    partner_id = r.json()["id"]
    await client.patch(
        f"/api/v1/partners/{partner_id}",
        json={"name": "Audited 2"},
        headers={**headers, "X-Request-ID": "req-audit-2"},
    )
    await client.delete(f"/api/v1/partners/{partner_id}", headers=build.headers_for(Role.admin))
    events = await _events(db, partner_id)
    assert [(e.action, e.entity) for e in events] == [
        ("create", "partners"),
        ("update", "partners"),
        ("delete", "partners"),
    ]
    create, update, delete = events
    assert (create.actor_type, create.actor_id, create.actor_role) == (
        "user",
        str(user.id),
        "coordinator",
    )
    assert create.request_id == "req-audit-1"
    assert update.request_id == "req-audit-2"
    assert update.details == {"fields": ["name"]}
    assert delete.actor_role == "admin"


async def test_a_refused_write_leaves_no_audit_event(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    partner = await build.partner("Stale target")
    r = await client.patch(
        f"/api/v1/partners/{partner.id}",
        json={"name": "Never"},
        headers=build.headers_for(Role.admin, **{"If-Match": '"9"'}),
    )
    assert r.status_code == 412
    assert [e.action for e in await _events(db, str(partner.id))] == ["create"]


async def test_audit_values_hold_no_secrets(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    user = await build.user(Role.viewer)
    await client.patch(
        f"/api/v1/users/{user.id}",
        json={"password": "a secret password"},
        headers=build.headers_for(Role.admin),
    )
    events = await _events(db, str(user.id))
    # A new password also ends the user's tokens (its token generation goes up).
    assert events[-1].details == {"fields": ["password_hash", "token_generation"]}
    assert "secret" not in str([e.details for e in events])


async def test_sign_ins_are_audited(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    user = await build.user(
        Role.finance, email="fin@heemstede.example", password="finance password"
    )
    r = await client.post(
        "/api/v1/auth/token",
        data={
            "grant_type": "password",
            "username": "fin@heemstede.example",
            "password": "finance password",
        },
    )
    assert r.status_code == 200
    assert [e.action for e in await _events(db, str(user.id))][-1] == "sign_in"


async def test_admin_reads_the_audit_log(client: httpx.AsyncClient, build: Builder) -> None:
    partner = await build.partner("Looked up")
    admin = build.headers_for(Role.admin)
    r = await client.get(
        f"/api/v1/audit-events?entity=partners&entityId={partner.id}", headers=admin
    )
    assert r.status_code == 200
    items = r.json()["items"]
    assert [(i["action"], i["entityId"]) for i in items] == [("create", str(partner.id))]
    assert {"actorType", "actorId", "requestId", "at"} <= items[0].keys()
    r = await client.get("/api/v1/audit-events", headers=build.headers_for(Role.coordinator))
    assert r.status_code == 403


async def test_audit_log_is_append_only(db: Database, build: Builder) -> None:
    await build.partner("Append only")
    for statement in ("UPDATE audit_events SET action = 'x'", "DELETE FROM audit_events"):
        async with db.sessionmaker() as session:
            with pytest.raises(DBAPIError, match="append-only"):
                async with session.begin():
                    await session.execute(text(statement))
