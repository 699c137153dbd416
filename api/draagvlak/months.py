"""Calendar months in Heemstede's time: bounds as UTC instants and a months table for SQL,
the same statement on both engines (the bounds are written into it, no date functions)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import Integer, literal_column, select, union_all

from api.common.calendar import LOCAL_TZ
from api.db.dialect import Sql

MAX_MONTHS = 60


@dataclass(frozen=True)
class Month:
    year: int
    month: int

    @classmethod
    def parse(cls, text: str) -> Month:
        year, month = text.split("-")
        return cls(int(year), int(month))

    @classmethod
    def of(cls, day: date) -> Month:
        return cls(day.year, day.month)

    def plus(self, n: int) -> Month:
        index = self.year * 12 + self.month - 1 + n
        return Month(index // 12, index % 12 + 1)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def first(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def start(self) -> datetime:
        """Midnight at the start of the month in Heemstede, in UTC."""
        return datetime.combine(self.first, time.min, LOCAL_TZ).astimezone(UTC)


def span(first: Month, last: Month) -> list[Month]:
    count = (last.year - first.year) * 12 + last.month - first.month + 1
    return [first.plus(i) for i in range(max(count, 0))]


def month_table(sql: Sql, months: list[Month]) -> Any:
    """``mi`` (index into ``months``), ``ts_lo`` and ``ts_end`` (the month's start and the
    next month's start, UTC instants)."""
    rows = [
        select(
            literal_column(str(i), Integer).label("mi"),
            sql.instant_literal(m.start).label("ts_lo"),
            sql.instant_literal(m.plus(1).start).label("ts_end"),
        )
        for i, m in enumerate(months)
    ]
    return (union_all(*rows) if len(rows) > 1 else rows[0]).subquery("months")
