"""The begroting report on the wire: the plan beside the actuals, per category and
scheme, the totals and the reserve."""

from __future__ import annotations

from pydantic import Field

from api.budget_plan.schemas import BudgetVersionSummary
from api.common.money import Money
from api.common.schemas import QueryModel, ReadModel
from api.models import ExpenseCategory


class BudgetPlanQuery(QueryModel):
    year: int = Field(ge=2000, le=2100, description="The calendar year.")


class CategoryPlan(ReadModel):
    category: ExpenseCategory
    primitive: Money = Field(description="The primitive begroting's planned amount.")
    changes: Money = Field(description="The sum of the wijzigingen' changes.")
    current: Money = Field(description="`primitive + changes`: the current begroting.")
    actual: Money = Field(description="The expenses booked in the year (refunds subtract).")
    remaining: Money = Field(description="`current - actual` (negative: overspent).")
    share_used: float | None = Field(
        description="`actual / current` as a fraction (0.5 is half); `null` when current is 0."
    )


class SchemePlan(ReadModel):
    scheme_code: str
    scheme_name: str
    primitive: Money
    changes: Money
    planned: Money = Field(description="The current begroting of the scheme's income.")
    expected: Money | None = Field(
        description="What the claim engine computes for the year (as `/reports/budget`); "
        "`null` when a rate is missing for a day of it."
    )
    expected_certainty: str | None = Field(
        description="How `expected` was made (known, provisional, assumed), as the budget "
        "report says; `null` when `expected` is."
    )
    claimed: Money
    received: Money
    charged_expenses: Money = Field(description="The year's expenses charged to the scheme.")
    net_result: Money | None = Field(
        description="`expected - chargedExpenses`; `null` when `expected` is."
    )


class BudgetPlanTotals(ReadModel):
    planned_expenses: Money
    actual_expenses: Money
    remaining: Money
    planned_income: Money
    expected_income: Money | None
    claimed: Money
    received: Money
    uncharged_expenses: Money = Field(description="The year's expenses charged to no scheme.")
    planned_result: Money = Field(description="`plannedIncome - plannedExpenses`.")
    result: Money | None = Field(
        description="`expectedIncome - actualExpenses`, the budget report's balance: what "
        "moves into the reserve."
    )


class ReserveYearRead(ReadModel):
    opening: Money | None = Field(description="On 1 January; `null` when unknown.")
    mutations: Money = Field(description="The council's deposits (+) and withdrawals (-).")
    result: Money | None = Field(description="The year's result (`totals.result`).")
    closing: Money | None = Field(description="`opening + mutations + result`.")


class BudgetPlanReport(ReadModel):
    year: int
    versions: list[BudgetVersionSummary] = Field(description="The year's versions in order.")
    expenses: list[CategoryPlan] = Field(description="Every expense category.")
    income: list[SchemePlan] = Field(description="Every scheme, by code.")
    totals: BudgetPlanTotals
    reserve: ReserveYearRead
