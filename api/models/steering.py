"""Steering: the programme's own money plan (the begroting per year with its versions,
and the earmarked reserve, bestemmingsreserve, that carries a year's result to the next),
the capacity plan, the forecast's occupancy assumptions, and scenarios.

A year's begroting is its primitive version (number 0) plus each wijziging (1, 2, ...)
in order, dated with the council decision that adopted it. A version's lines are
amounts: the primitive's are the planned amounts, a wijziging's the changes (+ or -),
so the current begroting of a line is the sum over the versions.
"""

from __future__ import annotations

import enum
import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any

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

from api.models.base import Base, Entity, JSONType, Money
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


# The capacity plan and the scenarios: what is planned or imagined, never facts. A planned
# change becomes a fact (a capacity change, a closing date) when its day comes; the
# forecast reads the facts, then the plan, then a scenario's changes on top.


class PlannedChangeKind(enum.StrEnum):
    capacity = "capacity"  # from the day on, the location has ``capacity`` places
    opening = "opening"  # the location opens that day with ``capacity`` places
    closing = "closing"  # the location's last day is the day before


class PlannedCapacityChange(Entity, Base):
    """A dated future change of an existing location (a location that is to open is
    registered with its future ``opened_on``). ``realised_at`` is set when the change is
    turned into a fact on its day; it is then history, not plan."""

    __tablename__ = "planned_capacity_changes"
    __table_args__ = (
        UniqueConstraint("location_id", "takes_effect_on"),
        CheckConstraint(
            "(kind = 'closing' AND capacity IS NULL) OR (kind <> 'closing' AND capacity >= 0)",
            name="capacity_unless_closing",
        ),
        Index("ix_planned_capacity_changes_day", "takes_effect_on"),
    )

    location_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("locations.id", ondelete="CASCADE"))
    kind: Mapped[PlannedChangeKind] = mapped_column(
        enum_column(PlannedChangeKind, "planned_change_kind")
    )
    takes_effect_on: Mapped[date] = mapped_column(Date)
    capacity: Mapped[int | None] = mapped_column(Integer)
    decision_reference: Mapped[str | None] = mapped_column(String(200))
    # The recorded decision that allows the change (issue 18), if any.
    decision_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("location_decisions.id", ondelete="SET NULL"), index=True
    )
    note: Mapped[str | None] = mapped_column(String(500))
    realised_at: Mapped[datetime | None] = mapped_column()


class OccupancyAssumption(Entity, Base):
    """A location's occupancy rate set by hand for the forecast, instead of its trailing
    90-day rate. ``rate_bp``: basis points (9500 = 95.00 %), exact on both engines."""

    __tablename__ = "occupancy_assumptions"
    __table_args__ = (
        UniqueConstraint("location_id"),
        CheckConstraint("rate_bp BETWEEN 0 AND 10000", name="rate_bp_in_range"),
    )

    location_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("locations.id", ondelete="CASCADE"))
    rate_bp: Mapped[int] = mapped_column(Integer)
    note: Mapped[str | None] = mapped_column(String(500))


class ScenarioChangeKind(enum.StrEnum):
    rate = "rate"  # a scheme's rate x factor (or a set amount) over a period
    capacity = "capacity"  # a location's capacity from a day
    occupancy = "occupancy"  # a location's (or a kind's) occupancy rate from a day
    location_open = "location_open"  # a new (imagined) location opens on a day
    location_close = "location_close"  # a location closes on a day
    cost = "cost"  # an expense category's cost changes by an amount per quarter


class Scenario(Entity, Base):
    """A named set of changes against the base (facts + plan)."""

    __tablename__ = "scenarios"

    name: Mapped[str] = mapped_column(String(200), unique=True)
    description: Mapped[str | None] = mapped_column(String(1000))


class ScenarioChange(Base):
    """One change of a scenario from ``starts_on`` (until ``ends_on``, NULL: open). Its
    parameters depend on the kind and are validated by the API's schema for that kind
    (``params``: e.g. {"schemeId", "factor"} for a rate, {"locationId", "capacity"})."""

    __tablename__ = "scenario_changes"
    __table_args__ = (
        CheckConstraint("ends_on IS NULL OR ends_on >= starts_on", name="ends_after_start"),
        Index("ix_scenario_changes_scenario", "scenario_id", "position"),
    )

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    scenario_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("scenarios.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[ScenarioChangeKind] = mapped_column(
        enum_column(ScenarioChangeKind, "scenario_change_kind")
    )
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    params: Mapped[dict[str, Any]] = mapped_column(JSONType)
