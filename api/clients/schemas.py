from __future__ import annotations

import uuid

from pydantic import Field

from api.common.pagination import PageParams
from api.common.schemas import ApiModel, Name, ResourceRead


class ClientCreate(ApiModel):
    partner_id: uuid.UUID
    name: Name


class ClientRead(ResourceRead):
    client_id: str
    name: str
    partner_id: uuid.UUID


class ClientCreated(ClientRead):
    client_secret: str | None = Field(
        description="Shown once, on create; a replay of the request answers without it."
    )


class ClientQuery(PageParams):
    partner_id: uuid.UUID | None = None
