"""Dependencies that resolve the caller and guard routes by role.

Kept flat on purpose (one dependency reading the request), because FastAPI's cost per
request grows with the depth of the dependency tree. The OAuth 2 security scheme is
declared in the OpenAPI document by ``api.openapi`` (which holds it, so that the document
needs nothing from ``api.auth``) for every route not marked public.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from fastapi import Depends, Request

from api.auth import generations
from api.auth.principal import Principal
from api.auth.tokens import verify_access_token
from api.config import Settings
from api.db import Database
from api.errors import Forbidden, Unauthorized
from api.models import Role

# Routes open to anonymous callers say so with ``openapi_extra=PUBLIC``.
PUBLIC: dict[str, Any] = {"security": []}


async def get_settings_dep(request: Request) -> Settings:
    # async: a plain def would run in the thread pool on every request.
    settings: Settings = request.app.state.settings
    return settings


SettingsDep = Annotated[Settings, Depends(get_settings_dep)]


def bearer_token(authorization: str | None) -> str | None:
    if not authorization:
        return None
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


async def authenticate(request: Request) -> Principal:
    """The caller, from the bearer token; kept on ``request.state`` for the audit hook,
    the access log and any later dependency."""
    # The scope's state dict, not ``request.state``: a missing attribute there raises
    # and formats an AttributeError on every request (4 % of a read's time).
    principal: Principal | None = request.scope.setdefault("state", {}).get("principal")
    if principal is not None:
        return principal
    token = bearer_token(request.headers.get("authorization"))
    if token is None:
        raise Unauthorized()
    principal = await principal_from_token(request.app.state.settings, request.app.state.db, token)
    request.state.principal = principal
    return principal


async def principal_from_token(settings: Settings, db: Database, token: str) -> Principal:
    """The caller a bearer token names, if the token is valid *and* still its subject's:
    a deleted user, a revoked client, or a user whose role, partner or password changed
    since the token was issued gets 401 (``api.auth.generations``)."""
    principal, generation = verify_access_token(settings, token)
    ttl = settings.token_generation_cache_seconds
    if not await generations.is_current(db, principal, generation, ttl=ttl):
        raise Unauthorized(
            "The access token has been revoked; sign in again.",
            headers={"WWW-Authenticate": 'Bearer realm="opvang", error="invalid_token"'},
        )
    return principal


async def current_principal(request: Request) -> Principal:
    return await authenticate(request)


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]


def require_roles(*roles: Role) -> Callable[[Request], Awaitable[Principal]]:
    allowed = frozenset(roles)

    async def guard(request: Request) -> Principal:
        principal = await authenticate(request)
        if principal.role not in allowed:
            raise Forbidden(f"The role '{principal.role.value}' may not do this.")
        return principal

    return guard
