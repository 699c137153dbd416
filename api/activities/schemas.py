from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated

from pydantic import Field, StringConstraints, field_validator
from pydantic_core import PydanticCustomError

from api.common.pagination import PageParams
from api.common.schemas import ApiModel, Name, ReadModel, ResourceRead
from api.common.text import Trimmed
from api.models import ActivityKind, AttendanceStatus, Group

Schedule = Annotated[str, StringConstraints(min_length=1, max_length=500), Trimmed()]
Places = Annotated[int, Field(ge=0, le=100_000)]
Weekday = Annotated[int, Field(ge=1, le=7)]
WEEKDAYS = (
    "ISO weekdays of its sessions, 1 (Monday) to 7 (Sunday); empty: no fixed days. The "
    "dashboard records attendance for the last such day by default."
)


def _distinct(groups: list[Group] | None) -> list[Group] | None:
    if groups is not None and len(set(groups)) != len(groups):
        raise PydanticCustomError("listed_twice", "Each group may appear only once.")
    return groups


def _weekdays(days: list[int] | None) -> list[int] | None:
    if days is not None and len(set(days)) != len(days):
        raise ValueError("Each weekday may appear only once.")
    return None if days is None else sorted(days)


class ActivityCreate(ApiModel):
    title: Name
    kind: ActivityKind
    provider_partner_id: uuid.UUID
    location_id: uuid.UUID | None = Field(default=None, description="The venue, if a location.")
    starts_on: date
    ends_on: date | None = Field(default=None, description="Inclusive; on or after `startsOn`.")
    schedule: Schedule | None = Field(default=None, description="e.g. 'Tuesdays 10:00-12:00'.")
    weekdays: list[Weekday] = Field(default_factory=list, max_length=7, description=WEEKDAYS)
    capacity: Places | None = Field(
        default=None, description="Most open enrollments at once; none: no limit."
    )
    target_groups: list[Group] = Field(
        default_factory=list, description="Participant groups it is for; empty: everyone."
    )

    _groups = field_validator("target_groups")(_distinct)
    _days = field_validator("weekdays")(_weekdays)


class ActivityUpdate(ApiModel):
    title: Name | None = None
    kind: ActivityKind | None = None
    provider_partner_id: uuid.UUID | None = None
    location_id: uuid.UUID | None = None
    starts_on: date | None = None
    ends_on: date | None = None
    schedule: Schedule | None = None
    weekdays: list[Weekday] | None = Field(default=None, max_length=7, description=WEEKDAYS)
    capacity: Places | None = None
    target_groups: list[Group] | None = None

    _groups = field_validator("target_groups")(_distinct)
    _days = field_validator("weekdays")(_weekdays)


class ActivityRead(ResourceRead):
    title: str
    kind: ActivityKind
    provider_partner_id: uuid.UUID
    location_id: uuid.UUID | None
    starts_on: date
    ends_on: date | None
    schedule: str | None
    weekdays: list[int] = Field(description=WEEKDAYS)
    capacity: int | None
    target_groups: list[Group]


class ActivityListItem(ActivityRead):
    """An activity in the list, with how full it is."""

    enrolled: int = Field(
        description="Open enrollments (enrolled or active), as counted against `capacity`."
    )
    free: int | None = Field(
        description="Places left: `capacity` minus `enrolled`, never below 0; null when "
        "the activity has no limit."
    )


class ActivityQuery(PageParams):
    kind: ActivityKind | None = None
    provider_partner_id: uuid.UUID | None = None
    location_id: uuid.UUID | None = None
    active_on: date | None = Field(default=None, description="Activities running on this day.")
    q: str | None = Field(default=None, min_length=1, max_length=100, description="In the title.")


class AttendanceEntry(ApiModel):
    participant_id: uuid.UUID
    status: AttendanceStatus


class AttendanceRead(ReadModel):
    participant_id: uuid.UUID
    status: AttendanceStatus
