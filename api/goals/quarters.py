"""Quarters as ``(year, q)`` and the one table of quarter bounds every metric joins to.

Each metric computes all requested quarters in ONE statement: the quarters are a
``UNION ALL`` of literal rows (index, first day, last day, the day after as a day number,
and the same bounds as UTC instants of Heemstede's midnights for timestamps), joined to
the dated history. Bounds are inlined, not bound: asyncpg cannot type a bare parameter
in a UNION branch, and a fixed text per number of quarters keeps the plan cache small.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Integer, literal_column, select, union_all

from api.common.calendar import LOCAL_TZ, today
from api.db.dialect import Sql

Quarter = tuple[int, int]
MAX_QUARTERS = 40  # ten years in one series


@dataclass(frozen=True)
class Bounds:
    year: int
    q: int
    first: date
    last: date
    # The day the figures are measured as of: the quarter's last day, or today for the
    # current quarter (what lies after today is a plan, not a fact yet).
    until: date

    @property
    def key(self) -> Quarter:
        return (self.year, self.q)

    @property
    def started(self) -> bool:
        return self.first <= self.until


def bounds(quarter: Quarter, on: date | None = None) -> Bounds:
    """The quarter's days; measured as of ``on`` (default today) when that comes first."""
    year, q = quarter
    last_month = 3 * q
    last = date(year, last_month, calendar.monthrange(year, last_month)[1])
    return Bounds(year, q, date(year, last_month - 2, 1), last, min(last, on or today()))


def whole_months(b: Bounds) -> Bounds:
    """The quarter measured up to its last whole month: money is booked per month (rent
    and salaries on the 1st, for the month ahead), so the running quarter's costs over
    its days so far would overstate a cost per day early in a month. While no month of
    the quarter has ended it has not begun for these metrics (no figures yet)."""
    if b.until == b.last:
        return b
    after = b.until + timedelta(days=1)
    end = b.until if after.day == 1 else date(b.until.year, b.until.month, 1) - timedelta(days=1)
    return replace(b, until=end)  # end < first: not begun


def quarter_of(day: date) -> Quarter:
    return (day.year, (day.month - 1) // 3 + 1)


def shift(quarter: Quarter, by: int) -> Quarter:
    index = quarter[0] * 4 + quarter[1] - 1 + by
    return (index // 4, index % 4 + 1)


def span(first: Quarter, last: Quarter) -> list[Quarter]:
    """``first..last`` inclusive, in order (empty when last is before first)."""
    out: list[Quarter] = []
    current = first
    while current <= last:
        out.append(current)
        current = shift(current, 1)
    return out


def default_span(on: date | None = None) -> tuple[Quarter, Quarter]:
    """The last eight quarters up to the current one."""
    current = quarter_of(on or today())
    return shift(current, -7), current


def parse(text: str) -> Quarter | None:
    """``2026Q3`` (or ``2026-Q3``) as ``(2026, 3)``; None when it is not one."""
    cleaned = text.strip().upper().replace("-", "")
    if len(cleaned) != 6 or cleaned[4] != "Q" or not cleaned[:4].isdigit():
        return None
    q = cleaned[5]
    if q not in "1234":
        return None
    year = int(cleaned[:4])
    return (year, int(q)) if 2000 <= year <= 2100 else None


def label(quarter: Quarter) -> str:
    return f"{quarter[0]}Q{quarter[1]}"


def _midnight_utc(day: date) -> datetime:
    """The start of ``day`` in Heemstede, in UTC (timestamps are stored in UTC)."""
    return datetime.combine(day, time.min, LOCAL_TZ).astimezone(UTC)


def quarter_table(sql: Sql, quarters: list[Bounds]) -> Any:
    """``qi, lo, hi`` (dates, inclusive; ``hi`` the day measured as of), ``lo_n, end_n``
    (day numbers of the first day and the day after ``hi``, for interval lengths),
    ``ts_lo, ts_end`` (instants). Quarters that have not begun are left to the caller."""
    rows = [
        select(
            literal_column(str(i), Integer).label("qi"),
            sql.date_literal(b.first).label("lo"),
            sql.date_literal(b.until).label("hi"),
            sql.day(b.first).label("lo_n"),
            sql.day(b.until + timedelta(days=1)).label("end_n"),
            sql.instant_literal(_midnight_utc(b.first)).label("ts_lo"),
            sql.instant_literal(_midnight_utc(b.until + timedelta(days=1))).label("ts_end"),
        )
        for i, b in enumerate(quarters)
    ]
    return (union_all(*rows) if len(rows) > 1 else rows[0]).subquery("quarters")
