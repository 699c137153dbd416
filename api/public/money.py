"""What the municipality does with the Rijk's money, for residents: per year, the income
per scheme, the costs per category and the balance, from the budget report
(``api.reports.budget``: the same definitions). Money is not about people, so nothing is
suppressed; rows that are zero throughout are left out."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from api.models import Expense
from api.public.disclosure import Cell
from api.public.schemas import PublicCategoryMoney, PublicMoneyYear, PublicSchemeMoney
from api.reports.budget.figures import budget_report, quarter_of


async def money_year(session: AsyncSession, year: int) -> PublicMoneyYear:
    report, _claims = await budget_report(session, year=year)
    whole = report.whole_year
    income = [
        PublicSchemeMoney(
            scheme_code=s.scheme_code,
            scheme_name=s.scheme_name,
            expected=s.expected,
            received=s.received,
        )
        # A scheme with nothing due, claimed or received this year is not shown; one whose
        # amount the Rijk has not set yet (expected null) is, as "not known yet".
        for s in whole.schemes
        if s.expected != 0 or s.claimed != 0 or s.received != 0
    ]
    costs = [
        PublicCategoryMoney(category=e.category, amount=e.amount)
        for e in whole.expenses
        if e.amount != 0
    ]
    return PublicMoneyYear(
        year=year,
        income=income,
        income_total=whole.totals.expected,
        received_total=whole.totals.received,
        costs=costs,
        costs_total=whole.totals.expenses,
        balance=whole.totals.balance,
        received_balance=whole.totals.received_balance,
    )


async def expense_cells(session: AsyncSession, *, year: int) -> dict[tuple[int, str], Cell]:
    """Per (quarter, category) of ``year``: the number of bookings and their sum, in one
    grouped statement (what ``disclosure`` decides on)."""
    booked = (
        select(
            Expense.category.label("category"),
            quarter_of(Expense.spent_on, year).label("quarter"),
            Expense.amount.label("amount"),
        )
        .where(Expense.spent_on.between(date(year, 1, 1), date(year, 12, 31)))
        .subquery()
    )
    # Grouped outside, as in the budget report (PostgreSQL and the CASE's bound dates).
    stmt = select(
        booked.c.quarter, booked.c.category, func.count(), func.sum(booked.c.amount)
    ).group_by(booked.c.quarter, booked.c.category)
    return {
        (int(q), str(category)): Cell(bookings=int(n), amount=Decimal(total))
        for q, category, n, total in (await session.execute(stmt)).all()
    }
