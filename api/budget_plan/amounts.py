"""The current begroting: per year and line, the sum over the year's versions (the
primitive's planned amount plus each wijziging's change). One statement for any number of
years, versions and lines."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from api.models import BudgetLine, BudgetLineKind, BudgetVersion, ReimbursementScheme

# (year, kind, expense category value or scheme code) -> amount
Begroting = dict[tuple[int, BudgetLineKind, str], Decimal]


async def current_begroting(
    session: AsyncSession,
    *,
    years: Sequence[int],
    decided_by: date | None = None,
    primitive_only: bool = False,
) -> Begroting:
    """The current amount of every line of the begroting of each of ``years`` (a year
    without a begroting has no keys); with ``decided_by``, as the council had decided it
    on that day; with ``primitive_only``, the primitive begroting alone."""
    if not years:
        return {}
    stmt = (
        select(
            BudgetVersion.year,
            BudgetLine.kind,
            BudgetLine.category,
            ReimbursementScheme.code,
            func.sum(BudgetLine.amount),
        )
        .join(BudgetVersion, BudgetVersion.id == BudgetLine.version_id)
        .outerjoin(ReimbursementScheme, ReimbursementScheme.id == BudgetLine.scheme_id)
        .where(
            BudgetVersion.year.in_(list(years)),
            true() if decided_by is None else BudgetVersion.decided_on <= decided_by,
            BudgetVersion.number == 0 if primitive_only else true(),
        )
        .group_by(
            BudgetVersion.year, BudgetLine.kind, BudgetLine.category, ReimbursementScheme.code
        )
    )
    out: Begroting = {}
    for year, kind, category, code, total in (await session.execute(stmt)).all():
        key = str(category) if kind == BudgetLineKind.expense else str(code)
        out[int(year), BudgetLineKind(kind), key] = Decimal(total)
    return out
