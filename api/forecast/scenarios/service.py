"""Scenario rules: a unique name (409), and every scheme and location a change names
exists (each missing one listed in one 400, named by its place in the list). The params
of a change are checked by its kind's schema; stored as JSON beside the kind and period."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from sqlalchemy import bindparam, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from api.auth.principal import Principal
from api.auth.scoping import FastRead
from api.common.etag import check_if_match
from api.db.fast import DriverQuery, Reader
from api.errors import BadRequest, Conflict, FieldProblem, NotFound, ProblemType, field_problem
from api.forecast.changes import change_of, params_of
from api.forecast.scenarios.schemas import ScenarioCreate, ScenarioRead, ScenarioUpdate
from api.models import Location, ReimbursementScheme, Scenario, ScenarioChange
from api.models.base import utcnow


async def _changes_of(session: AsyncSession, ids: list[uuid.UUID]) -> dict[uuid.UUID, list[Any]]:
    sc = ScenarioChange
    stmt = (
        select(sc.scenario_id, sc.kind, sc.starts_on, sc.ends_on, sc.params)
        .where(sc.scenario_id.in_(ids))
        .order_by(sc.scenario_id, sc.position)
    )
    out: dict[uuid.UUID, list[Any]] = {i: [] for i in ids}
    for sid, kind, starts_on, ends_on, params in (await session.execute(stmt)).all():
        out[sid].append(change_of(str(kind), starts_on, ends_on, params))
    return out


def _read(scenario: Any, changes: list[Any]) -> ScenarioRead:
    return ScenarioRead(
        id=scenario.id,
        version=scenario.version,
        created_at=scenario.created_at,
        updated_at=scenario.updated_at,
        name=scenario.name,
        description=scenario.description,
        changes=changes,
    )


async def list_all(session: AsyncSession) -> list[ScenarioRead]:
    """By name; two statements whatever the number of scenarios."""
    scenarios = (await session.execute(select(Scenario).order_by(Scenario.name))).scalars().all()
    changes = await _changes_of(session, [s.id for s in scenarios])
    return [_read(s, changes[s.id]) for s in scenarios]


async def _get(session: AsyncSession, scenario_id: uuid.UUID) -> Scenario:
    scenario = await session.get(Scenario, scenario_id)
    if scenario is None:
        raise NotFound(f"There is no scenario with id {scenario_id}.")
    return scenario


_CHANGES = DriverQuery(
    select(
        ScenarioChange.kind,
        ScenarioChange.starts_on,
        ScenarioChange.ends_on,
        ScenarioChange.params,
    )
    .where(ScenarioChange.scenario_id == bindparam("scenario_id"))
    .order_by(ScenarioChange.position),
    ["kind", "starts_on", "ends_on", "params"],
)


async def _changes(reader: Reader, row: Mapping[str, Any]) -> dict[str, Any]:
    """The scenario's changes in order, as ``_changes_of`` gives them."""
    found = await reader.rows(_CHANGES, {"scenario_id": row["id"]})
    return {
        "changes": [
            change_of(str(c["kind"]), c["starts_on"], c["ends_on"], c["params"]) for c in found
        ]
    }


BY_ID = FastRead(
    Scenario,
    ScenarioRead,
    "scenario",
    stmt=select(*(getattr(Scenario, n) for n in ScenarioRead.model_fields if n != "changes")),
    children=_changes,
)


async def read(session: AsyncSession, *, scenario_id: uuid.UUID) -> ScenarioRead:
    scenario = await _get(session, scenario_id)
    return _read(scenario, (await _changes_of(session, [scenario.id]))[scenario.id])


async def _check_name(session: AsyncSession, name: str, exclude: uuid.UUID | None = None) -> None:
    clash = select(Scenario.id).where(func.lower(Scenario.name) == name.lower())
    if exclude is not None:
        clash = clash.where(Scenario.id != exclude)
    if (await session.execute(clash)).first() is not None:
        raise Conflict(
            f"A scenario named '{name}' already exists.",
            type_=ProblemType.DUPLICATE,
            extra={"field": "name"},
        )


async def _check_references(session: AsyncSession, changes: list[Any]) -> None:
    """Each scheme and location named exists: two statements for the whole list."""
    wanted: list[tuple[str, str, uuid.UUID]] = []
    for i, c in enumerate(changes):
        for attr, name in (("scheme_id", "schemeId"), ("location_id", "locationId")):
            value = getattr(c, attr, None)
            if value is not None:
                # Named as pydantic names a field of the kind: changes.0.rate.schemeId.
                wanted.append((attr, f"changes.{i}.{c.kind}.{name}", value))
    schemes = {v for a, _, v in wanted if a == "scheme_id"}
    locations = {v for a, _, v in wanted if a == "location_id"}
    found: set[uuid.UUID] = set()
    if schemes:
        stmt = select(ReimbursementScheme.id).where(ReimbursementScheme.id.in_(schemes))
        found.update((await session.execute(stmt)).scalars())
    if locations:
        stmt = select(Location.id).where(Location.id.in_(locations))
        found.update((await session.execute(stmt)).scalars())
    problems: list[FieldProblem] = [
        field_problem("body", name, "There is no such record.", code="unknown_reference")
        for _, name, value in wanted
        if value not in found
    ]
    if problems:
        raise BadRequest(
            f"The scenario has {len(problems)} invalid value(s); see errors.",
            type_=ProblemType.INVALID_INPUT,
            errors=problems,
        )


def _rows(scenario_id: uuid.UUID, changes: list[Any]) -> list[ScenarioChange]:
    return [
        ScenarioChange(
            scenario_id=scenario_id,
            position=i,
            kind=c.kind,
            starts_on=c.starts_on,
            ends_on=c.ends_on,
            params=params_of(c),
        )
        for i, c in enumerate(changes)
    ]


async def create(session: AsyncSession, *, data: ScenarioCreate, actor: Principal) -> ScenarioRead:
    await _check_references(session, data.changes)
    await _check_name(session, data.name)
    scenario = Scenario(name=data.name, description=data.description)
    session.add(scenario)
    await session.flush()
    session.add_all(_rows(scenario.id, data.changes))
    await session.flush()
    return _read(scenario, data.changes)


async def update(
    session: AsyncSession,
    *,
    scenario_id: uuid.UUID,
    data: ScenarioUpdate,
    actor: Principal,
    if_match: str | None,
) -> ScenarioRead:
    scenario = await _get(session, scenario_id)
    check_if_match(if_match, scenario.version)
    fields = data.model_fields_set
    cleared = [n for n in ("name", "changes") if n in fields and getattr(data, n) is None]
    if cleared:
        raise BadRequest(
            f"The scenario has {len(cleared)} invalid value(s); see errors.",
            type_=ProblemType.INVALID_INPUT,
            errors=[field_problem("body", n, "Cannot be cleared.", code="cannot_clear")
                    for n in cleared],
        )  # fmt: skip
    if data.changes is not None:
        await _check_references(session, data.changes)
    if data.name is not None:
        await _check_name(session, data.name, exclude=scenario.id)
        scenario.name = data.name
    if "description" in fields:
        scenario.description = data.description
    if "changes" in fields and data.changes is not None:
        old = (await session.execute(
            select(ScenarioChange).where(ScenarioChange.scenario_id == scenario.id)
        )).scalars().all()  # fmt: skip
        for row in old:
            await session.delete(row)
        await session.flush()
        session.add_all(_rows(scenario.id, data.changes))
    scenario.updated_at = utcnow()  # a new version, also when only the changes changed
    await session.flush()
    return await read(session, scenario_id=scenario.id)


async def delete(
    session: AsyncSession, *, scenario_id: uuid.UUID, actor: Principal, if_match: str | None
) -> None:
    scenario = await _get(session, scenario_id)
    check_if_match(if_match, scenario.version)
    await session.delete(scenario)
    await session.flush()
