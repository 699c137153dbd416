"""Meetings, agreements and their notes on the wire. Residents are never named: a meeting
holds a count of the residents present; free text is screened for BSN-like numbers."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated

from pydantic import Field, StringConstraints

from api.common.pagination import PageParams
from api.common.schemas import ApiModel, ReadModel, ResourceRead
from api.common.text import NoBsn, Trimmed
from api.models import AgreementStatus, MeetingKind

Summary = Annotated[str, StringConstraints(min_length=1, max_length=4000), Trimmed(), NoBsn()]
Text = Annotated[str, StringConstraints(min_length=1, max_length=2000), Trimmed(), NoBsn()]
NO_NAMES = "What was discussed, without residents' names (they are counted, never named)."
WHERE = (
    "The location it is about, or the candidate location (`candidateId`), or neither "
    "(a municipality-wide evening); not both."
)
PARTNERS = "The partner organisations present (ids, each at most once)."
RESIDENTS = "How many residents came: a count, never names. A planned meeting may hold 0."
FLOW = (
    "open -> in_progress -> done | cancelled (open may go to done or cancelled at once); "
    "done and cancelled may be reopened (open, in_progress) by staff only. Any other move "
    "is a 409."
)
OWNER = "A partner (`partnerId`) or a staff user (`ownerUserId`: admin, coordinator); not both."
PartnerIds = Annotated[list[uuid.UUID], Field(max_length=50)]


class MeetingCreate(ApiModel):
    held_on: date = Field(description="The day; a day to come makes it a planned meeting.")
    kind: MeetingKind
    residents_present: int = Field(default=0, ge=0, le=100_000, description=RESIDENTS)
    partner_ids: PartnerIds = Field(default_factory=list, description=PARTNERS)
    summary: Summary = Field(description=NO_NAMES)
    location_id: uuid.UUID | None = Field(default=None, description=WHERE)
    candidate_id: uuid.UUID | None = Field(default=None, description=WHERE)


class MeetingUpdate(ApiModel):
    held_on: date | None = None
    kind: MeetingKind | None = None
    residents_present: int | None = Field(default=None, ge=0, le=100_000, description=RESIDENTS)
    partner_ids: PartnerIds | None = Field(default=None, description=PARTNERS + " Replaces.")
    summary: Summary | None = Field(default=None, description=NO_NAMES)
    location_id: uuid.UUID | None = Field(default=None, description=WHERE)
    candidate_id: uuid.UUID | None = Field(default=None, description=WHERE)


class MeetingRead(ResourceRead):
    held_on: date
    kind: MeetingKind
    residents_present: int = Field(description=RESIDENTS)
    summary: str
    location_id: uuid.UUID | None
    candidate_id: uuid.UUID | None
    location_name: str | None = Field(description="The location's name, to show.")
    planned: bool = Field(description="The meeting lies after today: planned, not held yet.")
    partner_ids: list[uuid.UUID] = Field(default_factory=list, description=PARTNERS)
    partner_names: list[str] = Field(
        default_factory=list, description="The partners present by name, as `partnerIds`."
    )


class MeetingQuery(PageParams):
    location_id: uuid.UUID | None = None
    candidate_id: uuid.UUID | None = None
    kind: MeetingKind | None = None
    from_: date | None = Field(default=None, alias="from", description="Held on or after.")
    to: date | None = Field(default=None, description="Held on or before.")


class AgreementCreate(ApiModel):
    description: Text = Field(description="What was agreed, without residents' names.")
    meeting_id: uuid.UUID | None = Field(default=None, description="The meeting it was made at.")
    location_id: uuid.UUID | None = Field(
        default=None, description="Default: the meeting's location; must match it."
    )
    partner_id: uuid.UUID | None = Field(default=None, description=OWNER)
    owner_user_id: uuid.UUID | None = Field(default=None, description=OWNER)
    due_on: date | None = None
    status: AgreementStatus = Field(default=AgreementStatus.open, description=FLOW)


class AgreementUpdate(ApiModel):
    """A partner changes the `status` of an agreement assigned to it, nothing else (403)."""

    description: Text | None = None
    meeting_id: uuid.UUID | None = None
    location_id: uuid.UUID | None = None
    partner_id: uuid.UUID | None = Field(default=None, description=OWNER)
    owner_user_id: uuid.UUID | None = Field(default=None, description=OWNER)
    due_on: date | None = None
    status: AgreementStatus | None = Field(default=None, description=FLOW)


class AgreementRead(ResourceRead):
    description: str
    meeting_id: uuid.UUID | None
    location_id: uuid.UUID | None
    partner_id: uuid.UUID | None
    owner_user_id: uuid.UUID | None
    due_on: date | None
    status: AgreementStatus = Field(description=FLOW)
    done_on: date | None = Field(description="Set when it is done; cleared on reopening.")
    overdue: bool = Field(description="Not done or cancelled, and due before today.")
    location_name: str | None = Field(description="The location's name, to show.")
    partner_name: str | None = Field(description="The owning partner's name, to show.")


class AgreementQuery(PageParams):
    location_id: uuid.UUID | None = None
    meeting_id: uuid.UUID | None = None
    status: AgreementStatus | None = None
    partner_id: uuid.UUID | None = None
    overdue: bool | None = None


class AgreementNoteCreate(ApiModel):
    note: Text = Field(description="The follow-up, without residents' names. Never edited.")


class AgreementNoteRead(ReadModel):
    """Who wrote it by kind and role; the author's id is kept for the audit log only."""

    id: uuid.UUID
    agreement_id: uuid.UUID
    note: str
    author_type: str = Field(description="`user`, `client` or `system`.")
    author_role: str | None
    created_at: datetime
