"""The claim engine against hand-computed claims, one basis at a time (the same figures
on SQLite and PostgreSQL)."""

from __future__ import annotations

import re
import uuid
from datetime import date
from decimal import Decimal

import pytest

from api.db import Database
from api.models import Group, LocationKind
from api.models.reimbursement import Basis
from api.reimbursements.claims.engine import Computation, RateUsed, UncoveredDays, compute
from tests.support import engine_data as data

D = date
Row = tuple[uuid.UUID, date, date, int, Decimal, Decimal]


async def run(db: Database, scheme_id: uuid.UUID, first: date, last: date) -> Computation:
    async with db.sessionmaker() as session:
        return await compute(session, scheme_id=scheme_id, first=first, last=last)


def rows(result: Computation) -> list[Row]:
    return [
        (x.location_id, x.rate_from, x.rate_to, x.units, x.rate, x.amount) for x in result.lines
    ]


def line(loc: uuid.UUID, frm: date, to: date, units: int, rate: str, amount: str) -> Row:
    return (loc, frm, to, units, Decimal(rate), Decimal(amount))


def check_sums(result: Computation) -> None:
    """Each amount is units x rate to the cent; the total is the sum of the lines."""
    for x in result.lines:
        assert x.units > 0
        assert x.amount == (x.units * x.rate).quantize(Decimal("0.01"))
        assert x.amount.as_tuple().exponent == -2
    assert result.total == sum((x.amount for x in result.lines), Decimal("0.00"))
    assert re.fullmatch(r"[0-9a-f]{64}", result.inputs_hash)


# per_person_day: rates 10.00 until 2024-02-15, 12.50 from 2024-02-16; the period
# 2024-02-01..2024-03-31 holds the leap day.
PERSON_DAY_RATES: list[data.Rate] = [
    (D(2024, 1, 1), D(2024, 2, 15), "10.00"),
    (D(2024, 2, 16), None, "12.50"),
]
FEB_1, FEB_15, FEB_16, MAR_31 = D(2024, 2, 1), D(2024, 2, 15), D(2024, 2, 16), D(2024, 3, 31)


async def test_per_person_day_lines_by_location_and_rate_segment(db: Database) -> None:
    ukrainian = await data.scheme(
        db, Basis.per_person_day, PERSON_DAY_RATES, groups=[Group.ukrainian_displaced]
    )
    everyone = await data.scheme(db, Basis.per_person_day, PERSON_DAY_RATES)
    owner = await data.operator(db)
    a = await data.location(db, owner, "Alpha")
    b = await data.location(db, owner, "Bravo")
    x = await data.location(db, owner, "Xray", kind=LocationKind.asylum_center)

    # Starts before and ends after the period: 15 nights in S1, 14 + 31 = 45 in S2.
    await data.stay(db, await data.person(db), a, D(2024, 1, 10), D(2024, 5, 1))
    # Same-day transfer on 02-20: A has Feb 10..15 (6, S1) and Feb 16..19 (4, S2); B has
    # Feb 20..29 and March (10 + 31 = 41, S2); the day of transfer counts once, at B.
    moved = await data.person(db)
    await data.stay(db, moved, a, D(2024, 2, 10), D(2024, 2, 20))
    await data.stay(db, moved, b, D(2024, 2, 20), None)
    # The leap day: nights of 02-28 and 02-29 (S2).
    await data.stay(db, await data.person(db), b, D(2024, 2, 28), D(2024, 3, 1))
    # Ends on the period's first day (no night inside), and the period's last night.
    late = await data.person(db)
    await data.stay(db, late, a, D(2024, 1, 15), FEB_1)
    await data.stay(db, late, a, MAR_31, D(2024, 4, 10))
    # Another group: Feb 1..4 (4 nights, S1), only for the scheme of all groups.
    await data.stay(db, await data.person(db, Group.asylum_seeker), a, FEB_1, D(2024, 2, 5))
    # Another kind of location: never counted.
    await data.stay(db, await data.person(db), x, FEB_1, None)

    result = await run(db, ukrainian.id, FEB_1, MAR_31)
    assert rows(result) == [
        line(a.id, FEB_1, FEB_15, 21, "10.00", "210.00"),
        line(a.id, FEB_16, MAR_31, 50, "12.50", "625.00"),
        line(b.id, FEB_16, MAR_31, 43, "12.50", "537.50"),
    ]
    assert result.total == Decimal("1372.50")
    assert result.rates_used == [
        RateUsed(D(2024, 1, 1), D(2024, 2, 15), Decimal("10.00")),
        RateUsed(D(2024, 2, 16), None, Decimal("12.50")),
    ]
    check_sums(result)

    all_groups = await run(db, everyone.id, FEB_1, MAR_31)
    assert [r[3] for r in rows(all_groups)] == [25, 50, 43]
    assert all_groups.total == Decimal("1412.50")
    check_sums(all_groups)


async def test_inputs_hash_is_stable_and_follows_the_units(db: Database) -> None:
    scheme = await data.scheme(db, Basis.per_person_day, PERSON_DAY_RATES)
    loc = await data.location(db, await data.operator(db), "Alpha")
    await data.stay(db, await data.person(db), loc, FEB_1, D(2024, 2, 3))
    before = await run(db, scheme.id, FEB_1, MAR_31)
    assert (await run(db, scheme.id, FEB_1, MAR_31)).inputs_hash == before.inputs_hash
    assert (await run(db, scheme.id, FEB_1, D(2024, 3, 30))).inputs_hash != before.inputs_hash
    await data.stay(db, await data.person(db), loc, FEB_1, D(2024, 2, 2))
    after = await run(db, scheme.id, FEB_1, MAR_31)
    assert after.total == before.total + Decimal("10.00")
    assert after.inputs_hash != before.inputs_hash


async def test_per_place_day_capacity_history_opening_and_rate_change(db: Database) -> None:
    scheme = await data.scheme(
        db,
        Basis.per_place_day,
        [(D(2024, 1, 1), D(2024, 6, 30), "5.00"), (D(2024, 7, 1), None, "4.00")],
    )
    owner = await data.operator(db)
    # 10 places, 12 from 06-16, 8 from 07-11: June 15x10 + 15x12 = 330 (S1);
    # July 10x12 + 21x8 = 288 (S2).
    a = await data.location(
        db, owner, "Alpha", capacity={D(2024, 1, 1): 10, D(2024, 6, 16): 12, D(2024, 7, 11): 8}
    )
    # Open 06-20..07-05 with 3 places: 11 days in June, 5 in July.
    b = await data.location(
        db, owner, "Bravo", opened_on=D(2024, 6, 20), closed_on=D(2024, 7, 5), capacity=3
    )
    await data.location(db, owner, "Charlie", opened_on=D(2024, 8, 1), capacity=50)
    await data.location(db, owner, "Delta", capacity=0)
    await data.location(db, owner, "Xray", kind=LocationKind.asylum_center, capacity=99)

    result = await run(db, scheme.id, D(2024, 6, 1), D(2024, 7, 31))
    assert rows(result) == [
        line(a.id, D(2024, 6, 1), D(2024, 6, 30), 330, "5.00", "1650.00"),
        line(a.id, D(2024, 7, 1), D(2024, 7, 31), 288, "4.00", "1152.00"),
        line(b.id, D(2024, 6, 1), D(2024, 6, 30), 33, "5.00", "165.00"),
        line(b.id, D(2024, 7, 1), D(2024, 7, 31), 15, "4.00", "60.00"),
    ]
    assert result.total == Decimal("3027.00")
    check_sums(result)


async def test_per_place_day_counts_the_leap_day(db: Database) -> None:
    scheme = await data.scheme(db, Basis.per_place_day, [(D(2024, 1, 1), None, "61.00")])
    loc = await data.location(db, await data.operator(db), "Alpha", capacity=2)
    result = await run(db, scheme.id, D(2024, 2, 1), D(2024, 2, 29))
    assert rows(result) == [line(loc.id, D(2024, 2, 1), D(2024, 2, 29), 58, "61.00", "3538.00")]


async def test_per_place_once_counts_rises_above_the_highest_before(db: Database) -> None:
    scheme = await data.scheme(
        db,
        Basis.per_place_once,
        [(D(2024, 2, 1), D(2024, 6, 30), "2500.00"), (D(2024, 7, 1), None, "3000.00")],
    )
    owner = await data.operator(db)
    a = await data.location(
        db,
        owner,
        "Alpha",
        capacity={
            D(2024, 1, 1): 10,  # before the period
            D(2024, 3, 1): 15,  # +5 (S1)
            D(2024, 5, 1): 12,  # a drop
            D(2024, 8, 1): 14,  # back up, still below 15: nothing
            D(2024, 9, 1): 20,  # +5 (S2)
        },
    )
    b = await data.location(db, owner, "Bravo", opened_on=D(2024, 7, 15), capacity=4)  # +4
    await data.location(db, owner, "Charlie", opened_on=D(2025, 1, 5), capacity=10)  # after

    s1, s2 = (D(2024, 2, 1), D(2024, 6, 30)), (D(2024, 7, 1), D(2024, 12, 31))
    result = await run(db, scheme.id, D(2024, 2, 1), D(2024, 12, 31))
    assert rows(result) == [
        line(a.id, *s1, 5, "2500.00", "12500.00"),
        line(a.id, *s2, 5, "3000.00", "15000.00"),
        line(b.id, *s2, 4, "3000.00", "12000.00"),
    ]
    assert result.total == Decimal("39500.00")
    check_sums(result)


async def test_per_person_month_first_night_picks_line_and_cut_months(db: Database) -> None:
    scheme = await data.scheme(
        db,
        Basis.per_person_month,
        [(D(2024, 1, 1), D(2024, 2, 14), "100.00"), (D(2024, 2, 15), None, "80.00")],
        kinds=[LocationKind.private_hosting],
        groups=[Group.ukrainian_displaced],
    )
    owner = await data.operator(db)
    hosting = LocationKind.private_hosting
    a = await data.location(db, owner, "Alpha", kind=hosting)
    b = await data.location(db, owner, "Bravo", kind=hosting)
    x = await data.location(db, owner, "Xray", kind=LocationKind.municipal_ukrainian)
    first, last = D(2024, 1, 10), D(2024, 3, 20)  # January and March are cut

    # January's first night (01-01) is before the period: not counted; Feb and Mar at B.
    q1 = await data.person(db)
    await data.stay(db, q1, a, D(2023, 12, 1), D(2024, 1, 20))
    await data.stay(db, q1, b, D(2024, 1, 20), D(2024, 4, 1))
    # Jan (01-15) and Feb (02-01) at A, at 100; Mar at B (transfer on 02-20), at 80.
    q2 = await data.person(db)
    await data.stay(db, q2, a, D(2024, 1, 15), D(2024, 2, 20))
    await data.stay(db, q2, b, D(2024, 2, 20), None)
    # Two locations in February: counted once, at B (first night 02-16, at 80); Mar at A.
    q3 = await data.person(db)
    await data.stay(db, q3, b, D(2024, 2, 16), D(2024, 2, 17))
    await data.stay(db, q3, a, D(2024, 2, 25), D(2024, 3, 5))
    # March's first night after the period's end: not counted.
    await data.stay(db, await data.person(db), a, D(2024, 3, 21), None)
    # March's first night (03-10) inside the period: A at 80.
    await data.stay(db, await data.person(db), a, D(2024, 3, 10), D(2024, 3, 25))
    # January's first night (01-05) before the period, though 01-10 and 01-11 are inside.
    await data.stay(db, await data.person(db), a, D(2024, 1, 5), D(2024, 1, 12))
    # Another group, another kind of location: never counted.
    await data.stay(db, await data.person(db, Group.asylum_seeker), a, D(2024, 2, 1), None)
    await data.stay(db, await data.person(db), x, D(2024, 2, 1), None)

    s1, s2 = (first, D(2024, 2, 14)), (D(2024, 2, 15), last)
    result = await run(db, scheme.id, first, last)
    assert rows(result) == [
        line(a.id, *s1, 2, "100.00", "200.00"),
        line(a.id, *s2, 2, "80.00", "160.00"),
        line(b.id, *s1, 1, "100.00", "100.00"),
        line(b.id, *s2, 3, "80.00", "240.00"),
    ]
    assert result.total == Decimal("700.00")
    check_sums(result)


async def test_a_single_rate_segment_for_every_basis(db: Database) -> None:
    """One segment makes the segment key a constant, which SQLite would read as a GROUP
    BY position: every basis must still answer (the demo's quarterly claims hit this)."""
    owner = await data.operator(db)
    loc = await data.location(db, owner, "Solo", kind=LocationKind.private_hosting)
    await data.stay(db, await data.person(db), loc, D(2024, 2, 1), D(2024, 2, 11))
    first, last = D(2024, 1, 1), D(2024, 3, 31)
    units = {}
    for basis in Basis:
        scheme = await data.scheme(
            db, basis, [(D(2023, 1, 1), None, "2.00")], kinds=[LocationKind.private_hosting]
        )
        units[basis] = [r.units for r in (await run(db, scheme.id, first, last)).lines]
    assert units[Basis.per_person_day] == [10]
    assert units[Basis.per_person_month] == [1]
    assert units[Basis.per_place_day] == [91 * 10]  # 10 places from 2024-01-01
    assert units[Basis.per_place_once] == [10]  # the first capacity counts whole


async def test_uncovered_days_are_listed_as_merged_ranges(db: Database) -> None:
    scheme = await data.scheme(
        db,
        Basis.per_person_day,
        [
            (D(2024, 1, 1), D(2024, 1, 10), "10.00"),
            (D(2024, 1, 15), D(2024, 1, 20), "10.00"),
            (D(2024, 1, 21), D(2024, 1, 25), "11.00"),
        ],
    )
    with pytest.raises(UncoveredDays) as raised:
        await run(db, scheme.id, D(2023, 12, 30), D(2024, 1, 31))
    assert raised.value.ranges == [
        (D(2023, 12, 30), D(2023, 12, 31)),
        (D(2024, 1, 11), D(2024, 1, 14)),
        (D(2024, 1, 26), D(2024, 1, 31)),
    ]
    assert raised.value.status == 400

    with pytest.raises(UncoveredDays) as single:
        await run(db, scheme.id, D(2024, 1, 10), D(2024, 1, 11))
    assert single.value.ranges == [(D(2024, 1, 11), D(2024, 1, 11))]

    bare = await data.scheme(db, Basis.per_place_day, [])
    with pytest.raises(UncoveredDays) as none:
        await run(db, bare.id, D(2025, 1, 1), D(2025, 3, 31))
    assert none.value.ranges == [(D(2025, 1, 1), D(2025, 3, 31))]


async def test_no_units_no_lines(db: Database) -> None:
    scheme = await data.scheme(db, Basis.per_person_day, [(D(2024, 1, 1), None, "1.00")])
    result = await run(db, scheme.id, D(2024, 1, 1), D(2024, 12, 31))
    assert result.lines == []
    assert result.total == Decimal("0.00")
    assert result.rates_used == [RateUsed(D(2024, 1, 1), None, Decimal("1.00"))]
