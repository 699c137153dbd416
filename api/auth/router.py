"""``POST /auth/token`` (RFC 6749): form-encoded in, snake_case out, problem+json errors
that also carry RFC 6749's ``error`` member; ``POST /auth/revoke`` (RFC 7009) for the
refresh token (api.auth.refresh)."""

from __future__ import annotations

import base64
import binascii
from typing import Annotated, Literal
from urllib.parse import unquote_plus

from fastapi import Form, Header, Request, Response
from pydantic import BaseModel, Field
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from api.audit.service import record
from api.auth import refresh, throttle
from api.auth.deps import PUBLIC, SettingsDep
from api.auth.passwords import verify_secret
from api.auth.principal import Principal
from api.auth.tokens import create_access_token
from api.config import Settings
from api.db import SessionDep
from api.errors import BadRequest, Unauthorized, problem_response
from api.models import ApiClient, Role, User, utcnow
from api.openapi import api_router, responses

router = api_router("auth", prefix="/auth")


class TokenForm(BaseModel):
    """Fields are checked by hand so that every error carries RFC 6749's ``error`` code."""

    grant_type: str | None = Field(default=None, max_length=64)
    username: str | None = Field(default=None, max_length=254)
    password: str | None = Field(default=None, max_length=1024)
    client_id: str | None = Field(default=None, max_length=64)
    client_secret: str | None = Field(default=None, max_length=1024)
    scope: str | None = Field(default=None, max_length=1024)


class TokenResponse(BaseModel):
    access_token: str
    token_type: Literal["Bearer"] = "Bearer"  # noqa: S105
    expires_in: int
    role: str
    email: str | None = Field(
        default=None, description="The signed-in person's e-mail address; null for API clients."
    )


def _oauth_error(status: int, error: str, detail: str) -> BadRequest | Unauthorized:
    if status == 401:
        return Unauthorized(
            detail, extra={"error": error}, headers={"WWW-Authenticate": 'Basic realm="opvang"'}
        )
    return BadRequest(detail, extra={"error": error})


async def _failed(
    request: Request,
    session: AsyncSession,
    settings: Settings,
    *,
    account: str,
    address: str,
    status: int,
    error: str,
    detail: str,
    clear_cookie: bool = False,
) -> Response:
    """Record the failure and answer it (not raise it), so the failure is committed."""
    await throttle.record_failure(session, settings, account=account, address=address)
    exc = _oauth_error(status, error, detail)
    answer = problem_response(
        request,
        status=exc.status,
        title=exc.instance_title,
        detail=detail,
        headers=exc.headers,
        extra=exc.extra,
    )
    if clear_cookie:
        refresh.clear_cookie(request, answer)
    return answer


def _basic_credentials(authorization: str | None) -> tuple[str, str] | None:
    if not authorization or not authorization.lower().startswith("basic "):
        return None
    try:
        raw = base64.b64decode(authorization[6:].strip(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError) as exc:
        raise _oauth_error(401, "invalid_client", "Malformed Basic credentials.") from exc
    client_id, sep, secret = raw.partition(":")
    if not sep:
        raise _oauth_error(401, "invalid_client", "Malformed Basic credentials.")
    return unquote_plus(client_id), unquote_plus(secret)


@router.post(
    "/token",
    response_model=TokenResponse,
    responses=responses(401, 429),
    openapi_extra=PUBLIC,
    summary="Get an access token",
)
async def issue_token(
    request: Request,
    response: Response,
    session: SessionDep,
    settings: SettingsDep,
    form: Annotated[TokenForm, Form()],
    authorization: Annotated[str | None, Header(include_in_schema=False)] = None,
) -> TokenResponse | Response:
    """`grant_type=password` (with `username`, `password`) for people: it also sets the
    refresh token, an `HttpOnly; Secure; SameSite=Strict` cookie `opvang_refresh` on the
    path `/api/v1/auth`. `grant_type=refresh_token` (RFC 6749 §6) takes that cookie, only
    with an `X-Requested-With` header (CSRF), answers a new access token and rotates the
    cookie; a refresh token used twice ends its sign-in. `grant_type=client_credentials`
    (with `client_id`, `client_secret`, or HTTP Basic) for partner systems."""
    response.headers["Pragma"] = "no-cache"
    address = throttle.address_key(request.client.host if request.client else "unknown")
    if any("\x00" in value for value in form.model_dump().values() if isinstance(value, str)):
        # PostgreSQL cannot hold a NUL, so no name or secret has one.
        raise _oauth_error(400, "invalid_request", "A field holds a NUL character.")
    if form.grant_type == "password":
        if not form.username or not form.password:
            raise _oauth_error(400, "invalid_request", "username and password are required.")
        account = throttle.account_key(form.username)
        await throttle.check(session, settings, account=account, address=address)
        user = await session.scalar(select(User).where(User.email == form.username.strip().lower()))
        if not verify_secret(settings, user.password_hash if user else None, form.password):
            return await _failed(
                request,
                session,
                settings,
                account=account,
                address=address,
                status=400,
                error="invalid_grant",
                detail="The e-mail address or password is wrong.",
            )
        assert user is not None
        principal = Principal(kind="user", id=user.id, role=user.role, partner_id=user.partner_id)
        generation = user.token_generation
        email: str | None = user.email
        # A bulk UPDATE: a sign-in is not an edit, so it bumps neither version nor ETag.
        await session.execute(update(User).where(User.id == user.id).values(last_login_at=utcnow()))
        cookie, until = await refresh.start_family(session, settings, user)
        refresh.set_cookie(request, response, cookie, until)
    elif form.grant_type == "refresh_token":
        return await _refresh_grant(request, response, session, settings, address)
    elif form.grant_type == "client_credentials":
        basic = _basic_credentials(authorization)
        client_id, secret = basic or (form.client_id, form.client_secret)
        if "\x00" in (client_id or "") + (secret or ""):
            raise _oauth_error(401, "invalid_client", "Malformed client credentials.")
        if not client_id or not secret:
            raise _oauth_error(401, "invalid_client", "client_id and client_secret are required.")
        account = throttle.account_key("client:" + client_id)
        await throttle.check(session, settings, account=account, address=address)
        client = await session.scalar(select(ApiClient).where(ApiClient.client_id == client_id))
        if not verify_secret(settings, client.secret_hash if client else None, secret):
            return await _failed(
                request,
                session,
                settings,
                account=account,
                address=address,
                status=401,
                error="invalid_client",
                detail="The client credentials are wrong.",
            )
        assert client is not None
        principal = Principal(
            kind="client", id=client.id, role=Role.partner, partner_id=client.partner_id
        )
        generation = client.token_generation
        email = None
    elif not form.grant_type:
        raise _oauth_error(400, "invalid_request", "grant_type is required.")
    else:
        raise _oauth_error(
            400,
            "unsupported_grant_type",
            "Use grant_type password, refresh_token or client_credentials.",
        )
    await throttle.clear(session, account=account, address=address)
    session.info["principal"] = principal
    record(session, action="sign_in", entity=f"{principal.kind}s", entity_id=principal.id)
    token, ttl = create_access_token(settings, principal, generation=generation)
    return TokenResponse(access_token=token, expires_in=ttl, role=principal.role.value, email=email)


async def _refresh_grant(
    request: Request, response: Response, session: AsyncSession, settings: Settings, address: str
) -> TokenResponse | Response:
    """The refresh grant. A refused token counts as a failed sign-in against the address
    (the per-address limit brakes anyone trying tokens), under a key of its own, so a
    stale cookie never counts against an account; a success clears no failures."""
    presented = refresh.presented(request)
    if presented is None:
        raise _oauth_error(
            400,
            "invalid_request",
            "No refresh token: it travels as the opvang_refresh cookie, "
            "with an X-Requested-With header.",
        )
    account = throttle.account_key("refresh:" + presented)
    await throttle.check(session, settings, account=account, address=address)
    outcome = await refresh.rotate(session, presented)
    if isinstance(outcome, refresh.Refused):
        if outcome.user_id is not None and outcome.reason in ("reused", "generation"):
            record(
                session,
                action="refresh_refused",
                entity="users",
                entity_id=outcome.user_id,
                details={"reason": outcome.reason},
            )
        return await _failed(
            request,
            session,
            settings,
            account=account,
            address=address,
            status=400,
            error="invalid_grant",
            detail="The refresh token is not valid (any more); sign in again.",
            clear_cookie=True,
        )
    user = outcome.user
    principal = Principal(kind="user", id=user.id, role=user.role, partner_id=user.partner_id)
    session.info["principal"] = principal
    refresh.set_cookie(request, response, outcome.token, outcome.expires_at)
    token, ttl = create_access_token(settings, principal, generation=user.token_generation)
    return TokenResponse(
        access_token=token, expires_in=ttl, role=principal.role.value, email=user.email
    )


class RevokeForm(BaseModel):
    token: str | None = Field(default=None, max_length=128)
    token_type_hint: str | None = Field(default=None, max_length=64)


@router.post(
    "/revoke",
    status_code=200,
    response_class=Response,
    responses={200: {"description": "Revoked, or nothing to revoke (RFC 7009 §2.2)."}},
    # The body is optional: the dashboard signs out with its cookie alone (no form).
    openapi_extra={**PUBLIC, "requestBody": {"required": False}},
    summary="Sign out: revoke the refresh token",
)
async def revoke_token(
    request: Request, session: SessionDep, form: Annotated[RevokeForm, Form()]
) -> Response:
    """Revokes the refresh token (RFC 7009) given as `token` or as the `opvang_refresh`
    cookie (with an `X-Requested-With` header), and every token rotated from the same
    sign-in; clears the cookie. An unknown token is no error. Access tokens already
    issued run out by themselves (at most `expires_in` seconds)."""
    answer = Response(status_code=200, headers={"Cache-Control": "no-store"})
    token = form.token or refresh.presented(request)
    if token and "\x00" not in token:
        user_id = await refresh.revoke(session, token)
        if user_id is not None:
            record(session, action="sign_out", entity="users", entity_id=user_id)
    refresh.clear_cookie(request, answer)
    return answer
