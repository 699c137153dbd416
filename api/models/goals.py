"""The programme's goals as data: a goal serves one theme of the council decision and has
indicators; an indicator is a metric from the catalogue in code (``api.goals.metrics``:
the formula is code, its parameters are data) with a direction, a unit and a target per
year."""

from __future__ import annotations

import enum
import uuid
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Integer,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Mapped, mapped_column

from api.models.base import Base, Entity, JSONType
from api.models.partner import enum_column

SCALE = 10_000  # target values keep four decimals (a share of 0.3850, euros 12.50)


class GoalTheme(enum.StrEnum):
    """The themes of the council decision (Sociaal programma opvang vluchtelingen)."""

    language = "language"
    work = "work"
    volunteering = "volunteering"
    sport = "sport"
    education = "education"
    health = "health"
    participation = "participation"
    support = "support"  # draagvlak
    finance = "finance"  # budget neutrality, cost awareness


class Direction(enum.StrEnum):
    # (``lower`` and ``count`` would shadow str methods: the names differ from the values)
    higher_better = "higher"  # on track when value >= target
    lower_better = "lower"  # on track when value <= target


class IndicatorUnit(enum.StrEnum):
    share = "share"  # a fraction 0..1
    quantity = "count"
    euro = "euro"
    days = "days"


class Fixed4(TypeDecorator[Decimal]):
    """A decimal with four places as a whole number of ten-thousandths: exact on both
    engines (SQLite's NUMERIC would round-trip through floats)."""

    impl = BigInteger
    cache_ok = True

    def process_bind_param(self, value: Decimal | None, dialect: Dialect) -> int | None:
        if value is None:
            return None
        return int((Decimal(value) * SCALE).to_integral_value())

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        return (Decimal(int(value)) / SCALE).quantize(Decimal("0.0001"))


class Goal(Entity, Base):
    __tablename__ = "goals"

    title: Mapped[str] = mapped_column(String(200), unique=True)
    description: Mapped[str | None] = mapped_column(Text)
    theme: Mapped[GoalTheme] = mapped_column(enum_column(GoalTheme, "goal_theme"))
    public: Mapped[bool] = mapped_column(Boolean, default=False)


class Indicator(Entity, Base):
    """``metric`` names a formula of the catalogue; ``params`` its parameters (checked by
    the catalogue on every write, so a stored indicator always computes)."""

    __tablename__ = "indicators"

    goal_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("goals.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    metric: Mapped[str] = mapped_column(String(64))
    params: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    direction: Mapped[Direction] = mapped_column(enum_column(Direction, "indicator_direction"))
    unit: Mapped[IndicatorUnit] = mapped_column(enum_column(IndicatorUnit, "indicator_unit"))
    public: Mapped[bool] = mapped_column(Boolean, default=False)
    position: Mapped[int] = mapped_column(Integer, default=0)  # order within the goal


class IndicatorTarget(Base):
    """The target value of an indicator for one calendar year."""

    __tablename__ = "indicator_targets"
    __table_args__ = (
        UniqueConstraint("indicator_id", "year"),
        CheckConstraint("year BETWEEN 2000 AND 2100", name="year_in_range"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    indicator_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("indicators.id", ondelete="CASCADE"))
    year: Mapped[int] = mapped_column(Integer)
    value: Mapped[Decimal] = mapped_column(Fixed4())
