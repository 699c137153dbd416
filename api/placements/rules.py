"""The placement rules, for every writer: the dashboard's endpoints, imports and partner
events all create and change stays through ``write``.

- nights ``startDate <= d < endDate``; ``endDate > startDate``; ``endReason`` is given
  exactly when ``endDate`` is (a stay that ends says why);
- within the location's open dates: the first night is on or after ``openedOn``; at a
  location with a ``closedOn`` the stay must end by then (``endDate <= closedOn``: the
  closing day is the departure day, its night is not available);
- one participant's stays never overlap;
- an ``unaccompanied_minor`` has a date of birth and is under 18 on ``startDate``;
- an anonymised participant's stays are frozen (no new or changed stays);
- occupancy never above capacity on any night the write adds, unless an admin sends a
  ``capacityOverride`` with a reason (kept on the stay and audited).

The location row and then the participant row are locked before anything is checked,
so two writers racing for the last place are serialised (see ``lock_location``). The
capacity check runs after the flush, on what the transaction now holds; a refusal
raises, and the request's transaction is rolled back: nothing is half-written.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from api.audit.service import record
from api.auth.principal import Principal
from api.errors import BadRequest, Conflict, FieldProblem, Forbidden, field_problem
from api.models import EndReason, Group, Location, Participant, Placement, Role
from api.occupancy import first_day_over_capacity, lock_location

PROBLEM = "urn:opvang:problem:"


@dataclass(frozen=True, slots=True)
class Stay:
    """What a stay should be after the write (all fields, merged for a change)."""

    participant_id: uuid.UUID
    location_id: uuid.UUID
    start_date: date
    end_date: date | None
    end_reason: EndReason | None


def _date_problems(stay: Stay) -> list[FieldProblem]:
    problems = []
    if stay.end_date is not None and stay.end_date <= stay.start_date:
        problems.append(
            field_problem("body", "endDate", "Must be after startDate (it is the departure day).")
        )
    if stay.end_date is None and stay.end_reason is not None:
        problems.append(field_problem("body", "endReason", "Only a stay with an endDate has one."))
    if stay.end_date is not None and stay.end_reason is None:
        problems.append(field_problem("body", "endReason", "Required when endDate is set."))
    return problems


def _eighteenth_birthday(born: date) -> date:
    try:
        return born.replace(year=born.year + 18)
    except ValueError:  # born on 29 February
        return date(born.year + 18, 3, 1)


def _check_open(location: Location, stay: Stay) -> None:
    if stay.start_date < location.opened_on:
        raise Conflict(
            f"The location opens on {location.opened_on}; the stay starts {stay.start_date}.",
            type_=PROBLEM + "outside-open-dates",
            extra={"field": "startDate", "day": stay.start_date.isoformat()},
        )
    closed = location.closed_on
    if closed is not None and (stay.end_date is None or stay.end_date > closed):
        raise Conflict(
            f"The location closes on {closed} (its last night is the one before); the stay "
            "must end on or before that day.",
            type_=PROBLEM + "outside-open-dates",
            extra={"field": "endDate", "day": closed.isoformat()},
        )


def _check_person(person: Participant, stay: Stay, *, starts_anew: bool) -> None:
    if person.anonymised_at is not None:
        raise Conflict(
            "The participant has been anonymised; their stays can no longer change.",
            type_=PROBLEM + "participant-anonymised",
            extra={"field": "participantId"},
        )
    if person.group is not Group.unaccompanied_minor or not starts_anew:
        return
    if person.date_of_birth is None:
        raise Conflict(
            "An unaccompanied minor needs a date of birth before a stay can start.",
            type_=PROBLEM + "minor-age",
            extra={"field": "participantId"},
        )
    if stay.start_date >= _eighteenth_birthday(person.date_of_birth):
        raise Conflict(
            "An unaccompanied minor must be under 18 on the stay's startDate.",
            type_=PROBLEM + "minor-age",
            extra={"field": "startDate", "day": stay.start_date.isoformat()},
        )


async def _check_overlap(session: AsyncSession, stay: Stay, own_id: uuid.UUID | None) -> None:
    stmt = select(Placement.id, Placement.start_date).where(
        Placement.participant_id == stay.participant_id,
        or_(Placement.end_date.is_(None), Placement.end_date > stay.start_date),
    )
    if stay.end_date is not None:
        stmt = stmt.where(Placement.start_date < stay.end_date)
    if own_id is not None:
        stmt = stmt.where(Placement.id != own_id)
    other = (await session.execute(stmt.order_by(Placement.start_date).limit(1))).first()
    if other is not None:
        night = max(stay.start_date, other.start_date)
        raise Conflict(
            f"The participant already has stay {other.id} on the night of {night}.",
            type_=PROBLEM + "placement-overlap",
            extra={"placementId": str(other.id), "day": night.isoformat()},
        )


def _added_nights(stay: Stay, before: Stay | None) -> list[tuple[date, date | None]]:
    """The nights this write adds to the location: all of them for a new stay or a move,
    otherwise only the extension (a shortened stay never breaks capacity)."""
    if before is None or before.location_id != stay.location_id:
        return [(stay.start_date, stay.end_date)]
    ranges: list[tuple[date, date | None]] = []
    if stay.start_date < before.start_date:
        end = before.start_date if stay.end_date is None else min(stay.end_date, before.start_date)
        ranges.append((stay.start_date, end))
    if before.end_date is not None and (stay.end_date is None or stay.end_date > before.end_date):
        ranges.append((max(stay.start_date, before.end_date), stay.end_date))
    return [(a, b) for a, b in ranges if b is None or a < b]


async def write(
    session: AsyncSession,
    *,
    stay: Stay,
    actor: Principal,
    override_reason: str | None = None,
    placement: Placement | None = None,
) -> Placement:
    """Create (``placement=None``) or change a stay, applying every rule."""
    if override_reason is not None and actor.role is not Role.admin:
        raise Forbidden("Only an admin may place above capacity (capacityOverride).")
    problems = _date_problems(stay)
    location = await lock_location(session, stay.location_id)
    if location is None:
        problems.append(field_problem("body", "locationId", "There is no such location."))
    person = (
        await session.execute(
            select(Participant).where(Participant.id == stay.participant_id).with_for_update()
        )
    ).scalar_one_or_none()
    if person is None:
        problems.append(field_problem("body", "participantId", "There is no such participant."))
    if problems or location is None or person is None:
        raise BadRequest(
            f"The stay has {len(problems)} invalid value(s); see errors.",
            type_=PROBLEM + "invalid-input",
            errors=problems,
        )
    before = None
    if placement is not None:
        before = Stay(
            placement.participant_id,
            placement.location_id,
            placement.start_date,
            placement.end_date,
            placement.end_reason,
        )
    _check_person(person, stay, starts_anew=before is None or before.start_date != stay.start_date)
    _check_open(location, stay)
    await _check_overlap(session, stay, placement.id if placement else None)

    if placement is None:
        placement = Placement(participant_id=stay.participant_id)
        session.add(placement)
    placement.location_id = stay.location_id
    placement.start_date = stay.start_date
    placement.end_date = stay.end_date
    placement.end_reason = stay.end_reason
    if override_reason is not None:
        placement.capacity_override_reason = override_reason
    await session.flush()

    for first, end in _added_nights(stay, before):
        over = await first_day_over_capacity(session, location_id=location.id, start=first, end=end)
        if over is None:
            continue
        if override_reason is None:
            raise Conflict(
                f"Location '{location.name}' would hold {over.occupied} people on {over.day} "
                f"with {over.capacity} places.",
                type_=PROBLEM + "over-capacity",
                extra={
                    "locationId": str(location.id),
                    "day": over.day.isoformat(),
                    "occupied": over.occupied,
                    "capacity": over.capacity,
                },
            )
        record(
            session,
            action="capacity_override",
            entity="placements",
            entity_id=placement.id,
            details={
                "locationId": str(location.id),
                "firstDay": over.day.isoformat(),
                "occupied": over.occupied,
                "capacity": over.capacity,
            },
        )
        break
    return placement
