"""Expected costs per expense category and quarter.

A year with a begroting: its current amount per category spread evenly over its
quarters; in the current year what is left after the expenses booked before the current
quarter, spread over the quarters left (``known``: the council's plan). A year without
one: the run-rate, a quarter of the expenses booked in the four quarters before the
current one (a year, so the seasons even out); in the current quarter the expenses booked
in it plus the run-rate for the days left (``assumed``). A scenario's cost change adds
its amount per quarter, pro rata per day of its period (``assumed``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from api.budget_plan.amounts import Begroting
from api.forecast.changes import ScenarioCost
from api.forecast.income import cents
from api.forecast.schemas import Certainty, CostFigure, CostSource
from api.models import BudgetLineKind, ExpenseCategory

ZERO = Decimal("0.00")
ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class Quarter:
    label: str
    first: date
    last: date

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1


def booked(
    expenses: dict[tuple[int, int, str], Decimal], category: str, first: date, before: date
) -> Decimal:
    """The expenses of the months from ``first`` up to ``before`` (month starts)."""
    total = ZERO
    for (year, month, cat), amount in expenses.items():
        if cat == category and first <= date(year, month, 1) < before:
            total += amount
    return total


def quarter_costs(
    *,
    quarter: Quarter,
    current: Quarter,
    quarters_left: int,
    today: date,
    begroting: Begroting,
    expenses: dict[tuple[int, int, str], Decimal],
    changes: Sequence[ScenarioCost],
) -> list[CostFigure]:
    year = quarter.first.year
    planned = any(y == year and kind is BudgetLineKind.expense for y, kind, _ in begroting)
    run_first = date(current.first.year - 1, current.first.month, 1)
    out = []
    for category in ExpenseCategory:
        c = category.value
        if planned:
            amount = begroting.get((year, BudgetLineKind.expense, c), ZERO)
            if year == current.first.year:
                spent = booked(expenses, c, date(year, 1, 1), current.first)
                value = float(amount - spent) / quarters_left
            else:
                value = float(amount) / 4
            source, certainty = CostSource.begroting, Certainty.known
        else:
            rate = float(booked(expenses, c, run_first, current.first)) / 4
            if quarter == current:
                left = (quarter.last - today).days + 1
                value = float(booked(expenses, c, quarter.first, quarter.last + ONE_DAY))
                value += rate * left / quarter.days
            else:
                value = rate
            source, certainty = CostSource.run_rate, Certainty.assumed
        for change in changes:
            if change.category is not category:
                continue
            lo = max(change.starts_on, quarter.first)
            hi = min(change.ends_on or quarter.last, quarter.last)
            if lo <= hi:
                value += float(change.amount_per_quarter) * ((hi - lo).days + 1) / quarter.days
                certainty = Certainty.assumed
        out.append(CostFigure(category=category, amount=cents(value), source=source,
                              certainty=certainty))  # fmt: skip
    return out
