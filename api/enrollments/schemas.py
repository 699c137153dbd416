from __future__ import annotations

import uuid
from datetime import date
from typing import Literal

from pydantic import Field

from api.common.pagination import PageParams
from api.common.schemas import ApiModel, ResourceRead
from api.models import EnrollmentStatus


class EnrollmentCreate(ApiModel):
    activity_id: uuid.UUID
    participant_id: uuid.UUID
    enrolled_on: date | None = Field(
        default=None, description="Within the activity's dates; default: today."
    )
    status: Literal[EnrollmentStatus.enrolled, EnrollmentStatus.active] = Field(
        default=EnrollmentStatus.enrolled, description="A new enrollment is open."
    )


class EnrollmentUpdate(ApiModel):
    enrolled_on: date | None = None
    status: EnrollmentStatus | None = Field(
        default=None,
        description="enrolled -> active -> completed | dropped_out; enrolled -> dropped_out.",
    )
    ended_on: date | None = Field(
        default=None,
        description="With a move to completed or dropped_out (default: today); "
        "on or after `enrolledOn`.",
    )


class EnrollmentRead(ResourceRead):
    """Only ids: a provider sees who takes part in its activities by id, never by name."""

    activity_id: uuid.UUID
    participant_id: uuid.UUID
    enrolled_on: date
    status: EnrollmentStatus
    ended_on: date | None


class EnrollmentQuery(PageParams):
    activity_id: uuid.UUID | None = None
    participant_id: uuid.UUID | None = None
    status: EnrollmentStatus | None = None
