"""Schemas of the anonymous public summary: aggregates per kind, group or category only."""

from __future__ import annotations

from datetime import date

from pydantic import Field

from api.common.schemas import ReadModel
from api.models import ActivityKind, Group, LocationKind, SignalCategory


class PublicCount(ReadModel):
    """A count, or ``{"count": null, "suppressed": true}`` when it is hidden."""

    count: int | None = Field(description="Null when suppressed.")
    suppressed: bool = Field(
        description="True for a count of 1 to 4, or a cell hidden so that the others "
        "and the total do not reveal one."
    )


class PublicLocationKind(ReadModel):
    kind: LocationKind
    capacity: PublicCount = Field(description="Places at open locations of this kind today.")
    occupied: PublicCount = Field(description="People placed at locations of this kind today.")


class PublicLocationTotals(ReadModel):
    capacity: PublicCount
    occupied: PublicCount


class PublicGroup(ReadModel):
    group: Group
    participants: PublicCount = Field(description="People of this group placed today.")


class PublicActivityKind(ReadModel):
    kind: ActivityKind
    on_offer: PublicCount = Field(description="Activities of this kind that have not ended.")
    participants: PublicCount = Field(
        description="People placed today with an open enrollment in such an activity."
    )


class PublicSignalCategory(ReadModel):
    category: SignalCategory
    resolved: PublicCount = Field(description="Resolved since `resolvedSince`.")
    open: PublicCount = Field(description="Not resolved yet.")


class PublicSignalTotals(ReadModel):
    resolved: PublicCount
    open: PublicCount


class PublicSummary(ReadModel):
    on: date = Field(description="Today, in Heemstede.")
    locations: list[PublicLocationKind]
    locations_total: PublicLocationTotals
    participants: list[PublicGroup]
    participants_total: PublicCount
    activities: list[PublicActivityKind] = Field(
        description="No total of participants: one person may take part in several kinds."
    )
    activities_total: PublicCount = Field(description="Activities on offer.")
    signals: list[PublicSignalCategory]
    signals_total: PublicSignalTotals
    resolved_since: date = Field(description="First day of the twelve months counted.")
