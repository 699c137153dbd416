"""Decisions and their conditions on the wire. Free text (summary, description, evidence)
is screened for BSN-like numbers: these texts are read by partners and council members."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated
from urllib.parse import urlsplit

from pydantic import AfterValidator, Field, StringConstraints
from pydantic_core import PydanticCustomError

from api.common.pagination import PageParams
from api.common.schemas import ApiModel, ResourceRead
from api.common.text import NoBsn, Printable, Trimmed
from api.models import ConditionStatus, DecisionBody

Reference = Annotated[
    str, StringConstraints(min_length=1, max_length=200), Trimmed(), Printable(), NoBsn()
]
Summary = Annotated[str, StringConstraints(min_length=1, max_length=4000), Trimmed(), NoBsn()]
Evidence = Annotated[str, StringConstraints(min_length=1, max_length=4000), Trimmed(), NoBsn()]


def _http_url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc or " " in value:
        raise PydanticCustomError("url_scheme", "Must be an http or https address.")
    return value


DocumentUrl = Annotated[
    str, StringConstraints(min_length=1, max_length=500), Trimmed(), AfterValidator(_http_url)
]
SUBJECT = "At least one of `locationId` and `candidateId`."
FLOW = (
    "open -> met | not_met (with `evidence`; `evaluatedOn` given or today, never in the "
    "future) | withdrawn (the reason in `evidence`). Only an admin reopens a closed "
    "condition (-> open, which clears `evaluatedOn` and `evidence`); any other move is a 409."
)
OWNER = "A staff user (admin or coordinator) who evaluates it; see GET /signal-owners."


class DecisionCreate(ApiModel):
    decided_on: date
    body: DecisionBody = Field(description="council, college (B&W) or mayor.")
    reference: Reference = Field(description="The decision's number or title, e.g. 2023/123.")
    summary: Summary
    document_url: DocumentUrl | None = Field(default=None, description="http or https only.")
    location_id: uuid.UUID | None = Field(default=None, description=SUBJECT)
    candidate_id: uuid.UUID | None = Field(default=None, description=SUBJECT)


class DecisionUpdate(ApiModel):
    decided_on: date | None = None
    body: DecisionBody | None = None
    reference: Reference | None = None
    summary: Summary | None = None
    document_url: DocumentUrl | None = None
    location_id: uuid.UUID | None = Field(default=None, description=SUBJECT)
    candidate_id: uuid.UUID | None = Field(default=None, description=SUBJECT)


class DecisionRead(ResourceRead):
    decided_on: date
    body: DecisionBody
    reference: str
    summary: str
    document_url: str | None
    location_id: uuid.UUID | None
    location_name: str | None
    candidate_id: uuid.UUID | None


class DecisionQuery(PageParams):
    location_id: uuid.UUID | None = None
    candidate_id: uuid.UUID | None = None


class ConditionCreate(ApiModel):
    description: Summary
    evaluate_on: date = Field(description="When it is to be evaluated.")
    owner_user_id: uuid.UUID | None = Field(default=None, description=OWNER)


class ConditionUpdate(ApiModel):
    description: Summary | None = None
    evaluate_on: date | None = None
    owner_user_id: uuid.UUID | None = Field(default=None, description=OWNER)
    status: ConditionStatus | None = Field(default=None, description=FLOW)
    evaluated_on: date | None = Field(
        default=None, description="With met, not_met or withdrawn; default today."
    )
    evidence: Evidence | None = Field(
        default=None, description="What the evaluation rests on, or why it was withdrawn."
    )


class ConditionRead(ResourceRead):
    decision_id: uuid.UUID
    decision_reference: str
    decision_body: DecisionBody
    location_id: uuid.UUID | None
    location_name: str | None
    description: str
    evaluate_on: date
    owner_user_id: uuid.UUID | None
    owner_email: str | None
    status: ConditionStatus
    evaluated_on: date | None
    evidence: str | None
    overdue: bool = Field(description="Open and past its evaluation date.")


class ConditionQuery(PageParams):
    due_within_days: int | None = Field(
        default=None,
        ge=0,
        le=3660,
        description="Only those to evaluate within this many days from today, or overdue.",
    )
    status: ConditionStatus | None = None
    location_id: uuid.UUID | None = None


class DecisionConditionQuery(PageParams):
    """The conditions of one decision."""
