"""Applying a batch of partner events, set-based: the flow the router calls.

A batch is checked as a whole against what the database holds, with a fixed number of
statements whatever its size: the partner's applied event ids here, the rest in
``state``. The events are then played in order against that picture in memory, each
checked by the placement and participant rules (``rules``); the valid ones are written
with multi-row Core statements and recorded in the change feed (``writing``), and a
location they overfill raises a signal instead of a refusal (``capacity``).

A partner's batches queue in order (``queue``); those queued together are applied as a
group in one transaction, with the same statements as one batch: the picture is loaded
for all of them, each is played against what the ones before it left (an atomic batch
that applies nothing is taken back out of it, ``savepoint``), and each is answered as if
it had been applied alone.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from api.auth.principal import Principal
from api.db import take_write_lock
from api.db.dialect import sql_of
from api.errors import Conflict, Forbidden, ProblemType
from api.models import AppliedPartnerEvent, Partner
from api.partner_events import queue, rules, savepoint
from api.partner_events.parsing import Outcome, parse_all, refuse_malformed
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
    then). A batch waits at most ``queue_timeout`` seconds for a group to take it, behind
    the partner's earlier batches in this process (``queue``), then 503."""
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
    # The partner's batches queue in this process without a connection and are applied
    # in groups, in order (``queue``).
    work = _Work(outcomes, atomic, session.info, [len(out.problems) for out in outcomes])
    ticket = queue.Ticket(caller=(actor.kind, actor.id), size=len(outcomes), work=work)

    async def run(group: list[queue.Ticket]) -> list[Any]:
        if session.in_transaction():  # a group that failed: this batch is tried alone
            await session.rollback()
        return await _apply_group(session, partner_id, [t.work for t in group])

    results: list[dict[str, Any]] = await queue.submit(
        partner_id, ticket, run, wait_seconds=queue_timeout
    )
    return results


@dataclass(slots=True)
class _Work:
    outcomes: list[Outcome]
    atomic: bool
    # The request's session info: its audit event names the batch's own request.
    info: dict[str, Any]
    # Each event's problems before it was played: a batch whose group failed is played
    # again from there.
    parsed: list[int]

    def reset(self) -> None:
        for out, found in zip(self.outcomes, self.parsed, strict=True):
            del out.problems[found:]
            out.duplicate = False


def _ready(out: Outcome) -> bool:
    return out.event is not None and not out.problems and not out.duplicate


async def _apply_group(
    session: AsyncSession, partner_id: uuid.UUID, group: list[_Work]
) -> list[Any]:
    """Apply the batches in ``group`` in order, in ``session``'s transaction, and commit:
    one answer per batch, its results or the 409 of an atomic batch that applies nothing.
    Each batch is played against what the batches before it left."""
    for work in group:
        work.reset()
    # SQLite: the write lock; PostgreSQL: the partner's row, which orders the partner's
    # batches across processes.
    await take_write_lock(session)
    await session.execute(select(Partner.id).where(Partner.id == partner_id).with_for_update())

    ids = [out.event_id for work in group for out in work.outcomes if _ready(out)]
    sql = sql_of(session)
    done: set[str | None] = set()
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
    todo = [
        out for work in group for out in work.outcomes if _ready(out) and out.event_id not in done
    ]
    batch = await load_batch(session, partner_id, [out.event for out in todo])  # type: ignore[misc]

    answers: list[Any] = []
    audits: list[tuple[dict[str, Any], dict[str, int]]] = []
    for work in group:
        for out in work.outcomes:
            if out.event_id in done and _ready(out):
                out.duplicate = True
        todo = [out for out in work.outcomes if _ready(out)]
        point = savepoint.take(batch, [out.event for out in todo])  # type: ignore[misc]
        for out in todo:
            rules.play(out, batch)
        rejected = any(out.problems for out in work.outcomes)
        write = len(batch.applied) > point.applied and not (work.atomic and rejected)
        results = [_result(out, write) for out in work.outcomes]
        if work.atomic and rejected:
            savepoint.undo(batch, point)
            count = sum(1 for r in results if r["status"] == "rejected")
            answers.append(
                Conflict(
                    f"{count} of {len(results)} event(s) rejected; nothing was applied (send "
                    "atomic=false to apply the valid ones).",
                    type_=ProblemType.PARTNER_EVENTS_REJECTED,
                    extra={"results": results},
                )
            )
            continue
        answers.append(results)
        if write:
            audits.append((work.info, savepoint.tally(batch, point)))
            done.update(out.event_id for out, _pid in batch.applied[point.applied :])
    if batch.applied:
        await write_batch(session, batch, audits)
    await session.commit()
    return answers


def _result(out: Outcome, write: bool) -> dict[str, Any]:
    return {
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
