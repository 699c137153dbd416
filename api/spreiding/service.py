"""Spreidingswet task rules: a period ends on or after its start, and the periods of two
tasks never overlap (409 naming the other). Writes go through the ORM, so the audit hook
records them; services flush, never commit."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from pydantic.alias_generators import to_camel
from sqlalchemy import Select, and_, select
from sqlalchemy.ext.asyncio import AsyncSession

from api.auth.principal import Principal
from api.common.etag import check_if_match
from api.errors import BadRequest, Conflict, NotFound, ProblemType, field_problem
from api.models import SpreidingTask
from api.spreiding.schemas import TaskCreate, TaskRead, TaskUpdate

SORTABLE = {"startsOn": SpreidingTask.starts_on, "places": SpreidingTask.places}
ORDER = [SpreidingTask.starts_on, SpreidingTask.id]
REQUIRED = ("starts_on", "ends_on", "places", "source")


def statement() -> Select[Any]:
    return select(*(getattr(SpreidingTask, n) for n in TaskRead.model_fields))


async def load(session: AsyncSession, task_id: uuid.UUID) -> SpreidingTask:
    task = await session.get(SpreidingTask, task_id)
    if task is None:
        raise NotFound(f"There is no Spreidingswet task with id {task_id}.")
    return task


def _check_period(starts_on: date, ends_on: date) -> None:
    if ends_on < starts_on:
        raise BadRequest(
            "The task has 1 invalid value(s); see errors.",
            type_=ProblemType.INVALID_INPUT,
            errors=[
                field_problem(
                    "body", "endsOn", "Must be on or after startsOn.", code="before_start"
                )
            ],
        )


async def _no_overlap(
    session: AsyncSession, starts_on: date, ends_on: date, other_than: uuid.UUID | None
) -> None:
    """Refuse a period that meets another task's (both inclusive), naming the other."""
    t = SpreidingTask
    stmt = (
        select(t.id, t.starts_on, t.ends_on)
        .where(and_(t.starts_on <= ends_on, t.ends_on >= starts_on))
        .order_by(t.starts_on)
        .limit(1)
    )
    if other_than is not None:
        stmt = stmt.where(t.id != other_than)
    other = (await session.execute(stmt)).first()
    if other is None:
        return
    raise Conflict(
        f"The period overlaps the task of {other.starts_on} until {other.ends_on} "
        f"(id {other.id}); the periods of two tasks never overlap.",
        errors=[
            field_problem(
                "body",
                "startsOn",
                f"Overlaps the task of {other.starts_on} until {other.ends_on}.",
                code="task_overlap",
                params={"from": other.starts_on.isoformat(), "to": other.ends_on.isoformat()},
            )
        ],
        extra={
            "taskId": str(other.id),
            "startsOn": other.starts_on.isoformat(),
            "endsOn": other.ends_on.isoformat(),
        },
    )


async def create(session: AsyncSession, *, data: TaskCreate, actor: Principal) -> SpreidingTask:
    _check_period(data.starts_on, data.ends_on)
    await _no_overlap(session, data.starts_on, data.ends_on, None)
    task = SpreidingTask(**data.model_dump(by_alias=False))
    session.add(task)
    await session.flush()
    return task


async def update(
    session: AsyncSession,
    *,
    task_id: uuid.UUID,
    data: TaskUpdate,
    actor: Principal,
    if_match: str | None,
) -> SpreidingTask:
    task = await load(session, task_id)
    check_if_match(if_match, task.version)
    changes = data.model_dump(exclude_unset=True, by_alias=False)
    problems = [
        field_problem("body", to_camel(name), "Cannot be cleared.", code="cannot_clear")
        for name in REQUIRED
        if name in changes and changes[name] is None
    ]
    if problems:
        raise BadRequest(
            f"The task has {len(problems)} invalid value(s); see errors.",
            type_=ProblemType.INVALID_INPUT,
            errors=problems,
        )
    starts_on = changes.get("starts_on", task.starts_on)
    ends_on = changes.get("ends_on", task.ends_on)
    _check_period(starts_on, ends_on)
    await _no_overlap(session, starts_on, ends_on, task.id)
    for field, value in changes.items():
        setattr(task, field, value)
    await session.flush()
    return task


async def delete(
    session: AsyncSession, *, task_id: uuid.UUID, actor: Principal, if_match: str | None
) -> None:
    task = await load(session, task_id)
    check_if_match(if_match, task.version)
    await session.delete(task)
    await session.flush()
