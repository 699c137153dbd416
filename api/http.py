"""The per-request envelope, one pure ASGI layer: request id, ``API-Version``, security
headers and one JSON access-log line for every request; CORS only for a request with an
``Origin``, the body guard (``api.request_guard``) only for a request with a body. A
plain read (no ``Origin``, no body: the hot path) passes this one layer to the router."""

from __future__ import annotations

import logging
import re
import time
import uuid

from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api import API_VERSION
from api.logs import request_id_var

log = logging.getLogger("opvang.access")

_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
API_PREFIX = "/api/"
OPENAPI_PATH = "/api/v1/openapi.json"
EXPOSED_HEADERS = [
    "API-Version",
    "ETag",
    "Link",
    "Location",
    "Idempotent-Replayed",
    "Retry-After",
    "X-Request-ID",
]


_ALWAYS = [
    (b"api-version", API_VERSION.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
]
_CSP = (b"content-security-policy", b"frame-ancestors 'none'")
_NO_STORE = (b"cache-control", b"no-store")
_HSTS = (b"strict-transport-security", b"max-age=31536000; includeSubDomains")

# Path segments the access log keeps as they are: route words, ids, dates and codes such
# as a scheme's. Anything else (a BSN, a V-number or a name typed into a URL by mistake)
# is logged as "*": the log never holds personal data, whatever a client sends.
_ID_OR_DATE = re.compile(
    r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|\d{4}-\d{2}-\d{2}"
)
_WORD_OR_CODE = re.compile(r"[a-z_][a-z0-9_.-]*|[A-Z0-9][A-Z0-9_-]{0,31}")
_MAX_DIGITS = 4  # in a kept word or code


def _safe_segment(segment: str) -> str:
    if _ID_OR_DATE.fullmatch(segment):
        return segment
    if _WORD_OR_CODE.fullmatch(segment) and sum(c.isdigit() for c in segment) <= _MAX_DIGITS:
        return segment
    return "*"


def loggable_path(path: str) -> str:
    """The request path as the access log writes it (API paths: segments masked)."""
    if not path.startswith(API_PREFIX):
        return path
    return "/".join(_safe_segment(s) if s else s for s in path.split("/"))


class Envelope:
    """See the module. ``app`` takes a plain request; ``with_body`` one with a body (the
    request guard in front of ``app``); ``cross_origin`` one with an ``Origin`` (CORS in
    front of ``with_body``)."""

    def __init__(self, app: ASGIApp, *, with_body: ASGIApp, cross_origin: ASGIApp) -> None:
        self.app = app
        self.with_body = with_body
        self.cross_origin = cross_origin

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = b""
        app = self.app
        for name, value in scope["headers"]:
            if name == b"x-request-id":
                incoming = value
            elif name == b"origin":
                app = self.cross_origin
            elif app is self.app and (
                name == b"transfer-encoding" or (name == b"content-length" and value != b"0")
            ):
                app = self.with_body
        text = incoming.decode("latin-1")
        request_id = text if _REQUEST_ID.fullmatch(text) else uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id
        token = request_id_var.set(request_id)
        is_api = scope["path"].startswith(API_PREFIX)
        started = time.perf_counter()
        status = 500

        async def send_with_headers(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                # Raw header tuples: no response sets these itself (the dashboard may set
                # its own CSP), and appending is cheaper than MutableHeaders' rewrites.
                headers = list(message.get("headers", ()))
                headers += _ALWAYS
                headers.append((b"x-request-id", request_id.encode()))
                if not any(name == b"content-security-policy" for name, _ in headers):
                    headers.append(_CSP)
                if is_api:
                    headers.append(_NO_STORE)
                if scope.get("scheme") == "https":
                    headers.append(_HSTS)
                message["headers"] = headers
            await send(message)

        try:
            await app(scope, receive, send_with_headers)
        finally:
            principal = scope["state"].get("principal")
            log.info(
                "request",
                extra={
                    "method": scope["method"],
                    "path": loggable_path(scope["path"]),
                    "status": status,
                    "durationMs": round((time.perf_counter() - started) * 1000, 2),
                    "caller": principal.subject if principal is not None else None,
                },
            )
            request_id_var.reset(token)


class CorsMiddleware:
    """The allowlist from settings for the API; the OpenAPI document is open to all."""

    def __init__(self, app: ASGIApp, *, origins: list[str]) -> None:
        common = {
            "allow_methods": ["GET", "POST", "PUT", "PATCH", "DELETE"],
            "allow_headers": [
                "Authorization",
                "Content-Type",
                "Idempotency-Key",
                "If-Match",
                "X-Request-ID",
            ],
            "expose_headers": EXPOSED_HEADERS,
            "max_age": 600,
        }
        self.app = app
        self.allowlisted = CORSMiddleware(app, allow_origins=origins, **common)  # type: ignore[arg-type]
        self.public = CORSMiddleware(app, allow_origins=["*"], **common)  # type: ignore[arg-type]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not any(k == b"origin" for k, _ in scope["headers"]):
            await self.app(scope, receive, send)  # not a cross-origin request
        elif scope["path"] == OPENAPI_PATH:
            await self.public(scope, receive, send)
        else:
            await self.allowlisted(scope, receive, send)
