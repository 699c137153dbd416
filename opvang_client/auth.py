"""Token handling: OAuth 2 grants against ``POST /api/v1/auth/token``.

* :class:`PasswordGrant` for people (``grant_type=password``),
* :class:`ClientCredentialsGrant` for partner systems (``grant_type=client_credentials``),
* :class:`StaticToken` for a bearer token obtained elsewhere (never refreshed).

The token is fetched lazily, on the first request that needs one, and cached with its
expiry (``expires_in``). It is refreshed ``refresh_margin`` seconds before it expires,
and once more when the API answers 401 anyway (a restarted server with a new key, a
clock that jumped): the request is then sent again with a fresh token, once.

Several threads or tasks sharing one client may now and then fetch a token each at the
same moment; both tokens are valid, and the last one is kept.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from opvang_client.models import Token

__all__ = ["ClientCredentialsGrant", "Grant", "PasswordGrant", "StaticToken", "TokenCache"]


@dataclass(frozen=True)
class PasswordGrant:
    """A person's e-mail address and password."""

    username: str
    password: str

    def form(self) -> dict[str, str]:
        return {"grant_type": "password", "username": self.username, "password": self.password}

    def __repr__(self) -> str:  # never the password
        return f"PasswordGrant(username={self.username!r})"


@dataclass(frozen=True)
class ClientCredentialsGrant:
    """A partner system's client id and secret (from ``opvang clients create``)."""

    client_id: str
    client_secret: str

    def form(self) -> dict[str, str]:
        return {
            "grant_type": "client_credentials",
            "client_id": self.client_id,
            "client_secret": self.client_secret,
        }

    def __repr__(self) -> str:  # never the secret
        return f"ClientCredentialsGrant(client_id={self.client_id!r})"


@dataclass(frozen=True)
class StaticToken:
    """A bearer token obtained elsewhere; used as is, never refreshed."""

    token: str

    def __repr__(self) -> str:
        return "StaticToken(...)"


Grant = PasswordGrant | ClientCredentialsGrant | StaticToken


class TokenCache:
    """The current access token of one client and when to stop using it."""

    def __init__(
        self,
        grant: Grant,
        *,
        refresh_margin: float = 30.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.grant = grant
        self.refresh_margin = refresh_margin
        self.clock = clock
        self._token: str | None = grant.token if isinstance(grant, StaticToken) else None
        self._refresh_at = float("inf")
        self.role: str | None = None

    @property
    def can_refresh(self) -> bool:
        return not isinstance(self.grant, StaticToken)

    def current(self) -> str | None:
        """The cached token while it is good for a while yet, else None (fetch one)."""
        if self._token is not None and (not self.can_refresh or self.clock() < self._refresh_at):
            return self._token
        return None

    def form(self) -> dict[str, str]:
        """The form to post to ``/auth/token``."""
        if isinstance(self.grant, StaticToken):
            raise RuntimeError("a static token cannot be refreshed")
        return self.grant.form()

    def store(self, answer: Token) -> str:
        self._token = answer["access_token"]
        self.role = answer.get("role")
        self._refresh_at = self.clock() + max(0.0, answer["expires_in"] - self.refresh_margin)
        return self._token

    def invalidate(self) -> None:
        if self.can_refresh:
            self._token = None
