"""The forecast: the base (facts + capacity plan + assumptions) and each scenario asked
for, per quarter from the current one to the end of the year after next.

The reserve: it starts the current quarter at the year's opening balance (the reserve
model of ``api.budget_plan.reserve``), plus the council's mutations booked this year so
far, plus the result of this year's earlier quarters (the budget report's balance; where
that is unknown, because a day has no published rate, the forecast's income for that
quarter minus the expenses booked in it). Each quarter then adds its balance and the
mutations booked in it. Budget neutral: the reserve stays at or above zero at every
quarter end to the end of next year.

Statements: a fixed number (``api.forecast.inputs``, the begroting, the scenarios, the
reserve's opening balance, and in Q2-Q4 the budget report of the year), whatever the
number of locations, stays, expenses or scenarios; the rest is interval arithmetic in
``api.forecast.timeline`` over rows that grow with the locations, never with the days.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from api.budget_plan.amounts import Begroting, current_begroting
from api.budget_plan.reserve import opening_balance
from api.errors import BadRequest, ProblemType, field_problem
from api.forecast import inputs as read_inputs
from api.forecast.changes import ScenarioCost, ScenarioRate, change_of
from api.forecast.costs import ONE_DAY, Quarter, booked, quarter_costs
from api.forecast.income import quarter_income, segments
from api.forecast.lines import base_lines, with_changes
from api.forecast.schemas import (
    ForecastQuarter,
    ForecastReport,
    ForecastRun,
    QuarterDifference,
    ScenarioRun,
    worst,
)
from api.forecast.timeline import Totals, contribution, kind_occupancy
from api.models import ExpenseCategory, Scenario, ScenarioChange
from api.reports.budget.figures import budget_report

MAX_SCENARIOS = 4
ZERO = Decimal("0.00")


def quarters_of(year: int) -> list[Quarter]:
    out = []
    for y in (year, year + 1, year + 2):
        for q, month in enumerate((1, 4, 7, 10), start=1):
            first = date(y, month, 1)
            nxt = date(y + 1, 1, 1) if month == 10 else date(y, month + 3, 1)
            out.append(Quarter(f"{y}Q{q}", first, nxt - ONE_DAY))
    return out


async def _scenarios(
    session: AsyncSession, ids: Sequence[uuid.UUID]
) -> list[tuple[Any, list[Any]]]:
    """The scenarios asked for, in that order, each with its changes (one statement)."""
    if not ids:
        return []
    sc = ScenarioChange
    stmt = (
        select(Scenario.id, Scenario.name, sc.kind, sc.starts_on, sc.ends_on, sc.params)
        .outerjoin(sc, sc.scenario_id == Scenario.id)
        .where(Scenario.id.in_(list(ids)))
        .order_by(Scenario.id, sc.position)
    )
    found: dict[uuid.UUID, tuple[str, list[Any]]] = {}
    for sid, name, kind, starts_on, ends_on, params in (await session.execute(stmt)).all():
        entry = found.setdefault(sid, (name, []))
        if kind is not None:
            entry[1].append(change_of(str(kind), starts_on, ends_on, params))
    missing = [i for i in ids if i not in found]
    if missing:
        raise BadRequest(
            "There is no scenario with the id asked for.",
            type_=ProblemType.INVALID_INPUT,
            errors=[
                field_problem("query", "scenario", f"There is no scenario {i}.",
                              code="unknown_scenario", params={"id": str(i)})
                for i in missing
            ],
        )  # fmt: skip
    return [((i, found[i][0]), found[i][1]) for i in ids]


class _Forecast:
    """What every run shares: the inputs, read once."""

    def __init__(
        self,
        today: date,
        inputs: read_inputs.Inputs,
        begroting: Begroting,
        opening: Decimal | None,
        past_balances: list[Decimal | None],
    ) -> None:
        self.today = today
        self.inputs = inputs
        self.begroting = begroting
        self.opening = opening
        self.past_balances = past_balances
        self.quarters = quarters_of(today.year)
        self.q0 = next(i for i, q in enumerate(self.quarters) if q.first <= today <= q.last)
        self.base = base_lines(inputs)
        self.lo = self.quarters[0].first.toordinal()
        self.hi = self.quarters[-1].last.toordinal() + 1
        # Each base location's part, once: a scenario takes away the parts of the
        # locations it changes and adds their changed ones.
        self.parts = {i: contribution(line, self.lo, self.hi) for i, line in self.base.items()}
        self.totals = Totals()
        for part in self.parts.values():
            self.totals.add(part)
        self.rates: dict[uuid.UUID, list[Any]] = defaultdict(list)
        for row in inputs.rates:
            self.rates[row.scheme_id].append(tuple(row[1:]))

    def _mutations(self, first: date, before: date) -> Decimal:
        return sum(
            (a for (y, m), a in self.inputs.mutations.items() if first <= date(y, m, 1) < before),
            ZERO,
        )

    def run(self, changes: Sequence[Any]) -> ForecastRun:
        lo, hi = self.lo, self.hi
        totals = self.totals
        if changes:
            changed = with_changes(self.base, changes)
            totals = totals.copy()
            for location_id, line in changed.touched.items():
                totals.add(self.parts[location_id], -1)
                totals.add(contribution(line, lo, hi))
            for kind, overrides in changed.kind_occupancy.items():
                untouched = self.totals.of_kind(kind)
                for location_id in changed.touched:
                    if self.base[location_id].kind == kind:
                        untouched.add(self.parts[location_id], -1)
                kind_occupancy(totals, kind, overrides, untouched, lo, hi)
            for line in changed.extra:
                totals.add(contribution(line, lo, hi))
        summed = totals.sums()
        rate_changes = [c for c in changes if isinstance(c, ScenarioRate)]
        cost_changes = [c for c in changes if isinstance(c, ScenarioCost)]
        pieces = {
            s.id: segments(
                self.rates[s.id], [c for c in rate_changes if c.scheme_id == s.id], lo, hi
            )
            for s in self.inputs.schemes
        }
        current = self.quarters[self.q0]
        reserve: Decimal | None = self.opening
        if reserve is not None:
            reserve += self._mutations(date(self.today.year, 1, 1), current.first)
        out: list[ForecastQuarter] = []
        for i, q in enumerate(self.quarters):
            qlo, qhi = q.first.toordinal(), q.last.toordinal() + 1
            income = [
                quarter_income(s, pieces[s.id], summed, qlo, qhi) for s in self.inputs.schemes
            ]
            income_total = (
                None
                if any(f.amount is None for f in income)
                else sum((f.amount for f in income if f.amount is not None), ZERO)
            )
            if i < self.q0:  # this year's earlier quarters: only their result
                result = self.past_balances[i]
                if result is None and income_total is not None:
                    spent = sum((booked(self.inputs.expenses, c.value, q.first, q.last + ONE_DAY)
                                 for c in ExpenseCategory), ZERO)  # fmt: skip
                    result = income_total - spent
                reserve = None if reserve is None or result is None else reserve + result
                continue
            if i == self.q0:
                start = reserve
            costs = quarter_costs(
                quarter=q, current=current, quarters_left=4 - self.q0 % 4, today=self.today,
                begroting=self.begroting, expenses=self.inputs.expenses, changes=cost_changes,
            )  # fmt: skip
            cost_total = sum((c.amount for c in costs), ZERO)
            balance = None if income_total is None else income_total - cost_total
            if reserve is not None and balance is not None:
                reserve = reserve + balance + self._mutations(q.first, q.last + ONE_DAY)
            else:
                reserve = None
            out.append(
                ForecastQuarter(
                    quarter=q.label, from_=q.first, to=q.last, income=income, costs=costs,
                    income_total=income_total, cost_total=cost_total, balance=balance,
                    reserve_end=reserve,
                    certainty=worst(*(f.certainty for f in income), *(c.certainty for c in costs)),
                )
            )  # fmt: skip
        return _neutrality(out, start, self.today.year + 1)


def _neutrality(
    quarters: list[ForecastQuarter], start: Decimal | None, to_year: int
) -> ForecastRun:
    neutral: bool | None = True
    short = None
    for q in quarters:
        if q.from_.year > to_year:
            break
        if q.reserve_end is None:
            neutral = None
            break
        if q.reserve_end < 0:
            neutral, short = False, q.quarter
            break
    return ForecastRun(
        quarters=quarters, reserve_start=start, budget_neutral=neutral, short_from=short
    )


def _difference(base: ForecastRun, other: ForecastRun) -> list[QuarterDifference]:
    def minus(a: Decimal | None, b: Decimal | None) -> Decimal | None:
        return None if a is None or b is None else a - b

    return [
        QuarterDifference(
            quarter=o.quarter,
            income_total=minus(o.income_total, b.income_total),
            cost_total=o.cost_total - b.cost_total,
            balance=minus(o.balance, b.balance),
            reserve_end=minus(o.reserve_end, b.reserve_end),
        )
        for b, o in zip(base.quarters, other.quarters, strict=True)
    ]


async def forecast(
    session: AsyncSession, *, today: date, scenario_ids: Sequence[uuid.UUID] = ()
) -> ForecastReport:
    scenarios = await _scenarios(session, scenario_ids)
    year = today.year
    quarters = quarters_of(year)
    current = next(q for q in quarters if q.first <= today <= q.last)
    inputs = await read_inputs.read(
        session,
        today=today,
        first=date(current.first.year - 1, current.first.month, 1),
        last=quarters[-1].last,
    )
    begroting = await current_begroting(session, years=[year, year + 1, year + 2])
    opening = await opening_balance(session, year=year)
    past: list[Decimal | None] = []
    if current.first.month > 1:
        report, _claims = await budget_report(session, year=year)
        past = [p.totals.balance for p in report.quarters]
    shared = _Forecast(today, inputs, begroting, opening, past)
    base = shared.run([])
    runs = []
    for (sid, name), changes in scenarios:
        run = shared.run(changes)
        runs.append(ScenarioRun(scenario_id=sid, name=name, forecast=run,
                                difference=_difference(base, run)))  # fmt: skip
    return ForecastReport(today=today, base=base, scenarios=runs)
