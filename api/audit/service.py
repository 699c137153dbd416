"""Recording audit events.

Writes through the ORM are recorded automatically by a ``before_flush`` hook, so no
service can forget them; reads of a person's record and actions that are not row writes
(sign-ins, overrides, imports) are recorded explicitly with ``record``.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from sqlalchemy import event, inspect
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from api.auth.principal import SYSTEM, Principal
from api.db import take_write_lock
from api.models import AuditEvent, Entity

# Bookkeeping columns: their change is implied by any update.
_IGNORED_FIELDS = frozenset({"updated_at", "version", "created_at"})
# Records whose reads are audited: an answer that shows one, replayed for an
# Idempotency-Key, is audited as a read again (``api.idempotency_access``).
PERSON_RECORDS = frozenset({"participants"})
# On the request's state: the (entity, id) of each person record the request read or
# wrote, for the Idempotency-Key middleware to store with the answer.
SHOWN_RECORDS = "shown_records"


def _actor(info: dict[str, Any]) -> Principal:
    principal = info.get("principal") or getattr(info.get("request_state"), "principal", None)
    return principal if isinstance(principal, Principal) else SYSTEM


def _request_id(info: dict[str, Any]) -> str | None:
    request_id = getattr(info.get("request_state"), "request_id", None)
    return str(request_id) if request_id else None


def _event(
    info: dict[str, Any],
    *,
    action: str,
    entity: str,
    entity_id: object,
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    actor = _actor(info)
    return AuditEvent(
        actor_type=actor.kind,
        actor_id=str(actor.id) if actor.id else info.get("actor_label"),
        actor_role=actor.role.value,
        partner_id=str(actor.partner_id) if actor.partner_id else None,
        action=action,
        entity=entity,
        entity_id=str(entity_id) if entity_id is not None else None,
        request_id=_request_id(info),
        details=details,
    )


def record(
    session: AsyncSession,
    *,
    action: str,
    entity: str,
    entity_id: object = None,
    details: dict[str, Any] | None = None,
    info: dict[str, Any] | None = None,
) -> None:
    """Add one audit event to the caller's transaction (kept only if it commits).
    ``info``: the session info of the request it belongs to, when that request's work is
    written in another's transaction (a group of partner batches); default the session's."""
    session.add(
        _event(
            session.info if info is None else info,
            action=action,
            entity=entity,
            entity_id=entity_id,
            details=details,
        )
    )


async def begin_audited_read(session: AsyncSession) -> None:
    """Call first in a read that ends with ``record_reads``. On SQLite the read would
    otherwise start a snapshot and its audit write then fail on it as stale whenever another
    request committed in between (parallel reads of the dashboard: 503s), so it takes the
    write lock before reading; on PostgreSQL this does nothing."""
    await take_write_lock(session)


def _note_shown(info: dict[str, Any], entity: str, ids: Iterable[object]) -> None:
    state = info.get("request_state")
    if state is None:
        return
    shown: set[tuple[str, str]] | None = getattr(state, SHOWN_RECORDS, None)
    if shown is None:
        shown = set()
        setattr(state, SHOWN_RECORDS, shown)
    shown.update((entity, str(i)) for i in ids)


def record_reads(session: AsyncSession, *, entity: str, ids: Iterable[object]) -> None:
    """One event per record read, so "who saw this person's record" has an answer. Begin
    the read with ``begin_audited_read``."""
    ids = list(ids)
    _note_shown(session.info, entity, ids)
    session.add_all(_event(session.info, action="read", entity=entity, entity_id=i) for i in ids)


def record_replayed_reads(session: AsyncSession, *, entity: str, ids: Iterable[object]) -> None:
    """The reads of a stored answer handed out again for its Idempotency-Key: the same
    events as the fresh read, marked as a replay."""
    session.add_all(
        _event(session.info, action="read", entity=entity, entity_id=i, details={"replay": True})
        for i in ids
    )


def _entity_name(obj: Entity) -> str:
    return str(inspect(obj).mapper.local_table.description)


def _changed_fields(obj: Entity) -> list[str]:
    state = inspect(obj)
    return sorted(
        attr.key
        for attr in state.mapper.column_attrs
        if attr.key not in _IGNORED_FIELDS and state.attrs[attr.key].history.has_changes()
    )


def _audit_flush(session: Session, _context: Any, _instances: Any) -> None:
    events: list[AuditEvent] = []
    for obj in session.new:
        if isinstance(obj, Entity):
            if obj.id is None:
                obj.id = uuid.uuid4()
            entity = _entity_name(obj)
            events.append(_event(session.info, action="create", entity=entity, entity_id=obj.id))
            if entity in PERSON_RECORDS:  # the answer to a create shows the record
                _note_shown(session.info, entity, [obj.id])
    for obj in session.dirty:
        if isinstance(obj, Entity) and session.is_modified(obj, include_collections=False):
            fields = _changed_fields(obj)
            if fields:
                entity = _entity_name(obj)
                events.append(
                    _event(
                        session.info,
                        action="update",
                        entity=entity,
                        entity_id=obj.id,
                        details={"fields": fields},
                    )
                )
                if entity in PERSON_RECORDS:
                    _note_shown(session.info, entity, [obj.id])
    for obj in session.deleted:
        if isinstance(obj, Entity):
            events.append(
                _event(session.info, action="delete", entity=_entity_name(obj), entity_id=obj.id)
            )
    session.add_all(events)


def install_audit_hook() -> None:
    if not event.contains(Session, "before_flush", _audit_flush):
        event.listen(Session, "before_flush", _audit_flush)
