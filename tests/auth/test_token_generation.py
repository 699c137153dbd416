"""Issued tokens stop working when their holder loses the right to them (issue 14, item 9):
a deleted or changed user, a revoked client. Real sign-ins, real HTTP through the app."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator

import httpx
import pytest
from sqlalchemy import update

from api.auth.principal import Principal
from api.auth.tokens import create_access_token
from api.config import Settings
from api.db import Database
from api.main import create_app
from api.models import PartnerKind, Role, User
from tests.support.builders import Builder, problem

TOKEN = "/api/v1/auth/token"
PASSWORD = "a sturdy test passphrase"


async def sign_in(
    client: httpx.AsyncClient, email: str, password: str = PASSWORD
) -> dict[str, str]:
    r = await client.post(
        TOKEN, data={"grant_type": "password", "username": email, "password": password}
    )
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


def refused(r: httpx.Response) -> None:
    assert r.status_code == 401, r.text
    assert r.headers["www-authenticate"].startswith("Bearer")
    problem(r)


async def test_a_deleted_admins_token_cannot_make_a_new_admin(
    client: httpx.AsyncClient, build: Builder
) -> None:
    gone = await build.user(Role.admin, password=PASSWORD)
    stays = await build.user(Role.admin, password=PASSWORD)
    old = await sign_in(client, gone.email)
    other = await sign_in(client, stays.email)
    assert (await client.get("/api/v1/users", headers=old)).status_code == 200
    assert (await client.delete(f"/api/v1/users/{gone.id}", headers=other)).status_code == 204
    body = {"email": "sneaky@heemstede.example", "password": PASSWORD, "role": "admin"}
    refused(await client.post("/api/v1/users", json=body, headers=old))
    refused(await client.get("/api/v1/users", headers=old))


async def test_a_demoted_users_token_ends_and_a_new_sign_in_has_the_new_role(
    client: httpx.AsyncClient, build: Builder
) -> None:
    admin = await sign_in(client, (await build.user(Role.admin, password=PASSWORD)).email)
    coordinator = await build.user(Role.coordinator, password=PASSWORD)
    old = await sign_in(client, coordinator.email)
    assert (await client.get("/api/v1/partners", headers=old)).status_code == 200
    r = await client.patch(
        f"/api/v1/users/{coordinator.id}", json={"role": "viewer"}, headers=admin
    )
    assert r.status_code == 200, r.text
    refused(await client.get("/api/v1/partners", headers=old))
    new = await sign_in(client, coordinator.email)
    assert (await client.get("/api/v1/partners", headers=new)).status_code == 403  # a viewer


async def test_a_password_change_ends_the_old_tokens(
    client: httpx.AsyncClient, build: Builder
) -> None:
    admin = await sign_in(client, (await build.user(Role.admin, password=PASSWORD)).email)
    user = await build.user(Role.coordinator, password=PASSWORD)
    old = await sign_in(client, user.email)
    r = await client.patch(
        f"/api/v1/users/{user.id}", json={"password": "another sturdy passphrase"}, headers=admin
    )
    assert r.status_code == 200, r.text
    refused(await client.get("/api/v1/partners", headers=old))
    new = await sign_in(client, user.email, "another sturdy passphrase")
    assert (await client.get("/api/v1/partners", headers=new)).status_code == 200


async def test_moving_a_partner_user_to_another_partner_ends_the_old_tokens(
    client: httpx.AsyncClient, build: Builder
) -> None:
    admin = await sign_in(client, (await build.user(Role.admin, password=PASSWORD)).email)
    coa = await build.partner(kind=PartnerKind.coa)
    nidos = await build.partner(kind=PartnerKind.nidos)
    user = await build.user(Role.partner, partner=coa, password=PASSWORD)
    old = await sign_in(client, user.email)
    assert (await client.get(f"/api/v1/partners/{coa.id}", headers=old)).status_code == 200
    r = await client.patch(
        f"/api/v1/users/{user.id}", json={"partnerId": str(nidos.id)}, headers=admin
    )
    assert r.status_code == 200, r.text
    refused(await client.get(f"/api/v1/partners/{coa.id}", headers=old))


async def test_an_email_change_keeps_the_tokens(client: httpx.AsyncClient, build: Builder) -> None:
    admin = await sign_in(client, (await build.user(Role.admin, password=PASSWORD)).email)
    user = await build.user(Role.coordinator, password=PASSWORD)
    old = await sign_in(client, user.email)
    r = await client.patch(
        f"/api/v1/users/{user.id}", json={"email": f"moved-{user.email}"}, headers=admin
    )
    assert r.status_code == 200, r.text
    assert (await client.get("/api/v1/partners", headers=old)).status_code == 200


async def test_a_revoked_clients_token_is_refused(
    client: httpx.AsyncClient, build: Builder
) -> None:
    admin = await sign_in(client, (await build.user(Role.admin, password=PASSWORD)).email)
    coa = await build.partner(kind=PartnerKind.coa)
    api_client = await build.api_client(coa, secret="client-secret-for-revocation")
    r = await client.post(
        TOKEN,
        data={
            "grant_type": "client_credentials",
            "client_id": api_client.client_id,
            "client_secret": "client-secret-for-revocation",
        },
    )
    assert r.status_code == 200, r.text
    old = {"Authorization": f"Bearer {r.json()['access_token']}"}
    assert (await client.get("/api/v1/partners", headers=old)).status_code == 200
    assert (
        await client.delete(f"/api/v1/clients/{api_client.id}", headers=admin)
    ).status_code == 204
    refused(await client.get("/api/v1/partners", headers=old))


async def test_a_token_for_no_known_subject_is_refused(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    """Signed with the right key, but nobody by that id exists (any more)."""
    for kind in ("user", "client"):
        principal = Principal(kind=kind, id=uuid.uuid4(), role=Role.admin)
        token, _ = create_access_token(settings, principal)
        refused(await client.get("/api/v1/partners", headers={"Authorization": f"Bearer {token}"}))


@pytest.fixture
async def slow_cache_client(settings: Settings, db: Database) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(settings.model_copy(update={"token_generation_cache_seconds": 1.0}), db)
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
        yield c


async def test_a_change_made_by_another_worker_counts_once_the_cache_runs_out(
    slow_cache_client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    """Another worker's change does not reach this process's cache: that worker bumps the
    generation in the database (as here, behind this process's back), and this one
    refuses the token once its cached entry is older than the setting."""
    client = slow_cache_client
    user = await build.user(Role.coordinator, password=PASSWORD)
    old = await sign_in(client, user.email)
    assert (await client.get("/api/v1/partners", headers=old)).status_code == 200  # cached
    async with db.sessionmaker() as session, session.begin():
        await session.execute(
            update(User)
            .where(User.id == user.id)
            .values(token_generation=User.token_generation + 1)
        )
    assert (await client.get("/api/v1/partners", headers=old)).status_code == 200
    await asyncio.sleep(1.1)
    refused(await client.get("/api/v1/partners", headers=old))


async def test_a_deleted_users_token_gets_no_idempotent_replay(
    client: httpx.AsyncClient, build: Builder
) -> None:
    """A replay is answered before the endpoint runs: it checks the token's generation
    too, so a removed user cannot fetch a stored answer again."""
    gone = await build.user(Role.admin, password=PASSWORD)
    stays = await build.user(Role.admin, password=PASSWORD)
    old = {**await sign_in(client, gone.email), "Idempotency-Key": "replay-after-delete"}
    other = await sign_in(client, stays.email)
    body = {"name": f"Replayed {uuid.uuid4().hex[:8]}", "kind": "coa"}
    assert (await client.post("/api/v1/partners", json=body, headers=old)).status_code == 201
    assert (await client.delete(f"/api/v1/users/{gone.id}", headers=other)).status_code == 204
    refused(await client.post("/api/v1/partners", json=body, headers=old))
