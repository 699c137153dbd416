"""What each kind of import takes: the row schema (the API's Create schema, so a row is
validated exactly as a POST body is), the accepted headers (the API's field names and
their Dutch names), and how cells are converted before validation.

Placements and enrollments also name a participant by ``participantReference`` and
placements a location by ``locationName`` (the natural keys a spreadsheet has), instead
of the ids; exactly one of the two per column pair.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import Annotated, Any, NotRequired

from pydantic import ConfigDict, Field, StringConstraints, TypeAdapter
from pydantic.alias_generators import to_camel
from pydantic.fields import FieldInfo
from typing_extensions import TypedDict

from api.activities.schemas import ActivityCreate
from api.enrollments.schemas import EnrollmentCreate
from api.expenses.schemas import ExpenseCreate, SchemeCode
from api.locations.schemas import LocationCreate
from api.models import Role
from api.participants.schemas import ParticipantCreate, Reference
from api.placements.schemas import PlacementCreate
from api.reimbursements.schemes.schemas import RateCreate

LocationName = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)
]


class PlacementRow(PlacementCreate):
    """``PlacementCreate`` with the natural keys beside the ids; that a row gives
    exactly one of each pair is checked by the importer (``one_of``), once per row
    without a Python validator call."""

    participant_id: uuid.UUID | None = None  # type: ignore[assignment]
    participant_reference: Reference | None = None
    location_id: uuid.UUID | None = None  # type: ignore[assignment]
    location_name: LocationName | None = None


class EnrollmentRow(EnrollmentCreate):
    participant_id: uuid.UUID | None = None  # type: ignore[assignment]
    participant_reference: Reference | None = None


class RateRow(RateCreate):
    scheme_code: SchemeCode = Field(description="The scheme the rate belongs to.")


def _wire(name: str, info: FieldInfo) -> str:
    """A field's name on the wire: its alias (ApiModel generates one with ``to_camel``)."""
    return info.alias or to_camel(name)


def normalise_header(text: str) -> str:
    return re.sub(r"[\s_\-.()/]+", "", text.strip().lstrip("\ufeff").lower())


@dataclass
class Kind:
    name: str
    schema: type[Any]
    roles: frozenset[Role]
    dutch: dict[str, str]
    dates: frozenset[str] = frozenset()
    decimals: frozenset[str] = frozenset()
    integers: frozenset[str] = frozenset()
    lists: frozenset[str] = frozenset()
    one_of: tuple[tuple[str, str], ...] = ()
    skip: frozenset[str] = frozenset()  # schema fields an import does not take
    headers: dict[str, str] = field(default_factory=dict)
    adapter: TypeAdapter[Any] | None = None
    fast: TypeAdapter[Any] | None = None
    defaults: dict[str, Any] = field(default_factory=dict)
    _field_adapters: dict[str, TypeAdapter[Any]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for name, info in self.schema.model_fields.items():
            alias = _wire(name, info)
            if alias in self.skip:
                continue
            self.headers[normalise_header(alias)] = alias
            self.headers[normalise_header(name)] = alias
        for dutch, alias in self.dutch.items():
            self.headers[normalise_header(dutch)] = alias
        self.adapter = TypeAdapter(list[self.schema])  # type: ignore[name-defined]
        self.fast = _fast_adapter(self.schema)
        self.defaults = {
            _wire(name, info): info.get_default(call_default_factory=True)
            for name, info in self.schema.model_fields.items()
            if not info.is_required()
        }

    def field_adapter(self, alias: str) -> TypeAdapter[Any]:
        """A list of one field's values, validated as ``fast`` validates the field (the
        column-wise path: ``api.imports.columns``); made once per field."""
        adapter = self._field_adapters.get(alias)
        if adapter is None:
            kind = next(k for _, a, k in _field_types(self.schema) if a == alias)
            adapter = self._field_adapters[alias] = TypeAdapter(list[kind])  # type: ignore[valid-type]
        return adapter

    @property
    def required(self) -> list[str]:
        paired = {name for pair in self.one_of for name in pair}
        return [
            _wire(name, info)
            for name, info in self.schema.model_fields.items()
            if info.is_required() and _wire(name, info) not in paired
        ]


def _field_types(schema: type[Any]) -> list[tuple[str, str, Any]]:
    """(name, wire name, type with its constraints) per field of the schema."""
    found = []
    for name, info in schema.model_fields.items():
        kind: Any = info.annotation
        if info.metadata:
            kind = Annotated[(kind, *info.metadata)]
        found.append((name, _wire(name, info), kind))
    return found


def _fast_adapter(schema: type[Any]) -> TypeAdapter[Any] | None:
    """The schema's fields as a ``TypedDict``, validated wholly in pydantic's core: rows
    come out as dicts (keyed by the wire names, defaults not filled in: see
    ``Kind.defaults``), with no model object and no Python call per row. It leaves out
    the schema's wire checks (``ApiModel._wire_checks``: ISO dates, no NUL character),
    so the importer uses it only for rows where those cannot fail (dates converted, no
    NUL), and only for a schema with no other validator of its own (else: ``None``)."""
    decorators = schema.__pydantic_decorators__
    if set(decorators.model_validators) != {"_wire_checks"} or any(
        (
            decorators.field_validators,
            decorators.validators,
            decorators.root_validators,
            decorators.field_serializers,
            decorators.model_serializers,
            decorators.computed_fields,
        )
    ):
        return None
    fields: dict[str, Any] = {
        alias: kind if schema.model_fields[name].is_required() else NotRequired[kind]
        for name, alias, kind in _field_types(schema)
    }
    make: Any = TypedDict  # a TypedDict made at run time (mypy wants a literal name)
    row = make(f"{schema.__name__}Row", fields)
    row.__pydantic_config__ = ConfigDict(extra="forbid")
    return TypeAdapter(list[row])  # type: ignore[valid-type]


STAFF = frozenset({Role.admin, Role.coordinator})
FINANCE = frozenset({Role.admin, Role.finance})

KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in (
        Kind(
            "participants",
            ParticipantCreate,
            STAFF,
            {
                "referentie": "reference",
                "kenmerk": "reference",
                "burgerservicenummer": "bsn",
                "v-nummer": "vNumber",
                "vreemdelingennummer": "vNumber",
                "voornaam": "givenName",
                "voornamen": "givenName",
                "achternaam": "familyName",
                "geslachtsnaam": "familyName",
                "geboortedatum": "dateOfBirth",
                "nationaliteit": "nationality",
                "groep": "group",
                "doelgroep": "group",
                "voogd": "guardianPartnerId",
                "huishouden": "householdRef",
                "talen": "languages",
                "taalniveau": "dutchLevel",
                "arbeidsstatus": "employmentStatus",
                "werkstatus": "employmentStatus",
                "peildatum": "progressOn",
            },
            dates=frozenset({"dateOfBirth", "progressOn"}),
            lists=frozenset({"languages"}),
        ),
        Kind(
            "locations",
            LocationCreate,
            STAFF,
            {
                "naam": "name",
                "opvanglocatie": "name",
                "adres": "address",
                "soort": "kind",
                "exploitant": "operatorPartnerId",
                "beheerder": "operatorPartnerId",
                "externe code": "externalCode",
                "code": "externalCode",
                "geopend op": "openedOn",
                "openingsdatum": "openedOn",
                "gesloten op": "closedOn",
                "sluitingsdatum": "closedOn",
                "capaciteit": "capacity",
                "plekken": "capacity",
            },
            dates=frozenset({"openedOn", "closedOn"}),
            integers=frozenset({"capacity"}),
        ),
        Kind(
            "placements",
            PlacementRow,
            STAFF,
            {
                "deelnemer": "participantReference",
                "referentie": "participantReference",
                "deelnemer id": "participantId",
                "locatie": "locationName",
                "opvanglocatie": "locationName",
                "locatienaam": "locationName",
                "locatie id": "locationId",
                "begindatum": "startDate",
                "startdatum": "startDate",
                "aankomst": "startDate",
                "einddatum": "endDate",
                "vertrekdatum": "endDate",
                "vertrek": "endDate",
                "vertrekreden": "endReason",
                "reden vertrek": "endReason",
            },
            dates=frozenset({"startDate", "endDate"}),
            one_of=(("participantId", "participantReference"), ("locationId", "locationName")),
            skip=frozenset({"capacityOverride"}),
        ),
        Kind(
            "activities",
            ActivityCreate,
            STAFF,
            {
                "titel": "title",
                "activiteit": "title",
                "soort": "kind",
                "aanbieder": "providerPartnerId",
                "locatie": "locationId",
                "startdatum": "startsOn",
                "begindatum": "startsOn",
                "einddatum": "endsOn",
                "rooster": "schedule",
                "capaciteit": "capacity",
                "doelgroepen": "targetGroups",
            },
            dates=frozenset({"startsOn", "endsOn"}),
            integers=frozenset({"capacity"}),
            lists=frozenset({"targetGroups"}),
        ),
        Kind(
            "enrollments",
            EnrollmentRow,
            STAFF,
            {
                "activiteit": "activityId",
                "deelnemer": "participantReference",
                "referentie": "participantReference",
                "deelnemer id": "participantId",
                "inschrijfdatum": "enrolledOn",
                "ingeschreven op": "enrolledOn",
                "status": "status",
            },
            dates=frozenset({"enrolledOn"}),
            one_of=(("participantId", "participantReference"),),
        ),
        Kind(
            "expenses",
            ExpenseCreate,
            FINANCE,
            {
                "datum": "date",
                "categorie": "category",
                "bedrag": "amount",
                "omschrijving": "description",
                "locatie": "locationId",
                "activiteit": "activityId",
                "partner": "partnerId",
                "regeling": "schemeCode",
            },
            dates=frozenset({"date"}),
            decimals=frozenset({"amount"}),
        ),
        Kind(
            "rates",
            RateRow,
            FINANCE,
            {
                "regeling": "schemeCode",
                "geldig vanaf": "validFrom",
                "geldig tot": "validTo",
                "geldig t/m": "validTo",
                "bedrag": "amount",
                "normbedrag": "amount",
                "bron": "source",
            },
            dates=frozenset({"validFrom", "validTo"}),
            decimals=frozenset({"amount"}),
        ),
    )
}

# --- cell conversion: Dutch habits to the API's forms ------------------------------------

_DUTCH_DATE = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DUTCH_NUMBER = re.compile(r"-?\d{1,3}(\.\d{3})+(,\d+)?|-?\d+,\d+")
_LIST_SPLIT = re.compile(r"[\s,;|]+")


# Cached: a file repeats its dates and lists (bounded caches, so memory stays flat).
@lru_cache(maxsize=8192)
def to_date(text: str) -> date | str:
    """``31-12-2025`` (also ``31/12/2025``, ``31.12.2025``) and ``2025-12-31`` as the
    date; anything else is left as text for the schema to judge (and name)."""
    match = _DUTCH_DATE.fullmatch(text)
    try:
        if match is not None:
            day, month, year = match.groups()
            return date(int(year), int(month), int(day))
        if _ISO_DATE.fullmatch(text):
            return date.fromisoformat(text)
    except ValueError:
        pass
    return text


@lru_cache(maxsize=8192)
def to_decimal(text: str, decimal_comma: bool) -> str:
    """``1.234,56`` as ``1234.56`` where the decimal mark is a comma (semicolon CSV,
    text cells of a workbook); ``1234.56`` stays."""
    compact = text.replace(" ", "").replace("\u20ac", "")
    if decimal_comma and _DUTCH_NUMBER.fullmatch(compact):
        return compact.replace(".", "").replace(",", ".")
    return compact


def to_integer(text: str) -> int | str:
    """A whole number as a number (``12``, ``12.0``): the schema takes a JSON number for
    an integer, not text; anything else stays text and fails as not an integer."""
    try:
        number = Decimal(text)
    except ArithmeticError:
        return text
    return int(number) if number.is_finite() and number == number.to_integral_value() else text


@lru_cache(maxsize=1024)
def to_list(text: str) -> tuple[str, ...]:
    """``uk,ru`` (or ``uk;ru``, ``uk ru``) as the items; a tuple, validated as a list."""
    return tuple(part for part in _LIST_SPLIT.split(text) if part)


def converter(kind: Kind, alias: str, decimal_comma: bool) -> Callable[[str], Any] | None:
    """How a cell's text becomes the value validated (``None``: as it is)."""
    if alias in kind.dates:
        return to_date
    if alias in kind.integers:
        return lambda text: to_integer(to_decimal(text, decimal_comma))
    if alias in kind.decimals:
        return lambda text: to_decimal(text, decimal_comma)
    if alias in kind.lists:
        return to_list
    return None
