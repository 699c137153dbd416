"""Answers of GET /public/locations and GET /public/candidate-locations: what residents
may know about a reception location or a possible new one. No person appears: no owner
user, no scorer, no residents' names; residents present at a meeting are a count, hidden
below 5 (``api.public.suppression``). Places are given in bands, not exact."""

from __future__ import annotations

import uuid
from datetime import date
from enum import StrEnum

from pydantic import Field

from api.common.schemas import ReadModel
from api.models import LocationKind
from api.models.support import (
    AgreementStatus,
    CandidateStage,
    CommunicationChannel,
    MeetingKind,
)
from api.public.schemas import PublicCount


class PlacesBand(StrEnum):
    """The number of places in a band. The bands follow the sizes residents talk about
    (a small house, a building, a large centre) and the rule of thumb that opvang of up
    to 25 is small-scale; exact numbers change with every capacity decision and would,
    for a small house, say more than needed."""

    under_25 = "under_25"  # 1 to 24
    from_25_to_50 = "from_25_to_50"  # 25 to 49
    from_50_to_100 = "from_50_to_100"  # 50 to 99
    over_100 = "over_100"  # 100 or more


def places_band(places: int | None) -> PlacesBand | None:
    """``None`` when the number of places is not known yet (none, or 0)."""
    if places is None or places <= 0:
        return None
    if places < 25:
        return PlacesBand.under_25
    if places < 50:
        return PlacesBand.from_25_to_50
    if places < 100:
        return PlacesBand.from_50_to_100
    return PlacesBand.over_100


BAND = (
    "Places in a band: `under_25` (1-24), `from_25_to_50` (25-49), `from_50_to_100` "
    "(50-99), `over_100` (100 or more); `null`: not known yet."
)


class PublicMeeting(ReadModel):
    held_on: date
    kind: MeetingKind
    residents_present: PublicCount = Field(
        description="Residents present; 1 to 4 is suppressed (`count` null)."
    )


class PublicAgreement(ReadModel):
    description: str
    status: AgreementStatus
    due_month: str | None = Field(description="`YYYY-MM`: the month it is due; null: no date.")
    done_on: date | None
    partner_name: str | None = Field(
        description="The organisation that carries it out, when it is a partner."
    )


class PublicCommunication(ReadModel):
    sent_on: date
    channel: CommunicationChannel
    summary: str
    link: str | None


class PublicLocationInfo(ReadModel):
    id: uuid.UUID
    name: str
    kind: LocationKind
    places_band: PlacesBand | None = Field(description=BAND)
    opened_on: date
    closed_on: date | None
    available_until: date | None = Field(
        description="The last day the places are planned to be there; null: not decided."
    )
    contact: str | None
    note: str | None
    agreements: list[PublicAgreement]
    meetings: list[PublicMeeting] = Field(description="Meetings held, newest first.")
    communications: list[PublicCommunication] = Field(
        description="The last communications (at most five), newest first."
    )


class PublicLocationList(ReadModel):
    on: date
    items: list[PublicLocationInfo]


class PublicStageChange(ReadModel):
    stage: CandidateStage
    changed_on: date


class PublicCandidate(ReadModel):
    id: uuid.UUID
    name: str
    area: str | None = Field(description="The address or area, as the municipality gives it.")
    proposed_kind: LocationKind
    places_band: PlacesBand | None = Field(description=BAND)
    planned_months: int | None
    stage: CandidateStage
    history: list[PublicStageChange] = Field(description="The stages, oldest first.")
    meetings: list[PublicMeeting]
    communications: list[PublicCommunication]


class PublicCandidateList(ReadModel):
    on: date
    items: list[PublicCandidate]
