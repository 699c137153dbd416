"""The catalogue of metrics an indicator can measure: the formula is code, its
parameters are data (an indicator's ``params``), checked here on every write so that a
stored indicator always computes.

Each metric answers, per quarter, a numerator and a denominator (``metric_sql``); the
value is their ratio: a share (four decimals) or euros (two decimals).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from api.db.dialect import Sql
from api.errors import FieldProblem, field_problem
from api.goals import metric_sql as m
from api.models import (
    ActivityKind,
    Direction,
    DutchLevel,
    EmploymentStatus,
    ExpenseCategory,
    Group,
    IndicatorUnit,
    LocationKind,
    ProgressField,
    Severity,
    SignalCategory,
)

B1_OR_HIGHER = [DutchLevel.B1.value, DutchLevel.B2.value, DutchLevel.C1.value, DutchLevel.C2.value]
WORKING = [EmploymentStatus.part_time.value, EmploymentStatus.full_time.value]
MAX_DAYS = 365


@dataclass(frozen=True)
class Param:
    name: str  # camelCase, as in an indicator's params
    choices: type[StrEnum] | None  # None: a whole number of days, 1..MAX_DAYS
    required: bool = False


Compute = Callable[[AsyncSession, Sql, Any, dict[str, Any]], Awaitable[m.Figures]]


@dataclass(frozen=True)
class Metric:
    code: str
    unit: IndicatorUnit
    direction: Direction  # the usual one; an indicator may say otherwise
    params: tuple[Param, ...]
    numerator: str  # what is counted, in English (the dashboard words it from the code)
    denominator: str
    compute: Compute
    # Money metrics: the running quarter is measured over its whole months only
    # (quarters.whole_months).
    whole_months: bool = False


GROUP = Param("group", Group)
ACTIVITY_KIND = Param("activityKind", ActivityKind)
LOCATION_KIND = Param("locationKind", LocationKind)
CATEGORY = Param("category", ExpenseCategory)


async def _b1(s: AsyncSession, sql: Sql, q: Any, p: dict[str, Any]) -> m.Figures:
    field = ProgressField.dutch_level
    return await m.progress_share(s, q, field=field, values=B1_OR_HIGHER, group=p.get("group"))


async def _working(s: AsyncSession, sql: Sql, q: Any, p: dict[str, Any]) -> m.Figures:
    field = ProgressField.employment_status
    return await m.progress_share(s, q, field=field, values=WORKING, group=p.get("group"))


async def _volunteering(s: AsyncSession, sql: Sql, q: Any, p: dict[str, Any]) -> m.Figures:
    field, values = ProgressField.employment_status, [EmploymentStatus.volunteering.value]
    return await m.progress_share(s, q, field=field, values=values, group=p.get("group"))


async def _participation(s: AsyncSession, sql: Sql, q: Any, p: dict[str, Any]) -> m.Figures:
    return await m.participation(s, q, activity_kind=p["activityKind"], group=p.get("group"))


async def _attendance(s: AsyncSession, sql: Sql, q: Any, p: dict[str, Any]) -> m.Figures:
    return await m.attendance(s, q, activity_kind=p.get("activityKind"))


async def _occupancy(s: AsyncSession, sql: Sql, q: Any, p: dict[str, Any]) -> m.Figures:
    return await m.occupancy(s, sql, q, location_kind=p.get("locationKind"))


async def _signals(s: AsyncSession, sql: Sql, q: Any, p: dict[str, Any]) -> m.Figures:
    return await m.signals_resolved(
        s,
        sql,
        q,
        days=int(p["days"]),
        category=p.get("signalCategory"),
        severity=p.get("severity"),
    )


async def _per_place_day(s: AsyncSession, sql: Sql, q: Any, p: dict[str, Any]) -> m.Figures:
    kind = p.get("locationKind")
    return await m.cost_per_place_day(s, sql, q, category=p.get("category"), location_kind=kind)


async def _per_participant(s: AsyncSession, sql: Sql, q: Any, p: dict[str, Any]) -> m.Figures:
    kind = p.get("locationKind")
    return await m.cost_per_participant(s, q, category=p.get("category"), location_kind=kind)


SHARE, EURO = IndicatorUnit.share, IndicatorUnit.euro
HIGHER, LOWER = Direction.higher_better, Direction.lower_better
PRESENT = "participants present at the quarter end"
CATALOGUE: dict[str, Metric] = {
    metric.code: metric
    for metric in (
        Metric("dutch_b1_share", SHARE, HIGHER, (GROUP,), "at B1 or higher", PRESENT, _b1),
        Metric(
            "working_share", SHARE, HIGHER, (GROUP,), "working part or full time", PRESENT, _working
        ),
        Metric(
            "volunteering_share", SHARE, HIGHER, (GROUP,), "volunteering", PRESENT, _volunteering
        ),
        Metric(
            "participation_rate",
            SHARE,
            HIGHER,
            (Param("activityKind", ActivityKind, required=True), GROUP),
            "with an open enrollment in an activity of the kind",
            PRESENT,
            _participation,
        ),
        Metric(
            "attendance_rate",
            SHARE,
            HIGHER,
            (ACTIVITY_KIND,),
            "attendance records 'present'",
            "attendance records of sessions in the quarter",
            _attendance,
        ),
        Metric(
            "occupancy_rate",
            SHARE,
            HIGHER,
            (LOCATION_KIND,),
            "person-nights in the quarter",
            "capacity-days in the quarter",
            _occupancy,
        ),
        Metric(
            "signals_resolved_within",
            SHARE,
            HIGHER,
            (
                Param("days", None, required=True),
                Param("signalCategory", SignalCategory),
                Param("severity", Severity),
            ),
            "resolved within the days, before the quarter end",
            "signals reported in the quarter",
            _signals,
        ),
        Metric(
            "cost_per_place_day",
            EURO,
            LOWER,
            (CATEGORY, LOCATION_KIND),
            "expenses booked in the quarter",
            "capacity-days in the quarter",
            _per_place_day,
            whole_months=True,
        ),
        Metric(
            "cost_per_participant",
            EURO,
            LOWER,
            (CATEGORY, LOCATION_KIND),
            "expenses booked in the quarter",
            "participants placed at least one night in the quarter",
            _per_participant,
            whole_months=True,
        ),
    )
}


def check(metric_code: str, params: dict[str, Any], *, where: str = "body") -> list[FieldProblem]:
    """Every problem with a metric and its parameters, each with a stable code."""
    metric = CATALOGUE.get(metric_code)
    if metric is None:
        return [
            field_problem(
                where,
                "metric",
                f"There is no metric '{metric_code}'; see GET /indicator-metrics.",
                code="unknown_metric",
            )
        ]
    problems: list[FieldProblem] = []
    known = {p.name: p for p in metric.params}
    for name in params:
        if name not in known:
            problems.append(
                field_problem(
                    where,
                    f"params.{name}",
                    f"Metric {metric_code} takes no parameter '{name}'.",
                    code="param_unknown",
                    params={"param": name},
                )
            )
    for param in metric.params:
        value = params.get(param.name)
        name = f"params.{param.name}"
        if value is None:
            if param.required:
                problems.append(
                    field_problem(
                        where,
                        name,
                        "This parameter is required.",
                        code="param_required",
                        params={"param": param.name},
                    )
                )
            continue
        if param.choices is None:
            ok = isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= MAX_DAYS
            if not ok:
                problems.append(
                    field_problem(
                        where,
                        name,
                        f"Must be a whole number of days from 1 to {MAX_DAYS}.",
                        code="param_days",
                        params={"param": param.name, "le": MAX_DAYS},
                    )
                )
        elif value not in {c.value for c in param.choices}:
            problems.append(
                field_problem(
                    where,
                    name,
                    f"Must be one of {', '.join(c.value for c in param.choices)}.",
                    code="param_choice",
                    params={"param": param.name},
                )
            )
    return problems
