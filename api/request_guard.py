"""The first look at a request that carries a body, before anything reads it.

- A body above the limit is refused with 413: at once when ``Content-Length`` says so,
  else (chunked) as soon as the bytes received pass it. The limit is
  ``OPVANG_MAX_BODY_BYTES``; multipart uploads to ``/imports/{kind}`` have the import
  limit (``OPVANG_IMPORT_MAX_BYTES`` plus the multipart framing).
- A request with a body to a route that needs a token, without a valid one, gets its
  401 without the body being read (the token check is the cached signature check of
  every request; revocation and roles are the route's business, after reading).

Both answers say ``Connection: close``, so the server does not read (and discard) the
rest of a body nobody wants. Requests without a body, the hot path of reads, pass after
one look at the headers.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from fastapi import FastAPI
from fastapi.routing import APIRoute
from starlette.requests import Request
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.auth.deps import PUBLIC, bearer_token
from api.auth.tokens import decode_access_token
from api.config import Settings
from api.errors import AppError, ProblemType, Unauthorized, problem_response
from api.imports.router import SLACK as IMPORT_SLACK
from api.imports.router import ContentTooLarge
from api.imports.router import _too_large as import_too_large
from api.routing import flat_routes

_CLOSE = {"Connection": "close"}


class _BodyTooLarge(BaseException):
    """Raised into the application by ``receive`` when a streamed body passes the limit.

    A BaseException on purpose: it must travel through every ``except Exception`` on the
    way (body parsers that turn read errors into 400, the handler that logs a 500) to
    this guard, which answers 413 itself. The request's session rolls back on it.
    """


def body_too_large(limit: int) -> ContentTooLarge:
    return ContentTooLarge(
        f"The request body is larger than the limit of {limit} bytes (OPVANG_MAX_BODY_BYTES).",
        type_=ProblemType.REQUEST_TOO_LARGE,
    )


class RequestGuard:
    """See the module. ``api`` is the FastAPI app under ``api_root``: its settings are
    read per request (tests change them), its routes say which ones are public."""

    def __init__(self, app: ASGIApp, *, api: FastAPI, api_root: str) -> None:
        self.app = app
        self.api = api
        self.api_prefix = api_root + "/"
        self.imports_prefix = api_root + "/imports/"
        self.root_length = len(api_root)
        self._routes: list[tuple[re.Pattern[str], frozenset[str] | None, bool]] | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length: bytes | None = None
        chunked = False
        authorization = b""
        content_type = b""
        for name, value in scope["headers"]:
            if name == b"content-length":
                length = value
            elif name == b"transfer-encoding":
                chunked = True
            elif name == b"authorization":
                authorization = value
            elif name == b"content-type":
                content_type = value
        if not chunked and (length is None or length == b"0"):
            await self.app(scope, receive, send)
            return

        settings: Settings = self.api.state.settings
        path: str = scope["path"]
        limit, too_large = self._limit(settings, path, content_type)
        if length is not None and length.isdigit() and int(length) > limit:
            await self._refuse(scope, receive, send, too_large())
            return
        if path.startswith(self.api_prefix):
            refusal = self._unauthenticated(settings, authorization)
            if refusal is not None and not self._is_public(scope["method"], path):
                await self._refuse(scope, receive, send, refusal)
                return
        if not chunked:
            # The server delivers exactly Content-Length bytes, checked above.
            await self.app(scope, receive, send)
            return
        await self._counted(scope, receive, send, limit, too_large)

    def _limit(
        self, settings: Settings, path: str, content_type: bytes
    ) -> tuple[int, Callable[[], AppError]]:
        if path.startswith(self.imports_prefix) and content_type.startswith(b"multipart/form-data"):
            # The import route's own limit and 413, so an upload gets one answer whichever
            # layer refuses it (this one from Content-Length, the route while spooling).
            upload = settings.import_max_bytes
            return upload + IMPORT_SLACK, lambda: import_too_large(upload)
        limit = settings.max_body_bytes
        return limit, lambda: body_too_large(limit)

    @staticmethod
    def _unauthenticated(settings: Settings, authorization: bytes) -> Unauthorized | None:
        token = bearer_token(authorization.decode("latin-1"))
        if token is None:
            return Unauthorized()
        try:
            decode_access_token(settings, token)  # cached per token
        except Unauthorized as exc:
            return exc
        return None

    def _is_public(self, method: str, path: str) -> bool:
        """Whether the route this request reaches takes anonymous callers: marked
        ``PUBLIC``, or not an API operation (the OpenAPI document, the docs, the 405
        guards). Matched as Starlette's router does, first route of path and method; a
        request no route takes is the router's to answer (404, 405), unread."""
        if self._routes is None:
            self._routes = [
                (
                    route.path_regex,
                    frozenset(route.methods) if route.methods else None,
                    not isinstance(route, APIRoute)
                    or (route.openapi_extra or {}).get("security") == PUBLIC["security"],
                )
                for route in flat_routes(self.api.router.routes)
                if isinstance(route, Route)
            ]
        route_path = path[self.root_length :]
        for pattern, methods, public in self._routes:
            if (methods is None or method in methods) and pattern.match(route_path):
                return public
        return True

    async def _counted(
        self,
        scope: Scope,
        receive: Receive,
        send: Send,
        limit: int,
        too_large: Callable[[], AppError],
    ) -> None:
        received = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise _BodyTooLarge
            return message

        async def watching_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, watching_send)
        except _BodyTooLarge:
            if started:  # an answer is on its way already: the server closes it off
                raise
            await self._refuse(scope, receive, send, too_large())

    @staticmethod
    async def _refuse(scope: Scope, receive: Receive, send: Send, error: AppError) -> None:
        response = problem_response(
            Request(scope),
            status=error.status,
            title=error.instance_title,
            detail=error.detail,
            type_=error.type,
            headers={**error.headers, **_CLOSE},
        )
        await response(scope, receive, send)
