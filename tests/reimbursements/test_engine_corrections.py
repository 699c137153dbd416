"""The claim engine's corrections from review (issue 17), against hand-computed figures on
SQLite and PostgreSQL: provisional rates (refused unless asked for, then marked), the
living-allowance status (BOO-POO counts only persons receiving it), and durable places
by the regulation's five-year condition instead of the location kind."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from api.db import Database
from api.errors import ProblemType
from api.models import Group, LocationKind, PlaceCondition, RateCertainty
from api.models.reimbursement import Basis
from api.reimbursements.claims.engine import Computation, UncoveredDays, compute
from tests.support import engine_data as data
from tests.support.overview_data import count_statements

D = date
ANNOUNCED, ASSUMED = RateCertainty.announced, RateCertainty.assumed


async def run(
    db: Database, scheme_id: object, first: date, last: date, *, provisional: bool = False
) -> Computation:
    async with db.sessionmaker() as session:
        return await compute(
            session,
            scheme_id=scheme_id,  # type: ignore[arg-type]
            first=first,
            last=last,
            provisional=provisional,
        )


async def test_provisional_rates_are_refused_unless_asked_for(db: Database) -> None:
    # 2025 published 44.00, Jan-Jun 2026 announced 45.00, Jul 2026 on assumed 45.00; one
    # location of 10 places from 2025-01-01 (per_place_day).
    scheme = await data.scheme(
        db,
        Basis.per_place_day,
        [
            (D(2025, 1, 1), D(2025, 12, 31), "44.00"),
            (D(2026, 1, 1), D(2026, 6, 30), "45.00", ANNOUNCED),
            (D(2026, 7, 1), None, "45.00", ASSUMED),
        ],
    )
    owner = await data.operator(db)
    loc = await data.location(db, owner, "Goo", opened_on=D(2025, 1, 1), capacity=10)

    # A claim over Dec 2025 - Jan 2026: January is provisional, refused with its own code.
    with pytest.raises(UncoveredDays) as refused:
        await run(db, scheme.id, D(2025, 12, 1), D(2026, 1, 31))
    assert refused.value.ranges == []
    assert refused.value.provisional == [(D(2026, 1, 1), D(2026, 1, 31), ANNOUNCED)]
    assert refused.value.type == ProblemType.PROVISIONAL_RATE
    [problem] = refused.value.errors or []
    assert problem.code == "rate_provisional"
    assert problem.params == {"from": "2026-01-01", "to": "2026-01-31", "certainty": "announced"}

    # With provisional=True: Dec 31 days x 10 x 44 = 13,640.00 (published line) and
    # Jan 31 x 10 x 45 = 13,950.00 (announced line); the whole is "announced".
    result = await run(db, scheme.id, D(2025, 12, 1), D(2026, 1, 31), provisional=True)
    assert [(x.units, x.amount, x.certainty) for x in result.lines] == [
        (310, Decimal("13640.00"), RateCertainty.published),
        (310, Decimal("13950.00"), ANNOUNCED),
    ]
    assert result.total == Decimal("27590.00")
    assert result.certainty is ANNOUNCED

    # Q3 2026 reaches the assumed rate: 92 days x 10 x 45 = 41,400.00, "assumed".
    q3 = await run(db, scheme.id, D(2026, 7, 1), D(2026, 9, 30), provisional=True)
    assert (q3.total, q3.certainty) == (Decimal("41400.00"), ASSUMED)
    # Published only: known, and the hash of a published computation has no certainty.
    y2025 = await run(db, scheme.id, D(2025, 1, 1), D(2025, 12, 31))
    assert (y2025.total, y2025.certainty) == (Decimal("160600.00"), RateCertainty.published)

    # Uncovered and provisional days together: both named, type uncovered-days.
    with pytest.raises(UncoveredDays) as both:
        await run(db, scheme.id, D(2024, 12, 31), D(2026, 1, 1))
    assert both.value.ranges == [(D(2024, 12, 31), D(2024, 12, 31))]
    assert both.value.type == ProblemType.UNCOVERED_DAYS
    assert [p.code for p in both.value.errors or []] == ["no_rate", "rate_provisional"]
    del loc


async def test_per_person_month_counts_only_living_allowance_nights(db: Database) -> None:
    # 48.00 per person per month, Q1 2025, host families; the scheme requires the allowance.
    scheme = await data.scheme(
        db,
        Basis.per_person_month,
        [(D(2025, 1, 1), D(2025, 12, 31), "48.00")],
        kinds=[LocationKind.private_hosting],
        groups=[Group.ukrainian_displaced],
        requires_living_allowance=True,
    )
    owner = await data.operator(db)
    host = await data.location(db, owner, "Host", kind=LocationKind.private_hosting)
    # p1: placed all quarter, allowance all quarter: Jan, Feb, Mar = 3.
    p1 = await data.person(db)
    await data.stay(db, p1, host, D(2024, 12, 1), None)
    await data.allowance(db, p1, D(2024, 12, 1), None)
    # p2: placed all quarter, no allowance at all: 0.
    p2 = await data.person(db)
    await data.stay(db, p2, host, D(2024, 12, 1), None)
    # p3: allowance 2025-02-10..2025-02-20 only: Feb = 1.
    p3 = await data.person(db)
    await data.stay(db, p3, host, D(2025, 1, 1), None)
    await data.allowance(db, p3, D(2025, 2, 10), D(2025, 2, 20))
    # p4: allowance in January, but the stay starts in March: the ranges do not meet: 0.
    p4 = await data.person(db)
    await data.stay(db, p4, host, D(2025, 3, 1), None)
    await data.allowance(db, p4, D(2025, 1, 1), D(2025, 1, 31))
    # p5: two allowance ranges (Jan 1-5, then Mar 30 on): Jan and Mar = 2.
    p5 = await data.person(db)
    await data.stay(db, p5, host, D(2025, 1, 1), None)
    await data.allowance(db, p5, D(2025, 1, 1), D(2025, 1, 5))
    await data.allowance(db, p5, D(2025, 3, 30), None)
    # p6: allowance ends the day the stay starts: that night counts (Jan 31): Jan = 1.
    p6 = await data.person(db)
    await data.stay(db, p6, host, D(2025, 1, 31), D(2025, 2, 1))
    await data.allowance(db, p6, D(2025, 1, 1), D(2025, 1, 31))
    # Persons x months = 3 + 0 + 1 + 0 + 2 + 1 = 7; 7 x 48.00 = 336.00.
    result = await run(db, scheme.id, D(2025, 1, 1), D(2025, 3, 31))
    assert [(x.units, x.amount) for x in result.lines] == [(7, Decimal("336.00"))]


async def test_per_person_day_counts_only_living_allowance_nights(db: Database) -> None:
    scheme = await data.scheme(
        db,
        Basis.per_person_day,
        [(D(2025, 1, 1), None, "2.00")],
        kinds=[LocationKind.private_hosting],
        requires_living_allowance=True,
    )
    owner = await data.operator(db)
    host = await data.location(db, owner, "Host", kind=LocationKind.private_hosting)
    # Stay Jan 1 - Feb 1 (31 nights); allowance Jan 11-20 (10 nights) and Jan 25 on
    # (Jan 25-31: 7 nights): 17 nights x 2.00 = 34.00.
    who = await data.person(db)
    await data.stay(db, who, host, D(2025, 1, 1), D(2025, 2, 1))
    await data.allowance(db, who, D(2025, 1, 11), D(2025, 1, 20))
    await data.allowance(db, who, D(2025, 1, 25), None)
    result = await run(db, scheme.id, D(2025, 1, 1), D(2025, 1, 31))
    assert [(x.units, x.amount) for x in result.lines] == [(17, Decimal("34.00"))]


async def test_durable_places_follow_the_five_year_condition_not_the_kind(db: Database) -> None:
    kinds = [LocationKind.asylum_center, LocationKind.amv_small_scale, LocationKind.emergency]
    rates: list[data.Rate] = [(D(2024, 2, 1), None, "5000.00")]
    durable = await data.scheme(
        db, Basis.per_place_once, rates, kinds=kinds, place_condition=PlaceCondition.durable
    )
    other = await data.scheme(
        db,
        Basis.per_place_once,
        [(D(2024, 2, 1), None, "2500.00")],
        kinds=kinds,
        place_condition=PlaceCondition.not_durable,
    )
    owner = await data.operator(db)
    # AZC: 100 places from 2025-03-01, available until 2030-02-28: exactly five years
    # (the day after, 2030-03-01, is five years on): durable, 100.
    await data.location(
        db, owner, "Azc", kind=LocationKind.asylum_center, opened_on=D(2025, 3, 1),
        capacity=100, available_until=D(2030, 2, 28),
    )  # fmt: skip
    # Small AMV: 20 places from 2025-04-01 until 2030-03-30, one day short: not durable.
    await data.location(
        db, owner, "Amv", kind=LocationKind.amv_small_scale, opened_on=D(2025, 4, 1),
        capacity=20, available_until=D(2030, 3, 30),
    )  # fmt: skip
    # Emergency location, no planned availability stated: not durable, 16.
    await data.location(
        db, owner, "Nood", kind=LocationKind.emergency, opened_on=D(2025, 5, 1), capacity=16
    )
    # A rise of an AZC available until 2031-12-31: 2025-06-01 50 (durable: 50), 2027-06-01
    # 80 (five years on is 2032-06-01 > 2031-12-31: not durable, 30).
    await data.location(
        db, owner, "Azc2", kind=LocationKind.asylum_center, opened_on=D(2025, 6, 1),
        capacity={D(2025, 6, 1): 50, D(2027, 6, 1): 80}, available_until=D(2031, 12, 31),
    )  # fmt: skip
    whole = (D(2025, 1, 1), D(2027, 12, 31))
    got = await run(db, durable.id, *whole)
    assert sorted(x.units for x in got.lines) == [50, 100]
    assert got.total == Decimal("750000.00")  # 150 x 5,000
    rest = await run(db, other.id, *whole)
    assert sorted(x.units for x in rest.lines) == [16, 20, 30]
    assert rest.total == Decimal("165000.00")  # 66 x 2,500


async def test_statement_count_does_not_grow_with_the_allowances(
    db: Database, engine: AsyncEngine
) -> None:
    """The allowance filter is a join in the same statement: the same statements (the
    scheme, its rates, the units, plus the session's own) whatever the number of persons
    and allowance ranges."""
    scheme = await data.scheme(
        db,
        Basis.per_person_month,
        [(D(2025, 1, 1), None, "48.00")],
        kinds=[LocationKind.private_hosting],
        requires_living_allowance=True,
    )
    owner = await data.operator(db)
    host = await data.location(db, owner, "Host", kind=LocationKind.private_hosting, capacity=50)
    counts = []
    for persons in (1, 8):
        for _ in range(persons):
            who = await data.person(db)
            await data.stay(db, who, host, D(2025, 1, 1), None)
            await data.allowance(db, who, D(2025, 1, 1), D(2025, 1, 31))
            await data.allowance(db, who, D(2025, 3, 1), None)
        with count_statements(engine) as seen:
            await run(db, scheme.id, D(2025, 1, 1), D(2025, 3, 31))
        counts.append(len(seen))
    assert counts[0] == counts[1] <= 5
