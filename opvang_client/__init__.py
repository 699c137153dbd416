"""A Python client for the opvang API (Heemstede's refugee reception programme).

    from opvang_client import OpvangClient

    with OpvangClient("http://127.0.0.1:8000", client_id=..., client_secret=...) as api:
        for participant in api.participants.iter(group="ukrainian_displaced", pageSize=200):
            print(participant["reference"])

See the README's "Python client" section, and the modules: :mod:`.auth` (tokens),
:mod:`.retry` (what is retried and how), :mod:`.errors`, :mod:`.models` (typed results,
camelCase as on the wire).
"""

from opvang_client.aio import AsyncOpvangClient
from opvang_client.auth import ClientCredentialsGrant, PasswordGrant, StaticToken, TokenCache
from opvang_client.client import OpvangClient
from opvang_client.core import API_PREFIX
from opvang_client.errors import (
    ApiConnectionError,
    ApiError,
    AuthenticationFailed,
    BadRequest,
    Conflict,
    Forbidden,
    NotFound,
    OpvangError,
    PreconditionFailed,
    ServiceUnavailable,
    TooManyRequests,
    Unauthorized,
    UnprocessableContent,
)
from opvang_client.retry import NO_RETRY, RetryPolicy

__all__ = [
    "API_PREFIX",
    "NO_RETRY",
    "ApiConnectionError",
    "ApiError",
    "AsyncOpvangClient",
    "AuthenticationFailed",
    "BadRequest",
    "ClientCredentialsGrant",
    "Conflict",
    "Forbidden",
    "NotFound",
    "OpvangClient",
    "OpvangError",
    "PasswordGrant",
    "PreconditionFailed",
    "RetryPolicy",
    "ServiceUnavailable",
    "StaticToken",
    "TokenCache",
    "TooManyRequests",
    "Unauthorized",
    "UnprocessableContent",
]
