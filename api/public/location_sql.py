"""The queries behind /public/locations and /public/candidate-locations: one statement
per table for all the public locations (or candidates) at once, columns only, the same
on SQLite and PostgreSQL. Never a user, a score note, an owner or a meeting's summary."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from api.models import CapacityChange, Partner
from api.models.support import Agreement, Communication, Meeting
from api.public.location_schemas import (
    PublicAgreement,
    PublicCommunication,
    PublicMeeting,
)
from api.public.schemas import PublicCount
from api.public.suppression import cell, suppress

LAST_COMMUNICATIONS = 5

Ids = Sequence[uuid.UUID]
Owner = InstrumentedAttribute[uuid.UUID | None]  # Meeting.location_id, ….candidate_id


def residents(present: int) -> PublicCount:
    """A meeting's residents present: a table of one cell, so 1 to 4 is hidden."""
    count, hidden = cell(present, "present" in suppress({"present": present}).hidden)
    return PublicCount(count=count, suppressed=hidden)


async def places_on(session: AsyncSession, days: dict[uuid.UUID, date]) -> dict[uuid.UUID, int]:
    """Each location's places on its own day (the last change on or before it)."""
    if not days:
        return {}
    rows = await session.execute(
        select(CapacityChange.location_id, CapacityChange.valid_from, CapacityChange.capacity)
        .where(CapacityChange.location_id.in_(list(days)))
        .order_by(CapacityChange.location_id, CapacityChange.valid_from)
    )
    places: dict[uuid.UUID, int] = {}
    for location_id, valid_from, capacity in rows:
        if valid_from <= days[location_id]:
            places[location_id] = capacity
    return places


async def agreements(session: AsyncSession, ids: Ids) -> dict[uuid.UUID, list[PublicAgreement]]:
    """The agreements about each location (made for it, or at a meeting about it), with
    the partner that carries them out; the owner user is never read."""
    if not ids:
        return {}
    key = func.coalesce(Agreement.location_id, Meeting.location_id)
    rows = await session.execute(
        select(
            key,
            Agreement.description,
            Agreement.status,
            Agreement.due_on,
            Agreement.done_on,
            Partner.name,
        )
        .select_from(Agreement)
        .outerjoin(Meeting, Meeting.id == Agreement.meeting_id)
        .outerjoin(Partner, Partner.id == Agreement.partner_id)
        .where(key.in_(list(ids)))
        .order_by(Agreement.due_on.is_(None), Agreement.due_on, Agreement.created_at)
    )
    result: dict[uuid.UUID, list[PublicAgreement]] = defaultdict(list)
    for location_id, description, status, due_on, done_on, partner in rows:
        result[location_id].append(
            PublicAgreement(
                description=description,
                status=status,
                due_month=due_on.strftime("%Y-%m") if due_on is not None else None,
                done_on=done_on,
                partner_name=partner,
            )
        )
    return result


async def meetings(
    session: AsyncSession, column: Owner, ids: Ids, *, on: date
) -> dict[uuid.UUID | None, list[PublicMeeting]]:
    """Meetings held (on or before ``on``), newest first, per location or candidate
    (``column``: ``Meeting.location_id`` or ``Meeting.candidate_id``)."""
    if not ids:
        return {}
    rows = await session.execute(
        select(column, Meeting.held_on, Meeting.kind, Meeting.residents_present)
        .where(column.in_(list(ids)), Meeting.held_on <= on)
        .order_by(Meeting.held_on.desc(), Meeting.created_at.desc())
    )
    result: dict[uuid.UUID | None, list[PublicMeeting]] = defaultdict(list)
    for owner, held_on, kind, present in rows:
        result[owner].append(
            PublicMeeting(held_on=held_on, kind=kind, residents_present=residents(present))
        )
    return result


async def communications(
    session: AsyncSession, column: Owner, ids: Ids, *, on: date
) -> dict[uuid.UUID | None, list[PublicCommunication]]:
    """The last communications sent (on or before ``on``), newest first, at most five."""
    if not ids:
        return {}
    rows = await session.execute(
        select(
            column,
            Communication.sent_on,
            Communication.channel,
            Communication.summary,
            Communication.link,
        )
        .where(column.in_(list(ids)), Communication.sent_on <= on)
        .order_by(Communication.sent_on.desc(), Communication.created_at.desc())
    )
    result: dict[uuid.UUID | None, list[PublicCommunication]] = defaultdict(list)
    for owner, sent_on, channel, summary, link in rows:
        if len(result[owner]) < LAST_COMMUNICATIONS:
            result[owner].append(
                PublicCommunication(sent_on=sent_on, channel=channel, summary=summary, link=link)
            )
    return result
