"""Sign-in (RFC 6749), tokens, roles and partner scoping."""

from __future__ import annotations

import base64
import json
import uuid
from datetime import UTC, datetime, timedelta

import httpx
import jwt

from api.auth.principal import Principal
from api.auth.tokens import create_access_token
from api.config import Settings
from api.models import PartnerKind, Role
from tests.support.builders import Builder, problem

TOKEN = "/api/v1/auth/token"


async def test_password_grant_gives_a_working_token(
    client: httpx.AsyncClient, build: Builder, settings: Settings
) -> None:
    user = await build.user(
        Role.coordinator, email="coord@heemstede.example", password="pw-long-enough"
    )
    r = await client.post(
        TOKEN,
        data={
            "grant_type": "password",
            "username": "COORD@heemstede.example",
            "password": "pw-long-enough",
        },
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == settings.access_token_ttl_seconds
    assert body["role"] == "coordinator"
    claims = jwt.decode(body["access_token"], options={"verify_signature": False})
    assert claims["sub"] == f"user:{user.id}"
    assert claims["exp"] - claims["iat"] == settings.access_token_ttl_seconds
    r = await client.get(
        "/api/v1/partners", headers={"Authorization": f"Bearer {body['access_token']}"}
    )
    assert r.status_code == 200


async def test_wrong_password_is_invalid_grant(client: httpx.AsyncClient, build: Builder) -> None:
    await build.user(Role.admin, email="someone@heemstede.example", password="right-password")
    for username in ("someone@heemstede.example", "nobody@heemstede.example"):
        r = await client.post(
            TOKEN,
            data={"grant_type": "password", "username": username, "password": "wrong-password"},
        )
        assert r.status_code == 400
        body = problem(r)
        assert body["error"] == "invalid_grant"
        assert "access_token" not in body


async def test_client_credentials_in_form_or_basic(
    client: httpx.AsyncClient, build: Builder
) -> None:
    coa = await build.partner("COA creds", PartnerKind.coa)
    api_client = await build.api_client(coa, secret="client-secret-1")
    r = await client.post(
        TOKEN,
        data={
            "grant_type": "client_credentials",
            "client_id": api_client.client_id,
            "client_secret": "client-secret-1",
        },
    )
    assert r.status_code == 200
    claims = jwt.decode(r.json()["access_token"], options={"verify_signature": False})
    assert claims["role"] == "partner"
    assert claims["pid"] == str(coa.id)
    basic = base64.b64encode(f"{api_client.client_id}:client-secret-1".encode()).decode()
    r = await client.post(
        TOKEN,
        data={"grant_type": "client_credentials"},
        headers={"Authorization": f"Basic {basic}"},
    )
    assert r.status_code == 200
    r = await client.post(
        TOKEN,
        data={
            "grant_type": "client_credentials",
            "client_id": api_client.client_id,
            "client_secret": "nope",
        },
    )
    assert r.status_code == 401
    assert problem(r)["error"] == "invalid_client"


async def test_token_request_errors_carry_oauth_codes(client: httpx.AsyncClient) -> None:
    cases = [
        ({}, "invalid_request"),
        ({"grant_type": "password"}, "invalid_request"),
        ({"grant_type": "authorization_code", "code": "x"}, "unsupported_grant_type"),
    ]
    for form, error in cases:
        r = await client.post(TOKEN, data=form)
        assert r.status_code == 400, form
        assert problem(r)["error"] == error


async def test_failed_logins_are_rate_limited(client: httpx.AsyncClient, build: Builder) -> None:
    await build.user(Role.admin, email="target@heemstede.example", password="the-right-one")
    form = {"grant_type": "password", "username": "target@heemstede.example"}
    for _ in range(5):
        r = await client.post(TOKEN, data={**form, "password": "guess"})
        assert r.status_code == 400
    r = await client.post(TOKEN, data={**form, "password": "the-right-one"})
    assert r.status_code == 429
    assert int(r.headers["retry-after"]) > 0
    problem(r)
    # Another account from elsewhere is not affected.
    await build.user(Role.admin, email="other@heemstede.example", password="the-right-one")
    r = await client.post(
        TOKEN,
        data={
            "grant_type": "password",
            "username": "other@heemstede.example",
            "password": "the-right-one",
        },
    )
    assert r.status_code == 200


async def test_missing_expired_and_tampered_tokens_are_401(
    client: httpx.AsyncClient, settings: Settings, build: Builder
) -> None:
    principal = Principal(kind="user", id=(await build.user(Role.admin)).id, role=Role.admin)
    expired, _ = create_access_token(
        settings,
        principal,
        now=datetime.now(UTC) - timedelta(seconds=settings.access_token_ttl_seconds + 5),
    )
    good, _ = create_access_token(settings, principal)
    header, _payload, signature = good.split(".")
    claims = jwt.decode(good, options={"verify_signature": False})
    forged = json.dumps({**claims, "sub": f"user:{uuid.uuid4()}"}).encode()
    forged_payload = base64.urlsafe_b64encode(forged).rstrip(b"=").decode()
    other_key = jwt.encode(
        claims, "another-secret-of-sufficient-length-0123456789", algorithm="HS256"
    )
    none_alg = jwt.encode(claims, key="", algorithm="none")
    cases = {
        "missing": {},
        "not bearer": {"Authorization": f"Basic {good}"},
        "garbage": {"Authorization": "Bearer not-a-token"},
        "expired": {"Authorization": f"Bearer {expired}"},
        "tampered": {"Authorization": f"Bearer {header}.{forged_payload}.{signature}"},
        "other key": {"Authorization": f"Bearer {other_key}"},
        "alg none": {"Authorization": f"Bearer {none_alg}"},
    }
    for name, headers in cases.items():
        r = await client.get("/api/v1/partners", headers=headers)
        assert r.status_code == 401, name
        assert r.headers["www-authenticate"].startswith("Bearer"), name
        problem(r)
    r = await client.get("/api/v1/partners", headers={"Authorization": f"Bearer {good}"})
    assert r.status_code == 200


async def test_roles_are_enforced(client: httpx.AsyncClient, build: Builder) -> None:
    r = await client.get("/api/v1/partners", headers=build.headers_for(Role.viewer))
    assert r.status_code == 403
    problem(r)
    r = await client.post(
        "/api/v1/partners",
        json={"name": "Nope", "kind": "coa"},
        headers=build.headers_for(Role.finance),
    )
    assert r.status_code == 403
    for path in ("/api/v1/users", "/api/v1/clients", "/api/v1/audit-events"):
        for role in (Role.coordinator, Role.finance, Role.viewer):
            r = await client.get(path, headers=build.headers_for(role))
            assert r.status_code == 403, (path, role)


async def test_partner_sees_only_its_own_partner(client: httpx.AsyncClient, build: Builder) -> None:
    coa = await build.partner("COA scope", PartnerKind.coa)
    nidos = await build.partner("Nidos scope", PartnerKind.nidos)
    coa_client = await build.api_client(coa)
    headers = build.client_headers(coa_client)
    r = await client.get("/api/v1/partners", headers=headers)
    assert [p["id"] for p in r.json()["items"]] == [str(coa.id)]
    assert r.json()["total"] == 1
    assert (await client.get(f"/api/v1/partners/{coa.id}", headers=headers)).status_code == 200
    r = await client.get(f"/api/v1/partners/{nidos.id}", headers=headers)
    assert r.status_code == 404  # not 403: its existence does not leak
    problem(r)
    r = await client.patch(
        f"/api/v1/partners/{nidos.id}", json={"name": "Mine now"}, headers=headers
    )
    assert r.status_code == 403  # a partner may not edit partners at all
    partner_user = build.headers_for(Role.partner, nidos)
    r = await client.get(f"/api/v1/partners/{coa.id}", headers=partner_user)
    assert r.status_code == 404
