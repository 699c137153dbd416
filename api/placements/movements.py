"""Arrivals and departures: the stays that start, and those that end (or are planned to
end), between two days -- what a coordinator prepares for this week and next.

One statement over the stays that start or end in the window, with the person's
reference and names and the location's name, within the caller's scope (a partner sees
the stays at its locations and those of the people it guards, as on ``/placements``).
A stay that starts and ends in the window gives two rows. An ``endDate`` after today is
a planned departure; on or before today the person has left.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Literal

from pydantic import Field
from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from api.auth.principal import Principal
from api.auth.scoping import read_scoped, scoped
from api.common.schemas import ApiModel, QueryModel, ReadModel
from api.errors import BadRequest, ProblemType, field_problem
from api.models import EndReason, Location, Participant, Placement

MAX_DAYS = 62


class MovementQuery(QueryModel):
    from_: date = Field(alias="from", description="First day (inclusive).")
    to: date = Field(description=f"Last day (inclusive); at most {MAX_DAYS} days from `from`.")
    location_id: uuid.UUID | None = None


class Movement(ReadModel):
    kind: Literal["arrival", "departure"] = Field(
        description="`arrival`: the stay's first night is `day`; `departure`: `day` is its "
        "`endDate` (planned when after today)."
    )
    day: date
    placement_id: uuid.UUID
    participant_id: uuid.UUID
    reference: str
    given_name: str | None
    family_name: str | None
    location_id: uuid.UUID
    location_name: str
    start_date: date
    end_date: date | None
    end_reason: EndReason | None


class Movements(ApiModel):
    items: list[Movement] = Field(description="By day, arrivals before departures, by name.")


async def movements(
    session: AsyncSession, *, query: MovementQuery, principal: Principal
) -> Movements:
    first, last = query.from_, query.to
    problems = []
    if last < first:
        problems.append(field_problem("query", "to", "Must be on or after from."))
    elif (last - first).days + 1 > MAX_DAYS:
        problems.append(field_problem("query", "to", f"At most {MAX_DAYS} days from `from`."))
    if problems:
        raise BadRequest("The range is invalid.", type_=ProblemType.INVALID_INPUT, errors=problems)
    if query.location_id is not None:  # 404 for a location the caller cannot see
        await read_scoped(
            session, Location, [Location.id], query.location_id, principal, "location"
        )
    # Aliases: the partner scope's own subqueries on these tables must not correlate.
    person, place = aliased(Participant), aliased(Location)
    starts = and_(Placement.start_date >= first, Placement.start_date <= last)
    ends = and_(Placement.end_date >= first, Placement.end_date <= last)
    stmt = (
        select(
            Placement.id,
            Placement.participant_id,
            Placement.location_id,
            Placement.start_date,
            Placement.end_date,
            Placement.end_reason,
            person.reference,
            person.given_name,
            person.family_name,
            place.name.label("location_name"),
        )
        .join(person, person.id == Placement.participant_id)
        .join(place, place.id == Placement.location_id)
        .where(or_(starts, ends))
    )
    if query.location_id is not None:
        stmt = stmt.where(Placement.location_id == query.location_id)
    rows = (await session.execute(scoped(stmt, Placement, principal))).all()
    items: list[Movement] = []
    for row in rows:
        common = {
            "placement_id": row.id,
            "participant_id": row.participant_id,
            "reference": row.reference,
            "given_name": row.given_name,
            "family_name": row.family_name,
            "location_id": row.location_id,
            "location_name": row.location_name,
            "start_date": row.start_date,
            "end_date": row.end_date,
            "end_reason": row.end_reason,
        }
        if first <= row.start_date <= last:
            items.append(Movement(kind="arrival", day=row.start_date, **common))
        if row.end_date is not None and first <= row.end_date <= last:
            items.append(Movement(kind="departure", day=row.end_date, **common))
    items.sort(key=lambda m: (m.day, m.kind != "arrival", m.family_name or "", m.reference))
    return Movements(items=items)
