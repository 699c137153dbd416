"""The request logic of the client, written once for both drivers.

Token, headers, ``Idempotency-Key``, retries and error mapping run as a generator that
yields what it needs done (send this request, sleep this long) and gets the outcome
back (``_Core.flow``); the call builders turn a resource method into a :class:`Call`.
:mod:`opvang_client.client` drives it with ``httpx.Client`` and ``time.sleep``,
:mod:`opvang_client.aio` with ``httpx.AsyncClient`` and ``asyncio.sleep``.

Nothing identifying a person goes into a URL: a BSN or V-number is refused as a query
parameter; look people up with ``participants.search(bsn=...)``, which POSTs them in a
body. Request bodies are never logged; the ``opvang_client`` logger notes method, path,
status and attempt at DEBUG.
"""

from __future__ import annotations

import contextlib
import json
import logging
import uuid
from collections.abc import Callable, Generator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import IO, Any, TypeVar, cast
from urllib.parse import parse_qs, quote, urlsplit

import httpx

from opvang_client.auth import (
    ClientCredentialsGrant,
    Grant,
    PasswordGrant,
    StaticToken,
    TokenCache,
)
from opvang_client.errors import (
    ApiConnectionError,
    ApiError,
    AuthenticationFailed,
    error_from_response,
)
from opvang_client.models import (
    JSON,
    Token,
)
from opvang_client.retry import RetryPolicy, may_retry

log = logging.getLogger("opvang_client")

API_PREFIX = "/api/v1"
USER_AGENT = "opvang-client/0.1"
IMPORT_KINDS = frozenset(
    {"participants", "placements", "locations", "activities", "enrollments", "expenses", "rates"}
)
# Never in a URL: the contract has POST /participants/_search for these.
_PERSONAL_QUERY_KEYS = frozenset({"bsn", "vnumber", "v_number"})

T = TypeVar("T")
Id = str | uuid.UUID | Mapping[str, Any]
Files = dict[str, tuple[str, IO[bytes], str]]


# --------------------------------------------------------------------------- the core


@dataclass
class Call:
    """One logical request, however many attempts it takes."""

    method: str
    path: str  # below /api/v1, starting with "/"
    params: dict[str, str] | None = None
    body: bytes | None = None
    form: dict[str, str] | None = None
    files: Callable[[], Files] | None = None
    headers: dict[str, str] = field(default_factory=dict)
    authenticated: bool = True
    retry_safe: bool | None = None  # None: decided by method and headers


@dataclass
class _Send:
    request: httpx.Request


@dataclass
class _Sleep:
    seconds: float


_Outcome = httpx.Response | httpx.TransportError | None
_Flow = Generator[_Send | _Sleep, _Outcome, httpx.Response]


def _camel(key: str) -> str:
    head, *rest = key.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def _encode(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, uuid.UUID | Decimal):
        return str(value)
    if isinstance(value, set | frozenset | tuple):
        return list(value)
    raise TypeError(f"cannot send a {type(value).__name__} as JSON")


def _json_body(value: Any) -> bytes:
    return json.dumps(value, default=_encode, ensure_ascii=False).encode()


def query(params: Mapping[str, Any]) -> dict[str, str]:
    """Query parameters as the API spells them: camelCase keys (``page_size`` and
    ``pageSize`` both work), booleans as ``true``/``false``, dates ISO, lists joined by
    commas (``sort=["familyName", "-createdAt"]``), None left out."""
    out: dict[str, str] = {}
    for key, value in params.items():
        if value is None:
            continue
        if key.lower() in _PERSONAL_QUERY_KEYS:
            raise ValueError(
                f"'{key}' never goes into a URL; use participants.search({key}=...) instead"
            )
        if isinstance(value, bool):
            text = "true" if value else "false"
        elif isinstance(value, datetime | date):
            text = value.isoformat()
        elif isinstance(value, list | tuple):
            text = ",".join(str(v) for v in value)
        else:
            text = str(value)
        out[_camel(key)] = text
    return out


def _segment(value: Id) -> str:
    if isinstance(value, Mapping):
        value = value["id"]
    return quote(str(value), safe="")


def _version_of(record: Id, version: int | None) -> int | None:
    if version is None and isinstance(record, Mapping):
        found = record.get("version")
        return int(found) if found is not None else None
    return version


def _if_match(version: int | None) -> dict[str, str]:
    return {} if version is None else {"If-Match": f'"{version}"'}


def _next_page(response: httpx.Response, page: int) -> int | None:
    """The next page's number: from ``Link: rel="next"`` when the API sends Link headers
    (only the page number is taken from it, so a request never leaves the configured
    base URL), else by arithmetic on the envelope."""
    body = response.json()
    if not body.get("items"):
        return None
    if "link" in response.headers:
        nxt = response.links.get("next")
        if nxt is None:
            return None
        numbers = parse_qs(urlsplit(nxt["url"]).query).get("page")
        return int(numbers[0]) if numbers else page + 1
    if page * int(body.get("pageSize", 0) or 0) < int(body.get("total", 0)):
        return page + 1
    return None


class _Core:
    """Settings and request logic shared by both clients."""

    def __init__(
        self,
        base_url: str,
        *,
        username: str | None,
        password: str | None,
        client_id: str | None,
        client_secret: str | None,
        token: str | None,
        retry: RetryPolicy | None,
        refresh_margin: float,
        clock: Callable[[], float],
    ) -> None:
        self.base_url = base_url.rstrip("/")
        if self.base_url.endswith(API_PREFIX):
            self.base_url = self.base_url[: -len(API_PREFIX)]
        grant: Grant | None = None
        if username is not None or password is not None:
            if username is None or password is None:
                raise ValueError("the password grant needs both username and password")
            grant = PasswordGrant(username, password)
        elif client_id is not None or client_secret is not None:
            if client_id is None or client_secret is None:
                raise ValueError("client credentials need both client_id and client_secret")
            grant = ClientCredentialsGrant(client_id, client_secret)
        elif token is not None:
            grant = StaticToken(token)
        self.tokens = (
            TokenCache(grant, refresh_margin=refresh_margin, clock=clock) if grant else None
        )
        self.retry = retry or RetryPolicy()

    def url(self, path: str) -> str:
        return self.base_url + API_PREFIX + path

    def flow(self, call: Call, build: Callable[..., httpx.Request]) -> _Flow:
        """Send one call to completion: token, attempts, waits; the final answer, or
        an :class:`ApiError` / :class:`ApiConnectionError`."""
        reauthorised = False
        sent = 0
        ambiguous = False  # an earlier attempt may have reached the server
        while True:
            headers = dict(call.headers)
            if call.authenticated and self.tokens is not None:
                token = self.tokens.current()
                if token is None:
                    token = yield from self.fetch_token(build)
                headers["Authorization"] = f"Bearer {token}"
            opened = call.files() if call.files else None
            request = build(
                call.method,
                self.url(call.path),
                params=call.params,
                content=call.body,
                data=call.form,
                files=opened,
                headers=headers,
            )
            if call.body is not None:
                request.headers["Content-Type"] = "application/json"
            safe = (
                call.retry_safe
                if call.retry_safe is not None
                else may_retry(call.method, request.headers)
            )
            sent += 1
            try:
                outcome = yield _Send(request)
            finally:
                for _, handle, _ in (opened or {}).values():
                    handle.close()
            if isinstance(outcome, httpx.TransportError):
                log.debug("%s %s -> %s (attempt %d)", call.method, call.path, outcome, sent)
                if not safe or sent >= self.retry.attempts:
                    raise ApiConnectionError(
                        f"{call.method} {call.path}: {type(outcome).__name__}: {outcome}"
                    ) from outcome
                if not isinstance(outcome, httpx.ConnectError | httpx.ConnectTimeout):
                    ambiguous = True
                yield _Sleep(self.retry.backoff_delay(sent - 1))
                continue
            assert isinstance(outcome, httpx.Response)
            response = outcome
            status = response.status_code
            log.debug("%s %s -> %d (attempt %d)", call.method, call.path, status, sent)
            if (
                status == 401
                and call.authenticated
                and self.tokens is not None
                and self.tokens.can_refresh
                and not reauthorised
            ):
                reauthorised = True  # the token may have expired under us: once more
                self.tokens.invalidate()
                continue
            if safe and sent < self.retry.attempts and self._retryable(response):
                delay = self.retry.delay_after(sent - 1, response.headers)
                if delay is not None:
                    yield _Sleep(delay)
                    continue
            if status == 404 and call.method == "DELETE" and ambiguous:
                return httpx.Response(204, request=response.request)
            if status >= 400:
                raise error_from_response(response)
            return response

    def _retryable(self, response: httpx.Response) -> bool:
        if response.status_code in self.retry.statuses:
            return True
        if response.status_code == 409:  # the same Idempotency-Key still in flight
            with contextlib.suppress(ValueError, AttributeError):
                return "idempotency-in-flight" in str(response.json().get("type", ""))
        return False

    def fetch_token(self, build: Callable[..., httpx.Request]) -> Generator[Any, Any, str]:
        assert self.tokens is not None
        call = Call(
            "POST",
            "/auth/token",
            form=self.tokens.form(),
            authenticated=False,
            retry_safe=True,  # issues a token, changes nothing
        )
        try:
            response = yield from self.flow(call, build)
        except ApiError as exc:
            if exc.status in (400, 401):
                raise AuthenticationFailed(exc.status, exc.problem, exc.headers) from None
            raise
        return self.tokens.store(cast(Token, response.json()))


# --------------------------------------------------------------------- call builders


class _Calls:
    """The calls of one collection (``/participants`` ...)."""

    def __init__(self, path: str) -> None:
        self.path = path

    def list(self, params: Mapping[str, Any]) -> Call:
        return Call("GET", self.path, params=query(params))

    def get(self, id: Id) -> Call:
        return Call("GET", f"{self.path}/{_segment(id)}")

    def create(self, body: Mapping[str, Any], idempotency_key: str | None) -> Call:
        return post(self.path, body, idempotency_key)

    def update(self, id: Id, changes: Mapping[str, Any], version: int | None) -> Call:
        return Call(
            "PATCH",
            f"{self.path}/{_segment(id)}",
            body=_json_body(dict(changes)),
            headers=_if_match(_version_of(id, version)),
        )

    def delete(self, id: Id, version: int | None) -> Call:
        return Call(
            "DELETE", f"{self.path}/{_segment(id)}", headers=_if_match(_version_of(id, version))
        )


def post(
    path: str,
    body: Any,
    idempotency_key: str | None = None,
    params: Mapping[str, Any] | None = None,
) -> Call:
    """A POST with its Idempotency-Key: the caller's, or a fresh uuid4 for this call."""
    return Call(
        "POST",
        path,
        params=query(params or {}),
        body=_json_body(body),
        headers={"Idempotency-Key": idempotency_key or str(uuid.uuid4())},
    )


def _search_body(bsn: str | None, v_number: str | None) -> JSON:
    if (bsn is None) == (v_number is None):
        raise ValueError("search by exactly one of bsn or v_number")
    return {"bsn": bsn} if bsn is not None else {"vNumber": v_number}


def _import_call(kind: str, path: str | Path, dry_run: bool, idempotency_key: str | None) -> Call:
    if kind not in IMPORT_KINDS:
        raise ValueError(f"kind must be one of {sorted(IMPORT_KINDS)}")
    file = Path(path)
    content_type = (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        if file.suffix.lower() == ".xlsx"
        else "text/csv"
    )

    def files() -> Files:  # opened afresh for every attempt
        return {"file": (file.name, file.open("rb"), content_type)}

    return Call(
        "POST",
        f"/imports/{quote(kind, safe='')}",
        params=query({"dryRun": dry_run}),
        files=files,
        headers={"Idempotency-Key": idempotency_key or str(uuid.uuid4())},
    )


def _day(day: date | str) -> str:
    return day.isoformat() if isinstance(day, date) else quote(day, safe="")


def _generic_call(
    method: str,
    path: str,
    params: Mapping[str, Any] | None,
    body: Any,
    headers: Mapping[str, str] | None,
    idempotency_key: str | None,
    version: int | None,
) -> Call:
    method = method.upper()
    if not path.startswith("/"):
        path = "/" + path
    if path.startswith(API_PREFIX + "/"):
        path = path[len(API_PREFIX) :]
    all_headers = {**(headers or {}), **_if_match(version)}
    if method == "POST" and not any(k.lower() == "idempotency-key" for k in all_headers):
        all_headers["Idempotency-Key"] = idempotency_key or str(uuid.uuid4())
    return Call(
        method,
        path,
        params=query(params or {}),
        body=None if body is None else _json_body(body),
        headers=all_headers,
    )
