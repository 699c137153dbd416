"""Public support (draagvlak): what was decided about a location and on which conditions,
the meetings with residents and the agreements made there, what was communicated, the
candidate locations before they exist with their scores against the council's housing
criteria, and the municipality's Spreidingswet task.

Residents are never people in this model: a meeting holds a count of residents present,
never names; free text is screened for BSN-like numbers by the API (api.common.text).
"""

from __future__ import annotations

import enum
import uuid
from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
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

from api.models.base import Base, Entity, utcnow
from api.models.location import Location, LocationKind
from api.models.partner import enum_column


def _operated_by(column: Mapped[uuid.UUID | None], partner_id: uuid.UUID) -> ColumnElement[bool]:
    return column.in_(select(Location.id).where(Location.operator_partner_id == partner_id))


# --- 1. Decisions with conditions -------------------------------------------------------


class DecisionBody(enum.StrEnum):
    council = "council"  # gemeenteraad
    college = "college"  # college van B&W
    mayor = "mayor"  # burgemeester


class LocationDecision(Entity, Base):
    """A decision about a location, or about a candidate before it is one (the candidate
    keeps it when it becomes a location: ``location_id`` is set then)."""

    __tablename__ = "location_decisions"
    __table_args__ = (
        CheckConstraint(
            "location_id IS NOT NULL OR candidate_id IS NOT NULL", name="location_or_candidate"
        ),
        Index("ix_location_decisions_location", "location_id", "decided_on"),
    )

    location_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("locations.id", ondelete="RESTRICT")
    )
    candidate_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("candidate_locations.id", ondelete="RESTRICT"), index=True
    )
    decided_on: Mapped[date] = mapped_column(Date)
    body: Mapped[DecisionBody] = mapped_column(enum_column(DecisionBody, "decision_body"))
    reference: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text)
    document_url: Mapped[str | None] = mapped_column(String(500))

    @classmethod
    def partner_scope(cls, partner_id: uuid.UUID) -> ColumnElement[bool]:
        """The operator of a location reads its location's decisions."""
        return _operated_by(cls.location_id, partner_id)


class ConditionStatus(enum.StrEnum):
    open = "open"
    met = "met"
    not_met = "not_met"
    withdrawn = "withdrawn"


class DecisionCondition(Entity, Base):
    """A condition attached to a decision (e.g. growth only if nuisance stays low), to be
    evaluated on ``evaluate_on`` by its owner; the evidence is noted when evaluated."""

    __tablename__ = "decision_conditions"
    __table_args__ = (Index("ix_decision_conditions_due", "status", "evaluate_on"),)

    decision_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("location_decisions.id", ondelete="CASCADE"), index=True
    )
    description: Mapped[str] = mapped_column(Text)
    evaluate_on: Mapped[date] = mapped_column(Date)
    owner_user_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    status: Mapped[ConditionStatus] = mapped_column(
        enum_column(ConditionStatus, "condition_status"), default=ConditionStatus.open
    )
    evaluated_on: Mapped[date | None] = mapped_column(Date)
    evidence: Mapped[str | None] = mapped_column(Text)

    @classmethod
    def partner_scope(cls, partner_id: uuid.UUID) -> ColumnElement[bool]:
        return cls.decision_id.in_(
            select(LocationDecision.id).where(LocationDecision.partner_scope(partner_id))
        )


# --- 2. Meetings with residents and agreements ------------------------------------------


class MeetingKind(enum.StrEnum):
    neighbourhood_meeting = "neighbourhood_meeting"  # buurtoverleg
    information_evening = "information_evening"  # informatieavond
    sounding_board = "sounding_board"  # klankbordgroep


class Meeting(Entity, Base):
    """A meeting with residents about a location (or a candidate). Residents are counted,
    never named."""

    __tablename__ = "meetings"
    __table_args__ = (
        CheckConstraint("residents_present >= 0", name="residents_not_negative"),
        Index("ix_meetings_location_held", "location_id", "held_on"),
    )

    location_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("locations.id", ondelete="RESTRICT")
    )
    candidate_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("candidate_locations.id", ondelete="RESTRICT"), index=True
    )
    held_on: Mapped[date] = mapped_column(Date)
    kind: Mapped[MeetingKind] = mapped_column(enum_column(MeetingKind, "meeting_kind"))
    residents_present: Mapped[int] = mapped_column(Integer)
    summary: Mapped[str] = mapped_column(Text)

    @classmethod
    def partner_scope(cls, partner_id: uuid.UUID) -> ColumnElement[bool]:
        return _operated_by(cls.location_id, partner_id)


class MeetingPartner(Base):
    """A partner organisation present at a meeting."""

    __tablename__ = "meeting_partners"

    meeting_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), primary_key=True
    )
    partner_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("partners.id", ondelete="RESTRICT"), primary_key=True, index=True
    )


class AgreementStatus(enum.StrEnum):
    open = "open"
    in_progress = "in_progress"
    done = "done"
    cancelled = "cancelled"


class Agreement(Entity, Base):
    """An agreement with the neighbourhood: what, who (a partner or a staff user), when."""

    __tablename__ = "agreements"
    __table_args__ = (
        CheckConstraint(
            "NOT (partner_id IS NOT NULL AND owner_user_id IS NOT NULL)", name="one_owner"
        ),
        Index("ix_agreements_status_due", "status", "due_on"),
    )

    location_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("locations.id", ondelete="RESTRICT"), index=True
    )
    meeting_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("meetings.id", ondelete="SET NULL"), index=True
    )
    description: Mapped[str] = mapped_column(Text)
    partner_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("partners.id", ondelete="RESTRICT"), index=True
    )
    owner_user_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    due_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[AgreementStatus] = mapped_column(
        enum_column(AgreementStatus, "agreement_status"), default=AgreementStatus.open
    )
    done_on: Mapped[date | None] = mapped_column(Date)

    @classmethod
    def partner_scope(cls, partner_id: uuid.UUID) -> ColumnElement[bool]:
        """The operator reads its locations' agreements; an agreement assigned to a
        partner is that partner's too."""
        return _operated_by(cls.location_id, partner_id) | (cls.partner_id == partner_id)


class AgreementNote(Base):
    """A follow-up note on an agreement, with its author and time; never edited."""

    __tablename__ = "agreement_notes"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    agreement_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("agreements.id", ondelete="CASCADE"), index=True
    )
    note: Mapped[str] = mapped_column(Text)
    author_type: Mapped[str] = mapped_column(String(16))
    author_id: Mapped[str | None] = mapped_column(String(64))
    author_role: Mapped[str | None] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


# --- 3. Communication log ---------------------------------------------------------------


class CommunicationChannel(enum.StrEnum):
    letter = "letter"
    newsletter = "newsletter"
    website = "website"
    meeting = "meeting"
    social_media = "social_media"


class CommunicationAudience(enum.StrEnum):
    street = "street"
    neighbourhood = "neighbourhood"
    municipality = "municipality"


class Communication(Entity, Base):
    """What was communicated to residents and when: about a location, a candidate, or in
    general (neither)."""

    __tablename__ = "communications"
    __table_args__ = (Index("ix_communications_location_sent", "location_id", "sent_on"),)

    location_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("locations.id", ondelete="RESTRICT")
    )
    candidate_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("candidate_locations.id", ondelete="RESTRICT"), index=True
    )
    sent_on: Mapped[date] = mapped_column(Date)
    channel: Mapped[CommunicationChannel] = mapped_column(
        enum_column(CommunicationChannel, "communication_channel")
    )
    audience: Mapped[CommunicationAudience] = mapped_column(
        enum_column(CommunicationAudience, "communication_audience")
    )
    summary: Mapped[str] = mapped_column(Text)
    link: Mapped[str | None] = mapped_column(String(500))

    @classmethod
    def partner_scope(cls, partner_id: uuid.UUID) -> ColumnElement[bool]:
        return false()


# --- 5. The location pipeline -----------------------------------------------------------


class HousingCriterion(Entity, Base):
    """One of the council's housing criteria (Motie Criteria Huisvesting), with its weight."""

    __tablename__ = "housing_criteria"
    __table_args__ = (CheckConstraint("weight BETWEEN 1 AND 10", name="weight_in_range"),)

    name: Mapped[str] = mapped_column(String(200), unique=True)
    description: Mapped[str | None] = mapped_column(Text)
    weight: Mapped[int] = mapped_column(Integer)
    position: Mapped[int] = mapped_column(Integer, default=0)


class CandidateStage(enum.StrEnum):
    idea = "idea"
    investigation = "investigation"
    proposed = "proposed"  # proposed to the council
    decided = "decided"
    rejected = "rejected"
    withdrawn = "withdrawn"


class CandidateLocation(Entity, Base):
    """A possible location before it exists. When decided it becomes a location
    (``location_id``) and keeps its history, scores, decisions and meetings."""

    __tablename__ = "candidate_locations"
    __table_args__ = (
        CheckConstraint("proposed_places IS NULL OR proposed_places > 0", name="places_positive"),
        CheckConstraint(
            "planned_months IS NULL OR planned_months > 0", name="planned_months_positive"
        ),
    )

    name: Mapped[str] = mapped_column(String(200), unique=True)
    address: Mapped[str | None] = mapped_column(String(300))  # an address, or an area
    proposed_kind: Mapped[LocationKind] = mapped_column(
        enum_column(LocationKind, "candidate_location_kind")
    )
    proposed_places: Mapped[int | None] = mapped_column(Integer)
    planned_months: Mapped[int | None] = mapped_column(Integer)  # planned duration
    owner: Mapped[str | None] = mapped_column(String(200))  # the building's owner
    operator_partner_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("partners.id", ondelete="RESTRICT"), index=True
    )
    stage: Mapped[CandidateStage] = mapped_column(
        enum_column(CandidateStage, "candidate_stage"), default=CandidateStage.idea
    )
    public: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str | None] = mapped_column(Text)
    location_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("locations.id", ondelete="RESTRICT"), unique=True
    )


class CandidateStageChange(Base):
    """The dated history of a candidate's stage; never edited."""

    __tablename__ = "candidate_stage_changes"
    __table_args__ = (Index("ix_candidate_stage_changes", "candidate_id", "changed_on"),)

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    candidate_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("candidate_locations.id", ondelete="CASCADE")
    )
    stage: Mapped[CandidateStage] = mapped_column(
        enum_column(CandidateStage, "candidate_change_stage")
    )
    changed_on: Mapped[date] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)
    author_id: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class CandidateScore(Base):
    """A candidate's score on one criterion (0-5), with a note."""

    __tablename__ = "candidate_scores"
    __table_args__ = (CheckConstraint("score BETWEEN 0 AND 5", name="score_in_range"),)

    candidate_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("candidate_locations.id", ondelete="CASCADE"), primary_key=True
    )
    criterion_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("housing_criteria.id", ondelete="RESTRICT"), primary_key=True, index=True
    )
    score: Mapped[int] = mapped_column(Integer)
    note: Mapped[str | None] = mapped_column(Text)


# --- 6. The Spreidingswet task ----------------------------------------------------------


class SpreidingTask(Entity, Base):
    """The number of asylum reception places allotted to the municipality for a period by
    the province's distribution decision (Spreidingswet), with its source."""

    __tablename__ = "spreiding_tasks"
    __table_args__ = (
        UniqueConstraint("starts_on"),
        CheckConstraint("places >= 0", name="places_not_negative"),
        CheckConstraint("ends_on >= starts_on", name="ends_after_start"),
    )

    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    places: Mapped[int] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(String(500))
    decided_on: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)
