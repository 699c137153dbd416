"""What the Rijk pays (schemes and their rates), what the municipality claims, and what
the programme spends (expenses).

A scheme is data: its basis says how placements and capacity become units, its rates
say what a unit is worth on a day. A claim's lines are stored when it is computed; on
submit they are frozen together with the rates used and a hash of the inputs.
"""

from __future__ import annotations

import enum
import uuid
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from api.models.base import Base, Entity, JSONType, Money, utcnow
from api.models.partner import enum_column


class Basis(enum.StrEnum):
    """How a scheme turns the programme's facts into billable units (domain.md)."""

    per_place_day = "per_place_day"  # capacity-days of the open days
    per_person_day = "per_person_day"  # nights of placements
    per_person_month = "per_person_month"  # persons with a night in a calendar month
    per_place_once = "per_place_once"  # places added above the highest capacity before


class RateCertainty(enum.StrEnum):
    """How sure an amount is. Only ``published`` rates may price a claim; the other two
    are provisional: forecasts and the budget use them and say so (domain.md)."""

    published = "published"  # final, as published (Staatscourant, regulation)
    announced = "announced"  # announced but not final (e.g. a Kamerbrief)
    assumed = "assumed"  # assumed by finance (e.g. equal to the previous year)


class PlaceCondition(enum.StrEnum):
    """Which added places a ``per_place_once`` scheme pays for (Spreidingswet): durable
    ones (available at least five years, Besluit art. 1.1) or the others."""

    durable = "durable"
    not_durable = "not_durable"


class ClaimStatus(enum.StrEnum):
    draft = "draft"
    submitted = "submitted"
    approved = "approved"
    rejected = "rejected"
    paid = "paid"


# Beyond draft and not rejected: at most one such claim per scheme and period, corrections
# aside (the partial unique index below).
FILED_STATUSES = ("submitted", "approved", "paid")


class ExpenseCategory(enum.StrEnum):
    staff = "staff"
    activities = "activities"
    location = "location"
    living_allowance = "living_allowance"
    health = "health"
    transport = "transport"
    communication = "communication"
    volunteers = "volunteers"
    other = "other"


class ReimbursementScheme(Entity, Base):
    """A national payment rule. ``location_kinds``: the kinds of location it pays for;
    ``groups``: the participant groups it pays for (NULL: all; not used by the
    capacity-based bases)."""

    __tablename__ = "reimbursement_schemes"

    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    basis: Mapped[Basis] = mapped_column(enum_column(Basis, "reimbursement_basis"))
    location_kinds: Mapped[list[str]] = mapped_column(JSONType)
    groups: Mapped[list[str] | None] = mapped_column(JSONType)
    description: Mapped[str | None] = mapped_column(Text)
    # The BooO pays POO per person receiving the municipal living allowance: only nights
    # covered by a LivingAllowance range count (per_person_month, per_person_day).
    requires_living_allowance: Mapped[bool] = mapped_column(server_default=text("false"))
    # per_place_once: which places count (NULL: all of the scheme's location kinds).
    place_condition: Mapped[PlaceCondition | None] = mapped_column(
        enum_column(PlaceCondition, "place_condition")
    )


class ReimbursementRate(Entity, Base):
    """The amount per unit over ``valid_from..valid_to`` (inclusive; ``valid_to`` NULL:
    until further notice). The ranges of one scheme never overlap (checked by the
    service under a lock on the scheme's row)."""

    __tablename__ = "reimbursement_rates"
    __table_args__ = (
        UniqueConstraint("scheme_id", "valid_from"),
        CheckConstraint("valid_to IS NULL OR valid_to >= valid_from", name="valid_to_after_from"),
        CheckConstraint("amount >= 0", name="amount_not_negative"),
    )

    scheme_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("reimbursement_schemes.id", ondelete="RESTRICT")
    )
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)
    amount: Mapped[Decimal] = mapped_column(Money())
    source: Mapped[str | None] = mapped_column(String(500))
    published_on: Mapped[date | None] = mapped_column(Date)  # the source's date
    # ``source`` says the basis of a provisional amount ("Kamerbrief of ..., announced",
    # "assumed equal to 2025").
    certainty: Mapped[RateCertainty] = mapped_column(
        enum_column(RateCertainty, "rate_certainty"), server_default=RateCertainty.published.value
    )


class ReimbursementClaim(Entity, Base):
    """One scheme over ``period_start..period_end`` (inclusive). ``corrects_claim_id``
    makes it a correction claim for the difference found by recalculating a frozen one.
    ``inputs_hash`` and ``rates_used`` are set when it is frozen (on submit)."""

    __tablename__ = "reimbursement_claims"
    __table_args__ = (
        CheckConstraint("period_end >= period_start", name="period_end_after_start"),
        Index(
            "uq_reimbursement_claims_filed",
            "scheme_id",
            "period_start",
            "period_end",
            unique=True,
            postgresql_where=text(
                "corrects_claim_id IS NULL AND status IN ('submitted', 'approved', 'paid')"
            ),
            sqlite_where=text(
                "corrects_claim_id IS NULL AND status IN ('submitted', 'approved', 'paid')"
            ),
        ),
        Index("ix_reimbursement_claims_period", "period_end", "scheme_id"),
    )

    scheme_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("reimbursement_schemes.id", ondelete="RESTRICT")
    )
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    status: Mapped[ClaimStatus] = mapped_column(enum_column(ClaimStatus, "claim_status"))
    total_amount: Mapped[Decimal] = mapped_column(Money())
    claimed_amount: Mapped[Decimal | None] = mapped_column(Money())
    received_amount: Mapped[Decimal | None] = mapped_column(Money())
    received_on: Mapped[date | None] = mapped_column(Date)
    corrects_claim_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("reimbursement_claims.id", ondelete="RESTRICT"), index=True
    )
    computed_at: Mapped[datetime] = mapped_column(default=utcnow)
    frozen_at: Mapped[datetime | None] = mapped_column()
    inputs_hash: Mapped[str | None] = mapped_column(String(64))
    # [{"validFrom", "validTo", "amount"}] as they stood when frozen.
    rates_used: Mapped[list[dict[str, str | None]] | None] = mapped_column(JSONType)
    note: Mapped[str | None] = mapped_column(String(1000))


class ClaimLine(Base):
    """Units of one location within one rate segment (``rate_from..rate_to``, the rate's
    range clipped to the period), priced and rounded once to cents, half up."""

    __tablename__ = "reimbursement_claim_lines"
    __table_args__ = (Index("ix_reimbursement_claim_lines_claim", "claim_id", "position"),)

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    claim_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("reimbursement_claims.id", ondelete="CASCADE")
    )
    position: Mapped[int] = mapped_column(Integer)
    location_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("locations.id", ondelete="RESTRICT"), index=True
    )
    rate_from: Mapped[date] = mapped_column(Date)
    rate_to: Mapped[date] = mapped_column(Date)
    units: Mapped[int] = mapped_column(BigInteger)
    rate: Mapped[Decimal] = mapped_column(Money())
    amount: Mapped[Decimal] = mapped_column(Money())


class ClaimStatusChange(Base):
    """Who moved a claim from one status to another, and when (besides the audit log,
    which only admins read: finance staff see a claim's history with the claim)."""

    __tablename__ = "reimbursement_claim_status_changes"
    __table_args__ = (Index("ix_reimbursement_claim_status_changes_claim", "claim_id", "at"),)

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    claim_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("reimbursement_claims.id", ondelete="CASCADE")
    )
    from_status: Mapped[ClaimStatus | None] = mapped_column(
        enum_column(ClaimStatus, "claim_status_from")
    )
    to_status: Mapped[ClaimStatus] = mapped_column(enum_column(ClaimStatus, "claim_status_to"))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor_kind: Mapped[str] = mapped_column(String(16))  # "user" | "client"
    actor_id: Mapped[uuid.UUID] = mapped_column()
    note: Mapped[str | None] = mapped_column(String(1000))


class Expense(Entity, Base):
    """Money the programme spent, per category; optionally about a location, activity or
    partner, and charged to a scheme. Negative amounts are refunds or credit notes."""

    __tablename__ = "expenses"
    __table_args__ = (
        CheckConstraint("amount <> 0", name="amount_not_zero"),
        Index("ix_expenses_spent_on", "spent_on"),
    )

    spent_on: Mapped[date] = mapped_column(Date)
    category: Mapped[ExpenseCategory] = mapped_column(
        enum_column(ExpenseCategory, "expense_category")
    )
    amount: Mapped[Decimal] = mapped_column(Money())
    description: Mapped[str] = mapped_column(String(500))
    location_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("locations.id", ondelete="RESTRICT"), index=True
    )
    activity_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("activities.id", ondelete="RESTRICT"), index=True
    )
    partner_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("partners.id", ondelete="RESTRICT"), index=True
    )
    scheme_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("reimbursement_schemes.id", ondelete="RESTRICT"), index=True
    )
