"""The rules, per event, against the batch's state: the placement and participant
rules every writer obeys, checked in memory so that a later event sees what an earlier
one in the same batch did. Capacity is the one rule a partner's event does not obey
(see ``capacity``).

Scope: a partner posts for the locations it operates (``locationCode`` is looked up
among those only) and for the unaccompanied minors it guards (their guardian may place
them at any location, by ``locationId``). A location outside the scope is answered as
unknown, so its existence does not leak.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from api.models import DutchLevel, EmploymentStatus, EndReason, Group, ProgressField
from api.participants.rules import eighteenth_birthday
from api.partner_events.parsing import Outcome
from api.partner_events.schemas import DepartureEvent, IntakeEvent, TransferEvent, UpdateEvent
from api.partner_events.state import DETAILS, Batch, Person, Place, Stay

NO_INTAKE = "No intake known for this reference; send the intake first."
# The participant columns an event may set but cannot clear.
NOT_NULL = frozenset({"group", "languages", "dutch_level", "employment_status"})
TRACKED = {
    "dutch_level": ProgressField.dutch_level,
    "employment_status": ProgressField.employment_status,
}


def play(out: Outcome, batch: Batch) -> None:
    """Play one event against the batch's state: applied to it, or its problems noted."""
    event = out.event
    if isinstance(event, IntakeEvent):
        _intake(out, batch, event)
    elif isinstance(event, TransferEvent):
        _transfer(out, batch, event)
    elif isinstance(event, DepartureEvent):
        _departure(out, batch, event)
    else:
        _update(out, batch, event)  # type: ignore[arg-type]


def _details_sent(event: IntakeEvent | UpdateEvent) -> dict[str, Any]:
    person = event.participant
    given = person.model_fields_set
    # The fields as validated (a list of languages stays a list: nothing nested to dump).
    return {name: getattr(person, name) for name in DETAILS if name in given}


def _check_details(
    out: Outcome, batch: Batch, pid: uuid.UUID | None, merged: dict[str, Any], sent: dict[str, Any]
) -> None:
    day = out.event.occurred_on  # type: ignore[union-attr]
    for name in sorted(NOT_NULL & sent.keys()):
        if sent[name] is None:
            out.problem(f"participant.{_camel(name)}", "This field cannot be cleared.")
    v_number = sent.get("v_number")
    if v_number is not None and batch.v_numbers.get(v_number, pid) != pid:
        out.problem("participant.vNumber", "Another participant already has this vNumber.")
    guardian = sent.get("guardian_partner_id")
    if guardian is not None and guardian not in batch.partners:
        out.problem("participant.guardianPartnerId", "There is no partner with this id.")
    if merged.get("group") is Group.unaccompanied_minor:
        if merged.get("guardian_partner_id") is None:
            out.problem(
                "participant.guardianPartnerId", "An unaccompanied minor requires a guardian."
            )
        born = merged.get("date_of_birth")
        if born is None:
            out.problem(
                "participant.dateOfBirth", "An unaccompanied minor requires a date of birth."
            )
        elif eighteenth_birthday(born) <= day:
            out.problem(
                "participant.dateOfBirth",
                f"An unaccompanied minor must be under 18 on occurredOn ({day}).",
            )


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.capitalize() for part in rest)


def _target(
    out: Outcome, batch: Batch, event: IntakeEvent | TransferEvent, person: dict[str, Any]
) -> Place | None:
    """The location the event places the person at, if the partner may place there."""
    if event.location_code is not None:
        place = batch.by_code.get(event.location_code)
        if place is None:
            out.problem("locationCode", "None of the locations you operate has this code.")
        return place
    place = batch.places.get(event.location_id)  # type: ignore[arg-type]
    guards = (
        person.get("group") is Group.unaccompanied_minor
        and person.get("guardian_partner_id") == batch.partner_id
    )
    if place is None or (place.operator != batch.partner_id and not guards):
        # Unknown and out of scope read the same: another partner's location does not leak.
        out.problem(
            "locationId",
            "No location you may place at has this id (you place at the locations you "
            "operate, and a guardian its unaccompanied minors anywhere).",
        )
        return None
    return place


def _check_new_stay(
    out: Outcome, place: Place, start: date, stays: list[Stay], skip: Stay | None
) -> None:
    if start < place.opened_on:
        out.problem(
            "occurredOn", f"The location opens on {place.opened_on}; the stay would start {start}."
        )
    if place.closed_on is not None:
        out.problem(
            "occurredOn",
            f"The location closes on {place.closed_on}; it takes no open-ended stays.",
        )
    for other in stays:
        if other is skip:
            continue
        if other.end is None or other.end > start:
            night = max(start, other.start)
            out.problem(
                "occurredOn",
                f"The person already has stay {other.id} on the night of {night}.",
            )
            return


def _open_stay(
    out: Outcome, batch: Batch, pid: uuid.UUID, person: Person, what: str
) -> Stay | None:
    open_stays = [s for s in batch.stays.get(pid, []) if s.end is None]
    if not open_stays:
        out.problem("participant.externalRef", f"The person has no open stay to {what}.")
        return None
    stay = open_stays[0]
    place = batch.places[stay.location_id]
    guards = person.details.get("guardian_partner_id") == batch.partner_id
    if place.operator != batch.partner_id and not guards:
        out.problem(
            "participant.externalRef",
            "The person's current stay is at a location you do not operate.",
        )
        return None
    day = out.event.occurred_on  # type: ignore[union-attr]
    if day <= stay.start:
        out.problem("occurredOn", f"Must be after the current stay's first day ({stay.start}).")
    if place.closed_on is not None and day > place.closed_on:
        out.problem(
            "occurredOn", f"The location closed on {place.closed_on}; the stay ends by then."
        )
    return stay


def _known(out: Outcome, batch: Batch) -> Person | None:
    pid = batch.refs.get(out.event.participant.external_ref)  # type: ignore[union-attr]
    if pid is None:
        out.problem("participant.externalRef", NO_INTAKE)
        return None
    person = batch.persons[pid]
    if person.anonymised:
        out.problem(
            "participant.externalRef",
            "The person has been anonymised; their record and stays can no longer change.",
        )
        return None
    return person


def _track(
    batch: Batch,
    pid: uuid.UUID,
    before: dict[str, Any],
    after: dict[str, Any],
    sent: dict[str, Any],
    day: date,
) -> None:
    for name, progress_field in TRACKED.items():
        if name in sent and (before.get(name) != after[name] or not before):
            batch.progress.append(
                {
                    "participant_id": pid,
                    "field": progress_field,
                    "value": str(after[name]),
                    "valid_from": day,
                }
            )


def _intake(out: Outcome, batch: Batch, event: IntakeEvent) -> None:
    sent = _details_sent(event)
    pid = batch.refs.get(event.participant.external_ref)
    person = batch.persons.get(pid) if pid is not None else None
    if person is not None and person.anonymised:
        out.problem(
            "participant.externalRef",
            "The person has been anonymised; their record and stays can no longer change.",
        )
        return
    merged = {**(person.details if person else {}), **sent}
    _check_details(out, batch, pid, merged, sent)
    place = _target(out, batch, event, merged)
    stays = batch.stays.get(pid, []) if pid is not None else []
    if place is not None:
        _check_new_stay(out, place, event.occurred_on, stays, None)
    if out.problems or place is None:
        return
    if person is None:
        defaults = dict.fromkeys(DETAILS) | {
            "languages": [],
            "dutch_level": DutchLevel.none,
            "employment_status": EmploymentStatus.not_working,
        }
        person = Person(uuid.uuid4(), {**defaults, **sent}, False, 1, new=True)
        batch.persons[person.id] = person
        batch.refs[event.participant.external_ref] = person.id
        batch.new_refs.append((event.participant.external_ref, person.id))
        _track(batch, person.id, {}, person.details, sent, event.occurred_on)
    else:
        _set_details(batch, person, sent, event.occurred_on)
    _remember_v_number(batch, person.id, sent)
    stay = Stay(uuid.uuid4(), place.id, event.occurred_on, None, None, 1, new=True)
    batch.stays.setdefault(person.id, []).append(stay)
    batch.applied.append((out, person.id))


def _set_details(batch: Batch, person: Person, sent: dict[str, Any], day: date) -> None:
    before = dict(person.details)
    person.details.update(sent)
    if person.details != before:
        person.changed = True
    _track(batch, person.id, before, person.details, sent, day)


def _remember_v_number(batch: Batch, pid: uuid.UUID, sent: dict[str, Any]) -> None:
    if sent.get("v_number") is not None:
        batch.v_numbers[sent["v_number"]] = pid


def _transfer(out: Outcome, batch: Batch, event: TransferEvent) -> None:
    person = _known(out, batch)
    if person is None:
        return
    current = _open_stay(out, batch, person.id, person, "transfer from")
    place = _target(out, batch, event, person.details)
    if current is not None and place is not None:
        if place.id == current.location_id:
            out.problem(_location_field(event), "The person already stays at this location.")
        _check_new_stay(out, place, event.occurred_on, batch.stays.get(person.id, []), current)
    _check_details(out, batch, person.id, person.details, {})
    if out.problems or current is None or place is None:
        return
    _close(current, event.occurred_on, EndReason.transfer)
    batch.stays[person.id].append(
        Stay(uuid.uuid4(), place.id, event.occurred_on, None, None, 1, new=True)
    )
    batch.applied.append((out, person.id))


def _location_field(event: IntakeEvent | TransferEvent) -> str:
    return "locationCode" if event.location_code is not None else "locationId"


def _close(stay: Stay, day: date, reason: EndReason) -> None:
    stay.end, stay.end_reason = day, reason
    if not stay.new:
        stay.changed = True


def _departure(out: Outcome, batch: Batch, event: DepartureEvent) -> None:
    person = _known(out, batch)
    if person is None:
        return
    current = _open_stay(out, batch, person.id, person, "end")
    if out.problems or current is None:
        return
    _close(current, event.occurred_on, event.end_reason)
    batch.applied.append((out, person.id))


def _update(out: Outcome, batch: Batch, event: UpdateEvent) -> None:
    person = _known(out, batch)
    if person is None:
        return
    sent = _details_sent(event)
    merged = {**person.details, **sent}
    group_set = "group" in sent and sent["group"] != person.details.get("group")
    if not group_set and "date_of_birth" not in sent and "guardian_partner_id" not in sent:
        # The minors' rules are checked when the group is set or its facts change.
        merged_check = {**merged, "group": None}
    else:
        merged_check = merged
    _check_details(out, batch, person.id, merged_check, sent)
    if out.problems:
        return
    _set_details(batch, person, sent, event.occurred_on)
    _remember_v_number(batch, person.id, sent)
    batch.applied.append((out, person.id))
