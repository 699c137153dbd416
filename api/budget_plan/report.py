"""The begroting report: per expense category the plan (primitive, changes, current)
beside the actuals; per scheme the planned income beside what the engine expects, what
was claimed and received (the budget report's own figures and definitions) and the net
result after the expenses charged to it; the totals; and the reserve of the year.

Statements: the versions, the plan per line, the expenses per scheme, the year's reserve
mutations, plus the budget report of the year and of each earlier year of the reserve
(its result carries over): a number that grows with the years, never with the data.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from api.budget_plan.report_schemas import (
    BudgetPlanReport,
    BudgetPlanTotals,
    CategoryPlan,
    ReserveYearRead,
    SchemePlan,
)
from api.budget_plan.reserve import opening_balance
from api.budget_plan.schemas import BudgetVersionSummary
from api.models import (
    BudgetLine,
    BudgetLineKind,
    BudgetVersion,
    Expense,
    ReimbursementScheme,
    ReserveMutation,
)
from api.reports.budget.figures import budget_report
from api.reports.budget.schemas import SchemeBudget

ZERO = Decimal("0.00")
Plan = dict[tuple[BudgetLineKind, str], tuple[Decimal, Decimal]]


async def _versions(session: AsyncSession, year: int) -> list[BudgetVersionSummary]:
    stmt = (
        select(*(getattr(BudgetVersion, n) for n in BudgetVersionSummary.model_fields))
        .where(BudgetVersion.year == year)
        .order_by(BudgetVersion.number)
    )
    return [BudgetVersionSummary.model_validate(r) for r in (await session.execute(stmt)).all()]


async def _plan(session: AsyncSession, year: int) -> Plan:
    """Per line: (the primitive's amount, the sum of the wijzigingen' changes)."""
    # The amount first in each CASE: its type (cents in the database) converts the sum.
    primitive, wijziging = BudgetVersion.number == 0, BudgetVersion.number > 0
    stmt = (
        select(
            BudgetLine.kind,
            BudgetLine.category,
            ReimbursementScheme.code,
            func.sum(case((primitive, BudgetLine.amount), else_=0)),
            func.sum(case((wijziging, BudgetLine.amount), else_=0)),
        )
        .join(BudgetVersion, BudgetVersion.id == BudgetLine.version_id)
        .outerjoin(ReimbursementScheme, ReimbursementScheme.id == BudgetLine.scheme_id)
        .where(BudgetVersion.year == year)
        .group_by(BudgetLine.kind, BudgetLine.category, ReimbursementScheme.code)
    )
    out: Plan = {}
    for kind, category, code, first, changes in (await session.execute(stmt)).all():
        key = str(category) if kind == BudgetLineKind.expense else str(code)
        out[BudgetLineKind(kind), key] = (
            Decimal(first).quantize(ZERO),
            Decimal(changes).quantize(ZERO),
        )
    return out


async def _charged(session: AsyncSession, year: int) -> dict[str | None, Decimal]:
    """The year's expenses per scheme code (``None``: charged to no scheme)."""
    stmt = (
        select(ReimbursementScheme.code, func.sum(Expense.amount))
        .outerjoin(ReimbursementScheme, ReimbursementScheme.id == Expense.scheme_id)
        .where(Expense.spent_on.between(date(year, 1, 1), date(year, 12, 31)))
        .group_by(ReimbursementScheme.code)
    )
    return {code: Decimal(total) for code, total in (await session.execute(stmt)).all()}


async def _mutations(session: AsyncSession, year: int) -> Decimal:
    stmt = select(func.coalesce(func.sum(ReserveMutation.amount), 0)).where(
        ReserveMutation.booked_on.between(date(year, 1, 1), date(year, 12, 31))
    )
    return Decimal(await session.scalar(stmt) or 0).quantize(ZERO)


def _certainty(scheme: SchemeBudget) -> str | None:
    return None if scheme.expected_certainty is None else str(scheme.expected_certainty)


def _share(actual: Decimal, current: Decimal) -> float | None:
    return None if current == 0 else round(float(actual / current), 4)


async def begroting_report(session: AsyncSession, *, year: int) -> BudgetPlanReport:
    versions = await _versions(session, year)
    plan = await _plan(session, year)
    charged = await _charged(session, year)
    budget, _claims = await budget_report(session, year=year)
    whole = budget.whole_year
    expenses = []
    for spent in whole.expenses:
        first, changes = plan.get((BudgetLineKind.expense, spent.category.value), (ZERO, ZERO))
        current = first + changes
        expenses.append(
            CategoryPlan(
                category=spent.category,
                primitive=first,
                changes=changes,
                current=current,
                actual=spent.amount,
                remaining=current - spent.amount,
                share_used=_share(spent.amount, current),
            )
        )
    income = []
    for scheme in whole.schemes:
        first, changes = plan.get((BudgetLineKind.income, scheme.scheme_code), (ZERO, ZERO))
        on_it = charged.get(scheme.scheme_code, ZERO)
        income.append(
            SchemePlan(
                scheme_code=scheme.scheme_code,
                scheme_name=scheme.scheme_name,
                primitive=first,
                changes=changes,
                planned=first + changes,
                expected=scheme.expected,
                expected_certainty=_certainty(scheme),
                claimed=scheme.claimed,
                received=scheme.received,
                charged_expenses=on_it,
                net_result=None if scheme.expected is None else scheme.expected - on_it,
            )
        )
    planned_expenses = sum((e.current for e in expenses), ZERO)
    planned_income = sum((i.planned for i in income), ZERO)
    totals = BudgetPlanTotals(
        planned_expenses=planned_expenses,
        actual_expenses=whole.totals.expenses,
        remaining=planned_expenses - whole.totals.expenses,
        planned_income=planned_income,
        expected_income=whole.totals.expected,
        claimed=whole.totals.claimed,
        received=whole.totals.received,
        uncharged_expenses=charged.get(None, ZERO),
        planned_result=planned_income - planned_expenses,
        result=whole.totals.balance,
    )
    opening = await opening_balance(session, year=year)
    moved = await _mutations(session, year)
    result = whole.totals.balance
    closing = None if opening is None or result is None else opening + moved + result
    return BudgetPlanReport(
        year=year,
        versions=versions,
        expenses=expenses,
        income=income,
        totals=totals,
        reserve=ReserveYearRead(opening=opening, mutations=moved, result=result, closing=closing),
    )
