"""Base schemas: camelCase on the wire, unknown fields refused."""

from __future__ import annotations

import re
import types
import uuid
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from typing import Annotated, Any, ClassVar, Literal, Union, get_args, get_origin

from pydantic import (
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    NaiveDatetime,
    StringConstraints,
    model_validator,
)
from pydantic.alias_generators import to_camel
from pydantic_core import PydanticCustomError

from api.common.text import Printable, Trimmed

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_ISO_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}")  # then pydantic checks the rest
Temporal = Literal["date", "date-time"]
Kind = Literal["date", "date-time", "number", "boolean"]


def require_iso(kind: Temporal, value: Any) -> Any:
    """Dates are ``YYYY-MM-DD`` and timestamps RFC 3339, as the contract says. Pydantic
    would also take a number (``0``, ``"0.5"``) as seconds since 1970: refused here."""
    if isinstance(value, bool | int | float | Decimal):
        raise PydanticCustomError(f"{kind.replace('-', '')}_format", _iso_message(kind))
    if isinstance(value, str | bytes):
        text = value.decode("utf-8", "replace") if isinstance(value, bytes) else value
        pattern = _ISO_DATE if kind == "date" else _ISO_DATETIME
        if not (pattern.match(text) and (kind == "date-time" or len(text) == 10)):
            raise PydanticCustomError(f"{kind.replace('-', '')}_format", _iso_message(kind))
    return value


def _iso_message(kind: Temporal) -> str:
    if kind == "date":
        return "Must be a date as YYYY-MM-DD."
    return "Must be an RFC 3339 timestamp, e.g. 2026-01-31T12:00:00Z."


IsoDate = Annotated[date, BeforeValidator(lambda value: require_iso("date", value))]
"""A date (path parameter) that only takes ``YYYY-MM-DD``."""


def _checked_kind(annotation: Any) -> Kind | None:
    """``date``, ``date-time``, ``number`` or ``boolean`` when a field holds one (or None):
    else None."""
    if isinstance(annotation, type):
        if issubclass(annotation, datetime) or annotation in (AwareDatetime, NaiveDatetime):
            return "date-time"
        if issubclass(annotation, bool):
            return "boolean"
        if issubclass(annotation, int | float):
            return "number"
        return "date" if issubclass(annotation, date) else None
    if get_origin(annotation) in (Union, types.UnionType, Annotated):
        args = get_args(annotation)
        if get_origin(annotation) is Annotated:
            args = args[:1]
        kinds = {_checked_kind(arg) for arg in args}
        kinds.discard(None)
        return kinds.pop() if len(kinds) == 1 else None
    return None


class _Refused:
    """Put in place of a refused value (a date that is not ISO 8601, a boolean for a number,
    text with a NUL character), so the field fails with its own error."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "a refused value"


_REFUSED = _Refused()


def _acceptable(kind: Kind, value: Any, as_text: bool) -> bool:
    """Pydantic (lax) would take true and false as 1 and 0, ``"5"`` as 5 and ``1`` or
    ``"yes"`` as true: in a JSON body only a JSON number is a number and only a JSON
    boolean a boolean, as the schema says. Query parameters are text by nature."""
    if kind == "number":
        return not isinstance(value, bool) and (as_text or not isinstance(value, str))
    if kind == "boolean":
        return as_text or isinstance(value, bool)
    try:
        require_iso(kind, value)
    except ValueError:
        return False
    return True


@cache
def _checked_fields(model: type[BaseModel]) -> dict[str, Kind]:
    """The wire names of a model's date, timestamp and number fields."""
    found: dict[str, Kind] = {}
    for name, field in model.model_fields.items():
        kind = _checked_kind(field.annotation)
        if kind is not None:
            found[field.alias or name] = kind
    return found


class WireModel(BaseModel):
    model_config = ConfigDict(
        alias_generator=to_camel,
        # Only the camelCase names of the contract are accepted on the wire.
        validate_by_name=False,
        validate_by_alias=True,
        serialize_by_alias=True,
        extra="forbid",
        from_attributes=True,
    )


class ApiModel(WireModel):
    """Requests (bodies, query parameters) and answers built by hand."""

    # Query parameters arrive as text: there "5" is a number and "true" a boolean.
    values_as_text: ClassVar[bool] = False

    @model_validator(mode="before")
    @classmethod
    def _wire_checks(cls, data: Any) -> Any:
        """Dates only as ISO 8601, no boolean for a number, and no NUL character in text
        (PostgreSQL cannot store one): each refused value fails its own field."""
        if not isinstance(data, dict):
            return data
        fields = _checked_fields(cls)
        bad: dict[str, Any] = {}
        for key, value in data.items():
            if isinstance(value, str):
                if "\x00" in value:
                    bad[key] = _REFUSED
            elif isinstance(value, list) and any(isinstance(v, str) and "\x00" in v for v in value):
                bad[key] = [_REFUSED if isinstance(v, str) and "\x00" in v else v for v in value]
            kind = fields.get(key)
            if (
                kind is not None
                and key not in bad
                and not _acceptable(kind, value, cls.values_as_text)
            ):
                bad[key] = _REFUSED
        return {**data, **bad} if bad else data


class QueryModel(ApiModel):
    """Query parameters."""

    values_as_text: ClassVar[bool] = True


class ReadModel(WireModel):
    """Answers: built from ORM objects and rows by attribute name only (looking up the
    camelCase alias first would miss on every field of a row). Not an ApiModel: its
    checks are for what clients send, and would cost every row of a list."""

    model_config = ConfigDict(validate_by_name=True, validate_by_alias=False)


class ResourceRead(ReadModel):
    """Fields every resource answers with."""

    id: uuid.UUID
    version: int
    created_at: datetime
    updated_at: datetime


Name = Annotated[str, StringConstraints(min_length=1, max_length=200), Trimmed(), Printable()]
