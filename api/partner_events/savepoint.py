"""A savepoint of the group's state in memory, taken before a batch is played.

Batches applied as a group (``queue``) are played one after another against one state
(``state.Batch``). An atomic batch with a rejected event applies nothing: ``undo`` puts
back what its valid events changed, so the next batch sees the state as it was before.
A batch changes only what its events name: the people its references point to (their
details and stays), the references and V-numbers it sends, and the lists it appends to.
The same record tells what the batch wrote, for its audit event (``tally``).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from api.models import EndReason
from api.partner_events.schemas import ParsedEvent
from api.partner_events.state import Batch, Stay, sent_values

# A stay as it was: the object and the fields an event may change.
_StayWas = tuple[Stay, date | None, EndReason | None, bool]


@dataclass(slots=True)
class Savepoint:
    refs: dict[str, uuid.UUID | None]
    details: dict[uuid.UUID, tuple[dict[str, Any], bool]]
    stays: dict[uuid.UUID, list[_StayWas] | None]
    v_numbers: dict[str, uuid.UUID | None]
    new_refs: int
    progress: int
    applied: int


def take(batch: Batch, events: list[ParsedEvent]) -> Savepoint:
    refs = {e.participant.external_ref for e in events}
    known = {batch.refs[r] for r in refs if r in batch.refs}
    return Savepoint(
        refs={r: batch.refs.get(r) for r in refs},
        details={
            pid: (dict(batch.persons[pid].details), batch.persons[pid].changed) for pid in known
        },
        stays={pid: _stays_of(batch, pid) for pid in known},
        v_numbers={v: batch.v_numbers.get(v) for v in sent_values(events, "v_number")},
        new_refs=len(batch.new_refs),
        progress=len(batch.progress),
        applied=len(batch.applied),
    )


def _stays_of(batch: Batch, pid: uuid.UUID) -> list[_StayWas] | None:
    stays = batch.stays.get(pid)
    if stays is None:
        return None
    return [(s, s.end, s.end_reason, s.changed) for s in stays]


def undo(batch: Batch, point: Savepoint) -> None:
    """Back to the state at ``point``: what the batch's events did is gone."""
    for ref, pid in point.refs.items():
        now = batch.refs.get(ref)
        if pid is None and now is not None:  # a person the batch took in
            batch.refs.pop(ref)
            batch.persons.pop(now, None)
            batch.stays.pop(now, None)
    for pid, (details, changed) in point.details.items():
        person = batch.persons[pid]
        person.details.clear()
        person.details.update(details)
        person.changed = changed
    for pid, was in point.stays.items():
        if was is None:
            batch.stays.pop(pid, None)
            continue
        for stay, end, end_reason, changed in was:
            stay.end, stay.end_reason, stay.changed = end, end_reason, changed
        batch.stays[pid] = [stay for stay, *_ in was]
    for v_number, holder in point.v_numbers.items():
        if holder is None:
            batch.v_numbers.pop(v_number, None)
        else:
            batch.v_numbers[v_number] = holder
    del batch.new_refs[point.new_refs :]
    del batch.progress[point.progress :]
    del batch.applied[point.applied :]


def tally(batch: Batch, point: Savepoint) -> dict[str, int]:
    """What the batch played since ``point`` wrote, as its audit event counts it."""
    # The people it took in: references unknown before, known now.
    created = [batch.refs[r] for r, pid in point.refs.items() if pid is None and r in batch.refs]
    new_stays = sum(len(batch.stays.get(pid, [])) for pid in created)
    updated_stays = 0
    for pid, was in point.stays.items():
        before = was or []
        new_stays += len(batch.stays.get(pid, [])) - len(before)
        updated_stays += sum(
            1 for stay, end, reason, _ in before if (stay.end, stay.end_reason) != (end, reason)
        )
    return {
        "applied": len(batch.applied) - point.applied,
        "participantsCreated": len(created),
        "participantsUpdated": sum(
            1
            for pid, (details, _) in point.details.items()
            if batch.persons[pid].details != details
        ),
        "placementsCreated": new_stays,
        "placementsUpdated": updated_stays,
    }
