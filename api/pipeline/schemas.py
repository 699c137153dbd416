"""Housing criteria, candidate locations, their stage history and scores on the wire.

The weighted total (``score``) is a decimal string with two places on the 0-5 scale, never
a float: Σ(weight * score) / Σ(weight) over the criteria the candidate is scored on."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated

from pydantic import Field, StringConstraints

from api.common.pagination import PageParams
from api.common.schemas import ApiModel, Name, ReadModel, ResourceRead
from api.common.text import NoBsn, Printable, Trimmed
from api.locations.schemas import LocationCreate
from api.models import CandidateStage, LocationKind

Text = Annotated[str, StringConstraints(min_length=1, max_length=4000), Trimmed(), NoBsn()]
Line = Annotated[
    str, StringConstraints(min_length=1, max_length=300), Trimmed(), Printable(), NoBsn()
]
OwnerName = Annotated[
    str, StringConstraints(min_length=1, max_length=200), Trimmed(), Printable(), NoBsn()
]
Weight = Annotated[int, Field(ge=1, le=10, description="How much the criterion counts, 1-10.")]
Position = Annotated[int, Field(ge=0, le=1000, description="Order in lists (lowest first).")]
Places = Annotated[int, Field(ge=1, le=100_000)]
Months = Annotated[int, Field(ge=1, le=600, description="The planned duration in months.")]
ScoreValue = Annotated[int, Field(ge=0, le=5, description="0 (fails) to 5 (meets it fully).")]

SCORE = (
    "The weighted total on the 0-5 scale, a decimal string with two places: Σ(weight * "
    "score) / Σ(weight), both sums over the criteria the candidate is scored on (an "
    "unscored criterion does not count as 0). `null`: not scored yet. Compare "
    "`scoredCriteria` with `criteriaCount` to see how complete it is."
)


# --- housing criteria -------------------------------------------------------------------


class CriterionCreate(ApiModel):
    name: Name
    description: Text | None = None
    weight: Weight
    position: Position = 0


class CriterionUpdate(ApiModel):
    name: Name | None = None
    description: Text | None = None
    weight: Weight | None = None
    position: Position | None = None


class CriterionRead(ResourceRead):
    name: str
    description: str | None
    weight: int
    position: int


class CriterionQuery(PageParams):
    pass


# --- candidates --------------------------------------------------------------------------


class CandidateCreate(ApiModel):
    name: Name
    address: Line | None = Field(default=None, description="An address, or an area.")
    proposed_kind: LocationKind
    proposed_places: Places | None = None
    planned_months: Months | None = None
    owner: OwnerName | None = Field(default=None, description="The building's owner.")
    operator_partner_id: uuid.UUID | None = Field(
        default=None, description="The partner proposed to run it."
    )
    public: bool = False
    note: Text | None = None
    idea_on: date | None = Field(
        default=None,
        description="When the idea came up: the first entry of the stage history "
        "(default today; not in the future).",
    )


class CandidateUpdate(ApiModel):
    name: Name | None = None
    address: Line | None = None
    proposed_kind: LocationKind | None = None
    proposed_places: Places | None = None
    planned_months: Months | None = None
    owner: OwnerName | None = None
    operator_partner_id: uuid.UUID | None = None
    public: bool | None = None
    note: Text | None = None


class CandidateFields(ResourceRead):
    name: str
    address: str | None
    proposed_kind: LocationKind
    proposed_places: int | None
    planned_months: int | None
    owner: str | None
    operator_partner_id: uuid.UUID | None
    stage: CandidateStage = Field(description="Moved by POST .../stage only.")
    public: bool
    note: str | None
    location_id: uuid.UUID | None = Field(description="The location it became (read only).")


class CandidateRead(CandidateFields):
    score: str | None = Field(description=SCORE)
    scored_criteria: int = Field(description="Criteria the candidate is scored on.")
    criteria_count: int = Field(description="All housing criteria.")


class CandidateQuery(PageParams):
    stage: CandidateStage | None = None
    public: bool | None = None
    q: str | None = Field(default=None, min_length=1, max_length=100, description="In the name.")


# --- stage history -----------------------------------------------------------------------


class StageChangeCreate(ApiModel):
    stage: CandidateStage = Field(
        description="idea → investigation → proposed → decided; any open stage → rejected "
        "or withdrawn; decided, rejected and withdrawn are final."
    )
    changed_on: date = Field(description="Not before the previous change, not in the future.")
    note: Text | None = None


class StageChangeRead(ReadModel):
    id: int
    stage: CandidateStage
    changed_on: date
    note: str | None
    created_at: datetime


class StageChangeList(ReadModel):
    items: list[StageChangeRead] = Field(description="Oldest first.")


# --- scores ------------------------------------------------------------------------------


class ScoreIn(ApiModel):
    criterion_id: uuid.UUID
    score: ScoreValue
    note: Text | None = None


class ScoresPut(ApiModel):
    items: list[ScoreIn] = Field(
        max_length=200, description="All the scores: those not listed are removed."
    )


class ScoreRead(ReadModel):
    criterion_id: uuid.UUID
    criterion_name: str
    weight: int
    score: int
    note: str | None


class ScoreList(ReadModel):
    score: str | None = Field(description=SCORE)
    scored_criteria: int
    criteria_count: int
    items: list[ScoreRead] = Field(description="In the criteria's order.")


# --- decided → location ------------------------------------------------------------------


class CandidateToLocation(ApiModel):
    location: LocationCreate | None = Field(
        default=None, description="A new location, made with the locations' rules."
    )
    location_id: uuid.UUID | None = Field(
        default=None, description="Or an existing location (entered before the pipeline)."
    )
