"""Participant schemas: one input shape, and one read shape per audience.

Staff (admin, coordinator) read ``ParticipantRead``, which carries ``bsn``; a partner
reads ``ParticipantPartnerRead``, which has no ``bsn`` member at all (absent, not null).
Both are declared in the OpenAPI document as ``anyOf``; ``bsn`` is required in the staff
shape, so an answer with it matches that one and an answer without it the other.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated, Literal

from pydantic import AfterValidator, BeforeValidator, Field, StringConstraints, model_validator
from pydantic.alias_generators import to_camel
from pydantic_core import PydanticCustomError

from api.common.calendar import today
from api.common.pagination import Page, PageParams
from api.common.schemas import ApiModel, ReadModel, ResourceRead
from api.common.text import Printable, Trimmed
from api.models import DutchLevel, EmploymentStatus, Group, ProgressField
from api.participants.bsn import check_bsn


def _not_in_future(value: date) -> date:
    if value > today():
        raise PydanticCustomError("date_in_future", "A date of birth cannot lie in the future.")
    return value


Reference = Annotated[str, StringConstraints(min_length=1, max_length=64), Trimmed()]
Bsn = Annotated[
    str,
    StringConstraints(pattern=r"^[0-9]{9}$"),
    Field(description="Citizen service number: 9 digits passing the 11-test (elfproef)."),
    AfterValidator(check_bsn),
]
VNumber = Annotated[
    str,
    StringConstraints(pattern=r"^[A-Za-z0-9]{1,20}$"),
    Field(description="Alien registration number (V-nummer): 1 to 20 letters or digits."),
]
PersonName = Annotated[str, StringConstraints(min_length=1, max_length=100), Trimmed(), Printable()]
BirthDate = Annotated[date, AfterValidator(_not_in_future)]
Nationality = Annotated[
    str,
    StringConstraints(pattern=r"^[A-Z]{3}$"),
    Field(description="ISO 3166-1 alpha-3 code, e.g. `UKR`."),
]
Language = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z]{2,3}$"),
    Field(description="ISO 639-1 or 639-2/3 code, e.g. `uk`, `ara`."),
]
HouseholdRef = Annotated[str, StringConstraints(min_length=1, max_length=64), Trimmed()]
ProgressOn = Annotated[
    date | None,
    Field(
        description="When a change of `dutchLevel` or `employmentStatus` took effect "
        "(default: today); it dates the progress history, not the record.",
    ),
    AfterValidator(lambda v: _not_in_future(v) if v is not None else v),
]


class ParticipantCreate(ApiModel):
    reference: Reference
    bsn: Bsn | None = None
    v_number: VNumber | None = None
    given_name: PersonName | None = None
    family_name: PersonName | None = None
    date_of_birth: BirthDate | None = None
    nationality: Nationality | None = None
    group: Group
    guardian_partner_id: uuid.UUID | None = None
    household_ref: HouseholdRef | None = None
    languages: list[Language] = Field(default_factory=list, max_length=20)
    dutch_level: DutchLevel = DutchLevel.none
    employment_status: EmploymentStatus = EmploymentStatus.not_working
    progress_on: ProgressOn = None


class ParticipantUpdate(ApiModel):
    """Every field optional; ``null`` clears an optional field."""

    reference: Reference | None = None
    bsn: Bsn | None = None
    v_number: VNumber | None = None
    given_name: PersonName | None = None
    family_name: PersonName | None = None
    date_of_birth: BirthDate | None = None
    nationality: Nationality | None = None
    group: Group | None = None
    guardian_partner_id: uuid.UUID | None = None
    household_ref: HouseholdRef | None = None
    languages: list[Language] | None = Field(default=None, max_length=20)
    dutch_level: DutchLevel | None = None
    employment_status: EmploymentStatus | None = None
    progress_on: ProgressOn = None


def _field_name(value: object) -> object:
    # Stored as the column name; answered as the resource's own (camelCase) field name.
    return to_camel(value.value) if isinstance(value, ProgressField) else value


class ProgressRead(ReadModel):
    field: Annotated[Literal["dutchLevel", "employmentStatus"], BeforeValidator(_field_name)] = (
        Field(description="The participant field that changed.")
    )
    value: str
    valid_from: date


class ParticipantPartnerRead(ResourceRead):
    """What a partner sees: everything but the BSN."""

    reference: str
    v_number: str | None
    given_name: str | None
    family_name: str | None
    date_of_birth: date | None
    nationality: str | None
    group: Group
    guardian_partner_id: uuid.UUID | None
    household_ref: str | None
    languages: list[str]
    dutch_level: DutchLevel
    employment_status: EmploymentStatus


class ParticipantRead(ParticipantPartnerRead):
    """What staff (admin, coordinator) see."""

    bsn: str | None


class ParticipantPartnerDetail(ParticipantPartnerRead):
    progress: list[ProgressRead] = Field(description="Dated history, oldest first.")


class ParticipantDetail(ParticipantRead):
    progress: list[ProgressRead] = Field(description="Dated history, oldest first.")


AnyParticipantRead = ParticipantRead | ParticipantPartnerRead
AnyParticipantDetail = ParticipantDetail | ParticipantPartnerDetail


class ParticipantPage(Page[AnyParticipantRead]):
    """A page of participants, each in the caller's read shape."""


class ParticipantQuery(PageParams):
    q: str | None = Field(
        default=None,
        min_length=1,
        max_length=100,
        description="Case-insensitive substring of reference, given or family name.",
    )
    group: Group | None = None
    location_id: uuid.UUID | None = Field(
        default=None, description="Placed at this location today."
    )
    active: bool | None = Field(
        default=None, description="`true`: has a placement covering today; `false`: has none."
    )


class ParticipantSearch(ApiModel):
    """Exactly one of ``bsn`` or ``vNumber``: kept out of URLs (and so out of logs)."""

    bsn: Bsn | None = None
    v_number: VNumber | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> ParticipantSearch:
        if (self.bsn is None) == (self.v_number is None):
            raise PydanticCustomError("one_of", "Send exactly one of 'bsn' or 'vNumber'.")
        return self
