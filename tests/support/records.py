"""Builders for the programme's records (locations, participants, placements), written
straight through the ORM so tests of one domain do not depend on another's endpoints."""

from __future__ import annotations

import uuid
from datetime import date

from api.db import Database
from api.models import (
    CapacityChange,
    Group,
    Location,
    LocationKind,
    Participant,
    Partner,
    Placement,
)
from tests.support import privacy


async def location(
    db: Database,
    operator: Partner,
    *,
    name: str | None = None,
    kind: LocationKind = LocationKind.municipal_ukrainian,
    opened_on: date = date(2024, 1, 1),
    closed_on: date | None = None,
    capacity: int | dict[date, int] = 10,
    external_code: str | None = None,
) -> Location:
    """A location with a capacity history: one number from ``opened_on``, or {date: n}."""
    history = capacity if isinstance(capacity, dict) else {opened_on: capacity}
    async with db.sessionmaker() as session, session.begin():
        loc = Location(
            name=name or f"Locatie {uuid.uuid4().hex[:8]}",
            address="Kerklaan 1, Heemstede",
            postcode="2101 HN",
            kind=kind,
            operator_partner_id=operator.id,
            external_code=external_code,
            opened_on=opened_on,
            closed_on=closed_on,
        )
        session.add(loc)
        await session.flush()
        for valid_from, places in history.items():
            session.add(CapacityChange(location_id=loc.id, valid_from=valid_from, capacity=places))
    return loc


async def participant(
    db: Database,
    *,
    group: Group = Group.ukrainian_displaced,
    reference: str | None = None,
    date_of_birth: date | None = date(1990, 5, 17),
    guardian: Partner | None = None,
    bsn: str | None = None,
    v_number: str | None = None,
    given_name: str = "Olena",
    family_name: str = "Testenko",
) -> Participant:
    async with db.sessionmaker() as session, session.begin():
        person = Participant(
            reference=reference or f"HS-{uuid.uuid4().hex[:8]}",
            group=group,
            date_of_birth=date_of_birth,
            guardian_partner_id=guardian.id if guardian else None,
            bsn=bsn,
            v_number=v_number,
            given_name=given_name,
            family_name=family_name,
            nationality="UKR",
            languages=["uk"],
        )
        session.add(person)
    privacy.register(bsn, v_number, given_name, family_name, date_of_birth)
    return person


async def placement(
    db: Database,
    person: Participant,
    loc: Location,
    *,
    start: date = date(2024, 2, 1),
    end: date | None = None,
) -> Placement:
    """A stay written as a fact, without the rules (use the API to test the rules)."""
    async with db.sessionmaker() as session, session.begin():
        stay = Placement(
            participant_id=person.id, location_id=loc.id, start_date=start, end_date=end
        )
        session.add(stay)
    return stay
