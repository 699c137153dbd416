"""Participants, their dated progress, and their stays (placements)."""

from __future__ import annotations

import enum
import uuid
from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    ColumnElement,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    and_,
    exists,
    or_,
    select,
)
from sqlalchemy.orm import Mapped, mapped_column

from api.common.visibility import visible_since_param
from api.models.base import Base, Entity, JSONType, utcnow
from api.models.location import Location
from api.models.partner import enum_column


class Group(enum.StrEnum):
    ukrainian_displaced = "ukrainian_displaced"
    asylum_seeker = "asylum_seeker"
    unaccompanied_minor = "unaccompanied_minor"


class DutchLevel(enum.StrEnum):
    none = "none"
    A1 = "A1"
    A2 = "A2"
    B1 = "B1"
    B2 = "B2"
    C1 = "C1"
    C2 = "C2"


class EmploymentStatus(enum.StrEnum):
    not_working = "not_working"
    volunteering = "volunteering"
    studying = "studying"
    part_time = "part_time"
    full_time = "full_time"


class EndReason(enum.StrEnum):
    transfer = "transfer"
    housing = "housing"
    returned = "returned"
    left = "left"
    other = "other"


class Participant(Entity, Base):
    """A refugee in the programme. Anonymising clears every personal field and keeps the
    row (and so the placements) for statistics and frozen claims."""

    __tablename__ = "participants"

    reference: Mapped[str] = mapped_column(String(64), unique=True)
    bsn: Mapped[str | None] = mapped_column(String(9), unique=True)
    v_number: Mapped[str | None] = mapped_column(String(20), unique=True)
    given_name: Mapped[str | None] = mapped_column(String(100))
    family_name: Mapped[str | None] = mapped_column(String(100))
    date_of_birth: Mapped[date | None] = mapped_column(Date)
    nationality: Mapped[str | None] = mapped_column(String(3))
    group: Mapped[Group] = mapped_column(enum_column(Group, "participant_group"), index=True)
    guardian_partner_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("partners.id", ondelete="RESTRICT"), index=True
    )
    household_ref: Mapped[str | None] = mapped_column(String(64))
    languages: Mapped[list[str]] = mapped_column(JSONType, default=list)
    dutch_level: Mapped[DutchLevel] = mapped_column(
        enum_column(DutchLevel, "dutch_level"), default=DutchLevel.none
    )
    employment_status: Mapped[EmploymentStatus] = mapped_column(
        enum_column(EmploymentStatus, "employment_status"), default=EmploymentStatus.not_working
    )
    anonymised_at: Mapped[datetime | None]

    @classmethod
    def partner_scope(cls, partner_id: uuid.UUID) -> ColumnElement[bool]:
        """A partner sees the people it guards, and those placed at its locations until
        the visibility window after their stay there ends (``common.visibility``)."""
        placed_here = exists(
            select(Placement.id)
            .join(Location, Location.id == Placement.location_id)
            .where(
                Placement.participant_id == cls.id,
                Location.operator_partner_id == partner_id,
                Placement.visible_to_operator(),
            )
        )
        return or_(cls.guardian_partner_id == partner_id, placed_here)


class ProgressField(enum.StrEnum):
    dutch_level = "dutch_level"
    employment_status = "employment_status"


class ParticipantProgress(Base):
    """Dated history of ``dutch_level`` and ``employment_status``, for progress reports."""

    __tablename__ = "participant_progress"
    # valid_from last: "the latest value on or before a day" is one index descent.
    __table_args__ = (
        Index("ix_participant_progress_participant", "participant_id", "field", "valid_from"),
    )

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    participant_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE")
    )
    field: Mapped[ProgressField] = mapped_column(enum_column(ProgressField, "progress_field"))
    value: Mapped[str] = mapped_column(String(32))
    valid_from: Mapped[date] = mapped_column(Date)
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)


class LivingAllowance(Entity, Base):
    """The person receives the municipal living allowance over ``starts_on..ends_on``
    (inclusive; ``ends_on`` NULL: ongoing). The BooO pays its POO amount per person who
    receives it, so the engine counts only nights inside these ranges (for schemes with
    ``requires_living_allowance``). The ranges of one person never overlap (checked by
    the service under the participant's lock). Staff only: partners neither set nor see
    it."""

    __tablename__ = "living_allowances"
    __table_args__ = (
        CheckConstraint("ends_on IS NULL OR ends_on >= starts_on", name="ends_after_starts"),
        Index("ix_living_allowances_participant_starts", "participant_id", "starts_on"),
    )

    participant_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE")
    )
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)


class Placement(Entity, Base):
    """A stay: the nights ``start_date <= d < end_date`` at one location."""

    __tablename__ = "placements"
    __table_args__ = (
        CheckConstraint("end_date IS NULL OR end_date > start_date", name="end_after_start"),
        Index("ix_placements_location_start", "location_id", "start_date"),
        Index("ix_placements_participant_start", "participant_id", "start_date"),
    )

    participant_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("participants.id", ondelete="RESTRICT")
    )
    location_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("locations.id", ondelete="RESTRICT"))
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    end_reason: Mapped[EndReason | None] = mapped_column(enum_column(EndReason, "end_reason"))
    # Set only by an admin who places above capacity on purpose; audited.
    capacity_override_reason: Mapped[str | None] = mapped_column(String(500))

    @classmethod
    def visible_to_operator(cls) -> ColumnElement[bool]:
        """Open, or ended within the operator's visibility window."""
        return or_(cls.end_date.is_(None), cls.end_date > visible_since_param())

    @classmethod
    def partner_scope(cls, partner_id: uuid.UUID) -> ColumnElement[bool]:
        """A partner sees the stays at its locations (until the visibility window after
        their end) and those of the people it guards."""
        at_own_location = and_(
            exists(
                select(Location.id).where(
                    Location.id == cls.location_id, Location.operator_partner_id == partner_id
                )
            ),
            cls.visible_to_operator(),
        )
        guarded = exists(
            select(Participant.id).where(
                Participant.id == cls.participant_id,
                Participant.guardian_partner_id == partner_id,
            )
        )
        return or_(at_own_location, guarded)
