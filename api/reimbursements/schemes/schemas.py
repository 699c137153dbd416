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
from api.models import Basis, Group, LocationKind, PlaceCondition, RateCertainty

SchemeCode = Annotated[
    str,
    StringConstraints(pattern=r"^[A-Z0-9][A-Z0-9_-]{0,31}$"),
]
Description = Annotated[str, StringConstraints(min_length=1, max_length=4000), Trimmed()]
Source = Annotated[str, StringConstraints(min_length=1, max_length=500), Trimmed()]

CODE = "Capitals, digits, `-` and `_` (at most 32), e.g. `BOO-GOO`; never changes."
KINDS = "The kinds of location the scheme pays for (at least one, no repeats)."
ALLOWANCE = (
    "Only nights of persons receiving the municipal living allowance count (a dated status "
    "per person); BOO-POO: the BooO pays per person in private hosting who receives it."
)
PLACE_CONDITION = (
    "`per_place_once`: which added places count: `durable` (available at least five years "
    "from the day they are added, by the location's `availableUntil`; Besluit gemeentelijke "
    "taak mogelijk maken asielopvangvoorzieningen art. 1.1), `not_durable`, or `null`: all."
)
CERTAINTY = (
    "`published`: final; `announced` (e.g. in a Kamerbrief) or `assumed` (e.g. equal to the "
    "previous year) are provisional: the budget and forecasts use them and say so, claims "
    "refuse them. A provisional rate needs a `source` saying its basis."
)
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
    requires_living_allowance: bool = Field(default=False, description=ALLOWANCE)
    place_condition: PlaceCondition | None = Field(default=None, description=PLACE_CONDITION)


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
    requires_living_allowance: bool | None = Field(default=None, description=ALLOWANCE)
    place_condition: PlaceCondition | None = Field(default=None, description=PLACE_CONDITION)


class SchemeRead(ResourceRead):
    code: str = Field(description=CODE)
    name: str
    basis: Basis
    location_kinds: list[LocationKind]
    groups: list[Group] | None = Field(description=GROUPS)
    description: str | None
    requires_living_allowance: bool = Field(description=ALLOWANCE)
    place_condition: PlaceCondition | None = Field(description=PLACE_CONDITION)


class SchemeQuery(PageParams):
    basis: Basis | None = None


class RateCreate(ApiModel):
    valid_from: date
    valid_to: date | None = Field(
        default=None, description="The last day (inclusive); `null`: until further notice."
    )
    amount: NonNegativeMoney = Field(description="Euros per unit of the scheme's basis.")
    source: Source | None = Field(
        default=None,
        description="Where the amount was published; for a provisional rate, its basis.",
    )
    published_on: date | None = Field(
        default=None,
        description="The day the source was published (e.g. the Staatscourant's date).",
    )
    certainty: RateCertainty = Field(default=RateCertainty.published, description=CERTAINTY)


class RateUpdate(ApiModel):
    """Only a provisional rate changes (a published amount is never edited): its amount,
    basis and certainty, e.g. to `published` once the Staatscourant has it."""

    amount: NonNegativeMoney | None = None
    source: Source | None = None
    published_on: date | None = None
    certainty: RateCertainty | None = Field(default=None, description=CERTAINTY)


class RateRead(ReadModel):
    id: uuid.UUID
    valid_from: date
    valid_to: date | None = Field(description="`null`: until further notice.")
    amount: Money
    source: str | None
    published_on: date | None = Field(description="The day the source was published.")
    certainty: RateCertainty = Field(description=CERTAINTY)
    created_at: datetime


class RateList(ApiModel):
    items: list[RateRead] = Field(description="Oldest first; the ranges never overlap.")
