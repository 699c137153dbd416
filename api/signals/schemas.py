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


class SignalUpdate(ApiModel):
    reported_at: AwareDatetime | None = Field(default=None, description=REPORTED_AT)
    source: SignalSource | None = None
    category: SignalCategory | None = None
    severity: Severity | None = None
    location_id: uuid.UUID | None = None
    summary: Summary | None = Field(default=None, description=NO_NAMES)
    status: SignalStatus | None = Field(default=None, description=FLOW)


class SignalActionCreate(ApiModel):
    note: Note = Field(description="The follow-up, without residents' names.")


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
    overdue: bool = Field(
        description="High severity, not resolved, reported more than the configured number "
        "of days (`OPVANG_SIGNAL_OVERDUE_DAYS`, default 7) ago."
    )


class SignalRead(SignalSummary):
    actions: list[SignalActionRead] = Field(description="Follow-up actions, oldest first.")


class SignalQuery(PageParams):
    status: SignalStatus | None = None
    severity: Severity | None = None
    category: SignalCategory | None = None
    location_id: uuid.UUID | None = None
    overdue: bool | None = None
    from_: AwareDatetime | None = Field(
        default=None, alias="from", description="Reported at or after (RFC 3339)."
    )
    to: AwareDatetime | None = Field(default=None, description="Reported at or before (RFC 3339).")
