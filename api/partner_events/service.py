"""Applying a batch of partner events, set-based: the flow the router calls.

A batch is checked as a whole against what the database holds, with a fixed number of
statements whatever its size: the partner's applied event ids here, the rest in
``state``. The events are then played in order against that picture in memory, each
checked by the placement and participant rules (``rules``); the valid ones are written
with multi-row Core statements and recorded in the change feed (``writing``), and a
location they overfill raises a signal instead of a refusal (``capacity``).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from api.auth.principal import Principal
from api.db import take_write_lock
from api.db.dialect import sql_of
from api.errors import Conflict, Forbidden, ProblemType
from api.models import AppliedPartnerEvent, Partner
from api.partner_events import queue, rules
from api.partner_events.parsing import parse_all, refuse_malformed
from api.partner_events.state import load_batch
from api.partner_events.writing import write_batch


async def apply(
    session: AsyncSession,
    *,
    events: list[Any],
    actor: Principal,
    atomic: bool,
    queue_timeout: float = 30.0,
) -> list[dict[str, Any]]:
    """Apply a batch, answering one result per event in the shape of
    ``PartnerEventResult`` (plain dicts: built once, sent as they are). Raise a 409
    carrying the results when ``atomic`` and any event is rejected, and a 400 carrying
    them when not ``atomic`` and any event breaks the schema (nothing is written
    then). A batch waits at most ``queue_timeout`` seconds behind the partner's earlier
    batches in this process (``queue``), then 503."""
    partner_id = actor.partner_id
    if partner_id is None:
        raise Forbidden("Only a partner's system or user may post partner events.")
    outcomes = parse_all(events)
    seen: set[str] = set()
    for out in outcomes:
        if out.event_id is None:
            continue
        if out.event_id in seen:
            out.problem("eventId", "This eventId appears earlier in the batch.")
            out.event = None
        seen.add(out.event_id)
    if not atomic and any(out.malformed for out in outcomes):
        refuse_malformed(outcomes)
    # The partner's batches queue in this process without a connection (``queue``);
    # then SQLite: the write lock; PostgreSQL: the partner's row, which orders them
    # across processes. Event ids and references are decided one batch at a time.
    await queue.enter(session, partner_id, wait_seconds=queue_timeout)
    await take_write_lock(session)
    await session.execute(select(Partner.id).where(Partner.id == partner_id).with_for_update())

    ids = [out.event_id for out in outcomes if out.event is not None and not out.problems]
    sql = sql_of(session)
    if ids:
        done = set(
            (
                await session.scalars(
                    sql.by_keys(
                        AppliedPartnerEvent.partner_id,
                        partner_id,
                        AppliedPartnerEvent.event_id,
                        ids,
                        AppliedPartnerEvent.event_id,
                    )
                )
            ).all()
        )
        for out in outcomes:
            if out.event_id in done and not out.problems:
                out.duplicate = True

    todo = [
        out for out in outcomes if out.event is not None and not out.problems and not out.duplicate
    ]
    batch = await load_batch(session, partner_id, [out.event for out in todo])  # type: ignore[misc]
    for out in todo:
        rules.play(out, batch)

    rejected = any(out.problems for out in outcomes)
    write = bool(batch.applied) and not (atomic and rejected)
    results = [
        {
            "eventId": out.event_id,
            "status": (
                "duplicate"
                if out.duplicate
                else "rejected"
                if out.problems
                else "applied"
                if write
                else "not_applied"
            ),
            "problems": [p.model_dump(by_alias=True, exclude_none=True) for p in out.problems],
        }
        for out in outcomes
    ]
    if atomic and rejected:
        count = sum(1 for r in results if r["status"] == "rejected")
        raise Conflict(
            f"{count} of {len(results)} event(s) rejected; nothing was applied (send "
            "atomic=false to apply the valid ones).",
            type_=ProblemType.PARTNER_EVENTS_REJECTED,
            extra={"results": results},
        )
    if write:
        await write_batch(session, batch, actor)
    return results
