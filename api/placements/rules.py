"""Writing one stay through the API, with the rules of ``rulebook`` (shared with partner
events and the bulk import):

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
from api.errors import BadRequest, Conflict, Forbidden, field_problem
from api.models import EndReason, Location, Participant, Placement, Role
from api.occupancy import first_day_over_capacity, lock_location
from api.placements import rulebook
from api.placements.rulebook import Other


@dataclass(frozen=True, slots=True)
class Stay:
    """What a stay should be after the write (all fields, merged for a change)."""

    participant_id: uuid.UUID
    location_id: uuid.UUID
    start_date: date
    end_date: date | None
    end_reason: EndReason | None


async def _refuse(session: AsyncSession, problem: rulebook.Problem, location: Location) -> Conflict:
    """A rule's refusal as the API answers it: 409 with the rule's type and field, and
    what a sentence about it needs: the location's name, and for an overlap the other
    stay's location and first night."""
    extra: dict[str, object] = {"field": problem.field}
    if problem.day is not None:
        extra["day"] = problem.day.isoformat()
    if problem.type == rulebook.OUTSIDE_OPEN_DATES:
        extra["locationId"] = str(location.id)
        extra["locationName"] = location.name
    if problem.placement_id is not None:
        extra["placementId"] = str(problem.placement_id)
        other = (
            await session.execute(
                select(Placement.start_date, Location.id, Location.name)
                .join(Location, Location.id == Placement.location_id)
                .where(Placement.id == problem.placement_id)
            )
        ).first()
        if other is not None:
            extra["placementStartDate"] = other.start_date.isoformat()
            extra["placementLocationId"] = str(other.id)
            extra["placementLocationName"] = other.name
    return Conflict(problem.detail, type_=problem.type, extra=extra)


async def _others(session: AsyncSession, stay: Stay, own_id: uuid.UUID | None) -> list[Other]:
    """The person's other stays that could share a night with ``stay``."""
    stmt = select(Placement.id, Placement.start_date, Placement.end_date).where(
        Placement.participant_id == stay.participant_id,
        or_(Placement.end_date.is_(None), Placement.end_date > stay.start_date),
    )
    if stay.end_date is not None:
        stmt = stmt.where(Placement.start_date < stay.end_date)
    if own_id is not None:
        stmt = stmt.where(Placement.id != own_id)
    return [Other(*row) for row in await session.execute(stmt)]


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
    problems = [
        field_problem("body", p.field, p.detail)
        for p in rulebook.dates(stay.start_date, stay.end_date, stay.end_reason)
    ]
    location = await lock_location(session, stay.location_id)
    if location is None:
        problems.append(
            field_problem("body", "locationId", "There is no such location.", code="not_found")
        )
    person = (
        await session.execute(
            select(Participant).where(Participant.id == stay.participant_id).with_for_update()
        )
    ).scalar_one_or_none()
    if person is None:
        problems.append(
            field_problem(
                "body", "participantId", "There is no such participant.", code="not_found"
            )
        )
    if problems or location is None or person is None:
        raise BadRequest(
            f"The stay has {len(problems)} invalid value(s); see errors.",
            type_=rulebook.INVALID,
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
    refused = [
        *rulebook.person(
            group=person.group,
            born=person.date_of_birth,
            anonymised=person.anonymised_at is not None,
            start=stay.start_date,
            starts_anew=before is None or before.start_date != stay.start_date,
        ),
        *rulebook.open_dates(
            location.opened_on, location.closed_on, stay.start_date, stay.end_date
        ),
    ]
    if not refused:
        others = await _others(session, stay, placement.id if placement else None)
        refused = rulebook.overlap(stay.start_date, stay.end_date, others)
    if refused:
        raise await _refuse(session, refused[0], location)

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
            full = rulebook.over_capacity(location.name, over.day, over.occupied, over.capacity)
            raise Conflict(
                full.detail,
                type_=full.type,
                extra={
                    "field": full.field,
                    "locationId": str(location.id),
                    "locationName": location.name,
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
