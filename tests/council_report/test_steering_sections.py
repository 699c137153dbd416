"""The council report's steering sections on a small world computed by hand: the goals
against their targets, and the begroting with the reserve as the council had decided
them by the reference date (2026Q3: 30 September 2026)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import httpx

from api.db import Database
from api.models import (
    BudgetLine,
    BudgetLineKind,
    BudgetVersion,
    Direction,
    ExpenseCategory,
    Goal,
    GoalTheme,
    Indicator,
    IndicatorTarget,
    IndicatorUnit,
    LocationKind,
    Placement,
    ReimbursementScheme,
    ReserveMutation,
    Role,
)
from tests.support import budget, records
from tests.support.builders import Builder

URL = "/api/v1/reports/council?quarter=2026Q3"


def section(report: dict[str, Any], key: str) -> dict[str, Any]:
    return next(s for s in report["sections"] if s["key"] == key)


async def world(db: Database, build: Builder) -> None:
    """Goal "Opvang" with indicator occupancy of the municipal locations, target 2026 90 %
    (higher is better). One location of 10 places since 2026-01-01 and one person placed
    from 2026-07-01: Q3 has 92 x 10 = 920 place-days and 92 nights, so 10,0 %, not on
    track; Q3 2025 had no places, so no value.

    Begroting 2026: primitive (2025-11-06, RB-1) staff 40,000, activities 10,000, income
    BOO-GOO 60,000; wijziging 1 (2026-06-04, RB-2) staff +5,000; wijziging 2
    (2026-10-15, after the quarter) activities +99,999, not counted. As of 30 September:
    costs 50,000 + 5,000 = 55,000. Five staff bookings of 1,000 in Q1 (five, so the
    public rule shows them): 5,000 spent, 5,000 / 55,000 = 9,1 %. The reserve opens with
    20,000 on 2026-02-01 (a deposit after the quarter, 2026-11-01, is not counted); it
    stood at 0 on 1 January 2026."""
    partner = await build.partner()
    loc = await records.location(
        db, partner, kind=LocationKind.municipal_ukrainian, opened_on=date(2026, 1, 1)
    )
    person = await records.participant(db)
    async with db.sessionmaker() as session, session.begin():
        session.add(
            Placement(participant_id=person.id, location_id=loc.id, start_date=date(2026, 7, 1))
        )
        goal = Goal(title="Opvang", theme=GoalTheme.finance, public=True)
        session.add(goal)
        await session.flush()
        indicator = Indicator(
            goal_id=goal.id,
            title="Bezetting gemeentelijke opvang",
            metric="occupancy_rate",
            params={"locationKind": "municipal_ukrainian"},
            direction=Direction.higher_better,
            unit=IndicatorUnit.share,
            public=True,
        )
        session.add(indicator)
        await session.flush()
        session.add(IndicatorTarget(indicator_id=indicator.id, year=2026, value=Decimal("0.9")))
        boo = await session.scalar(
            ReimbursementScheme.__table__.select()
            .with_only_columns(ReimbursementScheme.id)
            .where(ReimbursementScheme.code == "BOO-GOO")
        )
        versions = [
            BudgetVersion(year=2026, number=0, decided_on=date(2025, 11, 6),
                          decision_reference="RB-1", description="Primitief"),
            BudgetVersion(year=2026, number=1, decided_on=date(2026, 6, 4),
                          decision_reference="RB-2", description="Voorjaarsnota"),
            BudgetVersion(year=2026, number=2, decided_on=date(2026, 10, 15),
                          decision_reference="RB-3", description="Najaarsnota"),
        ]  # fmt: skip
        session.add_all(versions)
        await session.flush()
        e, i = BudgetLineKind.expense, BudgetLineKind.income
        session.add_all(
            [
                BudgetLine(version_id=versions[0].id, kind=e, category=ExpenseCategory.staff,
                           amount=Decimal("40000.00")),
                BudgetLine(version_id=versions[0].id, kind=e,
                           category=ExpenseCategory.activities, amount=Decimal("10000.00")),
                BudgetLine(version_id=versions[0].id, kind=i, scheme_id=boo,
                           amount=Decimal("60000.00")),
                BudgetLine(version_id=versions[1].id, kind=e, category=ExpenseCategory.staff,
                           amount=Decimal("5000.00")),
                BudgetLine(version_id=versions[2].id, kind=e,
                           category=ExpenseCategory.activities, amount=Decimal("99999.00")),
                ReserveMutation(booked_on=date(2026, 2, 1), amount=Decimal("20000.00"),
                                description="Opening", decision_reference="RB-0"),
                ReserveMutation(booked_on=date(2026, 11, 1), amount=Decimal("1.00"),
                                description="Later", decision_reference="RB-4"),
            ]
        )  # fmt: skip
    for day in range(1, 6):
        await budget.expense(db, on=date(2026, 2, day), amount="1000.00")


async def test_goals_and_begroting_as_of_the_quarter(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    await world(db, build)
    r = await client.get(URL, headers=build.headers_for(Role.viewer))
    assert r.status_code == 200, r.text
    report = r.json()
    goals = section(report, "goals")
    assert goals["heading"] == "Doelen van het programma"
    assert goals["sentences"] == [
        "Voor 2026 is er 1 indicator met een doel. Die ligt nog niet op koers "
        "(stand 30 september 2026).",
    ]
    assert goals["tables"][0]["rows"] == [
        ["Opvang", "Bezetting gemeentelijke opvang", "10,0%", "-", "90,0%", "Nee"]
    ]
    assert goals["charts"][0]["series"][0]["values"] == [10.0]
    assert goals["charts"][0]["series"][1]["values"] == [90.0]

    begroting = section(report, "begroting")
    assert begroting["sentences"] == [
        "De raad stelde de begroting 2026 vast op 6 november 2025 (besluit RB-1).",
        "Daarna kwam er 1 wijziging bij, op 4 juni 2026 (besluit RB-2).",
        "De begroting rekent op € 60.000,00 aan inkomsten van het Rijk en € 55.000,00 aan kosten.",
        "Tot en met 30 september 2026 gaven we € 5.000,00 uit: 9,1% van de begrote kosten.",
        "De bestemmingsreserve stond op 1 januari 2026 op € 0,00.",
        "De raad besloot dit jaar tot € 20.000,00 aan stortingen en onttrekkingen.",
    ]
    assert begroting["tables"][0]["rows"] == [
        ["Personeel", "€ 40.000,00", "€ 5.000,00", "€ 45.000,00"],
        ["Activiteiten", "€ 10.000,00", "€ 0,00", "€ 10.000,00"],
        ["Totaal", "€ 50.000,00", "€ 5.000,00", "€ 55.000,00"],
    ]
    assert begroting["tables"][1]["rows"] == [["BOO-GOO", "€ 60.000,00"]]
    assert begroting["tables"][2]["rows"] == [["Kosten", "€ 55.000,00", "€ 5.000,00"]]


async def test_without_goals_or_begroting_the_sections_say_so(
    client: httpx.AsyncClient, build: Builder
) -> None:
    r = await client.get(URL, headers=build.headers_for(Role.admin))
    assert r.status_code == 200, r.text
    report = r.json()
    assert section(report, "goals")["sentences"] == [
        "Er zijn nog geen doelen met indicatoren vastgelegd."
    ]
    assert section(report, "begroting")["sentences"][0] == (
        "Voor 2026 is (nog) geen begroting vastgelegd."
    )
