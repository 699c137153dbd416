"""Base schemas: camelCase on the wire, unknown fields refused."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints
from pydantic.alias_generators import to_camel


class ApiModel(BaseModel):
    model_config = ConfigDict(
        alias_generator=to_camel,
        # Only the camelCase names of the contract are accepted on the wire.
        validate_by_name=False,
        validate_by_alias=True,
        serialize_by_alias=True,
        extra="forbid",
        from_attributes=True,
    )


class ReadModel(ApiModel):
    """Answers: built from ORM objects and rows by attribute name only (looking up the
    camelCase alias first would miss on every field of a row)."""

    model_config = ConfigDict(validate_by_name=True, validate_by_alias=False)


class ResourceRead(ReadModel):
    """Fields every resource answers with."""

    id: uuid.UUID
    version: int
    created_at: datetime
    updated_at: datetime


Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
