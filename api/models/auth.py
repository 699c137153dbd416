"""People and partner systems that may sign in, and the record of failed sign-ins."""

from __future__ import annotations

import enum
import uuid
from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from api.models.base import Base, Entity, utcnow
from api.models.partner import enum_column


class Role(enum.StrEnum):
    admin = "admin"
    coordinator = "coordinator"
    finance = "finance"
    partner = "partner"
    viewer = "viewer"


class User(Entity, Base):
    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint(
            "(role = 'partner') = (partner_id IS NOT NULL)", name="partner_role_has_partner"
        ),
    )

    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(enum_column(Role, "role"))
    partner_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("partners.id", ondelete="RESTRICT"), index=True
    )
    last_login_at: Mapped[datetime | None]
    # Named in every token issued to this user; raised when the user loses what a token
    # grants (role, partner, password), so earlier tokens stop working (api.auth.generations).
    token_generation: Mapped[int] = mapped_column(default=0, server_default="0")


class ApiClient(Entity, Base):
    """A partner system using the client-credentials grant."""

    __tablename__ = "api_clients"

    client_id: Mapped[str] = mapped_column(String(64), unique=True)
    secret_hash: Mapped[str] = mapped_column(String(255))
    name: Mapped[str] = mapped_column(String(200))
    partner_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("partners.id", ondelete="RESTRICT"), index=True
    )
    # As on ``User``; a client is revoked by deleting it, which ends its tokens too.
    token_generation: Mapped[int] = mapped_column(default=0, server_default="0")


class LoginFailure(Base):
    """One failed sign-in; the throttle counts these within a window (shared by workers)."""

    __tablename__ = "login_failures"
    __table_args__ = (
        Index("ix_login_failures_account_at", "account_key", "at"),
        Index("ix_login_failures_address_at", "address", "at"),
    )

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    # A hash of the user name or client id: no e-mail addresses kept for failures.
    account_key: Mapped[str] = mapped_column(String(64))
    address: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(default=utcnow)


class RefreshToken(Base):
    """One refresh token (RFC 6749 §6) of a signed-in person; only its SHA-256 is kept.

    A sign-in starts a *family*; each use rotates the token (the used one gets ``used_at``,
    a new one of the same family and expiry is issued). A used or revoked token presented
    again revokes the whole family (OAuth 2.0 Security BCP §4.14). ``generation`` is the
    user's ``token_generation`` at sign-in: a change of role, partner or password ends the
    family; deleting the user deletes its rows."""

    __tablename__ = "refresh_tokens"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    family_id: Mapped[uuid.UUID] = mapped_column(index=True)
    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    generation: Mapped[int] = mapped_column(Integer)
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The family's end: a rotated token keeps its predecessor's expiry (an absolute
    # session lifetime, not a sliding one).
    expires_at: Mapped[datetime] = mapped_column(index=True)
    used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
