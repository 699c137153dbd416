"""Schemas of the progress report (camelCase on the wire); the overview includes it."""

from __future__ import annotations

from datetime import date

from pydantic import Field

from api.common.schemas import QueryModel, ReadModel
from api.models import DutchLevel, EmploymentStatus, Group


class ProgressQuery(QueryModel):
    from_: date = Field(alias="from", description="First day (inclusive).")
    to: date = Field(description="Last day (inclusive).")


class ProgressFigures(ReadModel):
    participants: int = Field(description="Participants placed on any day of the period.")
    moved_up: int = Field(
        description="Whose Dutch level at the end of the period is at least one CEFR level "
        "above the level they had before its first day (none < A1 < A2 < B1 < B2 < C1 < C2)."
    )
    reached_b1: int = Field(
        alias="reachedB1",
        description="Whose level went from below B1 to B1 or higher within the period.",
    )
    at_b1_or_higher: int = Field(
        alias="atB1OrHigher", description="At B1 or higher at the end of the period."
    )
    working: int = Field(description="Working part time or full time at the end of the period.")
    volunteering: int = Field(description="Volunteering at the end of the period.")


class ProgressGroup(ProgressFigures):
    group: Group


class DutchLevelCount(ReadModel):
    level: DutchLevel
    count: int


class EmploymentStatusCount(ReadModel):
    status: EmploymentStatus
    count: int


class ProgressReport(ReadModel):
    from_: date = Field(alias="from")
    to: date
    groups: list[ProgressGroup] = Field(description="Every group, also those with no one.")
    total: ProgressFigures
    dutch_levels: list[DutchLevelCount] = Field(description="Levels at the end of the period.")
    employment: list[EmploymentStatusCount] = Field(
        description="Statuses at the end of the period."
    )
