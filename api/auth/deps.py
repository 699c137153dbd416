"""Dependencies that resolve the caller and guard routes by role."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, Request
from fastapi.openapi.models import OAuthFlowClientCredentials, OAuthFlowPassword, OAuthFlows
from fastapi.security import OAuth2

from api.auth.principal import Principal
from api.auth.tokens import decode_access_token
from api.config import Settings
from api.errors import Forbidden, Unauthorized
from api.models import Role

TOKEN_URL = "/api/v1/auth/token"  # noqa: S105 - a path, not a secret

oauth2_scheme = OAuth2(
    flows=OAuthFlows(
        password=OAuthFlowPassword(tokenUrl=TOKEN_URL, scopes={}),
        clientCredentials=OAuthFlowClientCredentials(tokenUrl=TOKEN_URL, scopes={}),
    ),
    scheme_name="OAuth2",
    description="Bearer tokens from `POST /auth/token`: the password grant for people, "
    "client credentials for partner systems.",
    auto_error=False,
)


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


async def current_principal(
    request: Request,
    settings: SettingsDep,
    authorization: Annotated[str | None, Depends(oauth2_scheme)],
) -> Principal:
    token = bearer_token(authorization)
    if token is None:
        raise Unauthorized()
    principal = decode_access_token(settings, token)
    # The audit hook on the session and the access log read the caller from here.
    request.state.principal = principal
    return principal


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]


def require_roles(*roles: Role) -> Callable[[Principal], Awaitable[Principal]]:
    allowed = frozenset(roles)

    async def guard(principal: CurrentPrincipal) -> Principal:
        if principal.role not in allowed:
            raise Forbidden(f"The role '{principal.role.value}' may not do this.")
        return principal

    return guard


AdminPrincipal = Annotated[Principal, Depends(require_roles(Role.admin))]
