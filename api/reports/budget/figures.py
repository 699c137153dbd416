"""The figures of the budget report: three statements (the schemes, the filed claims of
the year, the expenses per category and quarter) whatever the data size, plus one claim
engine computation per scheme and quarter.

Definitions (also in the endpoint's description):

- expected: the engine's total for the scheme over the quarter, priced with provisional
  rates where no published one exists, and how sure it is (``expected_certainty``: known,
  provisional, assumed; a sum is as sure as its least sure part); ``None`` with the
  unpriced ranges when no rate at all covers a day of it;
- claimed: claims beyond draft and not rejected (submitted, approved, paid; corrections
  included) whose ``period_end`` lies in the quarter, at their claimed amount, or their
  total where no claimed amount is set; received: the received amounts of those claims;
- balance = expected - expenses, and covered = balance >= 0 (``None`` when expected is
  unknown): the Rijk's money that the rules entitle the programme to, whatever the
  claiming lag; received_balance = received - expenses is the cash view beside it.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from api.common.certainty import FigureCertainty, least_sure, of_rate
from api.models import (
    FILED_STATUSES,
    Expense,
    ExpenseCategory,
    ReimbursementClaim,
    ReimbursementScheme,
)
from api.reimbursements.claims import engine
from api.reports.budget.schemas import (
    BudgetPeriod,
    BudgetReport,
    BudgetTotals,
    CategoryAmount,
    DateRange,
    SchemeBudget,
)

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class ClaimRow:
    """A filed claim counted in the report (the export lists them)."""

    scheme_code: str
    period_start: date
    period_end: date
    status: str
    correction: bool
    total_amount: Decimal
    claimed_amount: Decimal | None
    received_amount: Decimal | None
    received_on: date | None
    quarter: int

    @property
    def claimed(self) -> Decimal:
        return self.total_amount if self.claimed_amount is None else self.claimed_amount


def quarters(year: int) -> list[tuple[date, date]]:
    return [(date(year, month, 1), _month_end(year, month + 2)) for month in (1, 4, 7, 10)]


def _month_end(year: int, month: int) -> date:
    following = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    return following - timedelta(days=1)


def quarter_of(column: Any, year: int) -> Any:
    ends = [last for _first, last in quarters(year)]
    return case((column <= ends[0], 1), (column <= ends[1], 2), (column <= ends[2], 3), else_=4)


async def _schemes(session: AsyncSession) -> list[Any]:
    stmt = select(ReimbursementScheme.id, ReimbursementScheme.code, ReimbursementScheme.name)
    return list((await session.execute(stmt.order_by(ReimbursementScheme.code))).all())


async def filed_claims(session: AsyncSession, *, year: int) -> list[ClaimRow]:
    """The claims beyond draft and not rejected whose period ends in ``year``."""
    c = ReimbursementClaim
    stmt = (
        select(
            ReimbursementScheme.code,
            c.period_start,
            c.period_end,
            c.status,
            c.corrects_claim_id.is_not(None),
            c.total_amount,
            c.claimed_amount,
            c.received_amount,
            c.received_on,
            quarter_of(c.period_end, year),
        )
        .join(ReimbursementScheme, ReimbursementScheme.id == c.scheme_id)
        .where(
            c.status.in_(FILED_STATUSES),
            c.period_end.between(date(year, 1, 1), date(year, 12, 31)),
        )
        .order_by(c.period_end, ReimbursementScheme.code, c.period_start, c.created_at, c.id)
    )
    return [
        ClaimRow(
            scheme_code=code,
            period_start=start,
            period_end=end,
            status=str(status),
            correction=bool(correction),
            total_amount=total,
            claimed_amount=claimed,
            received_amount=received,
            received_on=received_on,
            quarter=int(quarter),
        )
        for code, start, end, status, correction, total, claimed, received, received_on, quarter
        in (await session.execute(stmt)).all()
    ]  # fmt: skip


async def _expenses(session: AsyncSession, *, year: int) -> dict[tuple[int, str], Decimal]:
    """Per (quarter, category), the sum of the expenses booked in the year."""
    booked = (
        select(
            Expense.category.label("category"),
            quarter_of(Expense.spent_on, year).label("quarter"),
            Expense.amount.label("amount"),
        )
        .where(Expense.spent_on.between(date(year, 1, 1), date(year, 12, 31)))
        .subquery()
    )
    # Grouped outside: PostgreSQL would not see that the CASE with its bound dates in the
    # select list and in GROUP BY are the same expression.
    stmt = select(booked.c.quarter, booked.c.category, func.sum(booked.c.amount)).group_by(
        booked.c.quarter, booked.c.category
    )
    return {
        (int(quarter), str(category)): Decimal(total)
        for quarter, category, total in (await session.execute(stmt)).all()
    }


async def _expected(
    session: AsyncSession, scheme_id: uuid.UUID, first: date, last: date
) -> tuple[Decimal | None, FigureCertainty | None, list[DateRange]]:
    try:
        computed = await engine.compute(
            session, scheme_id=scheme_id, first=first, last=last, provisional=True
        )
    except engine.UncoveredDays as uncovered:
        return None, None, [DateRange(from_=a, to=b) for a, b in uncovered.ranges]
    return computed.total, of_rate(computed.certainty), []


def _joined(ranges: list[DateRange]) -> list[DateRange]:
    """Ranges in order, adjacent and overlapping ones joined (across quarter ends)."""
    joined: list[DateRange] = []
    for r in sorted(ranges, key=lambda r: r.from_):
        if joined and r.from_ <= joined[-1].to + timedelta(days=1):
            if r.to > joined[-1].to:
                joined[-1] = DateRange(from_=joined[-1].from_, to=r.to)
        else:
            joined.append(r)
    return joined


def _sum_or_none(values: list[Decimal | None]) -> Decimal | None:
    if any(v is None for v in values):
        return None
    return sum((v for v in values if v is not None), ZERO)


def _period(
    label: str,
    first: date,
    last: date,
    schemes: list[SchemeBudget],
    expenses: list[CategoryAmount],
) -> BudgetPeriod:
    expected = _sum_or_none([s.expected for s in schemes])
    certainty = least_sure(s.expected_certainty for s in schemes)
    received = sum((s.received for s in schemes), ZERO)
    spent = sum((e.amount for e in expenses), ZERO)
    balance = None if expected is None else expected - spent
    return BudgetPeriod(
        period=label,
        from_=first,
        to=last,
        schemes=schemes,
        expenses=expenses,
        totals=BudgetTotals(
            expected=expected,
            expected_certainty=certainty,
            claimed=sum((s.claimed for s in schemes), ZERO),
            received=received,
            expenses=spent,
            balance=balance,
            received_balance=received - spent,
            covered=None if balance is None else balance >= 0,
        ),
    )


async def budget_report(session: AsyncSession, *, year: int) -> tuple[BudgetReport, list[ClaimRow]]:
    """The report, and the filed claims it counts (for the export)."""
    schemes = await _schemes(session)
    claims = await filed_claims(session, year=year)
    spent = await _expenses(session, year=year)
    claimed: dict[tuple[int, str], Decimal] = defaultdict(lambda: ZERO)
    received: dict[tuple[int, str], Decimal] = defaultdict(lambda: ZERO)
    for claim in claims:
        claimed[claim.quarter, claim.scheme_code] += claim.claimed
        if claim.received_amount is not None:
            received[claim.quarter, claim.scheme_code] += claim.received_amount
    periods: list[BudgetPeriod] = []
    for number, (first, last) in enumerate(quarters(year), start=1):
        rows = []
        for scheme_id, code, name in schemes:
            expected, certainty, unpriced = await _expected(session, scheme_id, first, last)
            rows.append(
                SchemeBudget(
                    scheme_code=code,
                    scheme_name=name,
                    expected=expected,
                    expected_certainty=certainty,
                    unpriced_ranges=unpriced,
                    claimed=claimed[number, code],
                    received=received[number, code],
                )
            )
        categories = [
            CategoryAmount(category=c, amount=spent.get((number, c.value), ZERO))
            for c in ExpenseCategory
        ]
        periods.append(_period(f"Q{number}", first, last, rows, categories))
    whole = _period(
        "year",
        date(year, 1, 1),
        date(year, 12, 31),
        [
            SchemeBudget(
                scheme_code=code,
                scheme_name=name,
                expected=_sum_or_none([p.schemes[i].expected for p in periods]),
                expected_certainty=least_sure(p.schemes[i].expected_certainty for p in periods),
                unpriced_ranges=_joined([r for p in periods for r in p.schemes[i].unpriced_ranges]),
                claimed=sum((p.schemes[i].claimed for p in periods), ZERO),
                received=sum((p.schemes[i].received for p in periods), ZERO),
            )
            for i, (_id, code, name) in enumerate(schemes)
        ],
        [
            CategoryAmount(category=c, amount=sum((p.expenses[i].amount for p in periods), ZERO))
            for i, c in enumerate(ExpenseCategory)
        ],
    )
    return BudgetReport(year=year, quarters=periods, whole_year=whole), claims
