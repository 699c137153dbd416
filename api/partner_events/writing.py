"""Writing the applied events: many rows at once (``insert_rows``: ``COPY`` on
PostgreSQL, multi-row INSERTs on SQLite) and multi-row Core updates, each record fed to
the change feed, one audit event per batch."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Table
from sqlalchemy.ext.asyncio import AsyncSession

from api.audit.service import record
from api.changes.recorder import record_changes
from api.db.raw import insert_rows, update_rows
from api.models import (
    AppliedPartnerEvent,
    ExternalRef,
    Participant,
    ParticipantProgress,
    PartnerEventType,
    Placement,
    utcnow,
)
from api.partner_events.capacity import signal_overruns
from api.partner_events.state import DETAILS, Batch, Stay


def _table(model: type[Any]) -> Table:
    table: Table = model.__table__
    return table


def _record_created(
    session: AsyncSession, model: type[Any], audiences: dict[uuid.UUID, set[uuid.UUID]]
) -> None:
    """Feed the creates with their audiences, known here, so the recorder need not
    look them up at COMMIT (two joins over the partners per batch)."""
    record_changes(
        session.sync_session,
        model,
        [(i, "create", 1) for i in audiences],
        audiences={i: sorted(partners) for i, partners in audiences.items()},
    )


async def write_batch(
    session: AsyncSession, batch: Batch, audits: list[tuple[dict[str, Any], dict[str, int]]]
) -> None:
    """Write what the batches of a group applied; ``audits``: each written batch's request
    (its session info) and counts."""
    now = utcnow()
    sync = session.sync_session
    new_people = [p for p in batch.persons.values() if p.new]
    changed_people = [p for p in batch.persons.values() if p.changed and not p.new]
    if new_people:
        await insert_rows(
            session,
            _table(Participant),
            [
                {
                    "id": p.id,
                    "reference": f"EXT-{p.id.hex}",
                    **p.details,
                    "created_at": now,
                    "updated_at": now,
                    "version": 1,
                }
                for p in new_people
            ],
        )
    if changed_people:
        await update_rows(
            session,
            _table(Participant),
            [
                {
                    "id": p.id,
                    **{name: p.details[name] for name in DETAILS},
                    "version": p.version + 1,
                    "updated_at": now,
                }
                for p in changed_people
            ],
        )
        record_changes(sync, Participant, [(p.id, "update", p.version + 1) for p in changed_people])
    if batch.new_refs:
        await insert_rows(
            session,
            _table(ExternalRef),
            [
                {
                    "partner_id": batch.partner_id,
                    "external_ref": ref,
                    "participant_id": pid,
                    "created_at": now,
                }
                for ref, pid in batch.new_refs
            ],
        )
    new_stays = [(pid, s) for pid, stays in batch.stays.items() for s in stays if s.new]
    changed_stays = [(pid, s) for pid, stays in batch.stays.items() for s in stays if s.changed]
    if new_stays:
        await insert_rows(
            session,
            _table(Placement),
            [
                {
                    "id": s.id,
                    "participant_id": pid,
                    "location_id": s.location_id,
                    "start_date": s.start,
                    "end_date": s.end,
                    "end_reason": s.end_reason,
                    "capacity_override_reason": None,
                    "created_at": now,
                    "updated_at": now,
                    "version": 1,
                }
                for pid, s in new_stays
            ],
        )
    if new_people:
        _record_created(
            session,
            Participant,
            {p.id: _watchers(batch, p.id, batch.stays.get(p.id, [])) for p in new_people},
        )
    if new_stays:
        _record_created(
            session, Placement, {s.id: _watchers(batch, pid, [s]) for pid, s in new_stays}
        )
    if changed_stays:
        await update_rows(
            session,
            _table(Placement),
            [
                {
                    "id": s.id,
                    "end_date": s.end,
                    "end_reason": s.end_reason,
                    "version": s.version + 1,
                    "updated_at": now,
                }
                for _pid, s in changed_stays
            ],
        )
        record_changes(
            sync,
            Placement,
            [(s.id, "update", s.version + 1) for _pid, s in changed_stays],
            audiences={s.id: sorted(_watchers(batch, pid, [s])) for pid, s in changed_stays},
        )
    if batch.progress:
        await insert_rows(
            session,
            _table(ParticipantProgress),
            [{**row, "recorded_at": now} for row in batch.progress],
        )
    await insert_rows(
        session,
        _table(AppliedPartnerEvent),
        [
            {
                "partner_id": batch.partner_id,
                "event_id": out.event_id,
                "type": PartnerEventType(out.event.type),  # type: ignore[union-attr]
                "occurred_on": out.event.occurred_on,  # type: ignore[union-attr]
                "participant_id": pid,
                "applied_at": now,
            }
            for out, pid in batch.applied
        ],
    )
    # One audit event for each batch written, in its own request's name (the rows are
    # written without the ORM's audit hook); the applied events and the change feed name
    # every record it touched.
    for info, counts in audits:
        record(session, action="partner_events", entity="partner_events", details=counts, info=info)
    await signal_overruns(session, batch, [(s.location_id, s.start) for _, s in new_stays], now)


def _watchers(batch: Batch, pid: uuid.UUID, stays: list[Stay]) -> set[uuid.UUID]:
    """The partners that may see a person or stay the batch wrote (``partner_scope`` of
    both, so the feed need not look them up at COMMIT): the person's guardian and the
    operators of the locations of the stays that are open or ended within the
    operator's visibility window (``Placement.visible_to_operator``)."""
    found = {
        batch.places[s.location_id].operator
        for s in stays
        if s.end is None or s.end > batch.visible_since
    }
    guardian = batch.persons[pid].details.get("guardian_partner_id")
    if guardian is not None:
        found.add(guardian)
    return found
