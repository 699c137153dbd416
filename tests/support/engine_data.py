"""Builders for the claim engine's tests: schemes with their rates, and locations with
placements, written straight through the ORM (one transaction each)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from api.db import Database
from api.models import (
    Group,
    LivingAllowance,
    Location,
    LocationKind,
    Participant,
    Partner,
    PartnerKind,
    Placement,
)
from api.models.reimbursement import (
    Basis,
    PlaceCondition,
    RateCertainty,
    ReimbursementRate,
    ReimbursementScheme,
)
from tests.support import records

Rate = tuple[date, date | None, str]  # valid_from, valid_to, amount in euros
# ... and how sure it is (``published`` when left out)
SureRate = tuple[date, date | None, str, RateCertainty]


async def scheme(
    db: Database,
    basis: Basis,
    rates: Sequence[Rate | SureRate],
    *,
    kinds: list[LocationKind] | None = None,
    groups: list[Group] | None = None,
    code: str | None = None,
    requires_living_allowance: bool = False,
    place_condition: PlaceCondition | None = None,
) -> ReimbursementScheme:
    """A test scheme (codes ``T-...``: the seeded ones are left alone)."""
    async with db.sessionmaker() as session, session.begin():
        made = ReimbursementScheme(
            code=code or f"T-{uuid.uuid4().hex[:8]}",
            name="Test scheme",
            basis=basis,
            location_kinds=[k.value for k in (kinds or [LocationKind.municipal_ukrainian])],
            groups=None if groups is None else [g.value for g in groups],
            requires_living_allowance=requires_living_allowance,
            place_condition=place_condition,
        )
        session.add(made)
        await session.flush()
        for rate in rates:
            valid_from, valid_to, amount = rate[:3]
            sure = rate[3] if len(rate) > 3 else RateCertainty.published
            session.add(
                ReimbursementRate(
                    scheme_id=made.id,
                    valid_from=valid_from,
                    valid_to=valid_to,
                    amount=Decimal(amount),
                    certainty=sure,
                    source=None if sure is RateCertainty.published else "test basis",
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
    available_until: date | None = None,
) -> Location:
    """A location named ``name`` plus a random suffix (names are unique per database)."""
    made = await records.location(
        db,
        owner,
        name=f"{name} {uuid.uuid4().hex[:6]}",
        kind=kind,
        opened_on=opened_on,
        closed_on=closed_on,
        capacity=capacity,
    )
    if available_until is not None:
        async with db.sessionmaker() as session, session.begin():
            row = await session.get(Location, made.id)
            assert row is not None
            row.available_until = available_until
        made.available_until = available_until
    return made


async def person(db: Database, group: Group = Group.ukrainian_displaced) -> Participant:
    return await records.participant(db, group=group)


async def stay(
    db: Database, who: Participant, where: Location, start: date, end: date | None
) -> Placement:
    return await records.placement(db, who, where, start=start, end=end)


async def allowance(db: Database, who: Participant, start: date, end: date | None) -> None:
    """``who`` receives the living allowance ``start..end`` (inclusive; None: ongoing)."""
    async with db.sessionmaker() as session, session.begin():
        session.add(LivingAllowance(participant_id=who.id, starts_on=start, ends_on=end))
