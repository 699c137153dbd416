"""A scenario on the wire, with its changes in order (one list, replaced as a whole)."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, StringConstraints

from api.common.schemas import ApiModel, ResourceRead
from api.common.text import Trimmed
from api.forecast.changes import ChangeIn

Name = Annotated[str, StringConstraints(min_length=1, max_length=200), Trimmed()]
Description = Annotated[str, StringConstraints(max_length=1000), Trimmed()]
CHANGES = (
    "The changes in order (a later one wins where two set the same thing); each `kind` "
    "with its own fields."
)
MAX_CHANGES = 50


class ScenarioCreate(ApiModel):
    name: Name
    description: Description | None = None
    changes: list[ChangeIn] = Field(
        default_factory=list, max_length=MAX_CHANGES, description=CHANGES
    )


class ScenarioUpdate(ApiModel):
    """Only the fields sent change; `changes` replaces the whole list."""

    name: Name | None = None
    description: Description | None = None
    changes: list[ChangeIn] | None = Field(
        default=None, max_length=MAX_CHANGES, description=CHANGES
    )


class ScenarioRead(ResourceRead):
    name: str
    description: str | None
    changes: list[ChangeIn] = Field(description=CHANGES)
