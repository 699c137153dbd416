from __future__ import annotations

import re
import uuid
from datetime import date
from typing import Annotated

from pydantic import AfterValidator, Field, StringConstraints
from pydantic_core import PydanticCustomError

from api.common.pagination import PageParams
from api.common.schemas import ApiModel, Name, ReadModel, ResourceRead
from api.common.text import NoBsn, Printable, Trimmed
from api.models import LocationKind

_POSTCODE = re.compile(r"([1-9][0-9]{3}) ?([A-Z]{2})")


def normalise_postcode(value: str) -> str:
    """Dutch postcode ``1234 AB``: four digits not starting with 0, two letters other than
    SA, SD and SS (never issued); ``1234ab`` is accepted and normalised."""
    match = _POSTCODE.fullmatch(value.strip().upper())
    if match is None:
        raise PydanticCustomError("postcode_format", "A Dutch postcode looks like '1234 AB'.")
    digits, letters = match.groups()
    if letters in {"SA", "SD", "SS"}:
        raise PydanticCustomError(
            "postcode_format",
            "The letters '{letters}' are not used in Dutch postcodes.",
            {"letters": letters},
        )
    return f"{digits} {letters}"


Postcode = Annotated[str, StringConstraints(max_length=10), AfterValidator(normalise_postcode)]
Address = Annotated[str, StringConstraints(min_length=1, max_length=300), Trimmed(), Printable()]
ExternalCode = Annotated[str, StringConstraints(min_length=1, max_length=64), Trimmed()]
Places = Annotated[int, Field(ge=0, le=100_000)]
# Public information for residents on /publiek (issue 18): a contact line (a role, a
# phone number, an address of the municipality; no personal name needed) and what
# residents can expect, in plain words. Both are screened for BSN-like numbers.
PublicContact = Annotated[
    str, StringConstraints(min_length=1, max_length=300), Trimmed(), Printable(), NoBsn()
]
PublicNote = Annotated[str, StringConstraints(min_length=1, max_length=2000), Trimmed(), NoBsn()]
PUBLIC = "Shown on the public page /publiek (with the contact and note) when true."
PUBLIC_CONTACT = (
    "A contact line for residents, e.g. 'Wijkcoördinator, 14 023, buurt@heemstede.nl'. "
    "Public: a role and the municipality's numbers, not a person's own details."
)
PUBLIC_NOTE = "What residents can expect of the location, in plain words. Public."


AVAILABLE_UNTIL = (
    "The last day the municipality plans to make the places available (as stated in the "
    "Spreidingswet application, Regeling Stcrt. 2024, 3349 art. 3 lid 5); `null`: not "
    "stated. Places added on day d are durable (duurzame opvangplaatsen, Besluit "
    "gemeentelijke taak mogelijk maken asielopvangvoorzieningen art. 1.1: available at "
    "least five years) when this is at least five years after d."
)


class LocationCreate(ApiModel):
    name: Name
    address: Address
    postcode: Postcode
    kind: LocationKind
    operator_partner_id: uuid.UUID
    external_code: ExternalCode | None = Field(
        default=None, description="The operator's own code; unique per operator."
    )
    opened_on: date
    closed_on: date | None = Field(
        default=None,
        description="The last open day (inclusive). Its night is not available: every stay "
        "ends on or before it.",
    )
    capacity: Places | None = Field(
        default=None,
        description="Places from `openedOn` on; recorded as the first capacity change. "
        "Optional: a location decided before its places are known has 0 places until its "
        "first capacity change.",
    )
    available_until: date | None = Field(default=None, description=AVAILABLE_UNTIL)
    public: bool = Field(default=False, description=PUBLIC)
    public_contact: PublicContact | None = Field(default=None, description=PUBLIC_CONTACT)
    public_note: PublicNote | None = Field(default=None, description=PUBLIC_NOTE)


class LocationUpdate(ApiModel):
    name: Name | None = None
    address: Address | None = None
    postcode: Postcode | None = None
    kind: LocationKind | None = None
    operator_partner_id: uuid.UUID | None = None
    external_code: ExternalCode | None = None
    opened_on: date | None = None
    closed_on: date | None = None
    available_until: date | None = Field(default=None, description=AVAILABLE_UNTIL)
    public: bool | None = Field(default=None, description=PUBLIC)
    public_contact: PublicContact | None = Field(default=None, description=PUBLIC_CONTACT)
    public_note: PublicNote | None = Field(default=None, description=PUBLIC_NOTE)


class LocationRead(ResourceRead):
    name: str
    address: str
    postcode: str
    kind: LocationKind
    operator_partner_id: uuid.UUID
    external_code: str | None
    opened_on: date
    closed_on: date | None
    available_until: date | None = Field(description=AVAILABLE_UNTIL)
    public: bool = Field(description=PUBLIC)
    public_contact: str | None = Field(description=PUBLIC_CONTACT)
    public_note: str | None = Field(description=PUBLIC_NOTE)
    capacity: int = Field(description="Places today (0 when not open today).")
    occupied: int = Field(description="People placed for tonight.")
    free: int = Field(description="Places left tonight (never below 0).")


class LocationQuery(PageParams):
    kind: LocationKind | None = None
    operator_partner_id: uuid.UUID | None = None
    q: str | None = Field(default=None, min_length=1, max_length=100)


class CapacityChangeCreate(ApiModel):
    valid_from: date
    capacity: Places
    decision_id: uuid.UUID | None = Field(
        default=None, description="The decision about this location that allows it (issue 18)."
    )


class CapacityChangeRead(ReadModel):
    id: uuid.UUID
    location_id: uuid.UUID
    valid_from: date
    capacity: int
    decision_id: uuid.UUID | None = None


class CapacityChangeList(ApiModel):
    items: list[CapacityChangeRead]
