"""Claims on the wire. Money is a decimal string with two places (``api.common.money``);
date ranges are inclusive."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated

from pydantic import Field, StringConstraints

from api.common.money import Money
from api.common.pagination import PageParams
from api.common.schemas import ApiModel, ReadModel, ResourceRead
from api.common.text import Trimmed
from api.models import ClaimStatus
from api.reimbursements.schemes.schemas import SchemeCode

Note = Annotated[str, StringConstraints(min_length=1, max_length=1000), Trimmed()]

FLOW = (
    "draft -> submitted -> approved -> paid; submitted or approved -> rejected -> draft "
    "(`_reopen`). Only the finance role moves a claim."
)


class ClaimCreate(ApiModel):
    scheme_code: SchemeCode
    period_start: date
    period_end: date = Field(description="The last day of the period (inclusive).")
    note: Note | None = None


class ClaimUpdate(ApiModel):
    claimed_amount: Money | None = Field(
        default=None,
        description="What is asked of the Rijk; only in `draft` (on submit it defaults to "
        "`totalAmount`).",
    )
    received_amount: Money | None = Field(
        default=None, description="What the Rijk paid; from `submitted` on."
    )
    received_on: date | None = Field(default=None, description="From `submitted` on.")
    note: Note | None = None


class RateUsedRead(ReadModel):
    valid_from: date
    valid_to: date | None
    amount: Money


class StatusChangeRead(ReadModel):
    from_status: ClaimStatus | None = Field(description="`null` when the claim was created.")
    to_status: ClaimStatus
    at: datetime
    actor_kind: str = Field(description="`user` or `client`.")
    actor_id: uuid.UUID
    note: str | None


class ClaimSummary(ResourceRead):
    scheme_code: str
    period_start: date
    period_end: date
    status: ClaimStatus = Field(description=FLOW)
    total_amount: Money = Field(description="The sum of the lines.")
    claimed_amount: Money | None
    received_amount: Money | None
    received_on: date | None
    corrects_claim_id: uuid.UUID | None = Field(
        description="Set on a correction claim: the frozen claim whose difference it files."
    )
    computed_at: datetime
    frozen_at: datetime | None = Field(
        description="Set on submit: from then on the lines never change."
    )
    inputs_hash: str | None
    note: str | None


class ClaimRead(ClaimSummary):
    rates_used: list[RateUsedRead] | None = Field(
        description="The scheme's rates over the period as they stood when frozen."
    )
    status_history: list[StatusChangeRead] = Field(description="Oldest first.")


class ClaimQuery(PageParams):
    scheme_code: SchemeCode | None = None
    status: ClaimStatus | None = None
    year: int | None = Field(
        default=None, ge=2000, le=2100, description="Claims whose `periodEnd` lies in the year."
    )
    period_start: date | None = Field(
        default=None, description="Claims whose period ends on or after this day."
    )
    period_end: date | None = Field(
        default=None, description="Claims whose period starts on or before this day."
    )
    corrects_claim_id: uuid.UUID | None = None


class ClaimLineRead(ReadModel):
    location_id: uuid.UUID
    location_name: str
    rate_from: date
    rate_to: date
    units: int = Field(description="Negative on a correction claim's line when fewer.")
    rate: Money
    amount: Money


class ClaimLineList(ApiModel):
    items: list[ClaimLineRead] = Field(description="By location name, then `rateFrom`.")


class ClaimMove(ApiModel):
    note: Note | None = Field(default=None, description="Kept with the status history.")


class ClaimPayment(ClaimMove):
    received_amount: Money | None = Field(
        default=None, description="Required unless set before with PATCH."
    )
    received_on: date | None = Field(
        default=None, description="Required unless set before with PATCH."
    )


class RecalculateOptions(ApiModel):
    file_correction: bool = Field(
        default=False,
        description="On a filed claim: file the difference as a new draft correction claim.",
    )


class DifferenceLine(ReadModel):
    location_id: uuid.UUID
    location_name: str
    rate_from: date
    rate_to: date
    stored_units: int
    stored_amount: Money
    current_units: int
    current_amount: Money
    delta_units: int
    delta_amount: Money


class Recalculation(ReadModel):
    claim: ClaimRead = Field(description="The claim as it is now (a draft: recomputed).")
    stored_total: Money = Field(
        description="Before: a draft's stored lines; a filed claim's frozen lines plus those "
        "of its filed corrections."
    )
    current_total: Money
    difference: Money = Field(description="`currentTotal - storedTotal`.")
    lines: list[DifferenceLine] = Field(description="Only the lines that differ.")
    correction: ClaimRead | None = Field(
        description="The correction claim filed with `fileCorrection`, else `null`."
    )
