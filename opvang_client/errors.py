"""Errors raised by the client.

Every answer of 400 and above becomes an :class:`ApiError` (or one of its subclasses,
chosen by status) carrying the RFC 9457 problem document the API sent, with its
``errors`` list of ``{"in", "name", "detail"}``. A request that never got an answer
(connection refused, reset, timeout), after the retries allowed, is an
:class:`ApiConnectionError`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

import httpx

from opvang_client.models import FieldProblem, Problem

__all__ = [
    "ApiConnectionError",
    "ApiError",
    "AuthenticationFailed",
    "BadRequest",
    "Conflict",
    "Forbidden",
    "NotFound",
    "OpvangError",
    "PreconditionFailed",
    "ServiceUnavailable",
    "TooManyRequests",
    "Unauthorized",
    "UnprocessableContent",
    "error_from_response",
]


class OpvangError(Exception):
    """The base of every error this client raises."""


class ApiConnectionError(OpvangError):
    """No answer: the connection failed or timed out on every attempt allowed."""


class ApiError(OpvangError):
    """An answer of 400 or above, with its problem document."""

    status: int

    def __init__(self, status: int, problem: Problem, headers: Mapping[str, str]) -> None:
        self.status = status
        self.problem = problem
        self.headers = httpx.Headers(headers)
        super().__init__(self._message())

    @property
    def title(self) -> str:
        return str(self.problem.get("title", ""))

    @property
    def detail(self) -> str:
        return str(self.problem.get("detail", ""))

    @property
    def type(self) -> str:
        return str(self.problem.get("type", "about:blank"))

    @property
    def errors(self) -> list[FieldProblem]:
        """Every field problem of a 400 (``[]`` when there are none)."""
        return list(self.problem.get("errors") or [])

    @property
    def retry_after(self) -> float | None:
        value = self.headers.get("retry-after")
        try:
            return float(value) if value is not None else None
        except ValueError:
            return None

    def _message(self) -> str:
        text = f"{self.status} {self.title}".strip()
        if self.detail:
            text += f": {self.detail}"
        problems = "; ".join(f"{e['in']} {e['name']}: {e['detail']}" for e in self.errors)
        return f"{text} ({problems})" if problems else text


class BadRequest(ApiError):
    """400: invalid input; :attr:`errors` lists every problem."""


class Unauthorized(ApiError):
    """401: no valid token, or the credentials were refused."""


class AuthenticationFailed(ApiError):
    """The token endpoint refused the credentials (RFC 6749: 400 ``invalid_grant`` for a
    wrong password, 401 ``invalid_client`` for a wrong client secret); the reason is in
    :attr:`oauth_error`."""

    @property
    def oauth_error(self) -> str | None:
        value = self.problem.get("error")
        return str(value) if value is not None else None


class Forbidden(ApiError):
    """403: the caller's role may not do this."""


class NotFound(ApiError):
    """404: no such resource (or not one the caller may see)."""


class Conflict(ApiError):
    """409: refused by a rule (capacity, overlap, a rejected partner-event batch ...)."""


class PreconditionFailed(ApiError):
    """412: ``If-Match`` named an older version; read the resource again."""


class UnprocessableContent(ApiError):
    """422: an ``Idempotency-Key`` reused with a different request."""


class TooManyRequests(ApiError):
    """429: wait :attr:`retry_after` seconds."""


class ServiceUnavailable(ApiError):
    """503: the database cannot be reached; try again later."""


_BY_STATUS: dict[int, type[ApiError]] = {
    400: BadRequest,
    401: Unauthorized,
    403: Forbidden,
    404: NotFound,
    409: Conflict,
    412: PreconditionFailed,
    422: UnprocessableContent,
    429: TooManyRequests,
    503: ServiceUnavailable,
}


def error_from_response(response: httpx.Response) -> ApiError:
    """The error for an answer of 400 or above (any body that is not a problem document
    becomes one with the status and the reason phrase)."""
    problem: dict[str, Any]
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict) and "status" in body:
        problem = body
    else:
        problem = {
            "type": "about:blank",
            "title": response.reason_phrase,
            "status": response.status_code,
            "detail": response.text[:500] if body is None else "",
        }
    cls = _BY_STATUS.get(response.status_code, ApiError)
    return cls(response.status_code, cast(Problem, problem), response.headers)
