from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated, Any

from pydantic import Field, StringConstraints, field_validator

from api.common.pagination import PageParams
from api.common.schemas import ApiModel, ResourceRead
from api.common.text import Trimmed
from api.models import EndReason

Reason = Annotated[str, StringConstraints(min_length=3, max_length=500), Trimmed(3)]


class CapacityOverride(ApiModel):
    """An admin places above capacity on purpose; the reason is kept and audited."""

    reason: Reason


class PlacementCreate(ApiModel):
    participant_id: uuid.UUID
    location_id: uuid.UUID
    start_date: date
    end_date: date | None = Field(
        default=None, description="The departure day (exclusive): the last night is the day before."
    )
    end_reason: EndReason | None = Field(
        default=None, description="Required together with `endDate`, and only with it."
    )
    capacity_override: CapacityOverride | None = Field(
        default=None, description="Admin only: place even when the location is full."
    )


class PlacementUpdate(ApiModel):
    location_id: uuid.UUID | None = None
    start_date: date | None = None
    end_date: date | None = None
    end_reason: EndReason | None = None
    capacity_override: CapacityOverride | None = None


class PlacementRead(ResourceRead):
    participant_id: uuid.UUID
    location_id: uuid.UUID
    start_date: date
    end_date: date | None
    end_reason: EndReason | None
    capacity_override: CapacityOverride | None

    @field_validator("capacity_override", mode="before")
    @classmethod
    def _override(cls, value: Any) -> Any:
        # Stored as the bare reason (``capacity_override_reason``).
        if isinstance(value, str):
            return {"reason": value}
        return value


class PlacementQuery(PageParams):
    participant_id: uuid.UUID | None = None
    location_id: uuid.UUID | None = None
    active_on: date | None = Field(default=None, description="Stays that include this night.")
