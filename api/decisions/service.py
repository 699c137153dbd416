"""Decision rules: a decision is about a location or a candidate (at least one; an
unknown id is a 400 naming the field, and a partner's view of another partner's
location is like a missing one); a decision whose conditions have been evaluated, or
that a capacity change (fact or plan) rests on, stays (409). Writes go through the ORM,
so the audit hook records them; services flush, never commit."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Select, exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from api.auth.principal import Principal
from api.auth.scoping import FastRead, scoped
from api.common.etag import check_if_match
from api.decisions.schemas import DecisionCreate, DecisionQuery, DecisionRead, DecisionUpdate
from api.errors import BadRequest, Conflict, FieldProblem, NotFound, ProblemType, field_problem
from api.models import (
    CandidateLocation,
    CapacityChange,
    ConditionStatus,
    DecisionCondition,
    Location,
    LocationDecision,
    PlannedCapacityChange,
)

D = LocationDecision
COLUMNS: list[Any] = [
    D.id, D.version, D.created_at, D.updated_at, D.decided_on, D.body, D.reference,
    D.summary, D.document_url, D.location_id, Location.name.label("location_name"),
    D.candidate_id,
]  # fmt: skip
SORTABLE = {"decidedOn": D.decided_on, "reference": D.reference, "createdAt": D.created_at}
DEFAULT_ORDER = [D.decided_on.desc(), D.reference, D.id]


def bad(problems: list[FieldProblem], what: str = "The decision") -> BadRequest:
    return BadRequest(
        f"{what} has {len(problems)} invalid value(s); see errors.",
        type_=ProblemType.INVALID_INPUT,
        errors=problems,
    )


def _columns() -> Select[Any]:
    return select(*COLUMNS).select_from(D).outerjoin(Location, Location.id == D.location_id)


def read_statement(principal: Principal) -> Select[Any]:
    return scoped(_columns(), D, principal)


BY_ID = FastRead(D, DecisionRead, "decision", stmt=_columns())


def list_statement(query: DecisionQuery, principal: Principal) -> Select[Any]:
    stmt = read_statement(principal)
    if query.location_id is not None:
        stmt = stmt.where(D.location_id == query.location_id)
    if query.candidate_id is not None:
        stmt = stmt.where(D.candidate_id == query.candidate_id)
    return stmt


async def read(session: AsyncSession, *, decision_id: uuid.UUID, principal: Principal) -> Any:
    stmt = read_statement(principal).where(D.id == decision_id)
    row = (await session.execute(stmt)).one_or_none()
    if row is None:
        raise NotFound(f"There is no decision with id {decision_id}.")
    return row


async def load(session: AsyncSession, decision_id: uuid.UUID, principal: Principal) -> D:
    stmt = scoped(select(D).where(D.id == decision_id), D, principal)
    decision = (await session.execute(stmt)).scalar_one_or_none()
    if decision is None:
        raise NotFound(f"There is no decision with id {decision_id}.")
    return decision


async def _subject_problems(
    session: AsyncSession, values: dict[str, Any], principal: Principal
) -> list[FieldProblem]:
    location_id, candidate_id = values.get("location_id"), values.get("candidate_id")
    if location_id is None and candidate_id is None:
        return [
            field_problem("body", name, "Name a location or a candidate.", code="missing")
            for name in ("locationId", "candidateId")
        ]
    problems: list[FieldProblem] = []
    if location_id is not None:
        found = scoped(select(Location.id).where(Location.id == location_id), Location, principal)
        if (await session.execute(found)).first() is None:
            problems.append(
                field_problem("body", "locationId", "There is no such location.", code="not_found")
            )
    if candidate_id is not None and await session.get(CandidateLocation, candidate_id) is None:
        problems.append(
            field_problem("body", "candidateId", "There is no such candidate.", code="not_found")
        )
    return problems


async def create(
    session: AsyncSession, *, data: DecisionCreate, actor: Principal
) -> LocationDecision:
    values = data.model_dump(by_alias=False)
    if problems := await _subject_problems(session, values, actor):
        raise bad(problems)
    decision = LocationDecision(**values)
    session.add(decision)
    await session.flush()
    return decision


async def update(
    session: AsyncSession,
    *,
    decision_id: uuid.UUID,
    data: DecisionUpdate,
    actor: Principal,
    if_match: str | None,
) -> LocationDecision:
    decision = await load(session, decision_id, actor)
    check_if_match(if_match, decision.version)
    changes = data.model_dump(exclude_unset=True, by_alias=False)
    problems = [
        field_problem("body", name, "Cannot be cleared.", code="cannot_clear")
        for key, name in (
            ("decided_on", "decidedOn"),
            ("body", "body"),
            ("reference", "reference"),
            ("summary", "summary"),
        )
        if key in changes and changes[key] is None
    ]
    if "location_id" in changes or "candidate_id" in changes:
        merged = {
            "location_id": changes.get("location_id", decision.location_id),
            "candidate_id": changes.get("candidate_id", decision.candidate_id),
        }
        problems += await _subject_problems(session, merged, actor)
    if problems:
        raise bad(problems)
    if changes.get("location_id", decision.location_id) != decision.location_id:
        await _keeps_location(session, decision)
    for field, value in changes.items():
        setattr(decision, field, value)
    await session.flush()
    return decision


async def _keeps_location(session: AsyncSession, decision: LocationDecision) -> None:
    """A capacity change (fact or plan) rests on the decision about its location: the
    decision cannot move to another one."""
    rests = select(
        exists().where(CapacityChange.decision_id == decision.id)
        | exists().where(PlannedCapacityChange.decision_id == decision.id)
    )
    if await session.scalar(rests):
        raise Conflict(
            "A capacity change at this location rests on the decision: its location stays.",
            type_=ProblemType.STATUS_FLOW,
            extra={"field": "locationId"},
        )


async def delete(
    session: AsyncSession, *, decision_id: uuid.UUID, actor: Principal, if_match: str | None
) -> None:
    """Its open conditions go with it (ON DELETE CASCADE); evaluated ones, and the
    capacity changes resting on it, keep it."""
    decision = await load(session, decision_id, actor)
    check_if_match(if_match, decision.version)
    in_use = select(
        exists().where(
            DecisionCondition.decision_id == decision.id,
            DecisionCondition.status != ConditionStatus.open,
        ),
        exists().where(CapacityChange.decision_id == decision.id),
        exists().where(PlannedCapacityChange.decision_id == decision.id),
    )
    evaluated, fact, plan = (await session.execute(in_use)).one()
    if evaluated or fact or plan:
        reasons = [
            text
            for flag, text in (
                (evaluated, "it has evaluated conditions"),
                (fact, "a capacity change rests on it"),
                (plan, "a planned capacity change rests on it"),
            )
            if flag
        ]
        raise Conflict(
            f"The decision stays: {'; '.join(reasons)}.",
            type_=ProblemType.STATUS_FLOW,
            extra={"decisionId": str(decision.id)},
        )
    await session.delete(decision)
    await session.flush()


async def check_for_location(
    session: AsyncSession, decision_id: uuid.UUID | None, location_id: uuid.UUID
) -> list[FieldProblem]:
    """The problem with ``decisionId`` on a capacity change (fact or plan) at a location:
    the decision must exist and be about that location."""
    if decision_id is None:
        return []
    row = (await session.execute(select(D.location_id).where(D.id == decision_id))).first()
    if row is None:
        return [field_problem("body", "decisionId", "There is no such decision.", code="not_found")]
    if row.location_id != location_id:
        return [
            field_problem(
                "body",
                "decisionId",
                "The decision is about another location.",
                code="other_location",
            )
        ]
    return []
