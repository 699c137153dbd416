from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from pydantic import EmailStr, Field, StringConstraints, field_validator

from api.common.pagination import PageParams
from api.common.schemas import ApiModel, ResourceRead
from api.models import Role

Password = Annotated[str, StringConstraints(min_length=12, max_length=256)]


class UserCreate(ApiModel):
    email: EmailStr
    password: Password = Field(
        description="At least 12 characters and not easy to guess (no common or breached "
        "password, simple pattern or the e-mail address); write only."
    )
    role: Role
    partner_id: uuid.UUID | None = None

    @field_validator("email")
    @classmethod
    def _lower(cls, value: str) -> str:
        return value.lower()


class UserUpdate(ApiModel):
    email: EmailStr | None = None
    password: Password | None = None
    role: Role | None = None
    partner_id: uuid.UUID | None = None

    @field_validator("email")
    @classmethod
    def _lower(cls, value: str | None) -> str | None:
        return value.lower() if value else value


class UserRead(ResourceRead):
    email: str
    role: Role
    partner_id: uuid.UUID | None
    last_login_at: datetime | None


class UserQuery(PageParams):
    role: Role | None = None
    partner_id: uuid.UUID | None = None
    q: str | None = Field(default=None, min_length=1, max_length=100)
