from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import Field

from api.common.pagination import PageParams
from api.common.schemas import ReadModel


class AuditEventRead(ReadModel):
    id: int
    at: datetime
    actor_type: Literal["user", "client", "system"]
    actor_id: str | None
    actor_role: str | None
    partner_id: str | None
    action: str
    entity: str
    entity_id: str | None
    request_id: str | None
    details: dict[str, Any] | None


class AuditQuery(PageParams):
    entity: str | None = Field(default=None, max_length=64)
    entity_id: str | None = Field(default=None, max_length=64)
    actor_id: str | None = Field(default=None, max_length=64)
    action: str | None = Field(default=None, max_length=32)
    from_: datetime | None = Field(default=None, alias="from")
    to: datetime | None = None
