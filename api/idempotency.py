"""``Idempotency-Key`` on every POST, stored in the database so all workers share it.

The key is claimed in its own short transaction before the work starts (so a concurrent
repeat sees it and gets 409), the response is stored before it is sent, and a repeat
with the same body replays it with ``Idempotent-Replayed: true``. The same key with
another body is 422. A failure (5xx or a crash) releases the key so a retry can run.
Who may have an answer replayed, the fingerprint (an HMAC) and the audit of a replay are
in ``api.idempotency_access``.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import tempfile
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import IO, Any, Literal, cast

from fastapi import Request
from sqlalchemy import CursorResult, delete, select, update
from sqlalchemy.exc import SQLAlchemyError
from starlette.datastructures import Headers
from starlette.requests import Request as StarletteRequest
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.audit.service import SHOWN_RECORDS
from api.auth.deps import bearer_token, principal_from_token
from api.auth.principal import Principal
from api.config import Settings
from api.db import Database
from api.db.dialect import sql_of
from api.error_handlers import database_unavailable
from api.errors import Unauthorized, field_problem, problem_response
from api.idempotency_access import (
    compare,
    fingerprint,
    records_entry,
    refuse_replay,
    request_mac,
    send_replay,
)
from api.models import IdempotencyKey, utcnow

log = logging.getLogger("opvang.idempotency")

MAX_KEY_LENGTH = 255
# A body is spooled in memory up to this size (then to a temporary file), and handed
# on in pieces of it; beyond the upload limit plus framing it is refused (413).
SPOOL_IN_MEMORY = 1024 * 1024
BODY_SLACK = 64 * 1024
# Response headers worth replaying; per-request ones are added again on the way out.
_KEPT_HEADERS = frozenset({b"content-type", b"location", b"etag", b"link", b"retry-after"})
Outcome = Literal["claimed", "replay", "mismatch", "in_flight", "other_role", "other_partner"]
# Storing an answer or releasing a claim: tries before giving up (see _persistently).
_BOOKKEEPING_ATTEMPTS = 3


def redact_on_replay(request: Request, *fields: str) -> None:
    """Name top-level response fields (secrets) that a replay must answer as null."""
    redact: list[str] = getattr(request.state, "idempotency_redact", [])
    request.state.idempotency_redact = [*redact, *fields]


async def claim(
    db: Database, settings: Settings, *, caller: str, key: str, fingerprint: str
) -> tuple[Outcome, IdempotencyKey | None]:
    now = utcnow()
    async with db.sessionmaker() as session, session.begin():
        stmt = (
            sql_of(session)
            .insert(IdempotencyKey)
            .values(
                caller=caller, key=key, fingerprint=fingerprint, state="in_flight", created_at=now
            )
            .on_conflict_do_nothing()
        )
        inserted = cast(CursorResult[Any], await session.execute(stmt))
        if inserted.rowcount == 1:
            # Stored answers may hold personal data: keep them no longer than promised.
            await session.execute(
                delete(IdempotencyKey).where(
                    IdempotencyKey.created_at
                    < now - timedelta(hours=settings.idempotency_ttl_hours)
                )
            )
            return "claimed", None
        row = await session.scalar(
            select(IdempotencyKey).where(IdempotencyKey.caller == caller, IdempotencyKey.key == key)
        )
        if row is None:  # released between our insert and select: take it
            await session.execute(stmt)
            return "claimed", None
        expired = row.created_at < now - timedelta(hours=settings.idempotency_ttl_hours)
        abandoned = row.state == "in_flight" and row.created_at < now - timedelta(
            seconds=settings.idempotency_lease_seconds
        )
        if expired or abandoned:
            # Compare-and-set on created_at, so only one concurrent taker wins.
            taken = cast(
                CursorResult[Any],
                await session.execute(
                    update(IdempotencyKey)
                    .where(
                        IdempotencyKey.caller == caller,
                        IdempotencyKey.key == key,
                        IdempotencyKey.created_at == row.created_at,
                    )
                    .values(
                        fingerprint=fingerprint,
                        state="in_flight",
                        created_at=now,
                        response_status=None,
                        response_headers=None,
                        response_body=None,
                    )
                ),
            )
            return ("claimed", None) if taken.rowcount == 1 else ("in_flight", None)
        verdict = compare(row.fingerprint, fingerprint)
        if verdict in ("other_role", "other_partner"):
            return cast(Outcome, verdict), row
        if verdict == "other_request":
            return "mismatch", row
        if row.state == "in_flight":
            return "in_flight", row
        return "replay", row


async def store(
    db: Database, *, caller: str, key: str, status: int, headers: list[list[str]], body: bytes
) -> bool:
    """Remember the answer; False if the database could not be reached (then the claim
    lapses after ``idempotency_lease_seconds``)."""

    async def attempt() -> None:
        async with db.sessionmaker() as session, session.begin():
            await session.execute(
                update(IdempotencyKey)
                .where(IdempotencyKey.caller == caller, IdempotencyKey.key == key)
                .values(
                    state="done",
                    response_status=status,
                    response_headers=headers,
                    response_body=body,
                )
            )

    return await _persistently(attempt, "store")


async def release(db: Database, *, caller: str, key: str) -> bool:
    """Forget a claim whose request failed, so a retry can run; if even that fails (the
    database is down), the claim lapses after ``idempotency_lease_seconds``."""

    async def attempt() -> None:
        async with db.sessionmaker() as session, session.begin():
            await session.execute(
                delete(IdempotencyKey).where(
                    IdempotencyKey.caller == caller, IdempotencyKey.key == key
                )
            )

    return await _persistently(attempt, "release")


async def _persistently(attempt: Callable[[], Awaitable[None]], what: str) -> bool:
    """Run ``attempt`` (its own transaction) up to three times. A connection the database
    dropped fails once and is replaced by the pool, so the second try usually succeeds; a
    database that stays away costs a fraction of a second, not a hang."""
    for n in range(_BOOKKEEPING_ATTEMPTS):
        try:
            await attempt()
            return True
        except (SQLAlchemyError, OSError) as exc:
            if n + 1 == _BOOKKEEPING_ATTEMPTS:
                log.warning("idempotency %s failed: %s", what, type(exc).__name__)
                return False
            await asyncio.sleep(0.05 * 2**n)
    return False


def _redacted(body: bytes, fields: list[str]) -> bytes:
    if not fields:
        return body
    try:
        data = json.loads(body)
    except ValueError:
        return body
    if isinstance(data, dict):
        for field in fields:
            if field in data:
                data[field] = None
    return json.dumps(data, separators=(",", ":")).encode()


class IdempotencyMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        key = headers.get("idempotency-key")
        if key is None or scope["path"].endswith("/auth/token"):
            await self.app(scope, receive, send)
            return
        request = StarletteRequest(scope)
        if not 1 <= len(key) <= MAX_KEY_LENGTH or not key.isprintable():
            response = problem_response(
                request,
                status=400,
                title="Bad Request",
                detail="The Idempotency-Key header is invalid.",
                type_="urn:opvang:problem:invalid-input",
                errors=[
                    field_problem("header", "Idempotency-Key", "1 to 255 printable characters.")
                ],
            )
            await response(scope, receive, send)
            return
        settings: Settings = scope["app"].state.settings
        db: Database = scope["app"].state.db
        token = bearer_token(headers.get("authorization"))
        try:
            # With the token generation checked: a replay is answered here, before any
            # endpoint dependency, so a revoked token must not reach a stored answer.
            principal = await principal_from_token(settings, db, token) if token else None
        except (Unauthorized, SQLAlchemyError, OSError):
            principal = None  # the endpoint answers it (401, or 503 for the database)
        if principal is None:  # the endpoint answers 401; nothing to remember
            await self.app(scope, receive, send)
            return

        # The body is MACed as it arrives and spooled (to disk beyond a MiB) for the
        # endpoint: never held whole in memory, and bounded like the largest upload.
        limit = settings.import_max_bytes + BODY_SLACK
        body = tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY)  # noqa: SIM115
        digest = request_mac(
            settings.secret_key,
            scope["path"],
            scope.get("query_string", b"").decode("latin-1"),
            headers.get("content-type", ""),
        )
        size = 0
        more = True
        try:
            while more:
                message = await receive()
                chunk = message.get("body", b"")
                size += len(chunk)
                if size > limit:
                    response = problem_response(
                        request,
                        status=413,
                        title="Content Too Large",
                        detail=f"The request body is larger than the limit of {limit} bytes.",
                        type_="urn:opvang:problem:request-too-large",
                    )
                    await response(scope, receive, send)
                    return
                digest.update(chunk)
                body.write(chunk)
                more = message.get("more_body", False)
            body.seek(0)
            await self._claimed(scope, body, send, request, db, settings, principal, key, digest)
        finally:
            body.close()

    async def _claimed(
        self,
        scope: Scope,
        body: IO[bytes],
        send: Send,
        request: StarletteRequest,
        db: Database,
        settings: Settings,
        principal: Principal,
        key: str,
        digest: hmac.HMAC,
    ) -> None:
        async def receive() -> Message:  # the body is read; nothing more comes
            return {"type": "http.disconnect"}

        caller = principal.subject
        try:
            outcome, row = await claim(
                db,
                settings,
                caller=caller,
                key=key,
                fingerprint=fingerprint(settings.secret_key, principal, digest),
            )
        except (SQLAlchemyError, OSError) as exc:  # OSError covers refused connections
            log.warning("idempotency claim failed: %s", type(exc).__name__)
            response = database_unavailable(request)
            await response(scope, receive, send)
            return
        if outcome != "claimed":  # answered here: the access log names the caller
            scope.setdefault("state", {})["principal"] = principal
        if outcome == "replay":
            assert row is not None
            await send_replay(scope, receive, send, request, db=db, principal=principal, row=row)
            return
        if outcome in ("other_role", "other_partner"):
            what = "another role" if outcome == "other_role" else "another partner"
            await refuse_replay(
                scope, receive, send, request, f"you used it under {what} than you have now"
            )
            return
        if outcome in ("mismatch", "in_flight"):
            status = 422 if outcome == "mismatch" else 409
            detail = (
                "This Idempotency-Key was used before with another request."
                if outcome == "mismatch"
                else "A request with this Idempotency-Key is still being processed."
            )
            response = problem_response(
                request,
                status=status,
                title="Unprocessable Content" if status == 422 else "Conflict",
                detail=detail,
                type_=f"urn:opvang:problem:idempotency-{outcome.replace('_', '-')}",
            )
            await response(scope, receive, send)
            return

        await self._run(scope, body, send, db=db, caller=caller, key=key)

    async def _run(
        self, scope: Scope, body: IO[bytes], send: Send, *, db: Database, caller: str, key: str
    ) -> None:
        done = False

        async def replay_receive() -> Message:
            nonlocal done
            if not done:
                chunk = body.read(SPOOL_IN_MEMORY)
                done = len(chunk) < SPOOL_IN_MEMORY
                return {"type": "http.request", "body": chunk, "more_body": not done}
            return {"type": "http.disconnect"}

        start: Message | None = None
        chunks: list[bytes] = []

        async def capture(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        scope.setdefault("state", {})
        try:
            await self.app(scope, replay_receive, capture)
        except BaseException:
            await release(db, caller=caller, key=key)
            raise
        assert start is not None
        status = int(start["status"])
        response_body = b"".join(chunks)
        if status >= 500:
            await release(db, caller=caller, key=key)
        else:
            kept = [
                [k.decode("latin-1"), v.decode("latin-1")]
                for k, v in start.get("headers", [])
                if k.lower() in _KEPT_HEADERS
            ]
            redact = list(scope["state"].get("idempotency_redact", []))
            kept += records_entry(scope["state"].get(SHOWN_RECORDS), response_body)
            # The work is committed: its answer goes out even if it cannot be remembered
            # (a 500 here would make the client retry work that was done).
            await store(
                db,
                caller=caller,
                key=key,
                status=status,
                headers=kept,
                body=_redacted(response_body, redact),
            )
        await send(start)
        await send({"type": "http.response.body", "body": response_body})
