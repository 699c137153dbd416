"""Builders for the claim tests: a scheme with rates written straight through the ORM,
a small hand-computed data set, and edits of the facts behind a claim."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import update

from api.db import Database
from api.models import (
    Basis,
    CapacityChange,
    Location,
    LocationKind,
    Partner,
    Placement,
    ReimbursementRate,
    ReimbursementScheme,
)
from tests.support import records

Rate = tuple[date, date | None, str]


async def scheme(
    db: Database,
    *,
    basis: Basis = Basis.per_person_day,
    kinds: list[LocationKind] | None = None,
    rates: list[Rate] | None = None,
    code: str | None = None,
) -> ReimbursementScheme:
    """A scheme under a code no seeded scheme uses (``T-...``)."""
    async with db.sessionmaker() as session, session.begin():
        row = ReimbursementScheme(
            code=code or f"T-{uuid.uuid4().hex[:8].upper()}",
            name="Testregeling",
            basis=basis,
            location_kinds=[k.value for k in kinds or [LocationKind.emergency]],
            groups=None,
            description=None,
        )
        session.add(row)
        await session.flush()
        for valid_from, valid_to, amount in rates or []:
            session.add(
                ReimbursementRate(
                    scheme_id=row.id,
                    valid_from=valid_from,
                    valid_to=valid_to,
                    amount=Decimal(amount),
                    source="test",
                )
            )
    return row


# per_person_day at emergency locations: 10.00 until 2024-06-30, 12.50 from 2024-07-01 on.
RATES: list[Rate] = [
    (date(2024, 1, 1), date(2024, 6, 30), "10.00"),
    (date(2024, 7, 1), None, "12.50"),
]
PERIOD = {"periodStart": "2024-06-01", "periodEnd": "2024-07-10"}


@dataclass
class DataSet:
    scheme: ReimbursementScheme
    venue: Location
    first: Placement  # 2024-06-20 .. 2024-07-05: 11 nights in June, 4 in July
    second: Placement  # 2024-06-28 .. open: 3 nights in June, 10 in the period's July


async def person_days(db: Database, operator: Partner) -> DataSet:
    """Hand-computed over ``PERIOD``: June 14 nights x 10.00 = 140.00, July 14 nights x
    12.50 = 175.00; total 315.00. A stay at an asylum centre is not the scheme's."""
    made = await scheme(db, rates=RATES)
    venue = await records.location(db, operator, kind=LocationKind.emergency, name="Noodopvang A")
    other = await records.location(db, operator, kind=LocationKind.asylum_center)
    first = await records.placement(
        db, await records.participant(db), venue, start=date(2024, 6, 20), end=date(2024, 7, 5)
    )
    second = await records.placement(
        db, await records.participant(db), venue, start=date(2024, 6, 28)
    )
    await records.placement(db, await records.participant(db), other, start=date(2024, 6, 1))
    return DataSet(made, venue, first, second)


async def end_stay(db: Database, stay: Placement, end: date) -> None:
    async with db.sessionmaker() as session, session.begin():
        await session.execute(update(Placement).where(Placement.id == stay.id).values(end_date=end))


async def add_capacity(db: Database, venue: Location, valid_from: date, places: int) -> None:
    async with db.sessionmaker() as session, session.begin():
        session.add(CapacityChange(location_id=venue.id, valid_from=valid_from, capacity=places))
