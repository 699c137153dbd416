"""The forecast on the small world of ``tests.forecast.world``, computed by hand; the
scenarios of each kind; roles, 400s and a statement count that does not grow with the
data."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncEngine

from api.common.calendar import today
from api.db import Database
from api.forecast.report import forecast
from api.forecast.schemas import ForecastQuarter
from api.models import (
    BudgetLine,
    BudgetLineKind,
    BudgetVersion,
    ExpenseCategory,
    ReserveMutation,
    Role,
)
from tests.forecast.world import TODAY, small_world, without_seeded_schemes
from tests.support import budget, records
from tests.support.builders import Builder, problem
from tests.support.overview_data import count_statements

URL = "/api/v1/reports/forecast"


def income(q: ForecastQuarter) -> dict[str, tuple[str | None, str]]:
    return {
        f.scheme_code: (None if f.amount is None else str(f.amount), f.certainty.value)
        for f in q.income
    }


def costs(q: ForecastQuarter) -> dict[str, tuple[str, str, str]]:
    return {
        c.category.value: (str(c.amount), c.source.value, c.certainty.value)
        for c in q.costs
        if c.amount
    }


async def test_base_by_hand(db: Database, build: Builder) -> None:
    await small_world(db, build)
    async with db.sessionmaker() as session:
        report = await forecast(session, today=TODAY)
    run = report.base
    labels = [q.quarter for q in run.quarters]
    assert labels == [f"{y}Q{n}" for y in (2027, 2028, 2029) for n in (1, 2, 3, 4)]
    q1, q3, q5 = run.quarters[0], run.quarters[2], run.quarters[4]
    # 2027Q1, 90 days. T-PLACE: A's 10 places, 45 days at 2.00 (to 14 Feb) = 900.00 and
    # 45 days at 3.00 (announced) = 1350.00: 2250.00, provisional. T-PERSON: B's 20 places
    # x 0.9 = 18 people x 90 days x 10.00 = 16200.00. T-MONTH: 18 a month x 3 months x
    # 100.00 (assumed rate) = 5400.00. T-ONCE: no rise.
    assert income(q1) == {
        "T-PLACE": ("2250.00", "provisional"),
        "T-PERSON": ("16200.00", "known"),
        "T-MONTH": ("5400.00", "assumed"),
        "T-ONCE": ("0.00", "known"),
    }
    # Begroting 2027 staff 4000.00, nothing booked before the quarter: 4 quarters left.
    assert costs(q1) == {"staff": ("1000.00", "begroting", "known")}
    assert str(q1.income_total) == "23850.00" and str(q1.cost_total) == "1000.00"
    assert str(q1.balance) == "22850.00"
    # The reserve: 5000.00 deposited in 2026, plus 2026's result (budget report): income
    # T-PLACE 10 x 365 x 2.00 = 7300.00, T-PERSON 18 people x 214 nights (1 June to 31
    # December) x 10.00 = 38520.00, T-MONTH 18 x 7 months x 100.00 = 12600.00, T-ONCE A's
    # first 10 places x 500.00 = 5000.00: 63420.00, minus the expenses 2400.00 = 61020.00.
    assert str(run.reserve_start) == "66020.00"
    assert str(q1.reserve_end) == "88870.00"  # 66020.00 + 22850.00
    # 2027Q3, 92 days: A has 14 places (plan): 14 x 92 x 3.00 = 3864.00; the rise from 10
    # to 14 is 4 places x 500.00 = 2000.00; B: 18 x 92 x 10.00 = 16560.00; T-MONTH
    # 18 x 3 x 100.00 = 5400.00.
    assert income(q3) == {
        "T-PLACE": ("3864.00", "provisional"),
        "T-PERSON": ("16560.00", "known"),
        "T-MONTH": ("5400.00", "assumed"),
        "T-ONCE": ("2000.00", "known"),
    }
    # 2028Q1, 91 days (leap year): T-PLACE's last rate carried forward: 14 x 91 x 3.00 =
    # 3822.00, assumed. No begroting for 2028: the run-rate of 2026 (the four quarters
    # before 2027Q1): staff 2000.00 / 4 = 500.00, location 400.00 / 4 = 100.00.
    assert income(q5)["T-PLACE"] == ("3822.00", "assumed")
    assert costs(q5) == {
        "staff": ("500.00", "run_rate", "assumed"),
        "location": ("100.00", "run_rate", "assumed"),
    }
    assert q5.certainty.value == "assumed"
    assert run.budget_neutral is True and run.short_from is None


async def test_short_from(db: Database, build: Builder) -> None:
    """A programme that spends more than it gets is short from the quarter its reserve
    drops below zero: no income at all (no locations); the 2027 begroting spends 8000.00 a
    quarter from a reserve of 10000.00: 2000.00 after 2027Q1, -6000.00 after Q2."""
    await without_seeded_schemes(db)  # 2026 has no seeded rates: its result is unknown
    async with db.sessionmaker() as session, session.begin():
        version = BudgetVersion(year=2027, number=0, decided_on=date(2026, 11, 5), description="P")
        session.add(version)
        session.add(
            ReserveMutation(
                booked_on=date(2026, 12, 1), amount=Decimal("10000.00"), description="Opening"
            )
        )
        await session.flush()
        session.add(
            BudgetLine(
                version_id=version.id,
                kind=BudgetLineKind.expense,
                category=ExpenseCategory.staff,
                amount=Decimal("32000.00"),
            )
        )
    async with db.sessionmaker() as session:
        run = (await forecast(session, today=TODAY)).base
    assert [str(q.reserve_end) for q in run.quarters[:2]] == ["2000.00", "-6000.00"]
    assert run.budget_neutral is False and run.short_from == "2027Q2"


async def test_roles_and_bad_input(client: httpx.AsyncClient, build: Builder) -> None:
    partner = await build.partner()
    assert problem(await client.get(URL))["status"] == 401
    for headers in (build.headers_for(Role.coordinator), build.headers_for(Role.partner, partner)):
        assert problem(await client.get(URL, headers=headers))["status"] == 403
    for role in (Role.admin, Role.finance, Role.viewer):
        r = await client.get(URL, headers=build.headers_for(role))
        assert r.status_code == 200, role
        assert r.json()["base"]["quarters"][0]["from"] <= today().isoformat()
    h = build.headers_for(Role.finance)
    r = await client.get(f"{URL}?scenario=nope", headers=h)
    assert [e["name"] for e in problem(r)["errors"]] == ["scenario.0"]
    many = "&".join(
        f"scenario={i}" for i in ["00000000-0000-4000-8000-00000000000" + str(n) for n in range(5)]
    )
    r = await client.get(f"{URL}?{many}", headers=h)
    assert [(e["name"], e["code"], e["params"]) for e in problem(r)["errors"]] == [
        ("scenario", "too_long", {"max_length": 4})
    ]
    r = await client.get(f"{URL}?scenario=00000000-0000-4000-8000-000000000001", headers=h)
    assert [(e["name"], e["code"]) for e in problem(r)["errors"]] == [
        ("scenario", "unknown_scenario")
    ]
    r = await client.get(f"{URL}?year=2027", headers=h)
    assert [e["name"] for e in problem(r)["errors"]] == ["year"]


async def test_statement_count_does_not_grow_with_the_data(
    client: httpx.AsyncClient, build: Builder, db: Database, engine: AsyncEngine
) -> None:
    """The same statements for a few rows and for more locations, stays and expenses, with
    two scenarios (their changes are read in one statement)."""
    h = build.headers_for(Role.finance)
    ids = []
    for name in ("Een", "Twee"):
        r = await client.post(
            "/api/v1/scenarios",
            headers=h,
            json={"name": name, "changes": [
                {"kind": "cost", "startsOn": "2027-01-01", "category": "staff",
                 "amountPerQuarter": "10.00"},
                {"kind": "occupancy", "startsOn": "2027-01-01",
                 "locationKind": "municipal_ukrainian", "rateBp": 9000},
            ]},
        )  # fmt: skip
        ids.append(r.json()["id"])
    url = f"{URL}?scenario={ids[0]}&scenario={ids[1]}"
    assert (await client.get(url, headers=h)).status_code == 200  # the token's first read
    with count_statements(engine) as small:
        assert (await client.get(url, headers=h)).status_code == 200
    partner = await build.partner()
    for n in range(6):
        loc = await records.location(
            db,
            partner,
            opened_on=date(2024, 1, n + 1),
            capacity={date(2024, 1, n + 1): 8, date(2025, 3, 1): 12},
        )
        for _ in range(3):
            person = await records.participant(db)
            await records.placement(db, person, loc, start=date(2025, 6, 1))
        await budget.expense(db, on=date(2026, 2, n + 1), amount="10.00")
    with count_statements(engine) as large:
        r = await client.get(url, headers=h)
    assert r.status_code == 200
    body: Any = r.json()
    assert len(body["scenarios"]) == 2 and body["base"]["quarters"]
    assert len(small) == len(large)


async def test_later_in_the_year_the_reserve_counts_the_quarters_behind(
    db: Database, build: Builder
) -> None:
    """Today 2027-05-10 (2027Q2). 2027Q1 is behind: its result is the budget report's,
    the claim engine's income T-PLACE 45 x 10 x 2.00 + 45 x 10 x 3.00 = 2250.00, T-PERSON
    18 people x 90 nights x 10.00 = 16200.00, T-MONTH 18 x 3 x 100.00 = 5400.00: 23850.00,
    minus 1000.00 staff booked in February = 22850.00. The reserve starts Q2 at 66020.00
    (see test_base_by_hand) + 22850.00 = 88870.00. Staff in Q2: (4000.00 - 1000.00 booked
    before Q2) / 3 quarters left = 1000.00. Q2 (91 days): T-PLACE 10 x 91 x 3.00 = 2730.00,
    T-PERSON 18 x 91 x 10.00 = 16380.00, T-MONTH 5400.00: 24510.00; balance 23510.00;
    reserve 112380.00."""
    await small_world(db, build)
    await budget.expense(db, on=date(2027, 2, 10), amount="1000.00")
    async with db.sessionmaker() as session:
        run = (await forecast(session, today=date(2027, 5, 10))).base
    q2 = run.quarters[0]
    assert q2.quarter == "2027Q2" and len(run.quarters) == 11
    assert str(run.reserve_start) == "88870.00"
    assert costs(q2) == {"staff": ("1000.00", "begroting", "known")}
    assert (str(q2.income_total), str(q2.balance), str(q2.reserve_end)) == (
        "24510.00",
        "23510.00",
        "112380.00",
    )
