"""The earmarked reserve (bestemmingsreserve) year by year.

It starts with its first council-decided mutation (the opening deposit). Each year:
``closing = opening + mutations + result``, and the next year opens with that closing
balance. The result is the year's balance of the budget report (the Rijk's income the
rules entitle the programme to, minus the expenses: ``api.reports.budget``), so a
surplus moves into the reserve and a deficit is drawn from it. A year whose result is
unknown (a day no rate covers) makes the closing balance, and all after it, unknown.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from api.models import ReserveMutation
from api.reports.budget.figures import budget_report

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class ReserveYear:
    year: int
    opening: Decimal | None
    mutations: Decimal  # deposits (+) and withdrawals (-) decided by the council
    result: Decimal | None  # the year's balance; None when a rate is missing
    closing: Decimal | None


async def _mutations_per_year(session: AsyncSession, last_year: int) -> dict[int, Decimal]:
    year = func.extract("year", ReserveMutation.booked_on)
    stmt = (
        select(year, func.sum(ReserveMutation.amount))
        .where(ReserveMutation.booked_on <= date(last_year, 12, 31))
        .group_by(year)
    )
    return {int(y): Decimal(total) for y, total in (await session.execute(stmt)).all()}


async def _years(
    session: AsyncSession, *, last_year: int, until_unknown: bool
) -> list[ReserveYear]:
    mutations = await _mutations_per_year(session, last_year)
    if not mutations:
        return []
    years: list[ReserveYear] = []
    opening: Decimal | None = ZERO
    for year in range(min(mutations), last_year + 1):
        report, _claims = await budget_report(session, year=year)
        result = report.whole_year.totals.balance
        moved = mutations.get(year, ZERO)
        closing = None if opening is None or result is None else opening + moved + result
        years.append(ReserveYear(year, opening, moved, result, closing))
        if closing is None and until_unknown:
            break  # every later balance is unknown too: no need to compute their results
        opening = closing
    return years


async def reserve_years(session: AsyncSession, *, last_year: int) -> list[ReserveYear]:
    """The reserve from the year of its first mutation up to ``last_year`` (empty when
    the council has not opened it). One statement plus one budget report per year."""
    return await _years(session, last_year=last_year, until_unknown=False)


async def opening_balance(session: AsyncSession, *, year: int) -> Decimal | None:
    """The reserve on 1 January of ``year`` (zero before it was opened; None when an
    earlier year's result is unknown). Stops at the first unknown year: a year far ahead
    does not compute the budget of every year before it."""
    earlier = await _years(session, last_year=year - 1, until_unknown=True)
    return earlier[-1].closing if earlier else ZERO


async def year_end(
    session: AsyncSession, *, year: int
) -> tuple[Decimal | None, ReserveYear | None]:
    """The reserve on 1 January of ``year`` (as ``opening_balance``) and ``year`` itself
    (None before the reserve was opened, or when an earlier year's result is unknown), in
    one walk that stops at the first unknown year: the council report's fourth quarter
    needs both, and each year of the walk costs a budget report."""
    years = await _years(session, last_year=year, until_unknown=True)
    if not years:
        return ZERO, None
    last = years[-1]
    if last.year == year:
        return last.opening, last
    return None, None  # an earlier year's result is unknown, so all after it are too
