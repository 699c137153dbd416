"""Signal trends per location and month, set-based: three grouped statements over a
months table (reported by category and severity, resolved with their durations, open at
month end), the same SQL on SQLite and PostgreSQL. Percentiles are taken in Python over
the fetched durations of one month (SQL's percentile functions differ per engine).

Definitions (tested against hand counts in tests/draagvlak):
- a signal counts in the month its ``reportedAt`` falls in (Heemstede's calendar);
- resolved in a month: ``resolvedAt`` in that month; days to resolution are
  ``resolvedAt - reportedAt`` in days (fractional, never below 0), rounded to 0.1;
- median: the middle value, or the mean of the two middle values for an even count;
- 90th percentile: nearest rank, the value at rank ceil(0.9 * n) of the sorted durations;
- open at month end: reported before the next month starts and not resolved by then
  (a reopened signal has no ``resolvedAt`` and counts as open).
"""

from __future__ import annotations

import math
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from api.db.dialect import sql_of
from api.draagvlak.months import Month, month_table
from api.models import Severity, Signal, SignalCategory, SignalStatus
from api.occupancy import LocationFilter

DAY_SECONDS = 86400.0


@dataclass
class Cell:
    """One location's (or the total's) figures for one month."""

    by_category: dict[str, int] = field(
        default_factory=lambda: {c.value: 0 for c in SignalCategory}
    )
    by_severity: dict[str, int] = field(default_factory=lambda: {s.value: 0 for s in Severity})
    durations: list[float] = field(default_factory=list)
    open_at_end: int = 0

    @property
    def reported(self) -> int:
        return sum(self.by_category.values())


def _days(value: float) -> float:
    return float(Decimal(value / DAY_SECONDS).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def median(values: list[float]) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    mid = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[mid]
    return (ordered[mid - 1] + ordered[mid]) / 2


def nearest_rank(values: list[float], percent: int) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    rank = max(math.ceil(percent * len(ordered) / 100), 1)
    return ordered[rank - 1]


def _in(locations: LocationFilter) -> ColumnElement[bool]:
    if locations is None:
        return true()
    if isinstance(locations, uuid.UUID):
        return Signal.location_id == locations
    return Signal.location_id.in_(locations)


Grid = dict[uuid.UUID | None, list[Cell]]


async def trend_grid(
    session: AsyncSession, *, months: list[Month], locations: LocationFilter
) -> Grid:
    """Per location id (``None``: signals without a location) a cell per month, for the
    locations with any figure in the range."""
    m = month_table(sql_of(session), months)
    where = _in(locations)
    grid: Grid = defaultdict(lambda: [Cell() for _ in months])
    reported = (
        select(m.c.mi, Signal.location_id, Signal.category, Signal.severity, func.count())
        .select_from(Signal)
        .join(m, and_(Signal.reported_at >= m.c.ts_lo, Signal.reported_at < m.c.ts_end))
        .where(where)
        .group_by(m.c.mi, Signal.location_id, Signal.category, Signal.severity)
    )
    for mi, location_id, category, severity, n in await session.execute(reported):
        cell = grid[location_id][mi]
        cell.by_category[SignalCategory(category).value] += n
        cell.by_severity[Severity(severity).value] += n
    resolved = (
        select(m.c.mi, Signal.location_id, Signal.reported_at, Signal.resolved_at)
        .select_from(Signal)
        .join(m, and_(Signal.resolved_at >= m.c.ts_lo, Signal.resolved_at < m.c.ts_end))
        .where(where, Signal.status == SignalStatus.resolved)
    )
    for mi, location_id, reported_at, resolved_at in await session.execute(resolved):
        seconds = max((resolved_at - reported_at).total_seconds(), 0.0)
        grid[location_id][mi].durations.append(seconds)
    still_open = (
        select(m.c.mi, Signal.location_id, func.count())
        .select_from(Signal)
        .join(
            m,
            and_(
                Signal.reported_at < m.c.ts_end,
                or_(Signal.resolved_at.is_(None), Signal.resolved_at >= m.c.ts_end),
            ),
        )
        .where(where)
        .group_by(m.c.mi, Signal.location_id)
    )
    for mi, location_id, n in await session.execute(still_open):
        grid[location_id][mi].open_at_end += n
    return dict(grid)


def total(grid: Grid, size: int) -> list[Cell]:
    """All locations together (and the signals without one)."""
    cells = [Cell() for _ in range(size)]
    for row in grid.values():
        for cell, part in zip(cells, row, strict=True):
            for k, v in part.by_category.items():
                cell.by_category[k] += v
            for k, v in part.by_severity.items():
                cell.by_severity[k] += v
            cell.durations += part.durations
            cell.open_at_end += part.open_at_end
    return cells


def row(scope: str, location_id: uuid.UUID | None, month: Month, cell: Cell) -> dict[str, Any]:
    """One item of the trend answer (snake_case names, for the schema)."""
    med = median(cell.durations)
    p90 = nearest_rank(cell.durations, 90)
    return {
        "scope": scope,
        "location_id": location_id,
        "month": str(month),
        "reported": cell.reported,
        "by_category": cell.by_category,
        "by_severity": cell.by_severity,
        "resolved": len(cell.durations),
        "median_days_to_resolve": None if med is None else _days(med),
        "p90_days_to_resolve": None if p90 is None else _days(p90),
        "open_at_month_end": cell.open_at_end,
    }
