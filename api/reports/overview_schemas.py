"""Schemas of the progress and overview reports (camelCase on the wire)."""

from __future__ import annotations

import uuid
from datetime import date

from pydantic import Field

from api.common.schemas import QueryModel, ReadModel
from api.models import (
    ActivityKind,
    DutchLevel,
    EmploymentStatus,
    Group,
    LocationKind,
    Severity,
    SignalCategory,
)

RATE = 'A ratio as a decimal string with four places (`"0.8750"`); null when the denominator is 0.'


class OverviewQuery(QueryModel):
    from_: date | None = Field(
        default=None,
        alias="from",
        description="First day (inclusive); default: one year before `to`, plus a day.",
    )
    to: date | None = Field(default=None, description="Last day (inclusive); default: today.")


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


class OverviewGroupCount(ReadModel):
    group: Group
    count: int


class OverviewLocationParticipants(ReadModel):
    location_id: uuid.UUID
    name: str
    count: int
    by_group: list[OverviewGroupCount]


class OverviewParticipants(ReadModel):
    total: int = Field(description="Participants placed today.")
    by_group: list[OverviewGroupCount]
    by_location: list[OverviewLocationParticipants]


class OverviewOccupancyTotal(ReadModel):
    capacity: int
    occupied: int
    free: int = Field(description="Places left (never below 0).")


class OverviewLocationOccupancy(OverviewOccupancyTotal):
    location_id: uuid.UUID
    name: str
    kind: LocationKind


class OverviewOccupancy(ReadModel):
    total: OverviewOccupancyTotal
    locations: list[OverviewLocationOccupancy] = Field(description="Locations open today.")


class KindParticipation(ReadModel):
    kind: ActivityKind
    activities: int = Field(description="Activities of this kind on offer (not ended).")
    participants: int = Field(
        description="Participants placed today with an open enrollment (enrolled or active) "
        "in an activity of this kind on offer."
    )
    eligible: int = Field(
        description="Participants placed today in the target groups of this kind's "
        "activities on offer (an activity without target groups is for everyone)."
    )
    rate: str | None = Field(description="participants / eligible. " + RATE)


class KindAttendance(ReadModel):
    kind: ActivityKind
    recorded: int = Field(description="Attendance rows recorded (present, absent, excused).")
    present: int
    rate: str | None = Field(description="present / recorded. " + RATE)


class OverviewAttendance(ReadModel):
    from_: date = Field(alias="from")
    to: date
    kinds: list[KindAttendance]


class SignalSeverityCount(ReadModel):
    severity: Severity
    open: int
    overdue: int


class SignalCategoryCount(ReadModel):
    category: SignalCategory
    open: int
    overdue: int


class OverviewSignals(ReadModel):
    open: int = Field(description="Signals not resolved.")
    overdue: int = Field(
        description="Open signals of high severity reported more than `overdueDays` days ago."
    )
    overdue_days: int
    by_severity: list[SignalSeverityCount]
    by_category: list[SignalCategoryCount]


class OverviewReport(ReadModel):
    on: date = Field(description="Today, in Heemstede.")
    participants: OverviewParticipants
    occupancy: OverviewOccupancy
    participation: list[KindParticipation]
    attendance: OverviewAttendance = Field(description="The last 4 weeks, today included.")
    progress: ProgressReport
    signals: OverviewSignals
