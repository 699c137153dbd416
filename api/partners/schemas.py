from __future__ import annotations

from pydantic import Field

from api.common.pagination import PageParams
from api.common.schemas import ApiModel, Name, ResourceRead
from api.models import PartnerKind


class PartnerCreate(ApiModel):
    name: Name
    kind: PartnerKind


class PartnerUpdate(ApiModel):
    name: Name | None = None
    kind: PartnerKind | None = None


class PartnerRead(ResourceRead):
    name: str
    kind: PartnerKind


class PartnerQuery(PageParams):
    kind: PartnerKind | None = None
    q: str | None = Field(default=None, min_length=1, max_length=100)
