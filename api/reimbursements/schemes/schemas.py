"""Schemes and rates on the wire. Money is a decimal string with two places
(``api.common.money``); date ranges are inclusive."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated

from pydantic import Field, StringConstraints

from api.common.money import Money, NonNegativeMoney
from api.common.pagination import PageParams
from api.common.schemas import ApiModel, Name, ReadModel, ResourceRead
from api.common.text import Trimmed
from api.models import Basis, Group, LocationKind

SchemeCode = Annotated[
    str,
    StringConstraints(pattern=r"^[A-Z0-9][A-Z0-9_-]{0,31}$"),
]
Description = Annotated[str, StringConstraints(min_length=1, max_length=4000), Trimmed()]
Source = Annotated[str, StringConstraints(min_length=1, max_length=500), Trimmed()]

CODE = "Capitals, digits, `-` and `_` (at most 32), e.g. `BOO-GOO`; never changes."
KINDS = "The kinds of location the scheme pays for (at least one, no repeats)."
GROUPS = (
    "The participant groups it pays for; `null`: all. Not used by the capacity-based bases "
    "(`per_place_day`, `per_place_once`)."
)


class SchemeCreate(ApiModel):
    code: SchemeCode = Field(description=CODE)
    name: Name
    basis: Basis
    location_kinds: list[LocationKind] = Field(min_length=1, max_length=10, description=KINDS)
    groups: list[Group] | None = Field(
        default=None, min_length=1, max_length=10, description=GROUPS
    )
    description: Description | None = None


class SchemeUpdate(ApiModel):
    name: Name | None = None
    basis: Basis | None = Field(
        default=None, description="May change only while no claim uses the scheme (409)."
    )
    location_kinds: list[LocationKind] | None = Field(
        default=None, min_length=1, max_length=10, description=KINDS
    )
    groups: list[Group] | None = Field(
        default=None, min_length=1, max_length=10, description=GROUPS
    )
    description: Description | None = None


class SchemeRead(ResourceRead):
    code: str = Field(description=CODE)
    name: str
    basis: Basis
    location_kinds: list[LocationKind]
    groups: list[Group] | None = Field(description=GROUPS)
    description: str | None


class SchemeQuery(PageParams):
    basis: Basis | None = None


class RateCreate(ApiModel):
    valid_from: date
    valid_to: date | None = Field(
        default=None, description="The last day (inclusive); `null`: until further notice."
    )
    amount: NonNegativeMoney = Field(description="Euros per unit of the scheme's basis.")
    source: Source | None = Field(default=None, description="Where the amount was published.")
    published_on: date | None = Field(
        default=None,
        description="The day the source was published (e.g. the Staatscourant's date).",
    )


class RateRead(ReadModel):
    id: uuid.UUID
    valid_from: date
    valid_to: date | None = Field(description="`null`: until further notice.")
    amount: Money
    source: str | None
    published_on: date | None = Field(description="The day the source was published.")
    created_at: datetime


class RateList(ApiModel):
    items: list[RateRead] = Field(description="Oldest first; the ranges never overlap.")
