"""Housing criteria rules: unique names, a weight of 1-10, no removal while a candidate is
scored on it. Writes go through the ORM, so the audit hook records them."""

from __future__ import annotations

import uuid
from typing import Any

from pydantic.alias_generators import to_camel
from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from api.auth.principal import Principal
from api.common.etag import check_if_match
from api.errors import BadRequest, Conflict, NotFound, ProblemType, field_problem
from api.models import CandidateScore, HousingCriterion
from api.pipeline.schemas import CriterionCreate, CriterionRead, CriterionUpdate

SORTABLE = {
    "position": HousingCriterion.position,
    "name": HousingCriterion.name,
    "weight": HousingCriterion.weight,
}
ORDER = [HousingCriterion.position, HousingCriterion.name, HousingCriterion.id]


def statement() -> Select[Any]:
    return select(*(getattr(HousingCriterion, n) for n in CriterionRead.model_fields))


async def load(session: AsyncSession, criterion_id: uuid.UUID) -> HousingCriterion:
    criterion = await session.get(HousingCriterion, criterion_id)
    if criterion is None:
        raise NotFound(f"There is no housing criterion with id {criterion_id}.")
    return criterion


async def _name_taken(session: AsyncSession, name: str, other_than: uuid.UUID | None) -> None:
    stmt = select(HousingCriterion.id).where(func.lower(HousingCriterion.name) == name.lower())
    if other_than is not None:
        stmt = stmt.where(HousingCriterion.id != other_than)
    if (await session.execute(stmt)).first() is not None:
        raise Conflict(
            f"A housing criterion named '{name}' exists already.",
            type_=ProblemType.DUPLICATE,
            extra={"field": "name"},
        )


async def create(
    session: AsyncSession, *, data: CriterionCreate, actor: Principal
) -> HousingCriterion:
    await _name_taken(session, data.name, None)
    criterion = HousingCriterion(**data.model_dump(by_alias=False))
    session.add(criterion)
    await session.flush()
    return criterion


async def update(
    session: AsyncSession,
    *,
    criterion_id: uuid.UUID,
    data: CriterionUpdate,
    actor: Principal,
    if_match: str | None,
) -> HousingCriterion:
    criterion = await load(session, criterion_id)
    check_if_match(if_match, criterion.version)
    changes = data.model_dump(exclude_unset=True, by_alias=False)
    problems = [
        field_problem("body", to_camel(name), "Cannot be cleared.", code="cannot_clear")
        for name in ("name", "weight", "position")
        if name in changes and changes[name] is None
    ]
    if problems:
        raise BadRequest(
            f"The criterion has {len(problems)} invalid value(s); see errors.",
            type_=ProblemType.INVALID_INPUT,
            errors=problems,
        )
    if "name" in changes:
        await _name_taken(session, changes["name"], criterion.id)
    for field, value in changes.items():
        setattr(criterion, field, value)
    await session.flush()
    return criterion


async def delete(
    session: AsyncSession, *, criterion_id: uuid.UUID, actor: Principal, if_match: str | None
) -> None:
    criterion = await load(session, criterion_id)
    check_if_match(if_match, criterion.version)
    used = await session.scalar(
        select(func.count()).where(CandidateScore.criterion_id == criterion.id)
    )
    if used:
        raise Conflict(
            f"{used} candidate location(s) are scored on this criterion; change their "
            "scores first, or keep the criterion.",
            extra={"scores": used},
        )
    await session.delete(criterion)
    await session.flush()
