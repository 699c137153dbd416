"""Refresh tokens (RFC 6749 §6) for the dashboard, in an HttpOnly cookie.

- A password sign-in starts a *family* and sets its first token as the cookie
  ``opvang_refresh`` (``HttpOnly; Secure; SameSite=Strict``, ``Path`` the auth endpoints,
  ``/api/v1/auth``: the token and revocation endpoints alone receive it).
- ``grant_type=refresh_token`` takes the cookie, answers a new access token and *rotates*
  the refresh token: the used one is marked, a new one of the same family (same expiry:
  a sign-in lasts ``refresh_token_ttl_seconds`` at most) is set.
- A used or revoked token presented again is a sign that it was stolen (OAuth 2.0
  Security BCP §4.14.2): the whole family is revoked, so neither the thief nor the owner
  can go on with it.
- ``POST /auth/revoke`` (RFC 7009) revokes the family and clears the cookie.
- The family ends, too, when the user's token generation moves on (role, partner or
  password changed) and with the user (rows cascade).

Only a SHA-256 of each token is stored: a copy of the database signs nobody in. The
token itself has 256 random bits, so a hash without salt or stretching suffices.

CSRF: the cookie is ``SameSite=Strict`` (a cross-site page never sends it), and the
endpoints read it only when the request carries ``X-Requested-With``, a header no HTML
form can set and that a cross-origin script may only send after a CORS preflight (which
the API does not grant for it)."""

from __future__ import annotations

import hashlib
import math
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from fastapi import Request, Response
from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from api.config import Settings
from api.models import RefreshToken, User, utcnow

COOKIE = "opvang_refresh"
# Beside it, a cookie scripts may read, holding no secret ("1"), on the whole site: that
# a sign-in may be continued. The dashboard asks the refresh grant only when it is there,
# so an anonymous visit sends no request bound to fail.
MARKER = "opvang_signed_in"
CSRF_HEADER = "X-Requested-With"


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def cookie_path(request: Request) -> str:
    """The auth endpoints' path (``/api/v1/auth``) wherever the API is mounted."""
    root: str = request.scope.get("root_path", "")
    return root.rstrip("/") + "/auth"


def presented(request: Request) -> str | None:
    """The refresh token the browser sent, if the request may use it (see CSRF above)."""
    if not request.headers.get(CSRF_HEADER):
        return None
    value = request.cookies.get(COOKIE)
    return value if value and len(value) <= 128 else None


def set_cookie(request: Request, response: Response, token: str, expires_at: datetime) -> None:
    seconds = max(0, math.ceil((expires_at - utcnow()).total_seconds()))
    response.set_cookie(
        COOKIE,
        token,
        max_age=seconds,
        path=cookie_path(request),
        secure=True,
        httponly=True,
        samesite="strict",
    )
    response.set_cookie(MARKER, "1", max_age=seconds, path="/", secure=True, samesite="strict")


def clear_cookie(request: Request, response: Response) -> None:
    response.delete_cookie(
        COOKIE, path=cookie_path(request), secure=True, httponly=True, samesite="strict"
    )
    response.delete_cookie(MARKER, path="/", secure=True, samesite="strict")


def _new_token(
    session: AsyncSession, *, user: User, family_id: uuid.UUID, expires_at: datetime
) -> str:
    token = secrets.token_urlsafe(32)
    session.add(
        RefreshToken(
            token_hash=_hash(token),
            family_id=family_id,
            user_id=user.id,
            generation=user.token_generation,
            expires_at=expires_at,
        )
    )
    return token


async def start_family(
    session: AsyncSession, settings: Settings, user: User
) -> tuple[str, datetime]:
    """The first token of a new sign-in, and when the sign-in ends. The user's families
    that have ended are deleted here (nothing else is left to refuse with them)."""
    now = utcnow()
    await session.execute(
        delete(RefreshToken).where(RefreshToken.user_id == user.id, RefreshToken.expires_at <= now)
    )
    expires_at = now + timedelta(seconds=settings.refresh_token_ttl_seconds)
    return _new_token(session, user=user, family_id=uuid.uuid4(), expires_at=expires_at), expires_at


@dataclass(frozen=True)
class Rotated:
    user: User
    token: str
    expires_at: datetime


@dataclass(frozen=True)
class Refused:
    reason: str  # unknown, expired, reused, revoked, generation
    user_id: uuid.UUID | None = None


async def rotate(session: AsyncSession, token: str) -> Rotated | Refused:
    """Use ``token``: a new one of its family, or why not (a reuse revokes the family)."""
    row = await session.scalar(select(RefreshToken).where(RefreshToken.token_hash == _hash(token)))
    if row is None:
        return Refused("unknown")
    now = utcnow()
    if row.revoked_at is not None:
        return Refused("revoked", row.user_id)
    if row.used_at is not None:
        await revoke_family(session, row.family_id)
        return Refused("reused", row.user_id)
    if row.expires_at <= now:
        return Refused("expired", row.user_id)
    user = await session.get(User, row.user_id)
    if user is None or user.token_generation != row.generation:
        await revoke_family(session, row.family_id)
        return Refused("generation", row.user_id)
    # Conditional, so that of two requests with the same token only one rotates it; the
    # other is a reuse (a browser's tabs take turns, see the dashboard's api.ts).
    used = await session.execute(
        update(RefreshToken)
        .where(
            RefreshToken.id == row.id,
            RefreshToken.used_at.is_(None),
            RefreshToken.revoked_at.is_(None),
        )
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    if getattr(used, "rowcount", 0) != 1:
        await revoke_family(session, row.family_id)
        return Refused("reused", row.user_id)
    new = _new_token(session, user=user, family_id=row.family_id, expires_at=row.expires_at)
    return Rotated(user=user, token=new, expires_at=row.expires_at)


async def revoke_family(session: AsyncSession, family_id: uuid.UUID) -> None:
    await session.execute(
        update(RefreshToken)
        .where(RefreshToken.family_id == family_id, RefreshToken.revoked_at.is_(None))
        .values(revoked_at=utcnow())
        .execution_options(synchronize_session=False)
    )


async def revoke(session: AsyncSession, token: str) -> uuid.UUID | None:
    """Revoke the family of ``token`` (RFC 7009: an unknown token is no error); its user."""
    row = await session.scalar(select(RefreshToken).where(RefreshToken.token_hash == _hash(token)))
    if row is None:
        return None
    await revoke_family(session, row.family_id)
    return row.user_id
