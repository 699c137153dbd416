"""Planned capacity changes: what the coordinator plans per location, apart from the
capacity history (facts).

Rules, each a problem of the one 400: the day is after today (Heemstede's date); the
location exists; `capacity` and `opening` give the places, `closing` none; an opening
only for a location whose `openedOn` is that day or later (a location to open is
registered with its future opening date); a closing after the opening; a capacity
change within the open dates (from the opening, before a closing); one planned change
per location and day. A realised change is history: it no longer changes (409)."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from api.auth.principal import Principal
from api.auth.scoping import FastRead
from api.capacity_plan.schemas import (
    PlannedChangeCreate,
    PlannedChangeQuery,
    PlannedChangeRead,
    PlannedChangeUpdate,
)
from api.common import calendar
from api.common.etag import check_if_match
from api.decisions.service import check_for_location
from api.errors import BadRequest, Conflict, FieldProblem, NotFound, ProblemType, field_problem
from api.models import Location, PlannedCapacityChange, PlannedChangeKind

P = PlannedCapacityChange
SORTABLE = {"takesEffectOn": P.takes_effect_on, "location": Location.name}
DEFAULT_ORDER = [P.takes_effect_on, Location.name, P.id]
COLUMNS: list[Any] = [
    P.id, P.version, P.created_at, P.updated_at, P.location_id,
    Location.name.label("location_name"), P.kind, P.takes_effect_on, P.capacity,
    P.decision_reference, P.decision_id, P.note, P.realised_at,
]  # fmt: skip


def _bad(problems: list[FieldProblem]) -> BadRequest:
    return BadRequest(
        f"The planned change has {len(problems)} invalid value(s); see errors.",
        type_=ProblemType.INVALID_INPUT,
        errors=problems,
    )


def _select() -> Select[Any]:
    return select(*COLUMNS).join(Location, Location.id == P.location_id)


BY_ID = FastRead(P, PlannedChangeRead, "planned change", stmt=_select())


def list_statement(query: PlannedChangeQuery) -> Select[Any]:
    stmt = _select()
    if query.location_id is not None:
        stmt = stmt.where(P.location_id == query.location_id)
    if query.realised is not None:
        stmt = stmt.where(P.realised_at.is_not(None) if query.realised else P.realised_at.is_(None))
    return stmt


async def read(session: AsyncSession, *, change_id: uuid.UUID) -> Any:
    row = (await session.execute(_select().where(P.id == change_id))).one_or_none()
    if row is None:
        raise NotFound(f"There is no planned change with id {change_id}.")
    return row


async def _other_plan(
    session: AsyncSession,
    location_id: uuid.UUID,
    kind: PlannedChangeKind,
    exclude: uuid.UUID | None,
) -> date | None:
    """The day of the location's pending planned opening or closing (``kind``), if any."""
    stmt = select(P.takes_effect_on).where(
        P.location_id == location_id, P.kind == kind, P.realised_at.is_(None)
    )
    if exclude is not None:
        stmt = stmt.where(P.id != exclude)
    return (await session.scalars(stmt.order_by(P.takes_effect_on).limit(1))).first()


async def _problems(
    session: AsyncSession, values: dict[str, Any], exclude: uuid.UUID | None = None
) -> list[FieldProblem]:
    """Every problem of a planned change (``values``: its fields as stored; ``exclude``:
    its own id when it is changed, so it does not collide with itself)."""
    problems: list[FieldProblem] = []
    today = calendar.today()
    day: date = values["takes_effect_on"]
    kind: PlannedChangeKind = values["kind"]
    if day <= today:
        problems.append(
            field_problem(
                "body",
                "takesEffectOn",
                "A planned change lies after today.",
                code="not_in_future",
                params={"from": today.isoformat()},
            )
        )
    if kind == PlannedChangeKind.closing and values.get("capacity") is not None:
        problems.append(
            field_problem("body", "capacity", "A closing has no capacity.", code="not_allowed")
        )
    if kind != PlannedChangeKind.closing and values.get("capacity") is None:
        problems.append(
            field_problem("body", "capacity", "Give the places from that day.", code="missing")
        )
    location = await session.get(Location, values["location_id"])
    if location is None:
        problems.append(
            field_problem("body", "locationId", "There is no such location.", code="not_found")
        )
        return problems
    problems += await check_for_location(session, values.get("decision_id"), location.id)
    planned_opening = await _other_plan(session, location.id, PlannedChangeKind.opening, exclude)
    opens = planned_opening or location.opened_on
    planned_closing = await _other_plan(session, location.id, PlannedChangeKind.closing, exclude)
    closes = planned_closing or (
        None if location.closed_on is None else location.closed_on + timedelta(days=1)
    )
    if kind == PlannedChangeKind.opening and location.opened_on < day:
        problems.append(
            field_problem(
                "body",
                "takesEffectOn",
                "The location opens earlier; "
                "plan an opening only for a location that opens that day or later.",
                code="opens_earlier",
                params={"to": location.opened_on.isoformat()},
            )
        )
    # On the opening day itself the opening's capacity applies: change that one instead.
    if kind != PlannedChangeKind.opening and day <= opens:
        problems.append(
            field_problem(
                "body",
                "takesEffectOn",
                "It must come after the opening.",
                code="before_opening",
                params={"from": opens.isoformat()},
            )
        )
    if kind == PlannedChangeKind.capacity and closes is not None and day >= closes:
        problems.append(
            field_problem(
                "body",
                "takesEffectOn",
                "The location is closed by then.",
                code="after_closing",
                params={"to": closes.isoformat()},
            )
        )
    same_day = select(P.id).where(P.location_id == location.id, P.takes_effect_on == day)
    if exclude is not None:
        same_day = same_day.where(P.id != exclude)
    if (await session.scalars(same_day)).first() is not None:
        problems.append(
            field_problem(
                "body",
                "takesEffectOn",
                "The location has a planned change on that day already.",
                code="duplicate",
            )
        )
    return problems


async def create(
    session: AsyncSession, *, data: PlannedChangeCreate, actor: Principal
) -> PlannedCapacityChange:
    values = data.model_dump(by_alias=False)
    if problems := await _problems(session, values):
        raise _bad(problems)
    change = PlannedCapacityChange(**values)
    session.add(change)
    await session.flush()
    return change


async def _pending(
    session: AsyncSession, change_id: uuid.UUID, if_match: str | None
) -> PlannedCapacityChange:
    change = await session.get(PlannedCapacityChange, change_id)
    if change is None:
        raise NotFound(f"There is no planned change with id {change_id}.")
    check_if_match(if_match, change.version)
    if change.realised_at is not None:
        raise Conflict(
            "The planned change has been realised: it is history now (change the location's "
            "capacity history instead).",
            type_=ProblemType.STATUS_FLOW,
        )
    return change


async def update(
    session: AsyncSession,
    *,
    change_id: uuid.UUID,
    data: PlannedChangeUpdate,
    actor: Principal,
    if_match: str | None,
) -> PlannedCapacityChange:
    change = await _pending(session, change_id, if_match)
    changes = data.model_dump(exclude_unset=True, by_alias=False)
    cleared = [
        field_problem("body", name, "Cannot be cleared.", code="cannot_clear")
        for key, name in (("kind", "kind"), ("takes_effect_on", "takesEffectOn"))
        if key in changes and changes[key] is None
    ]
    if cleared:
        raise _bad(cleared)
    values = {
        "location_id": change.location_id,
        "kind": change.kind,
        "takes_effect_on": change.takes_effect_on,
        "capacity": change.capacity,
        **changes,
    }
    if changes.get("kind") == PlannedChangeKind.closing and "capacity" not in changes:
        values["capacity"] = None  # a closing has no places
    if problems := await _problems(session, values, exclude=change.id):
        raise _bad(problems)
    for field, value in values.items():
        setattr(change, field, value)
    await session.flush()
    return change


async def delete(
    session: AsyncSession, *, change_id: uuid.UUID, actor: Principal, if_match: str | None
) -> None:
    change = await _pending(session, change_id, if_match)
    await session.delete(change)
    await session.flush()
