"""Who is calling: a signed-in person or a partner system, with role and partner."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Literal

from api.models import Role


@dataclass(frozen=True, slots=True)
class Principal:
    kind: Literal["user", "client", "system"]
    id: uuid.UUID | None
    role: Role
    partner_id: uuid.UUID | None = None

    @property
    def subject(self) -> str:
        return f"{self.kind}:{self.id}"

    @property
    def is_partner(self) -> bool:
        return self.role is Role.partner


SYSTEM = Principal(kind="system", id=None, role=Role.admin)
