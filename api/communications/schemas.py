"""The communication log on the wire: what was told to residents, when, how, to whom."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated

from pydantic import Field, StringConstraints

from api.common.pagination import PageParams
from api.common.schemas import ApiModel, ResourceRead
from api.common.text import NoBsn, Trimmed
from api.models import CommunicationAudience, CommunicationChannel

Summary = Annotated[str, StringConstraints(min_length=1, max_length=4000), Trimmed(), NoBsn()]
Link = Annotated[
    str,
    StringConstraints(min_length=1, max_length=500, pattern=r"^https?://[^\s/]+\S*$"),
]
SENT_ON = "The day it went out; never in the future."
WHERE = (
    "The location it is about, or the candidate location (`candidateId`); neither: a general "
    "communication. Not both."
)
LINK = "Where to read it: an http or https address."


class CommunicationCreate(ApiModel):
    sent_on: date = Field(description=SENT_ON)
    channel: CommunicationChannel
    audience: CommunicationAudience
    summary: Summary = Field(description="What was communicated, without residents' names.")
    link: Link | None = Field(default=None, description=LINK)
    location_id: uuid.UUID | None = Field(default=None, description=WHERE)
    candidate_id: uuid.UUID | None = Field(default=None, description=WHERE)


class CommunicationUpdate(ApiModel):
    sent_on: date | None = Field(default=None, description=SENT_ON)
    channel: CommunicationChannel | None = None
    audience: CommunicationAudience | None = None
    summary: Summary | None = None
    link: Link | None = Field(default=None, description=LINK)
    location_id: uuid.UUID | None = Field(default=None, description=WHERE)
    candidate_id: uuid.UUID | None = Field(default=None, description=WHERE)


class CommunicationRead(ResourceRead):
    sent_on: date
    channel: CommunicationChannel
    audience: CommunicationAudience
    summary: str
    link: str | None
    location_id: uuid.UUID | None
    candidate_id: uuid.UUID | None
    location_name: str | None = Field(default=None, description="The location's name, to show.")


class CommunicationQuery(PageParams):
    location_id: uuid.UUID | None = None
    candidate_id: uuid.UUID | None = None
    general: bool | None = Field(
        default=None, description="true: only those about no location or candidate."
    )
    channel: CommunicationChannel | None = None
    audience: CommunicationAudience | None = None
    from_: date | None = Field(default=None, alias="from", description="Sent on or after.")
    to: date | None = Field(default=None, description="Sent on or before.")
