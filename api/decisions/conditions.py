"""Condition rules: the owner is a staff user (admin or coordinator); the status flow
``open -> met | not_met | withdrawn`` where an evaluation (met, not_met) needs evidence
and a withdrawal its reason (in ``evidence``), and sets ``evaluatedOn`` (given or today,
never in the future); only an admin reopens a closed condition. ``overdue`` (open and
past ``evaluateOn``) is computed in SQL against Heemstede's date, so lists filter on it."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

from sqlalchemy import BindParameter, Date, Select, and_, bindparam, case, select
from sqlalchemy.ext.asyncio import AsyncSession

from api.auth.principal import Principal
from api.auth.scoping import FastRead, scoped
from api.common import calendar
from api.common.etag import check_if_match
from api.decisions import service as decisions
from api.decisions.schemas import ConditionCreate, ConditionQuery, ConditionRead, ConditionUpdate
from api.errors import Conflict, FieldProblem, Forbidden, NotFound, ProblemType, field_problem
from api.models import (
    ConditionStatus,
    DecisionCondition,
    Location,
    LocationDecision,
    Role,
    User,
)

C = DecisionCondition
D = LocationDecision
OPEN = ConditionStatus.open
OWNER_ROLES = (Role.admin, Role.coordinator)
SORTABLE = {"evaluateOn": C.evaluate_on, "status": C.status, "createdAt": C.created_at}
DEFAULT_ORDER = [C.evaluate_on, C.created_at, C.id]


def _overdue(today: date | BindParameter[date]) -> Any:
    return case((and_(C.status == OPEN, C.evaluate_on < today), True), else_=False)


def _columns(today: date | BindParameter[date]) -> Select[Any]:
    columns: list[Any] = [
        C.id, C.version, C.created_at, C.updated_at, C.decision_id,
        D.reference.label("decision_reference"), D.body.label("decision_body"),
        D.location_id, Location.name.label("location_name"), C.description, C.evaluate_on,
        C.owner_user_id, User.email.label("owner_email"), C.status, C.evaluated_on,
        C.evidence, _overdue(today).label("overdue"),
    ]  # fmt: skip
    return (
        select(*columns)
        .select_from(C)
        .join(D, D.id == C.decision_id)
        .outerjoin(Location, Location.id == D.location_id)
        .outerjoin(User, User.id == C.owner_user_id)
    )


def read_statement(principal: Principal) -> Select[Any]:
    return scoped(_columns(calendar.today()), C, principal)


# Today is bound per request: the statement is compiled once.
BY_ID = FastRead(
    C,
    ConditionRead,
    "condition",
    stmt=_columns(bindparam("today", type_=Date)),
    binds=lambda: {"today": calendar.today()},
)


def list_statement(query: ConditionQuery, principal: Principal) -> Select[Any]:
    """``dueWithinDays``: open or not, those whose evaluation date lies before today plus
    that many days (the overdue ones included)."""
    stmt = read_statement(principal)
    if query.due_within_days is not None:
        stmt = stmt.where(C.evaluate_on <= calendar.today() + timedelta(query.due_within_days))
    if query.status is not None:
        stmt = stmt.where(C.status == query.status)
    if query.location_id is not None:
        stmt = stmt.where(D.location_id == query.location_id)
    return stmt


def of_decision(decision_id: uuid.UUID, principal: Principal) -> Select[Any]:
    return read_statement(principal).where(C.decision_id == decision_id)


async def read(session: AsyncSession, *, condition_id: uuid.UUID, principal: Principal) -> Any:
    row = (await session.execute(read_statement(principal).where(C.id == condition_id))).first()
    if row is None:
        raise NotFound(f"There is no condition with id {condition_id}.")
    return row


async def _load(session: AsyncSession, condition_id: uuid.UUID, principal: Principal) -> C:
    stmt = scoped(select(C).where(C.id == condition_id), C, principal)
    condition = (await session.execute(stmt)).scalar_one_or_none()
    if condition is None:
        raise NotFound(f"There is no condition with id {condition_id}.")
    return condition


async def _owner_problems(session: AsyncSession, owner_id: uuid.UUID | None) -> list[FieldProblem]:
    if owner_id is None:
        return []
    found = select(User.id).where(User.id == owner_id, User.role.in_(OWNER_ROLES))
    if (await session.execute(found)).first() is None:
        return [
            field_problem(
                "body",
                "ownerUserId",
                "There is no staff user (admin, coordinator) with this id.",
                code="not_found",
            )
        ]
    return []


async def create(
    session: AsyncSession, *, decision_id: uuid.UUID, data: ConditionCreate, actor: Principal
) -> C:
    decision = await decisions.load(session, decision_id, actor)
    if problems := await _owner_problems(session, data.owner_user_id):
        raise decisions.bad(problems, "The condition")
    condition = C(decision_id=decision.id, status=OPEN, **data.model_dump(by_alias=False))
    session.add(condition)
    await session.flush()
    return condition


def _flow(before: ConditionStatus, after: ConditionStatus, actor: Principal) -> None:
    if after is before:
        return
    if before is OPEN:
        return  # open -> met | not_met | withdrawn
    if after is OPEN:
        if actor.role is not Role.admin:
            raise Forbidden("Only an admin reopens a closed condition.")
        return
    raise Conflict(
        f"A condition cannot move from '{before.value}' to '{after.value}'; "
        "an admin reopens it first.",
        type_=ProblemType.STATUS_FLOW,
        extra={"field": "status", "from": before.value, "to": after.value},
    )


def _evaluation_problems(
    condition: C, changes: dict[str, Any], after: ConditionStatus
) -> list[FieldProblem]:
    problems: list[FieldProblem] = []
    evaluated_on = changes.get("evaluated_on")
    if after is OPEN:
        problems += [
            field_problem("body", name, "Only with met, not_met or withdrawn.", code="not_allowed")
            for key, name in (("evaluated_on", "evaluatedOn"), ("evidence", "evidence"))
            if changes.get(key) is not None
        ]
        return problems
    evidence = changes.get("evidence", condition.evidence)
    if evidence is None:
        detail = "Give the reason." if after is ConditionStatus.withdrawn else "Give the evidence."
        problems.append(field_problem("body", "evidence", detail, code="missing"))
    if "evaluated_on" in changes and evaluated_on is None:
        problems.append(
            field_problem("body", "evaluatedOn", "Cannot be cleared.", code="cannot_clear")
        )
    today = calendar.today()
    if evaluated_on is not None and evaluated_on > today:
        problems.append(
            field_problem(
                "body",
                "evaluatedOn",
                "Must not lie in the future.",
                code="date_in_future",
                params={"to": today.isoformat()},
            )
        )
    return problems


async def update(
    session: AsyncSession,
    *,
    condition_id: uuid.UUID,
    data: ConditionUpdate,
    actor: Principal,
    if_match: str | None,
) -> C:
    condition = await _load(session, condition_id, actor)
    check_if_match(if_match, condition.version)
    changes = data.model_dump(exclude_unset=True, by_alias=False)
    after: ConditionStatus = changes.pop("status", None) or condition.status
    _flow(condition.status, after, actor)
    problems = [
        field_problem("body", name, "Cannot be cleared.", code="cannot_clear")
        for key, name in (("description", "description"), ("evaluate_on", "evaluateOn"))
        if key in changes and changes[key] is None
    ]
    problems += _evaluation_problems(condition, changes, after)
    if "owner_user_id" in changes:
        problems += await _owner_problems(session, changes["owner_user_id"])
    if problems:
        raise decisions.bad(problems, "The condition")
    if after is OPEN and condition.status is not OPEN:  # reopened by an admin
        condition.evaluated_on = None
        condition.evidence = None
    elif after is not OPEN and condition.status is OPEN:
        changes.setdefault("evaluated_on", calendar.today())
    condition.status = after
    for field, value in changes.items():
        setattr(condition, field, value)
    await session.flush()
    return condition


async def delete(
    session: AsyncSession, *, condition_id: uuid.UUID, actor: Principal, if_match: str | None
) -> None:
    condition = await _load(session, condition_id, actor)
    check_if_match(if_match, condition.version)
    await session.delete(condition)
    await session.flush()
