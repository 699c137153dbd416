"""The begroting's versions and lines, and the reserve's mutations, on the wire.

A version's lines travel with it: they are written as one set (``PUT .../lines``), so a
duplicate line or a line for an unknown scheme is refused with the others, and the
version's ``version`` (its ETag) moves whenever a line changes."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import AfterValidator, Field, StringConstraints
from pydantic_core import PydanticCustomError

from api.common.money import Money
from api.common.pagination import PageParams
from api.common.schemas import ApiModel, ReadModel, ResourceRead
from api.common.text import Trimmed
from api.models import BudgetLineKind, ExpenseCategory

Text = Annotated[str, StringConstraints(min_length=1, max_length=500), Trimmed()]
Reference = Annotated[str, StringConstraints(min_length=1, max_length=200), Trimmed()]
SchemeCode = Annotated[str, StringConstraints(min_length=1, max_length=32), Trimmed()]
Year = Annotated[int, Field(ge=2000, le=2100, description="The calendar year.")]


def _in_report_years(value: date) -> date:
    """The reports take the years 2000 to 2100; the reserve is walked year by year from
    its first mutation, so a day outside them (a typing error such as 0225) is refused."""
    if not 2000 <= value.year <= 2100:
        raise PydanticCustomError(
            "date_out_of_years", "The day must lie in the years 2000 to 2100."
        )
    return value


BookedOn = Annotated[
    date,
    AfterValidator(_in_report_years),
    Field(description="The day it is booked, in the years 2000 to 2100."),
]

DECISION = (
    "The council decision (raadsbesluit) that adopted the version; required for a "
    "wijziging (number 1 and up)."
)
AMOUNT = (
    "Euros. In the primitive begroting (number 0) the planned amount (zero or more); in a "
    "wijziging the change (+ or -, never zero)."
)


class BudgetLineWrite(ApiModel):
    kind: BudgetLineKind = Field(description="`expense` (per category) or `income` (per scheme).")
    category: ExpenseCategory | None = Field(default=None, description="For an expense line.")
    scheme_code: SchemeCode | None = Field(default=None, description="For an income line.")
    amount: Money = Field(description=AMOUNT)
    note: Text | None = None


class BudgetLineRead(ReadModel):
    kind: BudgetLineKind
    category: ExpenseCategory | None
    scheme_code: str | None
    amount: Money = Field(description=AMOUNT)
    note: str | None


class BudgetVersionCreate(ApiModel):
    """The first version of a year is its primitive begroting (number 0); each next one is
    a wijziging, numbered in order."""

    year: Year
    decided_on: date = Field(description="The day the council decided.")
    decision_reference: Reference | None = Field(default=None, description=DECISION)
    description: Text
    lines: list[BudgetLineWrite] = Field(default_factory=list, max_length=200)


class BudgetVersionUpdate(ApiModel):
    decided_on: date | None = None
    decision_reference: Reference | None = Field(default=None, description=DECISION)
    description: Text | None = None


class BudgetVersionSummary(ResourceRead):
    year: int
    number: int = Field(description="0: the primitive begroting; 1, 2, ...: the wijzigingen.")
    decided_on: date
    decision_reference: str | None
    description: str


class BudgetVersionRead(BudgetVersionSummary):
    latest: bool = Field(description="Whether it is the year's latest version (editable).")
    lines: list[BudgetLineRead]


class BudgetVersionQuery(PageParams):
    year: int | None = Field(default=None, ge=2000, le=2100)


class ReserveMutationCreate(ApiModel):
    booked_on: BookedOn
    amount: Money = Field(description="Euros: a deposit (+) or a withdrawal (-), never zero.")
    description: Text
    decision_reference: Reference = Field(description="The council decision behind it.")


class ReserveMutationUpdate(ApiModel):
    booked_on: BookedOn | None = None
    amount: Money | None = None
    description: Text | None = None
    decision_reference: Reference | None = None


class ReserveMutationRead(ResourceRead):
    booked_on: date
    amount: Money
    description: str
    decision_reference: str | None


class ReserveMutationQuery(PageParams):
    year: int | None = Field(default=None, ge=2000, le=2100, description="Booked in this year.")
