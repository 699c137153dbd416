"""Each indicator's series per quarter: value, the target of that year, whether on
track, with the numerator and denominator. One statement for the indicators, one for
their targets and one per distinct metric and parameters -- however many records the
programme holds (tests/goals/test_statements.py)."""

from __future__ import annotations

import json
import uuid
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from api.db.dialect import sql_of
from api.goals.metrics import CATALOGUE
from api.goals.quarters import (
    MAX_QUARTERS,
    Bounds,
    Quarter,
    bounds,
    quarter_table,
    span,
    whole_months,
)
from api.goals.schemas import IndicatorSeries, SeriesPoint
from api.models import Direction, Goal, Indicator, IndicatorTarget, IndicatorUnit
from api.models.base import cents
from api.public.suppression import suppress

FOUR, TWO = Decimal("0.0001"), Decimal("0.01")


def format_value(value: Decimal, unit: IndicatorUnit) -> str:
    """A share with four decimals, euros with two, counts and days as they are."""
    if unit == IndicatorUnit.share:
        return str(value.quantize(FOUR, rounding=ROUND_HALF_UP))
    if unit == IndicatorUnit.euro:
        return str(value.quantize(TWO, rounding=ROUND_HALF_UP))
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def ratio(numerator: int, denominator: int, unit: IndicatorUnit) -> Decimal | None:
    """The value: numerator / denominator (money numerators are cents); None when the
    denominator is zero."""
    if denominator <= 0:
        return None
    top = Decimal(numerator) / 100 if unit == IndicatorUnit.euro else Decimal(numerator)
    places = TWO if unit == IndicatorUnit.euro else FOUR
    return (top / denominator).quantize(places, rounding=ROUND_HALF_UP)


def on_track(value: Decimal | None, target: Decimal | None, direction: Direction) -> bool | None:
    if value is None or target is None:
        return None
    return value >= target if direction == Direction.higher_better else value <= target


def small(denominator: int) -> bool:
    """The public page's rule (``api.public.suppression``): fewer than 5 is hidden."""
    return suppress({"denominator": denominator}).total_hidden


def _point(
    b: Bounds,
    figures: tuple[int, int],
    target: Decimal | None,
    indicator: Any,
    hide_small: bool,
    public: bool,
) -> SeriesPoint:
    numerator, denominator = figures
    unit: IndicatorUnit = indicator.unit
    value = ratio(numerator, denominator, unit)
    hidden = hide_small and small(denominator)
    if not b.started:  # a quarter to come: a target, no figures yet
        return SeriesPoint(
            year=b.year,
            quarter=b.q,
            period_start=b.first,
            period_end=b.last,
            as_of=None,
            value=None,
            target=None if target is None else format_value(target, unit),
            on_track=None,
            numerator=None,
            denominator=None,
            suppressed=False,
        )
    if hidden:
        value = None
    shown_numerator = str(cents(numerator)) if unit == IndicatorUnit.euro else str(numerator)
    return SeriesPoint(
        year=b.year,
        quarter=b.q,
        period_start=b.first,
        period_end=b.last,
        as_of=b.until,
        value=None if value is None else format_value(value, unit),
        target=None if target is None else format_value(target, unit),
        on_track=on_track(value, target, indicator.direction),
        numerator=None if public or hidden else shown_numerator,
        denominator=None if public or hidden else denominator,
        suppressed=hidden,
    )


async def _indicators(
    session: AsyncSession, public_only: bool, goal_id: uuid.UUID | None
) -> list[Any]:
    stmt = (
        select(
            Indicator.id,
            Indicator.goal_id,
            Goal.title.label("goal_title"),
            Goal.theme.label("goal_theme"),
            Indicator.title,
            Indicator.metric,
            Indicator.params,
            Indicator.unit,
            Indicator.direction,
            Indicator.public,
        )
        .join(Goal, Goal.id == Indicator.goal_id)
        .order_by(Goal.title, Indicator.position, Indicator.title, Indicator.id)
    )
    if public_only:
        stmt = stmt.where(Goal.public.is_(True), Indicator.public.is_(True))
    if goal_id is not None:
        stmt = stmt.where(Indicator.goal_id == goal_id)
    return list((await session.execute(stmt)).all())


async def _targets(session: AsyncSession, ids: list[uuid.UUID]) -> dict[tuple[Any, int], Decimal]:
    if not ids:
        return {}
    stmt = select(IndicatorTarget.indicator_id, IndicatorTarget.year, IndicatorTarget.value).where(
        IndicatorTarget.indicator_id.in_(ids)
    )
    return {(i, y): v for i, y, v in (await session.execute(stmt)).all()}


async def indicator_series(
    session: AsyncSession,
    *,
    first: tuple[int, int],
    last: tuple[int, int],
    public_only: bool = False,
    goal_id: uuid.UUID | None = None,
    suppress_small: bool | None = None,
) -> list[IndicatorSeries]:
    """Every indicator (only the public ones of public goals with ``public_only``) per
    quarter ``first..last`` (``(year, q)``, inclusive). ``suppress_small`` (default: as
    ``public_only``) hides a value whose denominator is 1 to 4, as the public page does;
    ``public_only`` also leaves out numerators and denominators."""
    quarters: list[Quarter] = span(first, last)
    if not quarters or len(quarters) > MAX_QUARTERS:
        raise ValueError(f"from {first} to {last}: 1 to {MAX_QUARTERS} quarters")
    hide_small = public_only if suppress_small is None else suppress_small
    rows = await _indicators(session, public_only, goal_id)
    targets = await _targets(session, [r.id for r in rows])
    all_bounds = [bounds(q) for q in quarters]
    # The quarters that have begun come first (they are in order): their places in the
    # quarter table are their places in the series.
    begun = [b for b in all_bounds if b.started]
    sql = sql_of(session)
    table = quarter_table(sql, begun) if begun else None
    # Money metrics measure the running quarter over its whole months; only the running
    # quarter can lose its place here, and it is the last begun, so places stay aligned.
    money_bounds = [whole_months(b) if b.started else b for b in all_bounds]
    money_begun = [b for b in money_bounds if b.started]
    money_table = quarter_table(sql, money_begun) if money_begun else None
    computed: dict[str, dict[int, tuple[int, int]]] = {}
    out: list[IndicatorSeries] = []
    for row in rows:
        params = dict(row.params or {})
        key = json.dumps([row.metric, params], sort_keys=True)
        metric = CATALOGUE[row.metric]
        used = money_table if metric.whole_months else table
        if key not in computed:  # indicators measuring the same thing share a statement
            computed[key] = (
                await metric.compute(session, sql, used, params) if used is not None else {}
            )
        figures = computed[key]
        points = [
            _point(
                money_bounds[i] if metric.whole_months else b,
                figures.get(i, (0, 0)),
                targets.get((row.id, b.year)),
                row,
                hide_small,
                public_only,
            )
            for i, b in enumerate(all_bounds)
        ]
        out.append(
            IndicatorSeries(
                indicator_id=row.id,
                goal_id=row.goal_id,
                goal_title=row.goal_title,
                goal_theme=row.goal_theme,
                title=row.title,
                metric=row.metric,
                params=params,
                unit=row.unit,
                direction=row.direction,
                public=row.public,
                points=points,
            )
        )
    return out
