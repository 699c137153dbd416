"""Signals on the wire. Residents' names are never stored: there are no name fields, and
the summary describes what happened, not who."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from pydantic import AwareDatetime, Field, StringConstraints

from api.common.pagination import PageParams
from api.common.schemas import ApiModel, ReadModel, ResourceRead
from api.common.text import Trimmed
from api.models import Severity, SignalCategory, SignalSource, SignalStatus

NO_NAMES = (
    "What was reported, in at most 2000 characters. Never write residents' names here "
    "(or anything else that identifies a person): the programme stores no names with signals."
)
Summary = Annotated[str, StringConstraints(min_length=1, max_length=2000), Trimmed()]
Note = Annotated[str, StringConstraints(min_length=1, max_length=2000), Trimmed()]
REPORTED_AT = (
    "When the report came in (RFC 3339 with a UTC offset); may lie before it is entered, "
    "never in the future."
)
OWNER = (
    "The staff user (admin or coordinator) who follows it up; see GET /signal-owners. "
    "Only staff set it; null: nobody yet."
)
_HEX = "[0-9a-fA-F]"
OWNER_FILTER = rf"^(me|none|{_HEX}{{8}}-{_HEX}{{4}}-{_HEX}{{4}}-{_HEX}{{4}}-{_HEX}{{12}})$"
FLOW = (
    "open -> in_progress -> resolved; a resolved signal may be reopened (-> in_progress). "
    "Any other move is a 409."
)


class SignalCreate(ApiModel):
    """A new signal; it starts `open`. Residents' names are never stored."""

    reported_at: AwareDatetime = Field(description=REPORTED_AT)
    source: SignalSource
    category: SignalCategory
    severity: Severity
    location_id: uuid.UUID | None = Field(
        default=None,
        description="The location it is about, if any; a partner must name one of its own.",
    )
    summary: Summary = Field(description=NO_NAMES)
    owner_user_id: uuid.UUID | None = Field(default=None, description=OWNER)


class SignalUpdate(ApiModel):
    reported_at: AwareDatetime | None = Field(default=None, description=REPORTED_AT)
    source: SignalSource | None = None
    category: SignalCategory | None = None
    severity: Severity | None = None
    location_id: uuid.UUID | None = None
    summary: Summary | None = Field(default=None, description=NO_NAMES)
    status: SignalStatus | None = Field(default=None, description=FLOW)
    owner_user_id: uuid.UUID | None = Field(default=None, description=OWNER)


class SignalActionCreate(ApiModel):
    note: Note = Field(description="The follow-up, without residents' names.")
    status: SignalStatus | None = Field(
        default=None,
        description="Move the signal with this note, in one step. `resolved` on an open "
        "signal picks it up and resolves it at once (open -> in_progress -> resolved).",
    )


class SignalActionRead(ReadModel):
    """Who wrote it by kind and role; the author's id is kept for the audit log only."""

    id: uuid.UUID
    note: str
    author_type: str = Field(description="`user`, `client` or `system`.")
    author_role: str | None
    created_at: datetime


class SignalSummary(ResourceRead):
    """A signal as listed. Residents' names are never stored."""

    reported_at: datetime
    source: SignalSource
    category: SignalCategory
    severity: Severity
    location_id: uuid.UUID | None
    summary: str
    status: SignalStatus = Field(description=FLOW)
    resolved_at: datetime | None = Field(description="Set when the signal is resolved.")
    owner_user_id: uuid.UUID | None = Field(description=OWNER)
    owner_email: str | None = Field(description="The owner's e-mail address, to show who it is.")
    due_at: datetime | None = Field(
        description="When it should be resolved: `reportedAt` plus the days its severity "
        "allows (`OPVANG_SIGNAL_DUE_DAYS_HIGH/MEDIUM/LOW`, default 7/14/28); recomputed when "
        "the severity or `reportedAt` changes."
    )
    overdue: bool = Field(
        description="Not resolved and past `dueAt`. A signal without `dueAt` (none since "
        "issue 18) is overdue by the older rule: high severity, reported more than "
        "`OPVANG_SIGNAL_OVERDUE_DAYS` (default 7) days ago."
    )


class SignalRead(SignalSummary):
    actions: list[SignalActionRead] = Field(description="Follow-up actions, oldest first.")


class SignalOwnerRead(ReadModel):
    """A staff user who may own signals."""

    id: uuid.UUID
    email: str
    role: str = Field(description="`admin` or `coordinator`.")


class SignalQuery(PageParams):
    status: SignalStatus | None = None
    severity: Severity | None = None
    category: SignalCategory | None = None
    location_id: uuid.UUID | None = None
    overdue: bool | None = Field(default=None, description="Not resolved and past `dueAt`.")
    due_before: AwareDatetime | None = Field(
        default=None, description="Due (`dueAt`) before this moment (RFC 3339)."
    )
    owner: str | None = Field(
        default=None,
        pattern=OWNER_FILTER,
        description="`me`: the caller's own signals; `none`: without an owner; or a user's id.",
    )
    from_: AwareDatetime | None = Field(
        default=None, alias="from", description="Reported at or after (RFC 3339)."
    )
    to: AwareDatetime | None = Field(default=None, description="Reported at or before (RFC 3339).")
