"""Reception locations and their capacity over time."""

from __future__ import annotations

import enum
import uuid
from datetime import date

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ColumnElement,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
    select,
)
from sqlalchemy.orm import Mapped, mapped_column

from api.models.base import Base, Entity
from api.models.partner import enum_column


class LocationKind(enum.StrEnum):
    municipal_ukrainian = "municipal_ukrainian"
    private_hosting = "private_hosting"
    asylum_center = "asylum_center"
    amv_small_scale = "amv_small_scale"
    emergency = "emergency"


class Location(Entity, Base):
    __tablename__ = "locations"
    __table_args__ = (
        UniqueConstraint("operator_partner_id", "external_code"),
        CheckConstraint("closed_on IS NULL OR closed_on >= opened_on", name="closed_after_opened"),
    )

    name: Mapped[str] = mapped_column(String(200), unique=True)
    address: Mapped[str] = mapped_column(String(300))
    postcode: Mapped[str] = mapped_column(String(7))
    kind: Mapped[LocationKind] = mapped_column(enum_column(LocationKind, "location_kind"))
    operator_partner_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("partners.id", ondelete="RESTRICT"), index=True
    )
    external_code: Mapped[str | None] = mapped_column(String(64))
    opened_on: Mapped[date] = mapped_column(Date)
    closed_on: Mapped[date | None] = mapped_column(Date)
    # The last day the municipality plans to make the places available (NULL: no end
    # planned). A place counts as durable (Spreidingswet) when it is available for at
    # least five years from the day it is added (api/reimbursements/claims/durable.py).
    available_until: Mapped[date | None] = mapped_column(Date)
    # Public information for residents on /publiek (issue 18): shown only when marked.
    public: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    public_contact: Mapped[str | None] = mapped_column(String(300))
    public_note: Mapped[str | None] = mapped_column(Text)

    @classmethod
    def partner_scope(cls, partner_id: uuid.UUID) -> ColumnElement[bool]:
        """A partner sees the locations it operates."""
        return cls.operator_partner_id == partner_id


class CapacityChange(Entity, Base):
    """From ``valid_from`` on, the location has ``capacity`` places (until the next change)."""

    __tablename__ = "capacity_changes"
    __table_args__ = (
        UniqueConstraint("location_id", "valid_from"),
        CheckConstraint("capacity >= 0", name="capacity_not_negative"),
        Index("ix_capacity_changes_location_valid_from", "location_id", "valid_from"),
    )

    location_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("locations.id", ondelete="CASCADE"))
    valid_from: Mapped[date] = mapped_column(Date)
    capacity: Mapped[int] = mapped_column(Integer)
    # The decision that allows the change (issue 18), if any.
    decision_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("location_decisions.id", ondelete="SET NULL"), index=True
    )

    @classmethod
    def partner_scope(cls, partner_id: uuid.UUID) -> ColumnElement[bool]:
        """A partner sees the capacity of the locations it operates."""
        return cls.location_id.in_(
            select(Location.id).where(Location.operator_partner_id == partner_id)
        )
