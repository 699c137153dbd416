"""The forecast report on the wire: per quarter the income per scheme, the costs per
category, the balance and the reserve, each figure with how it was made."""

from __future__ import annotations

import enum
import uuid
from datetime import date

from pydantic import Field

from api.common.money import Money
from api.common.schemas import ReadModel
from api.models import Basis, ExpenseCategory


class Certainty(enum.StrEnum):
    """How a figure was made, from surest to least sure; a figure is as sure as its least
    sure part."""

    known = "known"  # published rates, facts, the begroting
    provisional = "provisional"  # an announced rate
    assumed = "assumed"  # an assumed or carried-forward rate, a set occupancy, a run-rate


ORDER = {Certainty.known: 0, Certainty.provisional: 1, Certainty.assumed: 2}


def worst(*values: Certainty) -> Certainty:
    return max(values, key=ORDER.__getitem__, default=Certainty.known)


class CostSource(enum.StrEnum):
    begroting = "begroting"  # the year's current begroting, spread over its quarters
    run_rate = "run_rate"  # the last four quarters' expenses, per quarter


class IncomeFigure(ReadModel):
    scheme_code: str
    scheme_name: str
    basis: Basis
    amount: Money | None = Field(
        description="Expected Rijk income; `null` when the scheme has no rate at all."
    )
    certainty: Certainty


class CostFigure(ReadModel):
    category: ExpenseCategory
    amount: Money
    source: CostSource
    certainty: Certainty


class ForecastQuarter(ReadModel):
    quarter: str = Field(description="`2027Q1` and so on.")
    from_: date = Field(alias="from")
    to: date
    income: list[IncomeFigure] = Field(description="Every scheme, by code.")
    costs: list[CostFigure] = Field(description="Every expense category.")
    income_total: Money | None
    cost_total: Money
    balance: Money | None = Field(description="`incomeTotal - costTotal`.")
    reserve_end: Money | None = Field(description="The reserve at the quarter's end.")
    certainty: Certainty = Field(description="The least sure of the quarter's figures.")


class ForecastRun(ReadModel):
    quarters: list[ForecastQuarter]
    reserve_start: Money | None = Field(
        description="The reserve when the current quarter began: the opening balance of "
        "the year, the council's mutations and the results of the year's earlier quarters."
    )
    budget_neutral: bool | None = Field(
        description="Whether the reserve stays at or above zero to the end of next year; "
        "`null` when a figure is unknown."
    )
    short_from: str | None = Field(
        description="The first quarter (to the end of next year) whose reserve ends below 0."
    )


class QuarterDifference(ReadModel):
    quarter: str
    income_total: Money | None
    cost_total: Money
    balance: Money | None
    reserve_end: Money | None


class ScenarioRun(ReadModel):
    scenario_id: uuid.UUID
    name: str
    forecast: ForecastRun
    difference: list[QuarterDifference] = Field(description="Scenario minus base, per quarter.")


class ForecastReport(ReadModel):
    today: date = Field(description="Heemstede's date the forecast starts from.")
    base: ForecastRun = Field(description="Facts, the capacity plan and the assumptions.")
    scenarios: list[ScenarioRun] = Field(description="In the order asked for.")
