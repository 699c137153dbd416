"""Builders for the claim engine's tests: schemes with their rates, and locations with
placements, written straight through the ORM (one transaction each)."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from api.db import Database
from api.models import (
    Group,
    Location,
    LocationKind,
    Participant,
    Partner,
    PartnerKind,
    Placement,
)
from api.models.reimbursement import Basis, ReimbursementRate, ReimbursementScheme
from tests.support import records

Rate = tuple[date, date | None, str]  # valid_from, valid_to, amount in euros


async def scheme(
    db: Database,
    basis: Basis,
    rates: list[Rate],
    *,
    kinds: list[LocationKind] | None = None,
    groups: list[Group] | None = None,
    code: str | None = None,
) -> ReimbursementScheme:
    """A test scheme (codes ``T-...``: the seeded ones are left alone)."""
    async with db.sessionmaker() as session, session.begin():
        made = ReimbursementScheme(
            code=code or f"T-{uuid.uuid4().hex[:8]}",
            name="Test scheme",
            basis=basis,
            location_kinds=[k.value for k in (kinds or [LocationKind.municipal_ukrainian])],
            groups=None if groups is None else [g.value for g in groups],
        )
        session.add(made)
        await session.flush()
        for valid_from, valid_to, amount in rates:
            session.add(
                ReimbursementRate(
                    scheme_id=made.id,
                    valid_from=valid_from,
                    valid_to=valid_to,
                    amount=Decimal(amount),
                )
            )
    return made


async def operator(db: Database) -> Partner:
    async with db.sessionmaker() as session, session.begin():
        partner = Partner(name=f"Operator {uuid.uuid4().hex[:8]}", kind=PartnerKind.coa)
        session.add(partner)
    return partner


async def location(
    db: Database,
    owner: Partner,
    name: str,
    *,
    kind: LocationKind = LocationKind.municipal_ukrainian,
    opened_on: date = date(2024, 1, 1),
    closed_on: date | None = None,
    capacity: int | dict[date, int] = 10,
) -> Location:
    """A location named ``name`` plus a random suffix (names are unique per database)."""
    return await records.location(
        db,
        owner,
        name=f"{name} {uuid.uuid4().hex[:6]}",
        kind=kind,
        opened_on=opened_on,
        closed_on=closed_on,
        capacity=capacity,
    )


async def person(db: Database, group: Group = Group.ukrainian_displaced) -> Participant:
    return await records.participant(db, group=group)


async def stay(
    db: Database, who: Participant, where: Location, start: date, end: date | None
) -> Placement:
    return await records.placement(db, who, where, start=start, end=end)
