"""Schemas of the overview report (camelCase on the wire)."""

from __future__ import annotations

import uuid
from datetime import date

from pydantic import Field

from api.common.schemas import QueryModel, ReadModel
from api.models import ActivityKind, Group, LocationKind, Severity, SignalCategory
from api.reports.progress.schemas import ProgressReport

RATE = 'A ratio as a decimal string with four places (`"0.8750"`); null when the denominator is 0.'


class OverviewQuery(QueryModel):
    from_: date | None = Field(
        default=None,
        alias="from",
        description="First day (inclusive); default: one year before `to`, plus a day.",
    )
    to: date | None = Field(default=None, description="Last day (inclusive); default: today.")


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
        description="Open signals past their due date (`dueAt`); a signal without one: high "
        "severity, reported more than `overdueDays` days ago."
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
