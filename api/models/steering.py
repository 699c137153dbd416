"""The programme's own money plan: the begroting per year with its versions, and the
earmarked reserve (bestemmingsreserve) that carries a year's result to the next.

A year's begroting is its primitive version (number 0) plus each wijziging (1, 2, ...)
in order, dated with the council decision that adopted it. A version's lines are
amounts: the primitive's are the planned amounts, a wijziging's the changes (+ or -),
so the current begroting of a line is the sum over the versions.
"""

from __future__ import annotations

import enum
import uuid
from datetime import date
from decimal import Decimal

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from api.models.base import Base, Entity, Money
from api.models.partner import enum_column
from api.models.reimbursement import ExpenseCategory


class BudgetLineKind(enum.StrEnum):
    expense = "expense"  # lasten, per expense category
    income = "income"  # baten, per reimbursement scheme


class BudgetVersion(Entity, Base):
    """Number 0 is the primitieve begroting; 1, 2, ... the wijzigingen in order."""

    __tablename__ = "budget_versions"
    __table_args__ = (
        UniqueConstraint("year", "number"),
        CheckConstraint("number >= 0", name="number_not_negative"),
    )

    year: Mapped[int] = mapped_column(Integer)
    number: Mapped[int] = mapped_column(Integer)
    decided_on: Mapped[date] = mapped_column(Date)
    decision_reference: Mapped[str | None] = mapped_column(String(200))  # raadsbesluit
    description: Mapped[str] = mapped_column(String(500))


class BudgetLine(Base):
    """One planned amount (primitive) or change (wijziging) of a version: an expense
    category or an income scheme, never both."""

    __tablename__ = "budget_lines"
    __table_args__ = (
        CheckConstraint(
            "(kind = 'expense' AND category IS NOT NULL AND scheme_id IS NULL)"
            " OR (kind = 'income' AND scheme_id IS NOT NULL AND category IS NULL)",
            name="category_or_scheme",
        ),
        Index("ix_budget_lines_version", "version_id", "kind"),
    )

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    version_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("budget_versions.id", ondelete="CASCADE")
    )
    kind: Mapped[BudgetLineKind] = mapped_column(enum_column(BudgetLineKind, "budget_line_kind"))
    category: Mapped[ExpenseCategory | None] = mapped_column(
        enum_column(ExpenseCategory, "budget_line_category")
    )
    scheme_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("reimbursement_schemes.id", ondelete="RESTRICT"), index=True
    )
    amount: Mapped[Decimal] = mapped_column(Money())
    note: Mapped[str | None] = mapped_column(String(500))


class ReserveMutation(Entity, Base):
    """A council-decided deposit into (+) or withdrawal from (-) the reserve, besides the
    year's result, which moves into it by itself (computed, not stored). The first
    deposit is the reserve's opening."""

    __tablename__ = "reserve_mutations"
    __table_args__ = (
        CheckConstraint("amount <> 0", name="amount_not_zero"),
        Index("ix_reserve_mutations_on", "booked_on"),
    )

    booked_on: Mapped[date] = mapped_column(Date)
    amount: Mapped[Decimal] = mapped_column(Money())
    description: Mapped[str] = mapped_column(String(500))
    decision_reference: Mapped[str | None] = mapped_column(String(200))
