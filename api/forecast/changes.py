"""A scenario's changes on the wire: one schema per kind, told apart by ``kind`` (a
pydantic discriminated union), each with its own parameters; stored as the kind, the
period and the parameters (``ScenarioChange.params``, camelCase as on the wire)."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import Field, StringConstraints, TypeAdapter, WithJsonSchema, model_validator
from pydantic_core import PydanticCustomError

from api.common.money import Money
from api.common.schemas import ApiModel
from api.common.text import Trimmed
from api.models import ExpenseCategory, LocationKind

STARTS = "The first day the change applies."
ENDS = "The last day it applies; absent or `null`: to the end of the forecast."
RATE_BP = "Occupancy in basis points: 9500 is 95.00 %."
Name = Annotated[str, StringConstraints(min_length=1, max_length=200), Trimmed()]


# One schema for requests and answers (a decimal string, as money is): otherwise pydantic
# documents a Decimal twice (number or string in, string out).
Factor = Annotated[
    Decimal,
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^(10(\.0{1,4})?|\d(\.\d{1,4})?)$",
            "description": "A factor from 0 to 10 with at most four decimals, as a decimal "
            "string: 0.8 is 80 %.",
            "examples": ["0.8"],
        }
    ),
]


class _Change(ApiModel):
    starts_on: date = Field(description=STARTS)
    ends_on: date | None = Field(default=None, description=ENDS)

    @model_validator(mode="after")
    def _ends_after_start(self) -> Any:
        if self.ends_on is not None and self.ends_on < self.starts_on:
            raise PydanticCustomError("before_start", "endsOn must be on or after startsOn.")
        return self


class ScenarioRate(_Change):
    """A scheme's rate times ``factor``, or set to ``amount``, over the period."""

    kind: Literal["rate"]
    scheme_id: uuid.UUID
    factor: Factor | None = Field(default=None, ge=0, le=10, decimal_places=4)
    amount: Money | None = Field(default=None, ge=0)

    @model_validator(mode="after")
    def _one_of(self) -> Any:
        if (self.factor is None) == (self.amount is None):
            raise PydanticCustomError("factor_or_amount", "Give factor or amount, not both.")
        return self


class ScenarioCapacity(_Change):
    """A location's capacity over the period (then back to the base)."""

    kind: Literal["capacity"]
    location_id: uuid.UUID
    capacity: int = Field(ge=0, le=100_000)


class ScenarioOccupancy(_Change):
    """The occupancy of one location, or of every location of a kind."""

    kind: Literal["occupancy"]
    location_id: uuid.UUID | None = None
    location_kind: LocationKind | None = None
    rate_bp: int = Field(ge=0, le=10_000, description=RATE_BP)

    @model_validator(mode="after")
    def _one_of(self) -> Any:
        if (self.location_id is None) == (self.location_kind is None):
            raise PydanticCustomError(
                "location_or_kind", "Give locationId or locationKind, not both."
            )
        return self


class ScenarioLocationOpen(_Change):
    """An imagined location of a kind, open over the period."""

    kind: Literal["location_open"]
    name: Name
    location_kind: LocationKind
    capacity: int = Field(ge=1, le=100_000)
    rate_bp: int = Field(ge=0, le=10_000, description=RATE_BP)


class ScenarioLocationClose(_Change):
    """A location closed from ``startsOn`` (its last day the day before), until ``endsOn``."""

    kind: Literal["location_close"]
    location_id: uuid.UUID


class ScenarioCost(_Change):
    """An expense category's cost changed by an amount per quarter (pro rata per day)."""

    kind: Literal["cost"]
    category: ExpenseCategory
    amount_per_quarter: Money


ChangeIn = Annotated[
    ScenarioRate
    | ScenarioCapacity
    | ScenarioOccupancy
    | ScenarioLocationOpen
    | ScenarioLocationClose
    | ScenarioCost,
    Field(discriminator="kind"),
]
_CHANGE: TypeAdapter[Any] = TypeAdapter(ChangeIn)
_PERIOD = {"kind", "starts_on", "ends_on"}


def params_of(change: Any) -> dict[str, Any]:
    """The kind's own fields, as stored (JSON, camelCase)."""
    return dict(change.model_dump(mode="json", by_alias=True, exclude=_PERIOD))


def change_of(kind: str, starts_on: date, ends_on: date | None, params: dict[str, Any]) -> Any:
    """A stored change back as its schema (the stored params were validated on write)."""
    return _CHANGE.validate_python(
        {"kind": kind, "startsOn": starts_on.isoformat(),
         "endsOn": ends_on.isoformat() if ends_on else None, **params}
    )  # fmt: skip
