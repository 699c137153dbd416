"""/reports/forecast: the forecast per quarter, and scenarios beside it.

For admin, finance and viewer, like the budget report: money, aggregated. The
coordinator works with people and places (api.md, roles); a partner gets 403.
"""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Query
from pydantic import Field, field_validator
from pydantic_core import PydanticCustomError

from api.auth.roles import AdminFinanceOrViewer
from api.common.calendar import today
from api.common.schemas import QueryModel
from api.db import SessionDep
from api.forecast.report import MAX_SCENARIOS, forecast
from api.forecast.schemas import ForecastReport
from api.openapi import api_router

router = api_router("reports", prefix="/reports")

DEFINITIONS = """Per quarter from the current one (Heemstede's date) to Q4 of the year
after next, for the base (facts, the capacity plan, occupancy assumptions) and for each
scenario asked for (`scenario`, up to four, in that order, each with its difference to
the base per quarter):

- income per scheme: capacity (facts, plan, scenario) x occupancy (per location: its set
  assumption, else its trailing 90-day rate) x rates, by the scheme's basis
  (`per_place_day`: capacity-days; `per_person_day`: capacity-days x occupancy;
  `per_person_month`: per month capacity-days x occupancy / the month's days, the average
  number of people; `per_place_once`: rises above the highest capacity before);
- costs per category: the year's current begroting spread over its quarters (in this
  year: what is left after the expenses booked before the current quarter, over the
  quarters left), else the run-rate of the last four quarters' expenses;
- balance = income - costs; the reserve at each quarter end.

`certainty` of each figure: `known` (published rates, the begroting), `provisional` (an
announced rate), `assumed` (an assumed or carried-forward rate, a set occupancy, a
run-rate, a scenario's change)."""


class ForecastQuery(QueryModel):
    scenario: list[uuid.UUID] = Field(
        default_factory=list,
        max_length=MAX_SCENARIOS,
        description="A scenario's id; repeat for up to four, each once.",
    )

    @field_validator("scenario")
    @classmethod
    def _each_once(cls, value: list[uuid.UUID]) -> list[uuid.UUID]:
        if len(set(value)) < len(value):
            raise PydanticCustomError("repeated_scenario", "Each scenario once.")
        return value


@router.get(
    "/forecast",
    response_model=ForecastReport,
    summary="Forecast per quarter, with scenarios",
    description=DEFINITIONS,
)
async def forecast_report(
    session: SessionDep, principal: AdminFinanceOrViewer, query: Annotated[ForecastQuery, Query()]
) -> ForecastReport:
    return await forecast(session, today=today(), scenario_ids=query.scenario)
