"""/reports/budget-plan on a small world computed by hand, and its statement count."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncEngine

from api.db import Database
from api.models import (
    BudgetLine,
    BudgetLineKind,
    BudgetVersion,
    ClaimStatus,
    ExpenseCategory,
    LocationKind,
    ReimbursementScheme,
    ReserveMutation,
    Role,
)
from tests.support import budget, records
from tests.support.builders import Builder
from tests.support.overview_data import count_statements

URL = "/api/v1/reports/budget-plan"


async def world(db: Database, build: Builder) -> ReimbursementScheme:
    """T-BEG pays 2.00 per place-day at emergency locations (the seeded schemes pay
    nothing here in 2025: no location of the BOO kinds, no place added for the
    Spreidingswet); one location with 10 places since 2024-06-01: 2025 expected
    365 x 10 x 2.00 = 7300.00. Claimed and received: Q1, 90 x 10 x 2.00 = 1800.00.

    Begroting 2025: primitive staff 5000.00, activities 1000.00, income T-BEG 7000.00;
    wijziging 1: staff +500.00, T-BEG +300.00. Expenses 2025: staff 2750.00 charged to
    T-BEG, activities 1200.00 charged to no scheme. The reserve opens with 10000.00 on
    2025-02-01."""
    partner = await build.partner()
    scheme = await budget.scheme(
        db, code="T-BEG", kinds=["emergency"], rates=[(date(2025, 1, 1), None, "2.00")]
    )
    await records.location(
        db, partner, kind=LocationKind.emergency, opened_on=date(2024, 6, 1), capacity=10
    )
    await budget.claim(
        db, scheme, start=date(2025, 1, 1), end=date(2025, 3, 31), status=ClaimStatus.paid,
        total="1800.00", claimed="1800.00", received="1800.00", received_on=date(2025, 5, 1),
    )  # fmt: skip
    await budget.expense(db, on=date(2025, 4, 1), amount="2750.00", scheme_id=scheme.id)
    await budget.expense(
        db, on=date(2025, 6, 1), amount="1200.00", category=ExpenseCategory.activities
    )
    async with db.sessionmaker() as session, session.begin():
        first = BudgetVersion(
            year=2025, number=0, decided_on=date(2024, 11, 7), description="Primitief"
        )
        change = BudgetVersion(
            year=2025, number=1, decided_on=date(2025, 7, 3), decision_reference="RB 2025/30",
            description="Zomernota",
        )  # fmt: skip
        session.add_all([first, change])
        await session.flush()

        def line(version: BudgetVersion, amount: str, category: str | None = None) -> BudgetLine:
            return BudgetLine(
                version_id=version.id,
                kind=BudgetLineKind.expense if category else BudgetLineKind.income,
                category=ExpenseCategory(category) if category else None,
                scheme_id=None if category else scheme.id,
                amount=Decimal(amount),
            )

        session.add_all(
            [
                line(first, "5000.00", "staff"),
                line(first, "1000.00", "activities"),
                line(first, "7000.00"),
                line(change, "500.00", "staff"),
                line(change, "300.00"),
            ]
        )
        session.add(
            ReserveMutation(
                booked_on=date(2025, 2, 1), amount=Decimal("10000.00"), description="Opening",
                decision_reference="RB 2025/03",
            )
        )  # fmt: skip
    return scheme


def by(items: list[dict[str, Any]], key: str) -> dict[str, dict[str, Any]]:
    return {item[key]: item for item in items}


async def test_the_begroting_beside_the_actuals(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    await world(db, build)
    r = await client.get(f"{URL}?year=2025", headers=build.headers_for(Role.viewer))
    assert r.status_code == 200, r.text
    report = r.json()
    assert [(v["number"], v["decisionReference"]) for v in report["versions"]] == [
        (0, None), (1, "RB 2025/30"),
    ]  # fmt: skip
    expenses = by(report["expenses"], "category")
    assert len(expenses) == len(ExpenseCategory)
    # staff: 5000 + 500 = 5500 planned, 2750 spent: 2750 left, half used.
    assert expenses["staff"] == {
        "category": "staff", "primitive": "5000.00", "changes": "500.00", "current": "5500.00",
        "actual": "2750.00", "remaining": "2750.00", "shareUsed": 0.5,
    }  # fmt: skip
    # activities: 1000 planned, 1200 spent: 200 over, 120 % used.
    assert (expenses["activities"]["remaining"], expenses["activities"]["shareUsed"]) == (
        "-200.00", 1.2,
    )  # fmt: skip
    assert expenses["transport"]["shareUsed"] is None  # nothing planned
    income = by(report["income"], "schemeCode")
    # T-BEG: 7000 + 300 planned; 7300 expected; 1800 claimed and received; 2750 charged:
    # net 7300 - 2750 = 4550.
    assert income["T-BEG"] | {"schemeName": None} == {
        "schemeCode": "T-BEG", "schemeName": None, "primitive": "7000.00", "changes": "300.00",
        "planned": "7300.00", "expected": "7300.00", "expectedCertainty": "known",
        "claimed": "1800.00", "received": "1800.00", "chargedExpenses": "2750.00",
        "netResult": "4550.00",
    }  # fmt: skip
    assert income["BOO-GOO"]["expected"] == "0.00" and income["BOO-GOO"]["netResult"] == "0.00"
    # Totals: planned 6500 / 7300, actual 3950, expected 7300; result 7300 - 3950 = 3350.
    assert report["totals"] == {
        "plannedExpenses": "6500.00", "actualExpenses": "3950.00", "remaining": "2550.00",
        "plannedIncome": "7300.00", "expectedIncome": "7300.00", "claimed": "1800.00",
        "received": "1800.00", "unchargedExpenses": "1200.00", "plannedResult": "800.00",
        "result": "3350.00",
    }  # fmt: skip
    # The reserve: opened in 2025 (0.00 on 1 January), +10000, +3350: 13350.00.
    assert report["reserve"] == {
        "opening": "0.00", "mutations": "10000.00", "result": "3350.00", "closing": "13350.00",
    }  # fmt: skip
    # 2026 opens with it; the seeded schemes have no 2026 rates: the result is unknown.
    r = await client.get(f"{URL}?year=2026", headers=build.headers_for(Role.finance))
    assert r.json()["reserve"] == {
        "opening": "13350.00", "mutations": "0.00", "result": None, "closing": None,
    }  # fmt: skip
    assert r.json()["versions"] == [] and r.json()["totals"]["expectedIncome"] is None
    assert (
        await client.get(f"{URL}?year=1999", headers=build.headers_for(Role.finance))
    ).status_code == 400


async def test_the_statement_count_does_not_grow_with_the_data(
    client: httpx.AsyncClient, build: Builder, db: Database, engine: AsyncEngine
) -> None:
    scheme = await world(db, build)
    h = build.headers_for(Role.finance)
    assert (await client.get(f"{URL}?year=2025", headers=h)).status_code == 200  # warm-up
    with count_statements(engine) as small:
        assert (await client.get(f"{URL}?year=2025", headers=h)).status_code == 200
    partner = await build.partner()
    for n in range(5):  # more places, bookings, lines and mutations
        await records.location(
            db, partner, kind=LocationKind.emergency, opened_on=date(2024, 1, 1), capacity=n + 1
        )
        await budget.expense(db, on=date(2025, 8, n + 1), amount="10.00", scheme_id=scheme.id)
    async with db.sessionmaker() as session, session.begin():
        extra = BudgetVersion(
            year=2025, number=2, decided_on=date(2025, 11, 6), decision_reference="RB 2025/44",
            description="Najaarsnota",
        )  # fmt: skip
        session.add(extra)
        await session.flush()
        for category in ExpenseCategory:
            session.add(BudgetLine(version_id=extra.id, kind=BudgetLineKind.expense,
                                   category=category, amount=Decimal("1.00")))  # fmt: skip
        session.add(
            ReserveMutation(
                booked_on=date(2025, 9, 1), amount=Decimal("-5.00"), description="Onttrekking"
            )
        )
    with count_statements(engine) as large:
        r = await client.get(f"{URL}?year=2025", headers=h)
    assert r.status_code == 200
    assert r.json()["totals"]["actualExpenses"] == "4000.00"  # 3950 + 5 x 10
    assert len(large) == len(small)
