"""The draagvlak answers: signal trends per location and month, the per-location view and
the list of locations with their summary. Aggregates only: no summaries of signals, no
residents."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Literal

from pydantic import Field

from api.common.schemas import ApiModel, ReadModel
from api.models import AgreementStatus, ConditionStatus, MeetingKind

MONTH = r"^(19|20)\d{2}-(0[1-9]|1[0-2])$"
Direction = Literal["up", "down", "same"]


class TrendQuery(ApiModel):
    from_: str | None = Field(
        default=None,
        alias="from",
        pattern=MONTH,
        description="First month, YYYY-MM; default 11 months before `to`.",
    )
    to: str | None = Field(
        default=None, pattern=MONTH, description="Last month, YYYY-MM; default this month."
    )
    location_id: uuid.UUID | None = Field(default=None, description="Only this location.")


class CategoryCounts(ReadModel):
    nuisance: int
    social_tension: int
    safety: int
    health: int
    need: int
    question: int
    compliment: int
    capacity: int


class SeverityCounts(ReadModel):
    low: int
    medium: int
    high: int


class TrendRow(ReadModel):
    scope: Literal["location", "unassigned", "total"] = Field(
        description="`location`: one location; `unassigned`: signals without a location; "
        "`total`: everything together (staff and viewers, without `locationId`)."
    )
    location_id: uuid.UUID | None
    month: str = Field(description="YYYY-MM, in Heemstede's calendar.")
    reported: int = Field(description="Signals reported in the month.")
    by_category: CategoryCounts
    by_severity: SeverityCounts
    resolved: int = Field(description="Signals resolved in the month.")
    median_days_to_resolve: float | None = Field(
        description="Median days from report to resolution of the signals resolved in the "
        "month (mean of the two middle values for an even count), to 0.1 day."
    )
    p90_days_to_resolve: float | None = Field(
        description="90th percentile of the same, nearest rank: the value at rank "
        "ceil(0.9 n) of the sorted durations."
    )
    open_at_month_end: int = Field(
        description="Reported by the end of the month and not resolved by then."
    )


class TrendReport(ReadModel):
    from_month: str = Field(description="YYYY-MM.")
    to_month: str = Field(description="YYYY-MM.")
    items: list[TrendRow]


class OpenSignals(ReadModel):
    total: int
    low: int
    medium: int
    high: int
    overdue: int = Field(description="Not resolved and past their due date.")


class AgreementItem(ReadModel):
    id: uuid.UUID
    description: str
    due_on: date | None
    status: AgreementStatus
    partner_id: uuid.UUID | None
    owner_user_id: uuid.UUID | None
    overdue: bool = Field(description="Open or in progress, and its due date has passed.")


class MeetingItem(ReadModel):
    id: uuid.UUID
    held_on: date
    kind: MeetingKind
    residents_present: int = Field(description="A count; residents are never named.")


class ConditionItem(ReadModel):
    id: uuid.UUID
    decision_id: uuid.UUID
    decided_on: date
    reference: str
    description: str
    evaluate_on: date
    status: ConditionStatus
    due: bool = Field(description="Open, to be evaluated within 60 days (or already late).")


class Direction3(ReadModel):
    last3: int = Field(description="Signals reported in the last 3 months.")
    previous3: int = Field(description="Signals reported in the 3 months before those.")
    direction: Direction


class DraagvlakView(ReadModel):
    location_id: uuid.UUID
    name: str
    trend: list[TrendRow] = Field(description="The last 12 months, oldest first.")
    signals: Direction3
    open_signals: OpenSignals
    open_agreements: list[AgreementItem] = Field(description="Open or in progress, by due date.")
    overdue_agreements: int
    meetings: list[MeetingItem] = Field(description="The last 5 meetings, newest first.")
    conditions: list[ConditionItem] = Field(description="Of the location's decisions.")
    communications_last12_months: int


class DraagvlakSummary(ReadModel):
    location_id: uuid.UUID
    name: str
    open_signals: int
    overdue_signals: int
    open_agreements: int
    overdue_agreements: int
    last_meeting_on: date | None
    conditions_due: int = Field(description="Open conditions to evaluate within 60 days.")
    signals: Direction3


class DraagvlakList(ReadModel):
    items: list[DraagvlakSummary]
