"""Users and API clients (admin only), and the command line that creates them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import httpx

from api.auth.principal import Principal
from api.models import PartnerKind, Role, User
from tests.conftest import ROOT
from tests.support.builders import Builder, problem


async def test_admin_manages_users(client: httpx.AsyncClient, build: Builder) -> None:
    admin = build.headers_for(Role.admin)
    coa = await build.partner("COA users", PartnerKind.coa)
    r = await client.post(
        "/api/v1/users",
        json={
            "email": "Planner@Heemstede.example",
            "password": "a long password",
            "role": "coordinator",
        },
        headers=admin,
    )
    assert r.status_code == 201, r.text
    user = r.json()
    assert user["email"] == "planner@heemstede.example"
    assert "password" not in user and "passwordHash" not in user
    assert "long password" not in r.text
    r = await client.post(
        "/api/v1/users",
        json={
            "email": "planner@heemstede.example",
            "password": "another password",
            "role": "viewer",
        },
        headers=admin,
    )
    assert r.status_code == 409
    r = await client.post(
        "/api/v1/users",
        json={"email": "p@coa.example", "password": "short", "role": "partner"},
        headers=admin,
    )
    assert r.status_code == 400
    assert {e["name"] for e in problem(r)["errors"]} == {"password"}
    r = await client.post(
        "/api/v1/users",
        json={"email": "p@coa.example", "password": "long enough now", "role": "partner"},
        headers=admin,
    )
    assert r.status_code == 400
    assert problem(r)["errors"][0]["name"] == "partnerId"
    r = await client.post(
        "/api/v1/users",
        json={
            "email": "p@coa.example",
            "password": "long enough now",
            "role": "partner",
            "partnerId": str(coa.id),
        },
        headers=admin,
    )
    assert r.status_code == 201
    url = f"/api/v1/users/{user['id']}"
    r = await client.patch(url, json={"role": "finance"}, headers={**admin, "If-Match": '"1"'})
    assert r.status_code == 200
    assert r.json()["role"] == "finance"
    r = await client.get("/api/v1/users?role=finance", headers=admin)
    assert [u["email"] for u in r.json()["items"]] == ["planner@heemstede.example"]
    assert (await client.delete(url, headers=admin)).status_code == 204
    assert (await client.get(url, headers=admin)).status_code == 404


async def test_changed_password_is_the_one_that_signs_in(
    client: httpx.AsyncClient, build: Builder
) -> None:
    user = await build.user(Role.viewer, email="viewer@heemstede.example", password="old password!")
    r = await client.patch(
        f"/api/v1/users/{user.id}",
        json={"password": "new password!"},
        headers=build.headers_for(Role.admin),
    )
    assert r.status_code == 200
    form = {"grant_type": "password", "username": "viewer@heemstede.example"}
    assert (
        await client.post("/api/v1/auth/token", data={**form, "password": "old password!"})
    ).status_code == 400
    assert (
        await client.post("/api/v1/auth/token", data={**form, "password": "new password!"})
    ).status_code == 200


def bearer(build: Builder, user: User) -> dict[str, str]:
    principal = Principal(kind="user", id=user.id, role=user.role, partner_id=user.partner_id)
    return {"Authorization": f"Bearer {build.token(principal)}"}


async def test_the_last_admin_stays(client: httpx.AsyncClient, build: Builder) -> None:
    only = await build.user(Role.admin)
    admin = bearer(build, only)  # the only admin, trying to step down
    r = await client.patch(f"/api/v1/users/{only.id}", json={"role": "viewer"}, headers=admin)
    assert r.status_code == 409
    assert (await client.delete(f"/api/v1/users/{only.id}", headers=admin)).status_code == 409
    successor = bearer(build, await build.user(Role.admin))
    assert (await client.delete(f"/api/v1/users/{only.id}", headers=successor)).status_code == 204


async def test_client_secret_is_shown_once_and_revocation_works(
    client: httpx.AsyncClient, build: Builder
) -> None:
    admin = build.headers_for(Role.admin)
    nidos = await build.partner("Nidos clients", PartnerKind.nidos)
    r = await client.post(
        "/api/v1/clients",
        json={"partnerId": str(nidos.id), "name": "Nidos koppeling"},
        headers=admin,
    )
    assert r.status_code == 201
    created = r.json()
    secret = created["clientSecret"]
    r = await client.get(f"/api/v1/clients/{created['id']}", headers=admin)
    assert "clientSecret" not in r.json()
    assert secret not in r.text
    r = await client.get("/api/v1/clients", headers=admin)
    assert secret not in r.text
    form = {
        "grant_type": "client_credentials",
        "client_id": created["clientId"],
        "client_secret": secret,
    }
    token = await client.post("/api/v1/auth/token", data=form)
    assert token.status_code == 200
    r = await client.get(
        "/api/v1/partners", headers={"Authorization": f"Bearer {token.json()['access_token']}"}
    )
    assert [p["name"] for p in r.json()["items"]] == ["Nidos clients"]
    assert (
        await client.delete(f"/api/v1/clients/{created['id']}", headers=admin)
    ).status_code == 204
    assert (await client.post("/api/v1/auth/token", data=form)).status_code == 401


async def test_partner_in_use_cannot_be_deleted(client: httpx.AsyncClient, build: Builder) -> None:
    coa = await build.partner("COA in use", PartnerKind.coa)
    await build.api_client(coa)
    r = await client.delete(f"/api/v1/partners/{coa.id}", headers=build.headers_for(Role.admin))
    assert r.status_code == 409
    assert "API clients" in problem(r)["detail"]


def _opvang(
    env: dict[str, str], *args: str, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "api", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
        check=False,
    )


def test_cli_creates_users_and_clients(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "OPVANG_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}",
        "OPVANG_ARGON2_TIME_COST": "1",
        "OPVANG_ARGON2_MEMORY_KIB": "64",
    }
    assert _opvang(env, "migrate").returncode == 0
    seeded = _opvang(env, "seed-demo")
    assert seeded.returncode == 0, seeded.stderr
    made = _opvang(
        env,
        "users",
        "create",
        "--email",
        "new@heemstede.example",
        "--role",
        "partner",
        "--partner",
        "COA",
        "--password-stdin",
        stdin="a very long password\n",
    )
    assert made.returncode == 0, made.stderr
    assert made.stdout.startswith("created user ")
    bad = _opvang(
        env,
        "users",
        "create",
        "--email",
        "x@heemstede.example",
        "--role",
        "viewer",
        "--password-stdin",
        stdin="short\n",
    )
    assert bad.returncode == 1
    assert "password" in bad.stderr
    weak = _opvang(
        env,
        "users",
        "create",
        "--email",
        "y@heemstede.example",
        "--role",
        "viewer",
        "--password-stdin",
        stdin="aaaaaaaaaaaa\n",
    )
    assert weak.returncode == 1
    assert "password: Too easy to guess" in weak.stderr, weak.stderr
    assert "aaaaaaaaaaaa" not in weak.stderr
    client = _opvang(env, "clients", "create", "--partner", "Nidos", "--name", "Nidos sync")
    assert client.returncode == 0, client.stderr
    lines = dict(line.split("=", 1) for line in client.stdout.split())
    assert lines["client_id"].startswith("opv_")
    assert len(lines["client_secret"]) > 30
    missing = _opvang(env, "clients", "create", "--partner", "Nobody", "--name", "x")
    assert missing.returncode == 1
    assert "No partner" in missing.stderr
