from __future__ import annotations

import uuid
from datetime import date

from pydantic import Field

from api.common.schemas import ApiModel, QueryModel, ReadModel


class OccupancyQuery(QueryModel):
    from_: date = Field(alias="from", description="First day (inclusive).")
    to: date = Field(description="Last day (inclusive); at most 366 days after `from`.")
    location_id: uuid.UUID | None = None


class OccupancyRow(ReadModel):
    location_id: uuid.UUID
    date: date
    capacity: int
    occupied: int
    free: int = Field(description="Places left (never below 0).")
    rate: str | None = Field(
        description="occupied / capacity as a decimal string with four places "
        '(`"0.8750"`; above 1 when over capacity); null when the capacity is 0.',
        examples=["0.8750"],
    )


class OccupancyReport(ApiModel):
    items: list[OccupancyRow]
