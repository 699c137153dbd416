"""Failed sign-ins are counted per account *and* address, with a brake per address
(issue 14, item 10): an attacker elsewhere cannot lock a person out, and one address
guessing at many accounts is still slowed down. Callers at different addresses are
separate HTTP clients of the same app (the ASGI scope's client address)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from datetime import timedelta

import httpx
import pytest

from api.auth import throttle
from api.config import Settings
from api.db import Database
from api.main import Site
from api.models import LoginFailure, Role, utcnow
from tests.support.builders import Builder, problem

TOKEN = "/api/v1/auth/token"
RIGHT = "the right passphrase here"

From = Callable[[str], AbstractAsyncContextManager[httpx.AsyncClient]]


@pytest.fixture
def from_address(app: Site) -> From:
    @asynccontextmanager
    async def caller(address: str) -> AsyncIterator[httpx.AsyncClient]:
        transport = httpx.ASGITransport(
            app=app, raise_app_exceptions=False, client=(address, 40_000)
        )
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
            yield c

    return caller


def password_form(email: str, password: str) -> dict[str, str]:
    return {"grant_type": "password", "username": email, "password": password}


async def test_failures_from_one_address_do_not_lock_the_account_elsewhere(
    from_address: From, build: Builder, settings: Settings
) -> None:
    user = await build.user(Role.coordinator, password=RIGHT)
    async with from_address("203.0.113.7") as attacker, from_address("198.51.100.20") as owner:
        for _ in range(settings.login_max_failures):
            r = await attacker.post(TOKEN, data=password_form(user.email, "a wrong guess"))
            assert r.status_code == 400
        r = await attacker.post(TOKEN, data=password_form(user.email, RIGHT))
        assert r.status_code == 429  # the attacker's address is locked for this account
        problem(r)
        r = await owner.post(TOKEN, data=password_form(user.email, RIGHT))
        assert r.status_code == 200, r.text


async def test_one_address_guessing_many_accounts_is_braked(
    from_address: From, build: Builder, settings: Settings
) -> None:
    user = await build.user(Role.coordinator, password=RIGHT)
    async with from_address("203.0.113.8") as sprayer, from_address("198.51.100.21") as owner:
        for n in range(settings.login_max_failures_per_address):
            # Never more than the per-account limit on one account: only the brake counts.
            email = f"nobody-{n % 20}@heemstede.example"
            r = await sprayer.post(TOKEN, data=password_form(email, "Welkom01!"))
            assert r.status_code == 400, n
        r = await sprayer.post(TOKEN, data=password_form(user.email, RIGHT))
        assert r.status_code == 429
        r = await owner.post(TOKEN, data=password_form(user.email, RIGHT))
        assert r.status_code == 200, r.text


async def test_an_ipv6_network_counts_as_one_address(
    from_address: From, build: Builder, settings: Settings
) -> None:
    """A single IPv6 host usually has a whole /64: stepping through it does not reset the
    count."""
    user = await build.user(Role.coordinator, password=RIGHT)
    for n in range(settings.login_max_failures):
        async with from_address(f"2001:db8:7:9::{n + 1:x}") as attacker:
            r = await attacker.post(TOKEN, data=password_form(user.email, "a wrong guess"))
            assert r.status_code == 400
    async with from_address("2001:db8:7:9::ffff") as attacker:
        r = await attacker.post(TOKEN, data=password_form(user.email, RIGHT))
        assert r.status_code == 429
    async with from_address("2001:db8:7:a::1") as owner:
        r = await owner.post(TOKEN, data=password_form(user.email, RIGHT))
        assert r.status_code == 200, r.text


async def test_retry_after_is_the_time_until_the_oldest_counted_failure_expires(
    from_address: From, build: Builder, db: Database, settings: Settings
) -> None:
    user = await build.user(Role.coordinator, password=RIGHT)
    address = "203.0.113.9"
    now = utcnow()
    window = settings.login_window_seconds
    # Five failures, the oldest 600 s ago: the lock lifts in about 300 s, not 900.
    async with db.sessionmaker() as session, session.begin():
        for seconds_ago in (600, 500, 400, 300, 200):
            session.add(
                LoginFailure(
                    account_key=throttle.account_key(user.email),
                    address=address,
                    at=now - timedelta(seconds=seconds_ago),
                )
            )
    async with from_address(address) as caller:
        r = await caller.post(TOKEN, data=password_form(user.email, RIGHT))
    assert r.status_code == 429
    assert window - 600 - 5 <= int(r.headers["retry-after"]) <= window - 600 + 1


async def test_a_sign_in_clears_only_its_own_addresss_failures(
    from_address: From, build: Builder, settings: Settings
) -> None:
    """The owner signing in from home does not hand the attacker a fresh set of guesses."""
    user = await build.user(Role.coordinator, password=RIGHT)
    async with from_address("203.0.113.10") as attacker, from_address("198.51.100.22") as owner:
        for _ in range(settings.login_max_failures):
            await attacker.post(TOKEN, data=password_form(user.email, "a wrong guess"))
        assert (await owner.post(TOKEN, data=password_form(user.email, RIGHT))).status_code == 200
        r = await attacker.post(TOKEN, data=password_form(user.email, RIGHT))
        assert r.status_code == 429
