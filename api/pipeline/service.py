"""Candidate locations and their scores: unique names, an existing operator, removal only
while still an idea; scores replaced as a whole, each on a known criterion. The weighted
total is computed in SQL per candidate (two sums), rounded here on exact decimals so
SQLite and PostgreSQL answer the same. Writes go through the ORM (the audit hook)."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from pydantic.alias_generators import to_camel
from sqlalchemy import Float, Select, bindparam, cast, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import Request
from starlette.responses import Response

from api.auth.principal import Principal
from api.auth.scoping import FastRead
from api.common.calendar import today
from api.common.etag import check_if_match
from api.db.fast import AnySelect, DriverQuery, Reader, dumps, reading, wire_keys
from api.errors import BadRequest, Conflict, FieldProblem, NotFound, ProblemType, field_problem
from api.models import (
    CandidateLocation,
    CandidateScore,
    CandidateStage,
    CandidateStageChange,
    Communication,
    HousingCriterion,
    LocationDecision,
    Meeting,
    Partner,
    utcnow,
)
from api.pipeline.schemas import (
    CandidateCreate,
    CandidateFields,
    CandidateQuery,
    CandidateRead,
    CandidateUpdate,
    ScoreList,
    ScoreRead,
    ScoresPut,
)

_OWN = list(CandidateFields.model_fields)

TOTALS = (
    select(
        CandidateScore.candidate_id,
        func.sum(HousingCriterion.weight * CandidateScore.score).label("weighted"),
        func.sum(HousingCriterion.weight).label("weights"),
        func.count().label("scored"),
    )
    .join(HousingCriterion, HousingCriterion.id == CandidateScore.criterion_id)
    .group_by(CandidateScore.candidate_id)
    .subquery("totals")
)
# Unscored last in either direction on both engines: -1 is below every real total.
_SCORE_ORDER = func.coalesce(cast(TOTALS.c.weighted, Float) / TOTALS.c.weights, -1.0)
SORTABLE = {
    "name": CandidateLocation.name,
    "score": _SCORE_ORDER,
    "stage": CandidateLocation.stage,
    "createdAt": CandidateLocation.created_at,
    "updatedAt": CandidateLocation.updated_at,
}
ORDER = [CandidateLocation.name, CandidateLocation.id]


def weighted_total(weighted: int | None, weights: int | None) -> str | None:
    """Σ(weight * score) / Σ(weight) with two decimals (half up), or None when unscored."""
    if not weights:
        return None
    exact = Decimal(int(weighted or 0)) / Decimal(int(weights))
    return str(exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def _criteria_count() -> Any:
    return select(func.count()).select_from(HousingCriterion).scalar_subquery()


def statement(query: CandidateQuery | None = None) -> Select[Any]:
    stmt = select(
        *(getattr(CandidateLocation, n) for n in _OWN),
        TOTALS.c.weighted,
        TOTALS.c.weights,
        func.coalesce(TOTALS.c.scored, 0).label("scored"),
        _criteria_count().label("criteria"),
    ).outerjoin(TOTALS, TOTALS.c.candidate_id == CandidateLocation.id)
    if query is not None:
        if query.stage is not None:
            stmt = stmt.where(CandidateLocation.stage == query.stage)
        if query.public is not None:
            stmt = stmt.where(CandidateLocation.public.is_(query.public))
        if query.q:
            name = func.lower(CandidateLocation.name)
            stmt = stmt.where(name.contains(query.q.lower(), autoescape=True))
    return stmt


def to_read(row: Any) -> CandidateRead:
    values = {n: getattr(row, n) for n in _OWN}
    return CandidateRead(
        **values,
        score=weighted_total(row.weighted, row.weights),
        scored_criteria=row.scored,
        criteria_count=row.criteria,
    )


async def scores_of_page(_reader: Reader, items: list[dict[str, Any]]) -> None:
    """``to_read`` for a page of the list (JSON names; the sums under their columns')."""
    for item in items:
        item["score"] = weighted_total(item["weighted"], item["weights"])
        item["scoredCriteria"] = item["scored"]
        item["criteriaCount"] = item["criteria"]


async def _score(_reader: Reader, row: Mapping[str, Any]) -> dict[str, Any]:
    """``to_read``'s three fields from the statement's sums."""
    return {
        "score": weighted_total(row["weighted"], row["weights"]),
        "scored_criteria": row["scored"],
        "criteria_count": row["criteria"],
    }


# GET /candidate-locations/{id}, on the driver: the list's statement for one candidate.
BY_ID = FastRead(
    CandidateLocation, CandidateRead, "candidate location", stmt=statement(), children=_score
)


async def read(session: AsyncSession, candidate_id: uuid.UUID) -> CandidateRead:
    stmt = statement().where(CandidateLocation.id == candidate_id)
    row = (await session.execute(stmt)).one_or_none()
    if row is None:
        raise NotFound(f"There is no candidate location with id {candidate_id}.")
    return to_read(row)


async def load(session: AsyncSession, candidate_id: uuid.UUID) -> CandidateLocation:
    candidate = await session.get(CandidateLocation, candidate_id)
    if candidate is None:
        raise NotFound(f"There is no candidate location with id {candidate_id}.")
    return candidate


def bad(problems: list[FieldProblem], what: str = "The candidate location") -> BadRequest:
    return BadRequest(
        f"{what} has {len(problems)} invalid value(s); see errors.",
        type_=ProblemType.INVALID_INPUT,
        errors=problems,
    )


async def _name_taken(session: AsyncSession, name: str, other_than: uuid.UUID | None) -> None:
    stmt = select(CandidateLocation.id).where(func.lower(CandidateLocation.name) == name.lower())
    if other_than is not None:
        stmt = stmt.where(CandidateLocation.id != other_than)
    if (await session.execute(stmt)).first() is not None:
        raise Conflict(
            f"A candidate location named '{name}' exists already.",
            type_=ProblemType.DUPLICATE,
            extra={"field": "name"},
        )


async def _operator_problems(session: AsyncSession, partner_id: Any) -> list[FieldProblem]:
    if partner_id is None or await session.get(Partner, partner_id) is not None:
        return []
    return [
        field_problem("body", "operatorPartnerId", "There is no such partner.", code="not_found")
    ]


async def create(
    session: AsyncSession, *, data: CandidateCreate, actor: Principal
) -> CandidateLocation:
    problems = await _operator_problems(session, data.operator_partner_id)
    idea_on = data.idea_on or today()
    if idea_on > today():
        problems.append(
            field_problem("body", "ideaOn", "Must not be in the future.", code="date_in_future")
        )
    if problems:
        raise bad(problems)
    await _name_taken(session, data.name, None)
    candidate = CandidateLocation(
        **data.model_dump(by_alias=False, exclude={"idea_on"}), stage=CandidateStage.idea
    )
    session.add(candidate)
    await session.flush()
    session.add(
        CandidateStageChange(
            candidate_id=candidate.id,
            stage=CandidateStage.idea,
            changed_on=idea_on,
            author_id=str(actor.id) if actor.id is not None else None,
        )
    )
    await session.flush()
    return candidate


async def update(
    session: AsyncSession,
    *,
    candidate_id: uuid.UUID,
    data: CandidateUpdate,
    actor: Principal,
    if_match: str | None,
) -> CandidateLocation:
    candidate = await load(session, candidate_id)
    check_if_match(if_match, candidate.version)
    changes = data.model_dump(exclude_unset=True, by_alias=False)
    problems = [
        field_problem("body", to_camel(name), "Cannot be cleared.", code="cannot_clear")
        for name in ("name", "proposed_kind", "public")
        if name in changes and changes[name] is None
    ]
    problems += await _operator_problems(session, changes.get("operator_partner_id"))
    if problems:
        raise bad(problems)
    if "name" in changes:
        await _name_taken(session, changes["name"], candidate.id)
    for field, value in changes.items():
        setattr(candidate, field, value)
    await session.flush()
    return candidate


async def delete_candidate(
    session: AsyncSession, *, candidate_id: uuid.UUID, actor: Principal, if_match: str | None
) -> None:
    """Only an idea is removed (with its history and scores); past that, the history is
    the record: reject or withdraw it instead."""
    candidate = await load(session, candidate_id)
    check_if_match(if_match, candidate.version)
    if candidate.stage != CandidateStage.idea:
        raise Conflict(
            f"The candidate is at stage {candidate.stage.value}; only an idea can be removed. "
            "Move it to rejected or withdrawn instead.",
            type_=ProblemType.STATUS_FLOW,
            extra={"stage": candidate.stage.value},
        )
    for model in (LocationDecision, Meeting, Communication):
        linked = await session.scalar(
            select(func.count()).where(model.candidate_id == candidate.id)
        )
        if linked:
            raise Conflict(
                f"Decisions, meetings or communications refer to the candidate ({linked} "
                f"in {model.__tablename__}); withdraw it instead.",
                extra={"table": model.__tablename__},
            )
    await _delete_all(session, CandidateScore, candidate.id)
    await _delete_all(session, CandidateStageChange, candidate.id)
    await session.delete(candidate)
    await session.flush()


async def _delete_all(
    session: AsyncSession, model: type[CandidateScore | CandidateStageChange], candidate: uuid.UUID
) -> None:
    """One ORM delete per row (a handful), so the audit trail records each."""
    rows = await session.execute(select(model).where(model.candidate_id == candidate))
    for row in rows.scalars():
        await session.delete(row)
    await session.flush()


# --- scores ------------------------------------------------------------------------------


def _score_rows(candidate: Any) -> AnySelect:
    """A candidate's scores in the criteria's order; ``candidate``: its id, or a bind."""
    return (
        select(
            CandidateScore.criterion_id,
            HousingCriterion.name.label("criterion_name"),
            HousingCriterion.weight,
            CandidateScore.score,
            CandidateScore.note,
        )
        .join(HousingCriterion, HousingCriterion.id == CandidateScore.criterion_id)
        .where(CandidateScore.candidate_id == candidate)
        .order_by(HousingCriterion.position, HousingCriterion.name)
    )


async def scores(session: AsyncSession, candidate_id: uuid.UUID) -> ScoreList:
    total = await read(session, candidate_id)
    rows = (await session.execute(_score_rows(candidate_id))).all()
    return ScoreList(
        score=total.score,
        scored_criteria=total.scored_criteria,
        criteria_count=total.criteria_count,
        items=[ScoreRead.model_validate(row) for row in rows],
    )


_SCORES = DriverQuery(_score_rows(bindparam("candidate_id")), wire_keys(ScoreRead))


async def scores_response(request: Request, candidate_id: uuid.UUID) -> Response:
    """``scores`` on the driver (``GET .../scores``): the candidate's sums by ``BY_ID``'s
    statement (404 as ``read``), its scores, written with orjson."""
    async with reading(request.app.state.db) as reader:
        total = await reader.one(BY_ID.staff, {"object_id": candidate_id})
        if total is None:
            raise NotFound(f"There is no candidate location with id {candidate_id}.")
        items = await reader.rows(_SCORES, {"candidate_id": candidate_id})
    body = {
        "score": weighted_total(total["weighted"], total["weights"]),
        "scoredCriteria": total["scored"],
        "criteriaCount": total["criteria"],
        "items": items,
    }
    return Response(dumps(body), media_type="application/json")


async def replace_scores(
    session: AsyncSession,
    *,
    candidate_id: uuid.UUID,
    data: ScoresPut,
    actor: Principal,
    if_match: str | None,
) -> None:
    candidate = await load(session, candidate_id)
    check_if_match(if_match, candidate.version)
    wanted = [item.criterion_id for item in data.items]
    known = set(
        (
            await session.execute(
                select(HousingCriterion.id).where(HousingCriterion.id.in_(wanted))
            )
        ).scalars()
    )
    problems: list[FieldProblem] = []
    seen: set[uuid.UUID] = set()
    for i, criterion_id in enumerate(wanted):
        name = f"items.{i}.criterionId"
        if criterion_id not in known:
            problems.append(
                field_problem("body", name, "There is no such housing criterion.", code="not_found")
            )
        elif criterion_id in seen:
            problems.append(
                field_problem("body", name, "Each criterion is scored once.", code="duplicate")
            )
        seen.add(criterion_id)
    if problems:
        raise bad(problems, "The scores")
    await _delete_all(session, CandidateScore, candidate.id)
    for item in data.items:
        session.add(
            CandidateScore(
                candidate_id=candidate.id,
                criterion_id=item.criterion_id,
                score=item.score,
                note=item.note,
            )
        )
    candidate.updated_at = utcnow()  # new scores are a new version of the candidate
    await session.flush()
