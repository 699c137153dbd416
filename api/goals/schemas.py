"""Goals, indicators and their series on the wire. Target values and measured values
are decimal strings (a share as a fraction with four decimals, ``"0.4000"``; euros with
two), never floats."""

from __future__ import annotations

import re
import uuid
from datetime import date
from decimal import Decimal
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, Field, StringConstraints
from pydantic_core import PydanticCustomError

from api.common.pagination import PageParams
from api.common.schemas import ApiModel, QueryModel, ReadModel, ResourceRead
from api.common.text import Printable, Trimmed
from api.models import Direction, GoalTheme, IndicatorUnit

Title = Annotated[str, StringConstraints(min_length=1, max_length=200), Trimmed(), Printable()]
Description = Annotated[str, StringConstraints(max_length=4000), Trimmed()]
MetricCode = Annotated[str, StringConstraints(min_length=1, max_length=64), Trimmed()]
_DECIMAL = re.compile(r"-?\d{1,9}(\.\d{1,4})?")


def _decimal(value: Any) -> Any:
    """A JSON string with at most four decimals (``"0.4"``, ``"12.50"``); no floats."""
    if not isinstance(value, str) or not _DECIMAL.fullmatch(value.strip()):
        raise PydanticCustomError(
            "target_value_format", "Must be a decimal string with at most four decimals."
        )
    return Decimal(value.strip())


TargetValue = Annotated[Decimal, BeforeValidator(_decimal)]
PARAMS = 'The metric\'s parameters, e.g. `{"activityKind": "language"}` (GET /indicator-metrics).'
TARGETS = "One target per year; on a change the list given replaces the old one."


class TargetIn(ApiModel):
    year: int = Field(ge=2000, le=2100)
    value: TargetValue = Field(description='A share as a fraction (`"0.40"`), or euros.')


class TargetRead(ReadModel):
    year: int
    value: str


def _unique_years(targets: list[TargetIn] | None) -> list[TargetIn] | None:
    if targets is not None:
        years = [t.year for t in targets]
        if len(set(years)) != len(years):
            raise PydanticCustomError("duplicate_year", "Each year may have one target only.")
    return targets


Targets = Annotated[list[TargetIn], AfterValidator(_unique_years), Field(max_length=50)]


class GoalCreate(ApiModel):
    title: Title
    description: Description | None = None
    theme: GoalTheme
    public: bool = False


class GoalUpdate(ApiModel):
    title: Title | None = None
    description: Description | None = None
    theme: GoalTheme | None = None
    public: bool | None = None


class GoalRead(ResourceRead):
    title: str
    description: str | None
    theme: GoalTheme
    public: bool


class GoalQuery(PageParams):
    theme: GoalTheme | None = None
    public: bool | None = None


class IndicatorCreate(ApiModel):
    goal_id: uuid.UUID
    title: Title
    metric: MetricCode
    params: dict[str, str | int] = Field(default_factory=dict, description=PARAMS)
    direction: Direction | None = Field(default=None, description="Default: the metric's.")
    unit: IndicatorUnit | None = Field(default=None, description="Must be the metric's.")
    public: bool = False
    position: int = Field(default=0, ge=0, le=1000)
    targets: Targets = Field(default_factory=list, description=TARGETS)


class IndicatorUpdate(ApiModel):
    goal_id: uuid.UUID | None = None
    title: Title | None = None
    metric: MetricCode | None = None
    params: dict[str, str | int] | None = Field(default=None, description=PARAMS)
    direction: Direction | None = None
    unit: IndicatorUnit | None = None
    public: bool | None = None
    position: int | None = Field(default=None, ge=0, le=1000)
    targets: Targets | None = Field(default=None, description=TARGETS)


class IndicatorRead(ResourceRead):
    goal_id: uuid.UUID
    title: str
    metric: str
    params: dict[str, Any]
    direction: Direction
    unit: IndicatorUnit
    public: bool
    position: int
    targets: list[TargetRead] = Field(default_factory=list, description="By year.")


class IndicatorQuery(PageParams):
    goal_id: uuid.UUID | None = None


class MetricParam(ReadModel):
    name: str
    required: bool
    choices: list[str] | None = Field(description="Null: a whole number of days.")


class MetricRead(ReadModel):
    code: str
    unit: IndicatorUnit
    direction: Direction
    params: list[MetricParam]
    numerator: str
    denominator: str


class MetricList(ReadModel):
    items: list[MetricRead]


class SeriesSpan(QueryModel):
    from_: str | None = Field(
        default=None, alias="from", max_length=10, description="First quarter, e.g. `2025Q1`."
    )
    to: str | None = Field(default=None, max_length=10, description="Last quarter, e.g. `2026Q4`.")


class SeriesQuery(SeriesSpan):
    goal_id: uuid.UUID | None = None


class SeriesPoint(ReadModel):
    year: int
    quarter: int = Field(ge=1, le=4)
    period_start: date
    period_end: date
    as_of: date | None = Field(
        description="The day measured as of: the quarter's end, today for the current "
        "quarter, null for a quarter to come."
    )
    value: str | None = Field(description="Null: nothing to measure, or suppressed.")
    target: str | None = Field(description="The target of the quarter's year.")
    on_track: bool | None
    numerator: str | None = Field(description="Euros for money metrics; null when public.")
    denominator: int | None
    suppressed: bool = Field(description="Hidden: fewer than 5 in the denominator.")


class IndicatorSeries(ReadModel):
    indicator_id: uuid.UUID
    goal_id: uuid.UUID
    goal_title: str
    goal_theme: GoalTheme
    title: str
    metric: str
    params: dict[str, Any]
    unit: IndicatorUnit
    direction: Direction
    public: bool
    points: list[SeriesPoint]


class SeriesReport(ReadModel):
    first: str = Field(description="The first quarter, e.g. `2025Q1`.")
    last: str
    items: list[IndicatorSeries]
