"""Schemas of the budget report (budget neutrality per year, quarter and scheme)."""

from __future__ import annotations

from datetime import date

from pydantic import Field

from api.common.certainty import FigureCertainty
from api.common.money import Money
from api.common.schemas import QueryModel, ReadModel
from api.models import ExpenseCategory

EXPECTED = (
    "What the claim engine computes for the period from placements, capacity and rates, "
    "provisional rates included where no published one exists (see `expectedCertainty`); "
    "`null` when no rate at all covers a day of it (see `unpricedRanges`)."
)
EXPECTED_CERTAINTY = (
    "How `expected` was made: `known` (published rates only), `provisional` (an announced "
    "rate took part), `assumed` (an assumed rate took part; the least sure wins); `null` "
    "when `expected` is."
)
CLAIMED = (
    "Claims beyond draft and not rejected (submitted, approved, paid; corrections "
    "included) whose `periodEnd` lies in the period: their `claimedAmount`, or their "
    "`totalAmount` where no claimed amount is set."
)
RECEIVED = "The `receivedAmount` of those claims, where set."
BALANCE = "`expected - expenses`; `null` when `expected` is."
RECEIVED_BALANCE = "`received - expenses`: the cash position of the period."
COVERED = (
    "Whether the reimbursements expected cover the expenses (`balance >= 0`); `null` "
    "when `expected` is unknown."
)


class BudgetQuery(QueryModel):
    year: int = Field(ge=2000, le=2100, description="The calendar year.")


class DateRange(ReadModel):
    from_: date = Field(alias="from", description="First day (inclusive).")
    to: date = Field(description="Last day (inclusive).")


class SchemeBudget(ReadModel):
    scheme_code: str
    scheme_name: str
    expected: Money | None = Field(description=EXPECTED)
    expected_certainty: FigureCertainty | None = Field(description=EXPECTED_CERTAINTY)
    unpriced_ranges: list[DateRange] = Field(
        description="The days of the period no rate of the scheme covers; empty when priced."
    )
    claimed: Money = Field(description=CLAIMED)
    received: Money = Field(description=RECEIVED)


class CategoryAmount(ReadModel):
    category: ExpenseCategory
    amount: Money = Field(description="The sum of the expenses booked in the period.")


class BudgetTotals(ReadModel):
    expected: Money | None = Field(
        description="The sum over the schemes; `null` when any scheme's is."
    )
    expected_certainty: FigureCertainty | None = Field(description=EXPECTED_CERTAINTY)
    claimed: Money
    received: Money
    expenses: Money = Field(description="All expenses of the period (refunds subtracted).")
    balance: Money | None = Field(description=BALANCE)
    received_balance: Money = Field(description=RECEIVED_BALANCE)
    covered: bool | None = Field(description=COVERED)


class BudgetPeriod(ReadModel):
    period: str = Field(description="`Q1` .. `Q4`, or `year` for the whole year.")
    from_: date = Field(alias="from", description="First day (inclusive).")
    to: date = Field(description="Last day (inclusive).")
    schemes: list[SchemeBudget] = Field(description="Every scheme, by code.")
    expenses: list[CategoryAmount] = Field(description="Every category, `0.00` when none.")
    totals: BudgetTotals


class BudgetReport(ReadModel):
    year: int
    quarters: list[BudgetPeriod] = Field(description="Q1 to Q4.")
    whole_year: BudgetPeriod = Field(
        description="The year: the sums of the quarters; a scheme's unpriced ranges joined."
    )
