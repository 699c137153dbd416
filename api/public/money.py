"""What the municipality does with the Rijk's money, for residents: per year, the income
per scheme, the costs per category and the balance, from the budget report
(``api.reports.budget``: the same definitions). Money is not about people, so nothing is
suppressed; rows that are zero throughout are left out."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from api.public.schemas import PublicCategoryMoney, PublicMoneyYear, PublicSchemeMoney
from api.reports.budget.figures import budget_report


async def money_year(session: AsyncSession, year: int) -> PublicMoneyYear:
    report, _claims = await budget_report(session, year=year)
    whole = report.whole_year
    income = [
        PublicSchemeMoney(
            scheme_code=s.scheme_code,
            scheme_name=s.scheme_name,
            expected=s.expected,
            expected_certainty=s.expected_certainty,
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
        income_certainty=whole.totals.expected_certainty,
        received_total=whole.totals.received,
        costs=costs,
        costs_total=whole.totals.expenses,
        balance=whole.totals.balance,
        received_balance=whole.totals.received_balance,
    )
