"""Goal and indicator rules: titles of goals are unique; an indicator's metric and
parameters are checked against the catalogue (every problem named), its unit is the
metric's, and its targets (one per year) are replaced as a whole on a change. Writes go
through the ORM, so the audit hook records them; services flush, never commit."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from pydantic.alias_generators import to_camel
from sqlalchemy import Select, bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession

from api.auth.principal import Principal
from api.auth.scoping import FastRead
from api.common.etag import check_if_match
from api.db.fast import DriverQuery, Reader
from api.errors import BadRequest, Conflict, FieldProblem, NotFound, ProblemType, field_problem
from api.goals import metrics
from api.goals.schemas import (
    GoalCreate,
    GoalQuery,
    GoalRead,
    GoalUpdate,
    IndicatorCreate,
    IndicatorQuery,
    IndicatorRead,
    IndicatorUpdate,
    TargetIn,
    TargetRead,
)
from api.goals.series import format_value
from api.models import Goal, Indicator, IndicatorTarget, utcnow

GOAL_SORTABLE = {"title": Goal.title, "theme": Goal.theme, "createdAt": Goal.created_at}
GOAL_ORDER = [Goal.theme, Goal.title, Goal.id]
INDICATOR_SORTABLE = {"title": Indicator.title, "position": Indicator.position}
INDICATOR_ORDER = [Indicator.position, Indicator.title, Indicator.id]


def _bad(problems: list[FieldProblem], what: str) -> BadRequest:
    return BadRequest(
        f"{what} has {len(problems)} invalid value(s); see errors.",
        type_=ProblemType.INVALID_INPUT,
        errors=problems,
    )


# --- goals -----------------------------------------------------------------------------


def goal_statement(query: GoalQuery) -> Select[Any]:
    stmt = select(*(getattr(Goal, n) for n in GoalRead.model_fields))
    if query.theme is not None:
        stmt = stmt.where(Goal.theme == query.theme)
    if query.public is not None:
        stmt = stmt.where(Goal.public.is_(query.public))
    return stmt


GOAL_BY_ID = FastRead(Goal, GoalRead, "goal")


async def load_goal(session: AsyncSession, goal_id: uuid.UUID) -> Goal:
    goal = await session.get(Goal, goal_id)
    if goal is None:
        raise NotFound(f"There is no goal with id {goal_id}.")
    return goal


async def _title_taken(session: AsyncSession, title: str, other_than: uuid.UUID | None) -> None:
    stmt = select(Goal.id).where(Goal.title == title)
    if other_than is not None:
        stmt = stmt.where(Goal.id != other_than)
    if (await session.execute(stmt)).first() is not None:
        raise Conflict(f"A goal titled '{title}' exists already.")


async def create_goal(session: AsyncSession, *, data: GoalCreate, actor: Principal) -> Goal:
    await _title_taken(session, data.title, None)
    goal = Goal(**data.model_dump(by_alias=False))
    session.add(goal)
    await session.flush()
    return goal


async def update_goal(
    session: AsyncSession,
    *,
    goal_id: uuid.UUID,
    data: GoalUpdate,
    actor: Principal,
    if_match: str | None,
) -> Goal:
    goal = await load_goal(session, goal_id)
    check_if_match(if_match, goal.version)
    changes = data.model_dump(exclude_unset=True, by_alias=False)
    problems = [
        field_problem("body", name, "Cannot be cleared.", code="cannot_clear")
        for name in ("title", "theme", "public")
        if name in changes and changes[name] is None
    ]
    if problems:
        raise _bad(problems, "The goal")
    if "title" in changes:
        await _title_taken(session, changes["title"], goal.id)
    for field, value in changes.items():
        setattr(goal, field, value)
    await session.flush()
    return goal


async def delete_goal(
    session: AsyncSession, *, goal_id: uuid.UUID, actor: Principal, if_match: str | None
) -> None:
    """Its indicators and their targets go with it (ON DELETE CASCADE)."""
    goal = await load_goal(session, goal_id)
    check_if_match(if_match, goal.version)
    await session.delete(goal)
    await session.flush()


# --- indicators --------------------------------------------------------------------------


def indicator_statement(query: IndicatorQuery) -> Select[Any]:
    names = [n for n in IndicatorRead.model_fields if n != "targets"]
    stmt = select(*(getattr(Indicator, n) for n in names))
    if query.goal_id is not None:
        stmt = stmt.where(Indicator.goal_id == query.goal_id)
    return stmt


async def with_targets(session: AsyncSession, items: list[IndicatorRead]) -> None:
    """Fill in the targets of a page of indicators, in one statement."""
    if not items:
        return
    by_id = {item.id: item for item in items}
    stmt = (
        select(IndicatorTarget.indicator_id, IndicatorTarget.year, IndicatorTarget.value)
        .where(IndicatorTarget.indicator_id.in_(list(by_id)))
        .order_by(IndicatorTarget.year)
    )
    for indicator_id, year, value in (await session.execute(stmt)).all():
        item = by_id[indicator_id]
        item.targets.append(TargetRead(year=year, value=format_value(value, item.unit)))


async def targets_of_page(reader: Reader, items: list[dict[str, Any]]) -> None:
    """``with_targets`` on the driver, for a page of the list (JSON names)."""
    by_id: dict[str, dict[str, Any]] = {}
    for item in items:
        item["targets"] = []
        by_id[str(item["id"])] = item
    if not by_id:
        return
    stmt = (
        select(IndicatorTarget.indicator_id, IndicatorTarget.year, IndicatorTarget.value)
        .where(IndicatorTarget.indicator_id.in_([item["id"] for item in items]))
        .order_by(IndicatorTarget.year)
    )
    for indicator_id, year, value in await reader.select(stmt):
        item = by_id[str(indicator_id)]
        item["targets"].append({"year": year, "value": format_value(value, item["unit"])})


_TARGETS = DriverQuery(
    select(IndicatorTarget.year, IndicatorTarget.value)
    .where(IndicatorTarget.indicator_id == bindparam("indicator_id"))
    .order_by(IndicatorTarget.year),
    ["year", "value"],
)


async def _targets(reader: Reader, row: Mapping[str, Any]) -> dict[str, Any]:
    """The indicator's targets by year, as ``with_targets`` gives them."""
    found = await reader.rows(_TARGETS, {"indicator_id": row["id"]})
    unit = row["unit"]
    return {
        "targets": [{"year": t["year"], "value": format_value(t["value"], unit)} for t in found]
    }


INDICATOR_BY_ID = FastRead(
    Indicator,
    IndicatorRead,
    "indicator",
    stmt=select(*(getattr(Indicator, n) for n in IndicatorRead.model_fields if n != "targets")),
    children=_targets,
)


async def read_indicator(session: AsyncSession, indicator_id: uuid.UUID) -> IndicatorRead:
    indicator = await load_indicator(session, indicator_id)
    answer = IndicatorRead.model_validate(indicator)
    answer.targets = []
    await with_targets(session, [answer])
    return answer


async def load_indicator(session: AsyncSession, indicator_id: uuid.UUID) -> Indicator:
    indicator = await session.get(Indicator, indicator_id)
    if indicator is None:
        raise NotFound(f"There is no indicator with id {indicator_id}.")
    return indicator


async def _check(session: AsyncSession, values: dict[str, Any]) -> None:
    """Every problem at once: the goal, the metric and its parameters, the unit."""
    problems: list[FieldProblem] = []
    if values.get("goal_id") is not None and await session.get(Goal, values["goal_id"]) is None:
        problems.append(field_problem("body", "goalId", "There is no such goal.", code="not_found"))
    problems += metrics.check(values["metric"], values.get("params") or {})
    metric = metrics.CATALOGUE.get(values["metric"])
    unit = values.get("unit")
    if metric is not None and unit is not None and unit != metric.unit:
        problems.append(
            field_problem(
                "body",
                "unit",
                f"Metric {metric.code} measures in {metric.unit.value}.",
                code="unit_mismatch",
                params={"unit": metric.unit.value},
            )
        )
    if problems:
        raise _bad(problems, "The indicator")


def _set_targets(session: AsyncSession, indicator_id: uuid.UUID, targets: list[TargetIn]) -> None:
    for target in targets:
        session.add(
            IndicatorTarget(indicator_id=indicator_id, year=target.year, value=target.value)
        )


async def create_indicator(
    session: AsyncSession, *, data: IndicatorCreate, actor: Principal
) -> Indicator:
    values = data.model_dump(by_alias=False, exclude={"targets"})
    await _check(session, values)
    metric = metrics.CATALOGUE[values["metric"]]
    values["unit"] = metric.unit
    values["direction"] = values["direction"] or metric.direction
    indicator = Indicator(id=uuid.uuid4(), **values)
    session.add(indicator)
    await session.flush()
    _set_targets(session, indicator.id, data.targets)
    await session.flush()
    return indicator


async def update_indicator(
    session: AsyncSession,
    *,
    indicator_id: uuid.UUID,
    data: IndicatorUpdate,
    actor: Principal,
    if_match: str | None,
) -> Indicator:
    indicator = await load_indicator(session, indicator_id)
    check_if_match(if_match, indicator.version)
    changes = data.model_dump(exclude_unset=True, by_alias=False, exclude={"targets"})
    problems = [
        field_problem("body", to_camel(name), "Cannot be cleared.", code="cannot_clear")
        for name, value in changes.items()
        if value is None
    ]
    if problems:
        raise _bad(problems, "The indicator")
    merged = {
        "goal_id": changes.get("goal_id"),
        "metric": changes.get("metric", indicator.metric),
        # A new metric takes the parameters sent with it (none: no parameters).
        "params": changes.get("params", indicator.params if "metric" not in changes else {}),
        "unit": changes.get("unit"),
    }
    await _check(session, merged)
    for field, value in changes.items():
        setattr(indicator, field, value)
    indicator.params = merged["params"]
    indicator.unit = metrics.CATALOGUE[merged["metric"]].unit
    if data.targets is not None:
        old = await session.execute(
            select(IndicatorTarget).where(IndicatorTarget.indicator_id == indicator.id)
        )
        for target in old.scalars():
            await session.delete(target)
        await session.flush()
        _set_targets(session, indicator.id, data.targets)
        indicator.updated_at = utcnow()  # new targets are a new version of the indicator
    await session.flush()
    return indicator


async def delete_indicator(
    session: AsyncSession, *, indicator_id: uuid.UUID, actor: Principal, if_match: str | None
) -> None:
    indicator = await load_indicator(session, indicator_id)
    check_if_match(if_match, indicator.version)
    await session.delete(indicator)
    await session.flush()
