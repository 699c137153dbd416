"""Made-up callers for tests, made real where their requests arrive.

``auth_headers``, ``Builder.headers_for`` and ``Builder.token`` sign a token for a user
id with the role (and partner) a test needs, often without a database row. The service
refuses a token whose subject does not exist (a deleted user's token must stop working:
issue 14, item 9), so each such id is remembered here, and a test HTTP client given
``event_hooks=materialize(db)`` writes that user (with the token's role and partner) into
``db`` before the first request that carries its token, unless a user by that id is
there. Tokens of real users and clients (``/auth/token``, ``Builder.client_headers``) are
left alone, so a test that deletes a user or client sees its token refused.
"""

from __future__ import annotations

import asyncio
import uuid
import weakref
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

import httpx
import jwt
from sqlalchemy import delete, insert

from api.auth.principal import Principal
from api.config import Settings
from api.db import Database, build_engine
from api.models import User, utcnow

_minted: dict[uuid.UUID, Principal] = {}
_made: weakref.WeakKeyDictionary[Database, set[uuid.UUID]] = weakref.WeakKeyDictionary()
_locks: weakref.WeakKeyDictionary[Database, asyncio.Lock] = weakref.WeakKeyDictionary()


def minted(principal: Principal) -> None:
    """``principal`` is made up: write it as a user where its token is first used."""
    if principal.kind == "user" and principal.id is not None:
        _minted[principal.id] = principal


Hooks = dict[str, list[Callable[[httpx.Request], Awaitable[None]]]]


def materialize(db: Database) -> Hooks:
    """``event_hooks`` for an ``httpx.AsyncClient`` that talks to the app on ``db``."""

    async def before(request: httpx.Request) -> None:
        principal = _made_up_caller(request)
        if principal is None or principal.id is None:
            return
        if (principal.partner_id is None) == principal.is_partner:
            return  # a token that does not fit its role is refused anyway
        made = _made.setdefault(db, set())
        lock = _locks.setdefault(db, asyncio.Lock())
        async with lock:  # requests sent at once share one insert
            if principal.id in made:
                return
            async with db.sessionmaker() as session, session.begin():
                if await session.get(User, principal.id) is None:
                    # Core, not the ORM: no audit event or change-feed entry that a test
                    # counting them would see.
                    now = utcnow()
                    await session.execute(
                        insert(User).values(
                            id=principal.id,
                            email=f"{principal.id.hex}@made-up.test.invalid",
                            password_hash="!",  # no password signs in with this
                            role=principal.role,
                            partner_id=principal.partner_id,
                            version=1,
                            created_at=now,
                            updated_at=now,
                        )
                    )
            made.add(principal.id)

    return {"request": [before]}


@asynccontextmanager
async def made_up_callers(db: Database) -> AsyncIterator[Hooks]:
    """``materialize`` for an app whose data is committed (a race between real
    transactions): the users written are removed again at the end."""
    try:
        yield materialize(db)
    finally:
        made = _made.pop(db, set())
        if made:
            async with db.sessionmaker() as session, session.begin():
                await session.execute(delete(User).where(User.id.in_(made)))


@asynccontextmanager
async def made_up_callers_at(settings: Settings) -> AsyncIterator[Hooks]:
    """``made_up_callers`` for a server of its own (``live_server``): its database."""
    db = Database(build_engine(settings))
    try:
        async with made_up_callers(db) as hooks:
            yield hooks
    finally:
        await db.dispose()


def _made_up_caller(request: httpx.Request) -> Principal | None:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token:
        return None
    try:
        claims = jwt.decode(token.strip(), options={"verify_signature": False})
        kind, _, raw = str(claims.get("sub", "")).partition(":")
        subject = uuid.UUID(raw) if kind == "user" else None
    except (jwt.InvalidTokenError, ValueError):
        return None
    return _minted.get(subject) if subject is not None else None
