"""Declarative base, shared column types and mixins."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    ColumnElement,
    DateTime,
    Integer,
    MetaData,
    TypeDecorator,
    Uuid,
    false,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware timestamps on both engines (SQLite stores them without a zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use an aware UTC datetime")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


JSONType = JSON().with_variant(JSONB(), "postgresql")

CENT = Decimal("0.01")


class Money(TypeDecorator[Decimal]):
    """Euros as ``Decimal`` in Python, whole cents (BIGINT) in the database: exact on
    both engines, also inside ``SUM`` (SQLite has no decimal type; its NUMERIC would
    round-trip through floats). A value with more than two decimals is refused, never
    rounded silently: rounding is the engine's business, once per line.

    Raw SQL over these columns sees cents; ``cents()`` turns such a sum back."""

    impl = BigInteger
    cache_ok = True

    def process_bind_param(self, value: Decimal | None, dialect: Dialect) -> int | None:
        if value is None:
            return None
        value = Decimal(value)
        if value != value.quantize(CENT):
            raise ValueError(f"{value} has more than two decimals")
        return int(value * 100)

    def process_result_value(self, value: int | None, dialect: Dialect) -> Decimal | None:
        return None if value is None else cents(value)


def cents(value: int) -> Decimal:
    """Whole cents from the database as euros with two places."""
    return (Decimal(int(value)) / 100).quantize(CENT, rounding=ROUND_HALF_UP)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: dict[Any, Any] = {datetime: UTCDateTime(), uuid.UUID: Uuid()}


class Entity:
    """UUID id, timestamps and an optimistic-locking ``version`` for API resources."""

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4, sort_order=-10)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, sort_order=10)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow, sort_order=10)
    version: Mapped[int] = mapped_column(Integer, nullable=False, sort_order=10)

    @classmethod
    def partner_scope(cls, partner_id: uuid.UUID) -> ColumnElement[bool]:
        """Which rows belong to a partner. Default-deny: a model that does not say
        otherwise shows a partner nothing (see ``api.auth.scoping``)."""
        return false()

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        return {"version_id_col": cls.version}
