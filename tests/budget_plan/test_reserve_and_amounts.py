"""The reserve year by year and the current begroting, on a small world computed by hand."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from api.budget_plan.amounts import current_begroting
from api.budget_plan.reserve import opening_balance, reserve_years
from api.db import Database
from api.models import (
    BudgetLine,
    BudgetLineKind,
    BudgetVersion,
    ExpenseCategory,
    ReserveMutation,
)
from tests.support import budget
from tests.support.builders import Builder


async def test_a_years_result_moves_into_the_reserve(db: Database, build: Builder) -> None:
    """T-RES pays 2.00 per place-day at emergency locations (the seeded
    BOO schemes do not); one with 10 places since 2024-06-01
    (so no place is added in 2025: the Spreidingswet scheme pays nothing):
    365 x 10 x 2.00 = 7300.00 in 2025. Expenses 1000.00: result 6300.00.
    The council opens the reserve with 10000.00 on 2025-02-01, so 2025 closes at
    0 + 10000.00 + 6300.00 = 16300.00 and 2026 opens with it. The seeded schemes have no
    2026 rate, so 2026's result and closing balance are unknown."""
    await budget.paying_2025(db, await build.partner())
    async with db.sessionmaker() as session, session.begin():
        assert await reserve_years(session, last_year=2026) == []  # not opened yet
        assert await opening_balance(session, year=2026) == Decimal("0.00")
        session.add(
            ReserveMutation(
                booked_on=date(2025, 2, 1), amount=Decimal("10000.00"), description="Opening"
            )
        )
        await session.flush()
        first, second = await reserve_years(session, last_year=2026)
        assert (first.year, first.opening, first.mutations) == (
            2025,
            Decimal("0.00"),
            Decimal("10000.00"),
        )
        assert (first.result, first.closing) == (Decimal("6300.00"), Decimal("16300.00"))
        assert (second.year, second.opening, second.result, second.closing) == (
            2026, Decimal("16300.00"), None, None,
        )  # fmt: skip
        assert await opening_balance(session, year=2026) == Decimal("16300.00")
        await session.rollback()


async def test_the_current_begroting_sums_the_versions(db: Database, build: Builder) -> None:
    """Primitive 2026: staff 50000.00, BOO-GOO income 80000.00; wijziging 1: staff
    -5000.00, activities +2000.00. Current: staff 45000.00, activities 2000.00, BOO-GOO
    80000.00. 2025 has no begroting."""
    scheme = await budget.scheme(db, code="T-BEG")
    async with db.sessionmaker() as session, session.begin():
        primitive = BudgetVersion(
            year=2026, number=0, decided_on=date(2025, 11, 6), description="Primitief"
        )
        change = BudgetVersion(
            year=2026, number=1, decided_on=date(2026, 6, 4), decision_reference="RB 2026/12",
            description="Voorjaarsnota",
        )  # fmt: skip
        session.add_all([primitive, change])
        await session.flush()
        session.add_all(
            [
                BudgetLine(version_id=primitive.id, kind=BudgetLineKind.expense,
                           category=ExpenseCategory.staff, amount=Decimal("50000.00")),
                BudgetLine(version_id=primitive.id, kind=BudgetLineKind.income,
                           scheme_id=scheme.id, amount=Decimal("80000.00")),
                BudgetLine(version_id=change.id, kind=BudgetLineKind.expense,
                           category=ExpenseCategory.staff, amount=Decimal("-5000.00")),
                BudgetLine(version_id=change.id, kind=BudgetLineKind.expense,
                           category=ExpenseCategory.activities, amount=Decimal("2000.00")),
            ]
        )  # fmt: skip
        await session.flush()
        assert await current_begroting(session, years=[2025, 2026]) == {
            (2026, BudgetLineKind.expense, "staff"): Decimal("45000.00"),
            (2026, BudgetLineKind.expense, "activities"): Decimal("2000.00"),
            (2026, BudgetLineKind.income, "T-BEG"): Decimal("80000.00"),
        }
        await session.rollback()
