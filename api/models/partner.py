"""Partners: the organisations the programme works with."""

from __future__ import annotations

import enum
import uuid

from sqlalchemy import ColumnElement, Enum, String
from sqlalchemy.orm import Mapped, mapped_column

from api.models.base import Base, Entity


class PartnerKind(enum.StrEnum):
    municipality = "municipality"
    coa = "coa"
    nidos = "nidos"
    gza = "gza"
    general_practice = "general_practice"
    welfare = "welfare"
    sports_club = "sports_club"
    school = "school"
    library = "library"
    volunteer_org = "volunteer_org"
    youth_work = "youth_work"
    other = "other"


def enum_column(enum_cls: type[enum.StrEnum], name: str) -> Enum:
    """A portable enum: VARCHAR plus a CHECK constraint, values as stored strings."""
    return Enum(
        enum_cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=32,
        values_callable=lambda e: [m.value for m in e],
        validate_strings=True,
    )


class Partner(Entity, Base):
    __tablename__ = "partners"

    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[PartnerKind] = mapped_column(enum_column(PartnerKind, "partner_kind"))

    @classmethod
    def partner_scope(cls, partner_id: uuid.UUID) -> ColumnElement[bool]:
        """A partner sees its own record only."""
        return cls.id == partner_id
