"""Signals (signalen): reports of nuisance, tension, safety, needs, questions or praise."""

from __future__ import annotations

import enum
import uuid
from datetime import datetime

from sqlalchemy import ColumnElement, ForeignKey, Index, String, Text, select
from sqlalchemy.orm import Mapped, mapped_column

from api.models.base import Base, Entity, utcnow
from api.models.location import Location
from api.models.partner import enum_column


class SignalSource(enum.StrEnum):
    resident = "resident"
    partner = "partner"
    staff = "staff"
    participant = "participant"
    police = "police"
    other = "other"


class SignalCategory(enum.StrEnum):
    nuisance = "nuisance"
    social_tension = "social_tension"
    safety = "safety"
    health = "health"
    need = "need"
    question = "question"
    compliment = "compliment"
    capacity = "capacity"


class Severity(enum.StrEnum):
    low = "low"
    medium = "medium"
    high = "high"


class SignalStatus(enum.StrEnum):
    open = "open"
    in_progress = "in_progress"
    resolved = "resolved"


class Signal(Entity, Base):
    """Residents' names are never stored: the summary describes what, not who."""

    __tablename__ = "signals"
    __table_args__ = (Index("ix_signals_status_severity", "status", "severity"),)

    reported_at: Mapped[datetime] = mapped_column(index=True)
    source: Mapped[SignalSource] = mapped_column(enum_column(SignalSource, "signal_source"))
    category: Mapped[SignalCategory] = mapped_column(enum_column(SignalCategory, "signal_category"))
    severity: Mapped[Severity] = mapped_column(enum_column(Severity, "severity"))
    location_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("locations.id", ondelete="RESTRICT"), index=True
    )
    summary: Mapped[str] = mapped_column(Text)
    status: Mapped[SignalStatus] = mapped_column(
        enum_column(SignalStatus, "signal_status"), default=SignalStatus.open
    )
    resolved_at: Mapped[datetime | None]
    # When it should be resolved: reported_at plus the days its severity allows (settings
    # OPVANG_SIGNAL_DUE_DAYS_*), set on entry and when the severity changes (issue 18).
    due_at: Mapped[datetime | None] = mapped_column(index=True)
    # The staff user (admin or coordinator) who follows it up; a deleted user leaves none.
    owner_user_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )

    @classmethod
    def partner_scope(cls, partner_id: uuid.UUID) -> ColumnElement[bool]:
        """A partner sees the signals about the locations it operates."""
        return cls.location_id.in_(
            select(Location.id).where(Location.operator_partner_id == partner_id)
        )


class SignalAction(Base):
    """A follow-up note on a signal, with its author and time; never edited."""

    __tablename__ = "signal_actions"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    signal_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("signals.id", ondelete="CASCADE"), index=True
    )
    note: Mapped[str] = mapped_column(Text)
    author_type: Mapped[str] = mapped_column(String(16))
    author_id: Mapped[str | None] = mapped_column(String(64))
    author_role: Mapped[str | None] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
