"""Passwords that are common (in a breach list) or easy to guess are refused, for the API
and the command line alike (issue 14, item 18); the refusal names the field and never
repeats the password."""

from __future__ import annotations

import httpx
import pytest

from api.models import Role
from tests.support.builders import Builder, problem

WEAK = [
    "aaaaaaaaaaaa",  # a repeat
    "password1234",  # a breach-list favourite with digits
    "123456789012",  # a sequence
    "qwertyuiopas",  # a keyboard walk
    "Welkom123456",  # a common word and a sequence
]


@pytest.mark.parametrize("password", WEAK)
async def test_a_weak_password_is_refused_on_create(
    client: httpx.AsyncClient, build: Builder, password: str
) -> None:
    r = await client.post(
        "/api/v1/users",
        json={"email": "weak@heemstede.example", "password": password, "role": "viewer"},
        headers=build.headers_for(Role.admin),
    )
    assert r.status_code == 400, r.text
    body = problem(r)
    assert [e["name"] for e in body["errors"]] == ["password"]
    assert "guess" in body["errors"][0]["detail"]
    assert password not in r.text


async def test_a_password_made_of_the_email_address_is_refused(
    client: httpx.AsyncClient, build: Builder
) -> None:
    r = await client.post(
        "/api/v1/users",
        json={
            "email": "jmeulenbeld@heemstede.example",
            "password": "jmeulenbeld1",
            "role": "viewer",
        },
        headers=build.headers_for(Role.admin),
    )
    assert r.status_code == 400, r.text
    assert [e["name"] for e in problem(r)["errors"]] == ["password"]


async def test_a_weak_password_is_refused_on_change(
    client: httpx.AsyncClient, build: Builder
) -> None:
    user = await build.user(Role.viewer)
    r = await client.patch(
        f"/api/v1/users/{user.id}",
        json={"password": "aaaaaaaaaaaa"},
        headers=build.headers_for(Role.admin),
    )
    assert r.status_code == 400, r.text
    assert [e["name"] for e in problem(r)["errors"]] == ["password"]
    assert "aaaaaaaaaaaa" not in r.text


async def test_a_passphrase_is_accepted(client: httpx.AsyncClient, build: Builder) -> None:
    r = await client.post(
        "/api/v1/users",
        json={
            "email": "strong@heemstede.example",
            "password": "tulip bicycle harbour lantern",
            "role": "viewer",
        },
        headers=build.headers_for(Role.admin),
    )
    assert r.status_code == 201, r.text


async def test_the_demo_password_meets_the_policy(
    client: httpx.AsyncClient, build: Builder
) -> None:
    """The demo data (``opvang seed-demo``) and the dashboard's end-to-end tests sign in with
    it; it is a password the policy accepts, so no path needs to bypass the policy."""
    from api.demo.seed import DEMO_PASSWORD

    r = await client.post(
        "/api/v1/users",
        json={"email": "demo-like@heemstede.example", "password": DEMO_PASSWORD, "role": "viewer"},
        headers=build.headers_for(Role.admin),
    )
    assert r.status_code == 201, r.text
