"""Short-lived signed JWT access tokens (PyJWT, HS256)."""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime, timedelta
from functools import lru_cache

import jwt

from api.auth.principal import Principal
from api.config import Settings
from api.errors import Unauthorized
from api.models import Role

ISSUER = "opvang"
AUDIENCE = "opvang-api"
ALGORITHM = "HS256"


def create_access_token(
    settings: Settings, principal: Principal, *, now: datetime | None = None, generation: int = 0
) -> tuple[str, int]:
    """A signed token for ``principal``; ``generation`` is its subject's current token
    generation (``User.token_generation`` / ``ApiClient.token_generation``)."""
    now = now or datetime.now(UTC)
    ttl = settings.access_token_ttl_seconds
    claims: dict[str, object] = {
        "iss": ISSUER,
        "aud": AUDIENCE,
        "sub": principal.subject,
        "role": principal.role.value,
        "iat": int(now.timestamp()),
        "nbf": int(now.timestamp()),
        "exp": int((now + timedelta(seconds=ttl)).timestamp()),
        "jti": uuid.uuid4().hex,
        "gen": generation,
    }
    if principal.partner_id is not None:
        claims["pid"] = str(principal.partner_id)
    return jwt.encode(claims, settings.secret_key, algorithm=ALGORITHM), ttl


def decode_access_token(settings: Settings, token: str) -> Principal:
    """The token's caller, from the signature and claims alone (no database): whether the
    subject still holds this generation is ``api.auth.deps.authenticate``'s check."""
    return verify_access_token(settings, token)[0]


def verify_access_token(settings: Settings, token: str) -> tuple[Principal, int]:
    """The caller and the token generation the token names."""
    principal, expires, generation = _verified(settings.secret_key, token)
    if expires <= time.time():
        raise _expired()
    return principal, generation


def _expired() -> Unauthorized:
    return Unauthorized(
        "The access token has expired; request a new one.",
        headers={"WWW-Authenticate": 'Bearer realm="opvang", error="invalid_token"'},
    )


# A client sends the same token for its lifetime, so the signature check and claim
# parsing are done once per token (about a tenth of a simple read otherwise). Only
# successes are cached; expiry is checked on every use.
@lru_cache(maxsize=4096)
def _verified(secret: str, token: str) -> tuple[Principal, int, int]:
    try:
        claims = jwt.decode(
            token,
            secret,
            algorithms=[ALGORITHM],
            audience=AUDIENCE,
            issuer=ISSUER,
            options={"require": ["exp", "iat", "sub", "aud", "iss"]},
        )
        kind, _, raw_id = str(claims["sub"]).partition(":")
        if kind not in ("user", "client"):
            raise ValueError("unknown subject kind")
        role = Role(claims["role"])
        partner_id = uuid.UUID(claims["pid"]) if claims.get("pid") else None
        # Tokens issued before generations existed name none: generation 0, which every
        # subject had then.
        generation: object = claims.get("gen", 0)
        if not isinstance(generation, int) or isinstance(generation, bool):
            raise ValueError("generation is not an integer")
        if (role is Role.partner) != (partner_id is not None):
            raise ValueError("partner claim does not fit the role")
        principal = Principal(
            kind=kind,  # type: ignore[arg-type]
            id=uuid.UUID(raw_id),
            role=role,
            partner_id=partner_id,
        )
        return principal, int(claims["exp"]), generation
    except jwt.ExpiredSignatureError as exc:
        raise _expired() from exc
    except (jwt.InvalidTokenError, KeyError, ValueError, TypeError) as exc:
        raise Unauthorized(
            "The access token is invalid.",
            headers={"WWW-Authenticate": 'Bearer realm="opvang", error="invalid_token"'},
        ) from exc
