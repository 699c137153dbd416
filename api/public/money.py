"""What the municipality does with the Rijk's money, for residents: per year and per
quarter, the income per scheme, the costs per category, the balance and the cost per
place-day, from the budget report (``api.reports.budget``: the same definitions), and
whether the programme is budget neutral so far and by the forecast (``neutral_by_forecast``).
Money is not about people, but a cost
can be one household's payment: costs follow ``disclosure`` (no figure from fewer than 5
bookings, living allowance never on its own). Rows that are zero throughout are left
out. A fixed number of statements: the budget report's, one for the bookings per year
and one for the place-days per quarter."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from api.common.certainty import FigureCertainty
from api.council_report.figures import days_per_kind
from api.forecast.report import forecast
from api.forecast.schemas import worst
from api.models import Expense, ExpenseCategory
from api.public.disclosure import Cell, Disclosed, disclose, over_quarters
from api.public.schemas import (
    PublicCategoryMoney,
    PublicForecastNeutrality,
    PublicMoneyQuarter,
    PublicMoneyYear,
    PublicNeutrality,
    PublicSchemeMoney,
)
from api.reports.budget.figures import budget_report, quarter_of
from api.reports.budget.schemas import BudgetPeriod

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class YearCosts:
    """One year's costs as they may be published: per quarter, and for the quarters
    ``1..upto`` together."""

    quarters: list[Disclosed]
    together: Disclosed
    together_total_shown: bool


def year_costs(cells: dict[tuple[int, str], Cell], *, upto: int) -> YearCosts:
    per_quarter = [{cat: c for (q, cat), c in cells.items() if q == n} for n in range(1, 5)]
    disclosed = [disclose(c) for c in per_quarter]
    counted = list(zip(per_quarter[:upto], disclosed[:upto], strict=True))
    allowed, total_shown = over_quarters(counted)
    summed: dict[str, Cell] = {}
    for cells_q, _d in counted:
        for cat, c in cells_q.items():
            old = summed.get(cat, Cell(0, ZERO))
            summed[cat] = Cell(old.bookings + c.bookings, old.amount + c.amount)
    return YearCosts(disclosed, disclose(summed, only=allowed), total_shown)


def _costs(d: Disclosed) -> list[PublicCategoryMoney]:
    return [
        PublicCategoryMoney(category=k, amount=d.shown[k.value])
        for k in ExpenseCategory
        if k.value in d.shown and d.shown[k.value] != 0
    ]


def _income(period: BudgetPeriod) -> list[PublicSchemeMoney]:
    return [
        PublicSchemeMoney(
            scheme_code=s.scheme_code,
            scheme_name=s.scheme_name,
            expected=s.expected,
            expected_certainty=s.expected_certainty,
            received=s.received,
        )
        # A scheme with nothing due, claimed or received is not shown; one whose amount
        # the Rijk has not set yet (expected null) is, as "not known yet".
        for s in period.schemes
        if s.expected != 0 or s.claimed != 0 or s.received != 0
    ]


def _minus(a: Decimal | None, b: Decimal | None) -> Decimal | None:
    return None if a is None or b is None else a - b


def _per_day(amount: Decimal | None, days: int) -> Decimal | None:
    if amount is None or days <= 0:
        return None
    return (amount / days).quantize(Decimal("0.01"), ROUND_HALF_UP)


async def money_year(session: AsyncSession, year: int, *, on: date) -> PublicMoneyYear:
    report, _claims = await budget_report(session, year=year)
    whole = report.whole_year
    begun = [p for p in report.quarters if p.from_ <= on]
    costs = year_costs(await expense_cells(session, year=year), upto=4)
    total = costs.together.total if costs.together_total_shown else None
    quarters = []
    for number, period in enumerate(begun, start=1):
        d = costs.quarters[number - 1]
        last = min(period.to, on)
        days = sum(
            v[0] for v in (await days_per_kind(session, first=period.from_, last=last)).values()
        )
        quarters.append(
            PublicMoneyQuarter(
                quarter=period.period,
                from_=period.from_,
                to=period.to,
                ended=period.to < on,
                income=_income(period),
                income_total=period.totals.expected,
                income_certainty=period.totals.expected_certainty,
                received_total=period.totals.received,
                costs=_costs(d),
                merged_costs=d.merged,
                costs_total=d.total,
                balance=_minus(period.totals.expected, d.total),
                place_days=days,
                cost_per_place_day=_per_day(d.total, days),
            )
        )
    return PublicMoneyYear(
        year=year,
        income=_income(whole),
        income_total=whole.totals.expected,
        income_certainty=whole.totals.expected_certainty,
        received_total=whole.totals.received,
        costs=_costs(costs.together),
        merged_costs=costs.together.merged if total is not None else None,
        costs_total=total,
        balance=_minus(whole.totals.expected, total),
        received_balance=_minus(whole.totals.received, total),
        quarters=quarters,
    )


def neutral_so_far(years: list[PublicMoneyYear], *, on: date) -> PublicNeutrality:
    """Over the ended quarters of the years given (oldest first is not needed)."""
    ended = [q for y in years for q in y.quarters if q.ended]
    first = min((date(y.year, 1, 1) for y in years), default=on)
    income: Decimal | None = ZERO
    costs: Decimal | None = ZERO
    received = ZERO
    for q in ended:
        income = None if income is None or q.income_total is None else income + q.income_total
        costs = None if costs is None or q.costs_total is None else costs + q.costs_total
        received += q.received_total
    balance = _minus(income, costs)
    return PublicNeutrality(
        from_=first,
        to=max((q.to for q in ended), default=None),
        income=income,
        received=received,
        costs=costs,
        balance=balance,
        neutral=None if balance is None else balance >= 0,
    )


async def neutral_by_forecast(session: AsyncSession, *, on: date) -> PublicForecastNeutrality:
    """The forecast's base made today (a fixed number of statements): budget neutral to
    the end of next year, and how sure the figures to then are."""
    run = (await forecast(session, today=on)).base
    to = date(on.year + 1, 12, 31)
    counted = [q.certainty for q in run.quarters if q.from_ <= to]
    return PublicForecastNeutrality(
        made_on=on,
        to=to,
        neutral=run.budget_neutral,
        short_from=run.short_from,
        certainty=None if run.budget_neutral is None else FigureCertainty(worst(*counted).value),
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
