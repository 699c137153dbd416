"""The rules, per event, against the batch's state: the placement and participant
rules every writer obeys, checked in memory so that a later event sees what an earlier
one in the same batch did. Capacity is the one rule a partner's event does not obey
(see ``capacity``).

Scope: a partner places, transfers and ends stays only at the locations it operates
(``locationCode`` is looked up among those only); a guardian reads its wards but does
not move them. An ``update`` reaches only people in the partner's world (a stay at its
location, open or recently ended, or its guardianship), and no event changes a known
person's group or guardian (``participants.guardianship``). A location outside the scope
is answered as unknown, and nothing is said about identifiers before the scope is
established, so neither leaks.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from pydantic.alias_generators import to_camel

from api.models import DutchLevel, EmploymentStatus, EndReason, ProgressField
from api.participants import guardianship
from api.participants import rulebook as participant_rules
from api.partner_events.parsing import Outcome
from api.partner_events.schemas import DepartureEvent, IntakeEvent, TransferEvent, UpdateEvent
from api.partner_events.state import DETAILS, Batch, Person, Place, Stay
from api.placements import rulebook
from api.placements.rulebook import Other

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


def _check_details(out: Outcome, batch: Batch, person: Person | None, sent: dict[str, Any]) -> bool:
    """The participant rules on the details an event sends (``participants.rulebook``): a
    new person's record -- an unaccompanied minor's date of birth and guardian, a
    guardianship organisation --; a known person's group and guardian are not the
    partner's to change. True when the record is fine."""
    before = person.details if person is not None else {}
    merged = {**before, **sent}
    found = len(out.problems)
    for name in sorted(NOT_NULL & sent.keys()):
        if sent[name] is None:
            out.problem(f"participant.{to_camel(name)}", "This field cannot be cleared.")
    if person is None:
        guardian = merged.get("guardian_partner_id")
        problems = participant_rules.registration(
            group=merged.get("group"),
            born=merged.get("date_of_birth"),
            guardian_id=guardian,
            guardian_kind=batch.partners.get(guardian),  # type: ignore[arg-type]
            check_guardian=True,
        )
    else:
        # A cleared group is answered above already.
        kept = {k: v for k, v in sent.items() if v is not None or k not in NOT_NULL}
        problems = guardianship.frozen_for_events(before, kept)
        if "date_of_birth" in sent:
            problems += participant_rules.record_shape(
                group=merged.get("group"),
                born=merged.get("date_of_birth"),
                guardian_id=merged.get("guardian_partner_id"),
                check_guardian=False,
            )
    for name, message in problems:
        out.problem(f"participant.{name}", message, participant_rules.INVALID)
    return len(out.problems) == found


# A stay rule's field (the API's name) as an event names it.
EVENT_FIELDS = {
    "startDate": "occurredOn",
    "endDate": "occurredOn",
    "endReason": "endReason",
    "participantId": "participant.externalRef",
}


def _report(
    out: Outcome, problems: list[rulebook.Problem], location_field: str = "locationId"
) -> None:
    for problem in problems:
        name = EVENT_FIELDS.get(problem.field, location_field)
        out.problem(name, problem.detail, problem.type)


def _check_age(out: Outcome, details: dict[str, Any]) -> None:
    """A stay starts on ``occurredOn``: an unaccompanied minor is under 18 then."""
    _report(
        out,
        rulebook.person(
            group=details.get("group"),
            born=details.get("date_of_birth"),
            anonymised=False,
            start=out.event.occurred_on,  # type: ignore[union-attr]
            starts_anew=True,
        ),
    )


def _check_v_number(
    out: Outcome, batch: Batch, pid: uuid.UUID | None, sent: dict[str, Any]
) -> None:
    """Checked only once the partner may place the person: the answer then says no more
    than that the number is taken, never by whom (the same for any holder)."""
    v_number = sent.get("v_number")
    if v_number is not None and batch.v_numbers.get(v_number, pid) != pid:
        out.problem(
            "participant.vNumber",
            "This vNumber is already registered in opvang; the municipality's coordinators "
            "can link the records.",
        )


ANONYMISED = rulebook.person(
    group=None, born=None, anonymised=True, start=date.min, starts_anew=False
)


def _target(out: Outcome, batch: Batch, event: IntakeEvent | TransferEvent) -> Place | None:
    """The location the event places the person at: one the partner operates. A guardian
    does not place its wards: staff do that."""
    if event.location_code is not None:
        place = batch.by_code.get(event.location_code)
        if place is None:
            out.problem("locationCode", "None of the locations you operate has this code.")
        return place
    place = batch.places.get(event.location_id)  # type: ignore[arg-type]
    if place is None or place.operator != batch.partner_id:
        # Unknown and out of scope read the same: another partner's location does not leak.
        out.problem("locationId", "None of the locations you operate has this id.")
        return None
    return place


def _check_new_stay(
    out: Outcome, batch: Batch, place: Place, start: date, stays: list[Stay], skip: Stay | None
) -> None:
    """An open-ended stay from ``start``: the location's open dates and the person's other
    stays (another partner's is not named: the partner cannot read it)."""
    others = [
        Other(
            other.id,
            other.start,
            other.end,
            batch.places[other.location_id].operator == batch.partner_id,
        )
        for other in stays
        if other is not skip
    ]
    _report(
        out,
        rulebook.open_dates(place.opened_on, place.closed_on, start, None)
        or rulebook.overlap(start, None, others),
    )


def _open_stay(out: Outcome, batch: Batch, pid: uuid.UUID, what: str) -> Stay | None:
    open_stays = [s for s in batch.stays.get(pid, []) if s.end is None]
    if not open_stays:
        out.problem("participant.externalRef", f"The person has no open stay to {what}.")
        return None
    stay = open_stays[0]
    place = batch.places[stay.location_id]
    if place.operator != batch.partner_id:
        # Also for a guardian: it reads its wards' stays, staff move them.
        out.problem(
            "participant.externalRef",
            "The person's current stay is at a location you do not operate.",
        )
        return None
    day = out.event.occurred_on  # type: ignore[union-attr]
    # The stay ends on ``day``: as a stay's end in the API (after its start, and by the
    # location's closing day).
    ending = rulebook.dates(stay.start, day, EndReason.other)
    _report(out, ending or rulebook.open_dates(place.opened_on, place.closed_on, stay.start, day))
    return stay


def _known(out: Outcome, batch: Batch) -> Person | None:
    pid = batch.refs.get(out.event.participant.external_ref)  # type: ignore[union-attr]
    if pid is None:
        out.problem("participant.externalRef", NO_INTAKE)
        return None
    person = batch.persons[pid]
    if person.anonymised:
        _report(out, ANONYMISED)
        return None
    return person


def _in_world(batch: Batch, person: Person) -> bool:
    """The partner guards the person, or runs the location of a stay of theirs that is
    open or ended within the visibility window (as ``Participant.partner_scope``)."""
    if person.details.get("guardian_partner_id") == batch.partner_id:
        return True
    return any(
        batch.places[stay.location_id].operator == batch.partner_id
        and (stay.end is None or stay.end > batch.visible_since)
        for stay in batch.stays.get(person.id, [])
    )


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
        _report(out, ANONYMISED)
        return
    if _check_details(out, batch, person, sent):
        _check_age(out, {**(person.details if person else {}), **sent})
    place = _target(out, batch, event)
    if place is None:
        return  # nothing more is said about a person the partner may not place
    _check_v_number(out, batch, pid, sent)
    stays = batch.stays.get(pid, []) if pid is not None else []
    _check_new_stay(out, batch, place, event.occurred_on, stays, None)
    if out.problems:
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
    current = _open_stay(out, batch, person.id, "transfer from")
    place = _target(out, batch, event)
    if current is not None and place is not None:
        if place.id == current.location_id:
            out.problem(_location_field(event), "The person already stays at this location.")
        stays = batch.stays.get(person.id, [])
        _check_new_stay(out, batch, place, event.occurred_on, stays, current)
    _check_age(out, person.details)
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
    current = _open_stay(out, batch, person.id, "end")
    if out.problems or current is None:
        return
    _close(current, event.occurred_on, event.end_reason)
    batch.applied.append((out, person.id))


def _update(out: Outcome, batch: Batch, event: UpdateEvent) -> None:
    person = _known(out, batch)
    if person is None:
        return
    if not _in_world(batch, person):
        out.problem(
            "participant.externalRef",
            "The person is no longer in your care (no current or recent stay at a location "
            "you operate); the municipality's coordinators keep their record.",
        )
        return
    sent = _details_sent(event)
    _check_details(out, batch, person, sent)
    _check_v_number(out, batch, person.id, sent)
    if out.problems:
        return
    _set_details(batch, person, sent, event.occurred_on)
    _remember_v_number(batch, person.id, sent)
    batch.applied.append((out, person.id))
