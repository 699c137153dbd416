"""The refresh-token grant (RFC 6749 §6, issue 16 §6): a cookie set at sign-in, rotated on
every use, a reused token ending the whole sign-in, revocation (RFC 7009), and the token
generation ending it too. Real sign-ins, real HTTP through the app."""

from __future__ import annotations

from datetime import timedelta
from http.cookies import SimpleCookie

import httpx
from sqlalchemy import func, select, update

from api.db import Database
from api.models import AuditEvent, RefreshToken, Role, User, utcnow
from tests.support.builders import Builder, problem

TOKEN = "/api/v1/auth/token"
REVOKE = "/api/v1/auth/revoke"
PASSWORD = "a sturdy test passphrase"
XRW = {"X-Requested-With": "opvang-dashboard"}


def cookie_of(r: httpx.Response) -> SimpleCookie:
    jar: SimpleCookie = SimpleCookie()
    for header in r.headers.get_list("set-cookie"):
        jar.load(header)
    return jar


def refresh_cookie(r: httpx.Response) -> str:
    morsel = cookie_of(r)["opvang_refresh"]
    assert morsel.value
    return morsel.value


async def sign_in(client: httpx.AsyncClient, email: str) -> httpx.Response:
    client.cookies.clear()  # the tests send the cookie themselves
    r = await client.post(
        TOKEN, data={"grant_type": "password", "username": email, "password": PASSWORD}
    )
    assert r.status_code == 200, r.text
    return r


async def refresh(
    client: httpx.AsyncClient, cookie: str, headers: dict[str, str] | None = None
) -> httpx.Response:
    client.cookies.clear()
    return await client.post(
        TOKEN,
        data={"grant_type": "refresh_token"},
        headers={"Cookie": f"opvang_refresh={cookie}", **(XRW if headers is None else headers)},
    )


def refused(r: httpx.Response) -> None:
    assert r.status_code == 400, r.text
    assert r.json()["error"] == "invalid_grant"
    problem(r)
    for name in ("opvang_refresh", "opvang_signed_in"):
        cleared = cookie_of(r)[name]
        assert cleared.value == "" and cleared["max-age"] == "0"


async def test_sign_in_sets_a_strict_httponly_secure_cookie_on_the_auth_path(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    user = await build.user(Role.coordinator, password=PASSWORD)
    r = await sign_in(client, user.email)
    assert r.json()["email"] == user.email
    assert "refresh_token" not in r.json()  # only in the cookie, out of reach of scripts
    morsel = cookie_of(r)["opvang_refresh"]
    assert morsel["httponly"] and morsel["secure"]
    assert morsel["samesite"] == "strict"
    assert morsel["path"] == "/api/v1/auth"
    assert int(morsel["max-age"]) == 43_200
    marker = cookie_of(r)["opvang_signed_in"]  # readable by scripts: no secret in it
    assert marker.value == "1" and not marker["httponly"] and marker["path"] == "/"
    assert marker["secure"] and marker["samesite"] == "strict"
    async with db.sessionmaker() as session:
        stored = (await session.scalars(select(RefreshToken.token_hash))).all()
    assert morsel.value not in stored  # only a hash is kept
    assert len(stored[0]) == 64


async def test_refresh_answers_a_new_access_token_and_rotates(
    client: httpx.AsyncClient, build: Builder
) -> None:
    user = await build.user(Role.finance, password=PASSWORD)
    first = refresh_cookie(await sign_in(client, user.email))
    r = await refresh(client, first)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["role"] == "finance" and body["email"] == user.email
    assert body["token_type"] == "Bearer" and body["expires_in"] > 0
    second = refresh_cookie(r)
    assert second != first
    bearer = {"Authorization": f"Bearer {body['access_token']}"}
    assert (await client.get("/api/v1/reimbursement-claims", headers=bearer)).status_code == 200
    r = await refresh(client, second)  # the new one works in turn
    assert r.status_code == 200, r.text


async def test_a_reused_token_revokes_the_whole_family(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    user = await build.user(Role.coordinator, password=PASSWORD)
    first = refresh_cookie(await sign_in(client, user.email))
    second = refresh_cookie(await refresh(client, first))
    refused(await refresh(client, first))  # the old one again: stolen?
    refused(await refresh(client, second))  # so the newer one is dead too
    async with db.sessionmaker() as session:
        events = await session.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.action == "refresh_refused", AuditEvent.entity_id == str(user.id))
        )
    assert events == 1
    # A new sign-in starts afresh.
    third = refresh_cookie(await sign_in(client, user.email))
    assert (await refresh(client, third)).status_code == 200


async def test_revoke_ends_the_sign_in_and_clears_the_cookie(
    client: httpx.AsyncClient, build: Builder
) -> None:
    user = await build.user(Role.viewer, password=PASSWORD)
    first = refresh_cookie(await sign_in(client, user.email))
    second = refresh_cookie(await refresh(client, first))
    client.cookies.clear()
    r = await client.post(REVOKE, headers={"Cookie": f"opvang_refresh={second}", **XRW})
    assert r.status_code == 200, r.text
    cleared = cookie_of(r)["opvang_refresh"]
    assert cleared.value == "" and cleared["path"] == "/api/v1/auth"
    refused(await refresh(client, second))


async def test_revoke_takes_the_token_as_a_form_field_and_unknown_tokens_are_no_error(
    client: httpx.AsyncClient, build: Builder
) -> None:
    user = await build.user(Role.viewer, password=PASSWORD)
    token = refresh_cookie(await sign_in(client, user.email))
    assert (await client.post(REVOKE, data={"token": "nonsense"})).status_code == 200
    assert (await client.post(REVOKE)).status_code == 200
    assert (await refresh(client, token)).status_code == 200  # untouched by those
    r = await client.post(REVOKE, data={"token": token, "token_type_hint": "refresh_token"})
    assert r.status_code == 200
    refused(await refresh(client, token))


async def test_the_cookie_is_only_read_with_the_csrf_header(
    client: httpx.AsyncClient, build: Builder
) -> None:
    user = await build.user(Role.viewer, password=PASSWORD)
    token = refresh_cookie(await sign_in(client, user.email))
    r = await refresh(client, token, headers={})  # as a cross-site form would post it
    assert r.status_code == 400, r.text
    assert r.json()["error"] == "invalid_request"
    client.cookies.clear()
    r = await client.post(REVOKE, headers={"Cookie": f"opvang_refresh={token}"})
    assert r.status_code == 200
    assert (await refresh(client, token)).status_code == 200  # not revoked by that post


async def test_a_role_or_password_change_ends_the_refresh_token(
    client: httpx.AsyncClient, build: Builder
) -> None:
    admin = await build.user(Role.admin, password=PASSWORD)
    bearer = {
        "Authorization": f"Bearer {(await sign_in(client, admin.email)).json()['access_token']}"
    }
    user = await build.user(Role.coordinator, password=PASSWORD)
    token = refresh_cookie(await sign_in(client, user.email))
    r = await client.patch(f"/api/v1/users/{user.id}", json={"role": "viewer"}, headers=bearer)
    assert r.status_code == 200, r.text
    refused(await refresh(client, token))
    token = refresh_cookie(await sign_in(client, user.email))
    r = await client.patch(
        f"/api/v1/users/{user.id}", json={"password": "another sturdy passphrase"}, headers=bearer
    )
    assert r.status_code == 200, r.text
    refused(await refresh(client, token))


async def test_deleting_the_user_ends_the_refresh_token(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    admin = await build.user(Role.admin, password=PASSWORD)
    bearer = {
        "Authorization": f"Bearer {(await sign_in(client, admin.email)).json()['access_token']}"
    }
    user = await build.user(Role.viewer, password=PASSWORD)
    token = refresh_cookie(await sign_in(client, user.email))
    assert (await client.delete(f"/api/v1/users/{user.id}", headers=bearer)).status_code == 204
    refused(await refresh(client, token))
    async with db.sessionmaker() as session:
        left = await session.scalar(
            select(func.count()).select_from(RefreshToken).where(RefreshToken.user_id == user.id)
        )
    assert left == 0


async def test_an_expired_sign_in_is_refused(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    user = await build.user(Role.viewer, password=PASSWORD)
    token = refresh_cookie(await sign_in(client, user.email))
    async with db.sessionmaker() as session, session.begin():
        await session.execute(
            update(RefreshToken)
            .where(RefreshToken.user_id == user.id)
            .values(expires_at=utcnow() - timedelta(seconds=1))
        )
    refused(await refresh(client, token))


async def test_a_rotated_token_keeps_the_sign_ins_expiry(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    user = await build.user(Role.viewer, password=PASSWORD)
    token = refresh_cookie(await sign_in(client, user.email))
    await refresh(client, token)
    async with db.sessionmaker() as session:
        rows = (
            await session.scalars(select(RefreshToken).where(RefreshToken.user_id == user.id))
        ).all()
    assert len(rows) == 2 and len({r.family_id for r in rows}) == 1
    assert rows[0].expires_at == rows[1].expires_at


async def test_refused_tokens_count_against_the_address_not_the_account(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    user = await build.user(Role.viewer, password=PASSWORD)
    await sign_in(client, user.email)
    for _ in range(3):
        refused(await refresh(client, "made-up-token"))
    r = await sign_in(client, user.email)  # the account is not locked by them
    assert r.status_code == 200
    for _ in range(2):
        refused(await refresh(client, "made-up-token"))
    r = await refresh(client, "made-up-token")  # the same bad token a sixth time: braked
    assert r.status_code == 429, r.text
    assert int(r.headers["retry-after"]) > 0
    async with db.sessionmaker() as session:
        assert await session.scalar(select(User.id).where(User.email == user.email))


async def test_refresh_needs_the_cookie_and_a_known_grant_type(
    client: httpx.AsyncClient,
) -> None:
    client.cookies.clear()
    r = await client.post(TOKEN, data={"grant_type": "refresh_token"}, headers=XRW)
    assert r.status_code == 400 and r.json()["error"] == "invalid_request"
    r = await client.post(TOKEN, data={"grant_type": "device_code"})
    assert r.status_code == 400 and r.json()["error"] == "unsupported_grant_type"
