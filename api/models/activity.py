"""Activities of the programme, who takes part, and who came to each session."""

from __future__ import annotations

import enum
import uuid
from datetime import date

from sqlalchemy import (
    CheckConstraint,
    ColumnElement,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    select,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from api.models.base import Base, Entity, JSONType
from api.models.partner import enum_column


class ActivityKind(enum.StrEnum):
    language = "language"
    work = "work"
    volunteering = "volunteering"
    sport = "sport"
    education = "education"
    health = "health"
    daytime = "daytime"
    community = "community"
    information_meeting = "information_meeting"


class EnrollmentStatus(enum.StrEnum):
    enrolled = "enrolled"
    active = "active"
    completed = "completed"
    dropped_out = "dropped_out"


class AttendanceStatus(enum.StrEnum):
    present = "present"
    absent = "absent"
    excused = "excused"


class Activity(Entity, Base):
    __tablename__ = "activities"
    __table_args__ = (
        CheckConstraint("ends_on IS NULL OR ends_on >= starts_on", name="ends_after_starts"),
        CheckConstraint("capacity IS NULL OR capacity >= 0", name="capacity_not_negative"),
    )

    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[ActivityKind] = mapped_column(enum_column(ActivityKind, "activity_kind"))
    provider_partner_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("partners.id", ondelete="RESTRICT"), index=True
    )
    # The venue, when it is one of the programme's locations.
    location_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("locations.id", ondelete="RESTRICT"), index=True
    )
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    schedule: Mapped[str | None] = mapped_column(String(500))
    # ISO weekdays of its sessions (1 Monday .. 7 Sunday), sorted; empty: not fixed. The
    # dashboard takes the last such day as the session whose attendance to record.
    weekdays: Mapped[list[int]] = mapped_column(JSONType, default=list, server_default="[]")
    # None: no limit on the number of open enrollments.
    capacity: Mapped[int | None] = mapped_column(Integer)
    # Participant groups the activity is for (values of ``Group``); empty: everyone.
    target_groups: Mapped[list[str]] = mapped_column(JSONType, default=list)

    @classmethod
    def partner_scope(cls, partner_id: uuid.UUID) -> ColumnElement[bool]:
        """A partner manages the activities it provides."""
        return cls.provider_partner_id == partner_id


class Enrollment(Entity, Base):
    """A participant taking part in an activity: enrolled -> active -> completed | dropped_out."""

    __tablename__ = "enrollments"
    __table_args__ = (
        CheckConstraint("ended_on IS NULL OR ended_on >= enrolled_on", name="ended_after_enrolled"),
        Index("ix_enrollments_activity_status", "activity_id", "status"),
        Index("ix_enrollments_participant", "participant_id"),
        # At most one open enrollment per participant and activity: the service checks it
        # under the activity's row lock; the database holds it too, for every writer.
        Index(
            "uq_enrollments_open",
            "activity_id",
            "participant_id",
            unique=True,
            postgresql_where=text("status IN ('enrolled', 'active')"),
            sqlite_where=text("status IN ('enrolled', 'active')"),
        ),
    )

    activity_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("activities.id", ondelete="RESTRICT"))
    participant_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("participants.id", ondelete="RESTRICT")
    )
    enrolled_on: Mapped[date] = mapped_column(Date)
    status: Mapped[EnrollmentStatus] = mapped_column(
        enum_column(EnrollmentStatus, "enrollment_status"), default=EnrollmentStatus.enrolled
    )
    ended_on: Mapped[date | None] = mapped_column(Date)

    @classmethod
    def partner_scope(cls, partner_id: uuid.UUID) -> ColumnElement[bool]:
        """A partner sees the enrollments in the activities it provides."""
        return cls.activity_id.in_(
            select(Activity.id).where(Activity.provider_partner_id == partner_id)
        )


class Attendance(Base):
    """Presence of one enrolled participant at one session date of an activity."""

    __tablename__ = "attendance"
    __table_args__ = (
        UniqueConstraint("enrollment_id", "session_date"),
        Index("ix_attendance_activity_date", "activity_id", "session_date"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    activity_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("activities.id", ondelete="CASCADE"))
    enrollment_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("enrollments.id", ondelete="CASCADE")
    )
    participant_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("participants.id", ondelete="RESTRICT")
    )
    session_date: Mapped[date] = mapped_column(Date)
    status: Mapped[AttendanceStatus] = mapped_column(
        enum_column(AttendanceStatus, "attendance_status")
    )
