"""Partner event schemas.

The batch is parsed loosely (each event an object) so that one bad event is answered on
its own, with problems named ``events[3].locationCode``, instead of failing the whole
batch; each event is then validated against the model of its ``type`` here.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import Field, StringConstraints, TypeAdapter, WithJsonSchema

from api.common.schemas import ApiModel, ReadModel
from api.common.text import Trimmed
from api.errors import FieldProblem
from api.models import DutchLevel, EmploymentStatus, EndReason, Group
from api.participants.schemas import (
    BirthDate,
    HouseholdRef,
    Language,
    Nationality,
    PersonName,
    VNumber,
)

MAX_EVENTS = 1000

EventId = Annotated[str, StringConstraints(min_length=1, max_length=100), Trimmed()]
ExternalRefText = Annotated[
    str,
    StringConstraints(min_length=1, max_length=64),
    Trimmed(),
    Field(description="The partner's own identifier of the person (for the COA: the V-number)."),
]
LocationCode = Annotated[
    str,
    StringConstraints(min_length=1, max_length=64),
    Trimmed(),
    Field(description="The location's `externalCode` among the locations the partner operates."),
]


class PersonRef(ApiModel):
    external_ref: ExternalRefText


class IntakePerson(ApiModel):
    """Who comes in. A reference new to the partner creates the participant; a known one
    applies the details given to the participant it names."""

    external_ref: ExternalRefText
    given_name: PersonName
    family_name: PersonName
    group: Group
    date_of_birth: BirthDate | None = None
    nationality: Nationality | None = None
    v_number: VNumber | None = None
    guardian_partner_id: uuid.UUID | None = Field(
        default=None, description="Required for an unaccompanied minor (normally Nidos)."
    )
    household_ref: HouseholdRef | None = None
    languages: list[Language] | None = Field(default=None, max_length=20)
    dutch_level: DutchLevel | None = None
    employment_status: EmploymentStatus | None = None


class UpdatePerson(ApiModel):
    """Only the fields sent change; ``null`` clears an optional one."""

    external_ref: ExternalRefText
    given_name: PersonName | None = None
    family_name: PersonName | None = None
    group: Group | None = None
    date_of_birth: BirthDate | None = None
    nationality: Nationality | None = None
    v_number: VNumber | None = None
    guardian_partner_id: uuid.UUID | None = None
    household_ref: HouseholdRef | None = None
    languages: list[Language] | None = Field(default=None, max_length=20)
    dutch_level: DutchLevel | None = None
    employment_status: EmploymentStatus | None = None


class _Event(ApiModel):
    event_id: EventId
    occurred_on: date = Field(description="The day it happened (a stay's first or last day).")


class IntakeEvent(_Event):
    type: Literal["intake"]
    participant: IntakePerson
    location_id: uuid.UUID | None = Field(default=None, description="Or `locationCode`.")
    location_code: LocationCode | None = None


class TransferEvent(_Event):
    type: Literal["transfer"]
    participant: PersonRef
    location_id: uuid.UUID | None = Field(default=None, description="Or `locationCode`.")
    location_code: LocationCode | None = None


class DepartureEvent(_Event):
    type: Literal["departure"]
    participant: PersonRef
    end_reason: EndReason


class UpdateEvent(_Event):
    type: Literal["update"]
    participant: UpdatePerson


PartnerEvent = Annotated[
    IntakeEvent | TransferEvent | DepartureEvent | UpdateEvent, Field(discriminator="type")
]
ParsedEvent = IntakeEvent | TransferEvent | DepartureEvent | UpdateEvent
EVENT_MODELS: dict[str, TypeAdapter[Any]] = {
    "intake": TypeAdapter(IntakeEvent),
    "transfer": TypeAdapter(TransferEvent),
    "departure": TypeAdapter(DepartureEvent),
    "update": TypeAdapter(UpdateEvent),
}


BATCH: TypeAdapter[list[ParsedEvent]] = TypeAdapter(list[PartnerEvent])


def _inline(schema: dict[str, Any]) -> dict[str, Any]:
    """The event's JSON schema with its ``$defs`` inlined (the batch takes each event as
    a plain object, so the document describes it here)."""
    defs = schema.pop("$defs", {})

    def resolve(node: Any) -> Any:
        if isinstance(node, list):
            return [resolve(n) for n in node]
        if not isinstance(node, dict):
            return node
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/$defs/"):
            return resolve(defs[ref.removeprefix("#/$defs/")])
        return {k: resolve(v) for k, v in node.items() if k != "discriminator"}

    resolved: dict[str, Any] = resolve(schema)
    return resolved


_EVENT_SCHEMA = _inline(TypeAdapter(PartnerEvent).json_schema(by_alias=True))
# Any value: an event that is not even an object is answered on its own, too.
RawEvent = Annotated[Any, WithJsonSchema(_EVENT_SCHEMA)]


class PartnerEventBatch(ApiModel):
    events: list[RawEvent] = Field(
        min_length=1,
        max_length=MAX_EVENTS,
        description=f"Applied in the order given; at most {MAX_EVENTS} per batch.",
    )


EventStatus = Literal["applied", "duplicate", "rejected", "not_applied"]


class PartnerEventResult(ReadModel):
    event_id: str | None = Field(description="As sent (null when the event had none).")
    status: EventStatus
    problems: list[FieldProblem]


class PartnerEventResults(ReadModel):
    results: list[PartnerEventResult] = Field(description="One per event, in the batch's order.")
