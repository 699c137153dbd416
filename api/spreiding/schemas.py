"""Spreidingswet tasks and the report on the wire. Money as decimal strings with two
decimals (``"5000.00"``), never floats."""

from __future__ import annotations

import enum
import uuid
from datetime import date
from typing import Annotated

from pydantic import Field, StringConstraints

from api.common.pagination import PageParams
from api.common.schemas import ApiModel, QueryModel, ReadModel, ResourceRead
from api.common.text import NoBsn, Printable, Trimmed
from api.models import CandidateStage, LocationKind, RateCertainty

Source = Annotated[
    str, StringConstraints(min_length=1, max_length=500), Trimmed(), Printable(), NoBsn()
]
Note = Annotated[str, StringConstraints(max_length=4000), Trimmed(), NoBsn()]
Places = Annotated[int, Field(ge=0, le=100_000)]
SOURCE = (
    "The province's distribution decision the task comes from, e.g. "
    '"Verdeelbesluit provincie Noord-Holland, 2024" (with its address if published).'
)
PERIOD = "Inclusive. The periods of two tasks never overlap (409 naming the other)."


class TaskCreate(ApiModel):
    starts_on: date = Field(description=PERIOD)
    ends_on: date = Field(description="On or after `startsOn`.")
    places: Places = Field(description="The reception places the municipality must provide.")
    source: Source = Field(description=SOURCE)
    decided_on: date | None = Field(default=None, description="The day of the decision.")
    note: Note | None = None


class TaskUpdate(ApiModel):
    starts_on: date | None = Field(default=None, description=PERIOD)
    ends_on: date | None = None
    places: Places | None = None
    source: Source | None = Field(default=None, description=SOURCE)
    decided_on: date | None = None
    note: Note | None = None


class TaskRead(ResourceRead):
    starts_on: date
    ends_on: date
    places: int
    source: str
    decided_on: date | None
    note: str | None


class TaskQuery(PageParams):
    pass


class ReportQuery(QueryModel):
    on: date | None = Field(default=None, description="The day (default: today in Heemstede).")


class Phase(enum.StrEnum):
    realised = "realised"  # open places of the asylum kinds on the day
    planned = "planned"  # the capacity plan up to the task's end
    decided = "decided"  # candidates decided, not yet a location
    preparation = "preparation"  # candidates under investigation or proposed


class PhaseItem(ReadModel):
    """A location (realised, planned) or a candidate (decided, preparation)."""

    id: uuid.UUID
    name: str
    kind: LocationKind
    places: int = Field(description="Planned: the change to the location's places (may be < 0).")
    day: date | None = Field(description="Planned: the day of the last planned change.")
    stage: CandidateStage | None = Field(description="For candidates.")


class PhaseRow(ReadModel):
    phase: Phase
    places: int
    cumulative: int = Field(description="The places of this phase and the ones before it.")
    gap: int | None = Field(
        description="The task minus `cumulative` (below 0: more than the task); null "
        "without a task."
    )
    items: list[PhaseItem]


class IncentivePart(ReadModel):
    durable_places: int = Field(description="Available at least five years from being added.")
    other_places: int
    amount: str = Field(description="Euros, at the rates in force on each place's day.")
    unpriced_places: int = Field(description="Places on a day that no rate covers.")
    certainty: RateCertainty = Field(description="The least sure rate used.")


class Incentive(ReadModel):
    earned: IncentivePart = Field(
        description="Places added at the asylum kinds' locations from the task's start up "
        "to the day (or its end)."
    )
    expected: IncentivePart = Field(
        description="Places the capacity plan adds up to the task's end: not earned yet."
    )


class SpreidingReport(ReadModel):
    on: date
    task: TaskRead | None = Field(description="The task whose period holds the day.")
    kinds: list[LocationKind] = Field(description="The location kinds that count.")
    phases: list[PhaseRow] = Field(description="Realised, planned, decided, preparation.")
    incentive: Incentive | None = Field(description="Null without a task.")
    tasks: list[TaskRead] = Field(description="Every task, by start.")


class PublicTask(ReadModel):
    starts_on: date
    ends_on: date
    places: int
    source: str


class PublicSpreiding(ReadModel):
    """For residents: the current task and how far the municipality is."""

    on: date
    task: PublicTask | None
    realised: int = Field(description="Reception places for asylum seekers open today.")
    planned: int = Field(description="Places planned or decided by the council, still to come.")
    to_arrange: int | None = Field(
        description="The places still to be found beyond those (0 when enough); null "
        "without a task."
    )
