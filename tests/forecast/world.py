"""A small world for the forecast, computed by hand in the tests (today 2027-01-10, so
the current quarter is 2027Q1 and the forecast runs to 2029Q4).

The seeded schemes are removed (inside the test's transaction) so that only these count:

- T-PLACE per_place_day at asylum centres: 2.00 published 2026-01-01..2027-02-14, 3.00
  announced 2027-02-15..2027-12-31, none after (3.00 carried forward, assumed);
- T-PERSON per_person_day at AMV locations: 10.00 published from 2026-01-01;
- T-MONTH per_person_month at AMV locations: 100.00 published in 2026, assumed from 2027;
- T-ONCE per_place_once at asylum centres: 500.00 published from 2024-01-01.

Location A (asylum centre) opened 2026-01-01 with 10 places; the plan: 14 from
2027-07-01. Location B (AMV) opened 2026-01-01 with 20 places; 18 people stay there from
2026-06-01: its trailing occupancy over the 90 nights before today is 18 x 90 / (20 x 90)
= 0.9. A has no stays (0.0; T-PLACE does not use it).

Begroting 2027: staff 4000.00 (nothing else). Expenses in 2026: staff 800.00 (March) and
1200.00 (September), location 400.00 (May): the run-rate from 2028 is staff 500.00 and
location 100.00 a quarter. The reserve: 5000.00 deposited on 2026-12-01.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import delete

from api.db import Database
from api.models import (
    Basis,
    BudgetLine,
    BudgetLineKind,
    BudgetVersion,
    ExpenseCategory,
    Location,
    LocationKind,
    PlannedCapacityChange,
    PlannedChangeKind,
    RateCertainty,
    ReimbursementRate,
    ReimbursementScheme,
    ReserveMutation,
)
from tests.support import budget, records
from tests.support.builders import Builder

TODAY = date(2027, 1, 10)


@dataclass
class World:
    a: Location
    b: Location
    schemes: dict[str, ReimbursementScheme]


async def without_seeded_schemes(db: Database) -> None:
    async with db.sessionmaker() as session, session.begin():
        await session.execute(delete(ReimbursementRate))
        await session.execute(delete(ReimbursementScheme))


async def _scheme(
    db: Database,
    code: str,
    basis: Basis,
    kind: str,
    rates: list[tuple[date, date | None, str, RateCertainty]],
) -> ReimbursementScheme:
    row = await budget.scheme(db, code=code, basis=basis, kinds=[kind])
    async with db.sessionmaker() as session, session.begin():
        for lo, hi, amount, certainty in rates:
            session.add(
                ReimbursementRate(
                    scheme_id=row.id,
                    valid_from=lo,
                    valid_to=hi,
                    amount=Decimal(amount),
                    source="test",
                    certainty=certainty,
                )
            )
    return row


async def small_world(db: Database, build: Builder) -> World:
    await without_seeded_schemes(db)
    pub, ann, ass = RateCertainty.published, RateCertainty.announced, RateCertainty.assumed
    asylum, amv = LocationKind.asylum_center.value, LocationKind.amv_small_scale.value
    schemes = {
        "T-PLACE": await _scheme(
            db,
            "T-PLACE",
            Basis.per_place_day,
            asylum,
            [
                (date(2026, 1, 1), date(2027, 2, 14), "2.00", pub),
                (date(2027, 2, 15), date(2027, 12, 31), "3.00", ann),
            ],
        ),
        "T-PERSON": await _scheme(
            db,
            "T-PERSON",
            Basis.per_person_day,
            amv,
            [
                (date(2026, 1, 1), None, "10.00", pub),
            ],
        ),
        "T-MONTH": await _scheme(
            db,
            "T-MONTH",
            Basis.per_person_month,
            amv,
            [
                (date(2026, 1, 1), date(2026, 12, 31), "100.00", pub),
                (date(2027, 1, 1), None, "100.00", ass),
            ],
        ),
        "T-ONCE": await _scheme(
            db,
            "T-ONCE",
            Basis.per_place_once,
            asylum,
            [
                (date(2024, 1, 1), None, "500.00", pub),
            ],
        ),
    }
    partner = await build.partner()
    a = await records.location(
        db,
        partner,
        name="A",
        kind=LocationKind.asylum_center,
        opened_on=date(2026, 1, 1),
        capacity=10,
    )
    b = await records.location(
        db,
        partner,
        name="B",
        kind=LocationKind.amv_small_scale,
        opened_on=date(2026, 1, 1),
        capacity=20,
    )
    for _ in range(18):
        person = await records.participant(db)
        await records.placement(db, person, b, start=date(2026, 6, 1))
    async with db.sessionmaker() as session, session.begin():
        session.add(
            PlannedCapacityChange(
                location_id=a.id,
                kind=PlannedChangeKind.capacity,
                takes_effect_on=date(2027, 7, 1),
                capacity=14,
            )
        )
        version = BudgetVersion(
            year=2027,
            number=0,
            decided_on=date(2026, 11, 5),
            description="Primitieve begroting 2027",
        )
        session.add(version)
        await session.flush()
        session.add(
            BudgetLine(
                version_id=version.id,
                kind=BudgetLineKind.expense,
                category=ExpenseCategory.staff,
                amount=Decimal("4000.00"),
            )
        )
        session.add(
            ReserveMutation(
                booked_on=date(2026, 12, 1), amount=Decimal("5000.00"), description="Opening"
            )
        )
    await budget.expense(db, on=date(2026, 3, 15), amount="800.00")
    await budget.expense(db, on=date(2026, 9, 1), amount="1200.00")
    await budget.expense(
        db, on=date(2026, 5, 1), amount="400.00", category=ExpenseCategory.location
    )
    return World(a, b, schemes)
