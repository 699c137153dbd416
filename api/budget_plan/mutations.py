"""Reserve mutations: council-decided deposits (+) and withdrawals (-), never zero, each
with its decision reference. The year's result moves into the reserve by itself
(``api.budget_plan.reserve``); these are the other movements."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from api.auth.principal import Principal
from api.budget_plan.schemas import (
    ReserveMutationCreate,
    ReserveMutationQuery,
    ReserveMutationRead,
    ReserveMutationUpdate,
)
from api.common.etag import check_if_match
from api.errors import BadRequest, FieldProblem, NotFound, ProblemType, field_problem
from api.models import ReserveMutation

SORTABLE = {"bookedOn": ReserveMutation.booked_on, "amount": ReserveMutation.amount}
DEFAULT_ORDER = [ReserveMutation.booked_on, ReserveMutation.id]


def _bad(problems: list[FieldProblem]) -> BadRequest:
    return BadRequest(
        f"The reserve mutation has {len(problems)} invalid value(s); see errors.",
        type_=ProblemType.INVALID_INPUT,
        errors=problems,
    )


def list_statement(query: ReserveMutationQuery) -> Select[Any]:
    stmt = select(*(getattr(ReserveMutation, n) for n in ReserveMutationRead.model_fields))
    if query.year is not None:
        stmt = stmt.where(
            ReserveMutation.booked_on.between(date(query.year, 1, 1), date(query.year, 12, 31))
        )
    return stmt


async def get(session: AsyncSession, *, mutation_id: uuid.UUID) -> ReserveMutation:
    mutation = await session.get(ReserveMutation, mutation_id)
    if mutation is None:
        raise NotFound(f"There is no reserve mutation with id {mutation_id}.")
    return mutation


def _zero(changes: dict[str, Any]) -> list[FieldProblem]:
    if changes.get("amount") is not None and changes["amount"] == 0:
        return [field_problem("body", "amount", "A mutation is never zero.", code="amount_zero")]
    return []


async def create(
    session: AsyncSession, *, data: ReserveMutationCreate, actor: Principal
) -> ReserveMutation:
    values = data.model_dump(by_alias=False)
    if problems := _zero(values):
        raise _bad(problems)
    mutation = ReserveMutation(**values)
    session.add(mutation)
    await session.flush()
    return mutation


async def update(
    session: AsyncSession,
    *,
    mutation_id: uuid.UUID,
    data: ReserveMutationUpdate,
    actor: Principal,
    if_match: str | None,
) -> ReserveMutation:
    mutation = await get(session, mutation_id=mutation_id)
    check_if_match(if_match, mutation.version)
    changes = data.model_dump(exclude_unset=True, by_alias=False)
    problems = [
        field_problem("body", name, "Cannot be cleared.", code="cannot_clear")
        for key, name in (
            ("booked_on", "bookedOn"),
            ("amount", "amount"),
            ("description", "description"),
            ("decision_reference", "decisionReference"),
        )
        if key in changes and changes[key] is None
    ]
    if problems := problems + _zero(changes):
        raise _bad(problems)
    for field, value in changes.items():
        setattr(mutation, field, value)
    await session.flush()
    return mutation


async def delete(
    session: AsyncSession, *, mutation_id: uuid.UUID, actor: Principal, if_match: str | None
) -> None:
    mutation = await get(session, mutation_id=mutation_id)
    check_if_match(if_match, mutation.version)
    await session.delete(mutation)
    await session.flush()
