"""Expenses on the wire. The booking day is `date` on the wire (`spent_on` in the model);
the scheme an expense is charged to is named by its code."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from typing import Annotated

from pydantic import AfterValidator, Field, StringConstraints
from pydantic_core import PydanticCustomError

from api.common.money import Money
from api.common.pagination import PageParams
from api.common.schemas import ApiModel, ResourceRead
from api.common.text import Trimmed
from api.models import ExpenseCategory


def _not_zero(value: Decimal) -> Decimal:
    if value == 0:
        raise PydanticCustomError(
            "amount_zero", "An expense is never zero; a refund or credit note is negative."
        )
    return value


ExpenseAmount = Annotated[Money, AfterValidator(_not_zero)]
Description = Annotated[str, StringConstraints(min_length=1, max_length=500), Trimmed()]
SchemeCode = Annotated[str, StringConstraints(min_length=1, max_length=32), Trimmed()]

DATE = "The day the money was spent (or refunded)."
AMOUNT = "Euros, never zero; negative for a refund or credit note."
SCHEME = "The code of the reimbursement scheme it is charged to, if any."


class ExpenseCreate(ApiModel):
    spent_on: date = Field(alias="date", description=DATE)
    category: ExpenseCategory
    amount: ExpenseAmount = Field(description=AMOUNT)
    description: Description
    location_id: uuid.UUID | None = None
    activity_id: uuid.UUID | None = None
    partner_id: uuid.UUID | None = None
    scheme_code: SchemeCode | None = Field(default=None, description=SCHEME)


class ExpenseUpdate(ApiModel):
    """Only the fields sent change; `null` clears a reference (not a required field)."""

    spent_on: date | None = Field(default=None, alias="date", description=DATE)
    category: ExpenseCategory | None = None
    amount: ExpenseAmount | None = Field(default=None, description=AMOUNT)
    description: Description | None = None
    location_id: uuid.UUID | None = None
    activity_id: uuid.UUID | None = None
    partner_id: uuid.UUID | None = None
    scheme_code: SchemeCode | None = Field(default=None, description=SCHEME)


class ExpenseRead(ResourceRead):
    spent_on: date = Field(alias="date", description=DATE)
    category: ExpenseCategory
    amount: Money = Field(description=AMOUNT)
    description: str
    location_id: uuid.UUID | None
    activity_id: uuid.UUID | None
    partner_id: uuid.UUID | None
    scheme_code: str | None = Field(description=SCHEME)


class ExpenseQuery(PageParams):
    year: int | None = Field(
        default=None, ge=2000, le=2100, description="Booked in this calendar year."
    )
    from_: date | None = Field(
        default=None, alias="from", description="Booked on or after (not with `year`)."
    )
    to: date | None = Field(default=None, description="Booked on or before (not with `year`).")
    category: ExpenseCategory | None = None
    scheme_code: SchemeCode | None = Field(default=None, description="Charged to this scheme.")
    location_id: uuid.UUID | None = None
