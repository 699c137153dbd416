"""A person's living-allowance status on the wire: dated ranges, inclusive."""

from __future__ import annotations

import uuid
from datetime import date

from pydantic import Field

from api.common.schemas import ApiModel, ResourceRead

ENDS = "The last day (inclusive) the person receives it; `null`: ongoing."


class LivingAllowanceCreate(ApiModel):
    starts_on: date = Field(description="The first day the person receives the allowance.")
    ends_on: date | None = Field(default=None, description=ENDS)


class LivingAllowanceUpdate(ApiModel):
    starts_on: date | None = None
    ends_on: date | None = Field(default=None, description=ENDS)


class LivingAllowanceRead(ResourceRead):
    participant_id: uuid.UUID
    starts_on: date
    ends_on: date | None = Field(description=ENDS)


class LivingAllowanceList(ApiModel):
    items: list[LivingAllowanceRead] = Field(description="Oldest first; never overlapping.")
