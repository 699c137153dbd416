"""Partner integration: events pushed by partner systems, the change feed, and webhooks.

The change feed is written in the same transaction as the change it describes (it is
the transactional outbox of the webhooks). Positions come from a single-row counter
that is bumped as the last statement before COMMIT: the row lock orders the committing
writers, so positions follow commit order and a reader never sees position n+1 before
position n has become visible.
"""

from __future__ import annotations

import enum
import uuid
from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from api.models.base import Base, Entity, JSONType, utcnow
from api.models.partner import enum_column


class PartnerEventType(enum.StrEnum):
    intake = "intake"
    transfer = "transfer"
    departure = "departure"
    update = "update"


class ExternalRef(Base):
    """A partner's own identifier of a participant (for the COA: the V-number)."""

    __tablename__ = "participant_external_refs"
    __table_args__ = (UniqueConstraint("partner_id", "external_ref"),)

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    partner_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("partners.id", ondelete="RESTRICT"))
    external_ref: Mapped[str] = mapped_column(String(64))
    participant_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class AppliedPartnerEvent(Base):
    """An event that was applied: each ``event_id`` once, ever, per partner. Holds no
    payload (personal data lives in the records the event changed)."""

    __tablename__ = "partner_events"
    __table_args__ = (UniqueConstraint("partner_id", "event_id"),)

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    partner_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("partners.id", ondelete="RESTRICT"))
    event_id: Mapped[str] = mapped_column(String(100))
    type: Mapped[PartnerEventType] = mapped_column(
        enum_column(PartnerEventType, "partner_event_type")
    )
    occurred_on: Mapped[date] = mapped_column(Date)
    participant_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("participants.id", ondelete="SET NULL"), index=True
    )
    applied_at: Mapped[datetime] = mapped_column(default=utcnow)


class ChangeCounter(Base):
    """One row: the last position handed out to the change feed."""

    __tablename__ = "change_counter"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_position: Mapped[int] = mapped_column(BigInteger)


class Change(Base):
    """One committed write of one resource, in commit order."""

    __tablename__ = "changes"
    __table_args__ = (Index("ix_changes_entity", "entity", "position"),)

    position: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=False
    )
    entity: Mapped[str] = mapped_column(String(64))
    entity_id: Mapped[str] = mapped_column(String(64))
    operation: Mapped[str] = mapped_column(String(16))  # create | update | delete
    version: Mapped[int | None] = mapped_column(Integer)
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)


class ChangeAudience(Base):
    """Which partners may see a change (staff roles see by entity, not by row). No
    foreign key to partners: the delete of a partner is itself a change its own
    audience row describes."""

    __tablename__ = "change_audiences"
    __table_args__ = (Index("ix_change_audiences_partner", "partner_id", "position"),)

    position: Mapped[int] = mapped_column(
        ForeignKey("changes.position", ondelete="CASCADE"), primary_key=True
    )
    partner_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)


class WebhookSubscription(Entity, Base):
    """A client's endpoint that receives the changes its partner may see. The signing
    secret is derived from the server's key and the subscription id (never stored)."""

    __tablename__ = "webhook_subscriptions"

    client_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("api_clients.id", ondelete="CASCADE"), index=True
    )
    url: Mapped[str] = mapped_column(String(2000))
    entities: Mapped[list[str] | None] = mapped_column(JSONType)  # NULL: all it may see
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # The feed position up to which deliveries were created (the worker's cursor).
    last_position: Mapped[int] = mapped_column(BigInteger, default=0)


class DeliveryStatus(enum.StrEnum):
    pending = "pending"  # waiting for its next attempt
    delivered = "delivered"  # acknowledged with a 2xx
    failed = "failed"  # gave up after the maximum number of attempts


class WebhookDelivery(Base):
    """One change to one subscription, with its attempts (the outbox's work list)."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (
        UniqueConstraint("subscription_id", "position"),
        Index("ix_webhook_deliveries_due", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    subscription_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("webhook_subscriptions.id", ondelete="CASCADE")
    )
    position: Mapped[int] = mapped_column(ForeignKey("changes.position", ondelete="CASCADE"))
    status: Mapped[DeliveryStatus] = mapped_column(enum_column(DeliveryStatus, "delivery_status"))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_attempt_at: Mapped[datetime | None] = mapped_column()
    last_status_code: Mapped[int | None] = mapped_column(Integer)
    last_error: Mapped[str | None] = mapped_column(String(500))
    delivered_at: Mapped[datetime | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
