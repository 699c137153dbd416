"""Who may have a stored ``Idempotency-Key`` answer replayed, and what a replay leaves in
the audit log.

A stored answer was given to one caller (the key is scoped to it), in one role, for one
partner, about the records it could see then. A replay hands that answer out again, so
it must pass what a fresh request would:

- The fingerprint binds the caller's role and partner beside the request. An answer is
  shaped for its role (a partner's has no BSN, a viewer gets none), so a replay under
  another role or partner is refused — even with a fresh token of the same person, and
  even when the new role could ask too: the client sends a new key and gets a fresh
  answer. The refusal is 422 like a key reused with another body (draft-ietf-httpapi-
  idempotency-key-header: the request under this key is not the one stored), with its
  own type; not 409, which here means "still running, retry" to clients, and not 403,
  since the new role may well be allowed the request itself.
- A partner's scope can change while the role stays (a stay ends, a person moves on), so
  a replay of an answer that showed person records re-checks, through the same
  ``partner_scope`` every read uses, that the caller still sees each of them.
- A replay of such an answer is a read of those records again: it is audited like the
  fresh read (same actor, this request's id), marked ``{"replay": true}``.

The fingerprint is an HMAC with a key derived from the server secret, never a plain hash:
a ``_search`` body holds a BSN, and nine digits with a check digit are guessed from a
SHA-256 in minutes. Rows stored before this (a plain SHA-256, no version prefix) read as
"another request" until they expire (``idempotency_ttl_hours``).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
import uuid
from functools import lru_cache
from typing import Any, Literal

from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import Request
from starlette.types import Receive, Scope, Send

from api.audit.service import begin_audited_read, record_replayed_reads
from api.auth.principal import Principal
from api.auth.scoping import scoped
from api.db import Database
from api.error_handlers import database_unavailable
from api.errors import ProblemType, problem_response
from api.models import ApiClient, IdempotencyKey, Role, User
from api.models.base import Base

log = logging.getLogger("opvang.idempotency")

_VERSION = "h1."
_SUBKEY_LABEL = b"opvang idempotency fingerprint v1"
# "h1." + role tag + partner tag + "." + request MAC = 64 characters, the column's width.
_TAG = 8
_REQUEST = 44
# A stored header entry no HTTP header can be named like: the person records an answer
# shows, as "entity/id" words. Never sent on a replay.
RECORDS_HEADER = ":records"
_UUID = re.compile(rb"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")

Verdict = Literal["same", "other_request", "other_role", "other_partner"]


@lru_cache(maxsize=4)
def _subkey(secret: str) -> bytes:
    """A key of its own for fingerprints: the token-signing secret is not reused as is."""
    return hmac.new(secret.encode(), _SUBKEY_LABEL, hashlib.sha256).digest()


def request_mac(secret: str, *parts: str) -> hmac.HMAC:
    """The running MAC of a request: ``parts`` (path, query, content type), then the body
    fed in as it arrives."""
    mac = hmac.new(_subkey(secret), digestmod=hashlib.sha256)
    for part in parts:
        mac.update(part.encode() + b"\0")
    return mac


def _tag(secret: str, kind: bytes, value: str) -> str:
    return hmac.new(_subkey(secret), kind + b"\0" + value.encode(), hashlib.sha256).hexdigest()[
        :_TAG
    ]


def fingerprint(secret: str, principal: Principal, mac: hmac.HMAC) -> str:
    role = _tag(secret, b"role", principal.role.value)
    partner = _tag(secret, b"partner", str(principal.partner_id or ""))
    return f"{_VERSION}{role}{partner}.{mac.hexdigest()[:_REQUEST]}"


def compare(stored: str, new: str) -> Verdict:
    """How a stored fingerprint differs from a new one (``new`` is always current). The
    same request under another role or partner is told apart; anything else (another
    body, a row from before the HMAC, a rotated secret) is another request."""
    if stored == new:
        return "same"
    if not stored.startswith(_VERSION) or stored[-_REQUEST:] != new[-_REQUEST:]:
        return "other_request"
    start = len(_VERSION)
    if stored[start : start + _TAG] != new[start : start + _TAG]:
        return "other_role"
    if stored[start + _TAG : start + 2 * _TAG] != new[start + _TAG : start + 2 * _TAG]:
        return "other_partner"
    return "other_request"


def records_entry(shown: set[tuple[str, str]] | None, body: bytes) -> list[list[str]]:
    """The stored header entry naming the person records the answer shows: those the
    request read or wrote (noted by the audit service) whose id the answer names."""
    if not shown:
        return []
    in_body = {match.decode() for match in _UUID.findall(body)}
    named = sorted(f"{entity}/{rid}" for entity, rid in shown if rid in in_body)
    return [[RECORDS_HEADER, " ".join(named)]] if named else []


def split_records(headers: list[list[str]]) -> tuple[list[list[str]], dict[str, list[str]]]:
    """Stored headers without the records entry, and the records by entity."""
    kept: list[list[str]] = []
    records: dict[str, list[str]] = {}
    for name, value in headers:
        if name == RECORDS_HEADER:
            for word in value.split():
                entity, _, rid = word.partition("/")
                records.setdefault(entity, []).append(rid)
        else:
            kept.append([name, value])
    return kept, records


async def send_replay(
    scope: Scope,
    receive: Receive,
    send: Send,
    request: Request,
    *,
    db: Database,
    principal: Principal,
    row: IdempotencyKey,
) -> None:
    """Hand out a stored answer again, if the caller may still have it; audited."""
    assert row.response_status is not None
    stored, records = split_records(row.response_headers or [])
    try:
        async with db.sessionmaker() as session, session.begin():
            why_not = await _why_not(
                session, principal=principal, records=records, request_state=request.state
            )
    except (SQLAlchemyError, OSError) as exc:
        # Not audited, not handed out: personal data leaves only with its trail.
        log.warning("idempotency replay audit failed: %s", type(exc).__name__)
        await database_unavailable(request)(scope, receive, send)
        return
    if why_not is not None:
        await refuse_replay(scope, receive, send, request, why_not)
        return
    body = row.response_body or b""
    headers = [(k.encode(), v.encode()) for k, v in stored]
    headers.append((b"idempotent-replayed", b"true"))
    headers.append((b"content-length", str(len(body)).encode()))
    await send({"type": "http.response.start", "status": row.response_status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def refuse_replay(
    scope: Scope, receive: Receive, send: Send, request: Request, why: str
) -> None:
    """A stored answer this caller may not have now."""
    response = problem_response(
        request,
        status=422,
        title="Unprocessable Content",
        detail=f"The answer to this Idempotency-Key is not replayed: {why}. "
        "Send the request with a new key.",
        type_=ProblemType.IDEMPOTENCY_ACCESS_CHANGED,
    )
    await response(scope, receive, send)


@lru_cache(maxsize=32)
def _model(table: str) -> Any:
    for mapper in Base.registry.mappers:
        if getattr(mapper.class_, "__tablename__", None) == table:
            return mapper.class_
    raise LookupError(f"no model for table {table}")


async def _holder(session: AsyncSession, principal: Principal) -> tuple[Role, Any] | None:
    """The caller's role and partner as the database has them now."""
    if principal.kind == "user":
        user = await session.execute(
            select(User.role, User.partner_id).where(User.id == principal.id)
        )
        row = user.one_or_none()
        return (row[0], row[1]) if row is not None else None
    if principal.kind == "client":
        partner = await session.scalar(
            select(ApiClient.partner_id).where(ApiClient.id == principal.id)
        )
        return (Role.partner, partner) if partner is not None else None
    return None


async def _why_not(
    session: AsyncSession,
    *,
    principal: Principal,
    records: dict[str, list[str]],
    request_state: Any,
) -> str | None:
    """In the caller's transaction: why the caller may not have the answer now, or None;
    then each record it shows is audited as read again (kept if it commits).

    The account is read, not just the token: a token issued before a demotion still names
    the old role for its lifetime, and must not replay the old role's answers. A token
    whose account is gone is the token check's to refuse (its generation), as for every
    other request; tokens are stateless here, so no account row is not a refusal."""
    if records:
        await begin_audited_read(session)
    holder = await _holder(session, principal)
    if holder is not None and holder != (principal.role, principal.partner_id):
        return "your role or partner has changed since this token was issued"
    if principal.is_partner:
        for entity, ids in records.items():
            model = _model(entity)
            wanted = {uuid.UUID(i) for i in ids}
            stmt = scoped(
                select(func.count()).select_from(model).where(model.id.in_(wanted)),
                model,
                principal,
            )
            if await session.scalar(stmt) != len(wanted):
                return "you no longer see a record it shows"
    session.info["principal"] = principal
    session.info["request_state"] = request_state
    for entity, ids in records.items():
        record_replayed_reads(session, entity=entity, ids=ids)
    return None
