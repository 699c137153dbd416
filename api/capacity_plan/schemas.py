"""The capacity plan and the occupancy assumptions on the wire."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any

from pydantic import Field, StringConstraints, model_validator

from api.common.pagination import PageParams
from api.common.schemas import ApiModel, ReadModel, ResourceRead
from api.common.text import Trimmed
from api.models import PlannedChangeKind

Text = Annotated[str, StringConstraints(min_length=1, max_length=500), Trimmed()]
Reference = Annotated[str, StringConstraints(min_length=1, max_length=200), Trimmed()]
CENT = Decimal("0.01")
Places = Annotated[int, Field(ge=0, le=100_000)]

TAKES_EFFECT = (
    "The day it takes effect, after today (Heemstede's date): from this day the capacity "
    "applies, the location opens, or (a closing) the day after its last day."
)
DECISION = "The recorded decision about this location that allows it (issue 18)."
CAPACITY = "The places from that day, for `capacity` and `opening`; not for `closing`."


class PlannedChangeCreate(ApiModel):
    location_id: uuid.UUID
    kind: PlannedChangeKind
    takes_effect_on: date = Field(description=TAKES_EFFECT)
    capacity: Places | None = Field(default=None, description=CAPACITY)
    decision_reference: Reference | None = None
    decision_id: uuid.UUID | None = Field(default=None, description=DECISION)
    note: Text | None = None


class PlannedChangeUpdate(ApiModel):
    kind: PlannedChangeKind | None = None
    takes_effect_on: date | None = Field(default=None, description=TAKES_EFFECT)
    capacity: Places | None = Field(default=None, description=CAPACITY)
    decision_reference: Reference | None = None
    decision_id: uuid.UUID | None = Field(default=None, description=DECISION)
    note: Text | None = None


class PlannedChangeRead(ResourceRead):
    location_id: uuid.UUID
    location_name: str
    kind: PlannedChangeKind
    takes_effect_on: date = Field(description=TAKES_EFFECT)
    capacity: int | None = Field(description=CAPACITY)
    decision_reference: str | None
    decision_id: uuid.UUID | None = Field(description=DECISION)
    note: str | None
    realised_at: datetime | None = Field(
        description="When it became a fact on its day; `null` while it is plan."
    )


class PlannedChangeQuery(PageParams):
    location_id: uuid.UUID | None = None
    realised: bool | None = Field(
        default=None, description="`false`: the plan still to come; `true`: realised ones."
    )


class RealisationOutcome(ReadModel):
    planned_change_id: uuid.UUID
    location_id: uuid.UUID
    kind: PlannedChangeKind
    takes_effect_on: date
    realised: bool
    reason: str | None = Field(description="Why it was not realised (e.g. over capacity).")


RatePercent = Annotated[
    Decimal,
    Field(ge=0, le=100, max_digits=5, decimal_places=2, description="95.00 is 95 %."),
]


class OccupancyAssumptionWrite(ApiModel):
    rate_percent: RatePercent
    note: Text | None = None


class OccupancyAssumptionRead(ResourceRead):
    location_id: uuid.UUID
    location_name: str
    rate_percent: Decimal = Field(description="The set occupancy rate, 95.00 is 95 %.")
    note: str | None

    @model_validator(mode="before")
    @classmethod
    def _from_basis_points(cls, data: Any) -> Any:
        """A row holds the rate in basis points (9500): 95.00 on the wire."""
        mapping = getattr(data, "_mapping", None)
        if mapping is not None and "rate_bp" in mapping:
            values = dict(mapping)
            values["rate_percent"] = (Decimal(values.pop("rate_bp")) / 100).quantize(CENT)
            return values
        return data


class OccupancyAssumptionQuery(PageParams):
    location_id: uuid.UUID | None = None
