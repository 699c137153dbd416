"""A candidate's stage: the allowed moves, the dated history, and the step from decided to
location. The history is never edited; a decided candidate becomes one location, once,
and its decisions, meetings and communications then belong to that location too (their
``candidate_id`` stays, so the story from idea to location can still be read)."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession

from api.auth.principal import Principal
from api.auth.scoping import FastChildren
from api.common.calendar import today
from api.common.etag import check_if_match
from api.errors import Conflict, FieldProblem, ProblemType, field_problem
from api.locations import service as locations
from api.models import (
    CandidateLocation,
    CandidateStage,
    CandidateStageChange,
    Communication,
    Location,
    LocationDecision,
    Meeting,
)
from api.pipeline.schemas import CandidateToLocation, StageChangeCreate, StageChangeRead
from api.pipeline.service import bad, load

S = CandidateStage
_ENDS = (S.rejected, S.withdrawn)
MOVES: dict[CandidateStage, tuple[CandidateStage, ...]] = {
    S.idea: (S.investigation, *_ENDS),
    S.investigation: (S.proposed, *_ENDS),
    S.proposed: (S.decided, *_ENDS),
    S.decided: (),
    S.rejected: (),
    S.withdrawn: (),
}


# GET /candidate-locations/{id}/stages, on the driver: oldest first.
HISTORY = FastChildren(
    CandidateLocation,
    "candidate location",
    select(
        CandidateStageChange.id,
        CandidateStageChange.stage,
        CandidateStageChange.changed_on,
        CandidateStageChange.note,
        CandidateStageChange.created_at,
    )
    .where(CandidateStageChange.candidate_id == bindparam("parent_id"))
    .order_by(CandidateStageChange.changed_on, CandidateStageChange.id),
    StageChangeRead,
)


async def move(
    session: AsyncSession,
    *,
    candidate_id: uuid.UUID,
    data: StageChangeCreate,
    actor: Principal,
    if_match: str | None,
) -> CandidateLocation:
    candidate = await load(session, candidate_id)
    check_if_match(if_match, candidate.version)
    allowed = MOVES[candidate.stage]
    if data.stage not in allowed:
        words = ", ".join(s.value for s in allowed) or "none (the stage is final)"
        raise Conflict(
            f"A candidate at stage {candidate.stage.value} cannot move to {data.stage.value}; "
            f"allowed: {words}.",
            type_=ProblemType.STATUS_FLOW,
            extra={"stage": candidate.stage.value, "allowed": [s.value for s in allowed]},
        )
    last = await session.scalar(
        select(CandidateStageChange.changed_on)
        .where(CandidateStageChange.candidate_id == candidate.id)
        .order_by(CandidateStageChange.changed_on.desc())
        .limit(1)
    )
    problems: list[FieldProblem] = []
    if last is not None and data.changed_on < last:
        problems.append(
            field_problem(
                "body",
                "changedOn",
                f"Must be on or after the previous change ({last.isoformat()}).",
                code="before_previous_stage",
                params={"from": last.isoformat()},
            )
        )
    if data.changed_on > today():
        problems.append(
            field_problem("body", "changedOn", "Must not be in the future.", code="date_in_future")
        )
    if problems:
        raise bad(problems, "The stage change")
    candidate.stage = data.stage
    session.add(
        CandidateStageChange(
            candidate_id=candidate.id,
            stage=data.stage,
            changed_on=data.changed_on,
            note=data.note,
            author_id=str(actor.id) if actor.id is not None else None,
        )
    )
    await session.flush()
    return candidate


async def make_location(
    session: AsyncSession,
    *,
    candidate_id: uuid.UUID,
    data: CandidateToLocation,
    actor: Principal,
) -> CandidateLocation:
    """Only a decided candidate, only once: a new location (the locations' own rules) or
    an existing one not yet taken by another candidate."""
    if (data.location is None) == (data.location_id is None):
        raise bad(
            [
                field_problem(
                    "body",
                    name,
                    "Send either location (a new one) or locationId (an existing one).",
                    code="one_of",
                )
                for name in ("location", "locationId")
            ],
            "The request",
        )
    candidate = await load(session, candidate_id)
    if candidate.stage != S.decided:
        raise Conflict(
            f"The candidate is at stage {candidate.stage.value}; only a decided candidate "
            "becomes a location.",
            type_=ProblemType.STATUS_FLOW,
            extra={"stage": candidate.stage.value},
        )
    if candidate.location_id is not None:
        raise Conflict(
            f"The candidate became location {candidate.location_id} already.",
            type_=ProblemType.DUPLICATE,
            extra={"locationId": str(candidate.location_id)},
        )
    if data.location_id is not None:
        if await session.get(Location, data.location_id) is None:
            raise bad(
                [
                    field_problem(
                        "body", "locationId", "There is no such location.", code="not_found"
                    )
                ]
            )
        taken = await session.scalar(
            select(CandidateLocation.id).where(CandidateLocation.location_id == data.location_id)
        )
        if taken is not None:
            raise Conflict(
                "Another candidate became this location.",
                type_=ProblemType.DUPLICATE,
                extra={"candidateId": str(taken)},
            )
        location_id = data.location_id
    else:
        assert data.location is not None
        location_id = (await locations.create(session, data=data.location, actor=actor)).id
    candidate.location_id = location_id
    linked: tuple[type[LocationDecision | Meeting | Communication], ...] = (
        LocationDecision,
        Meeting,
        Communication,
    )
    for model in linked:
        rows = await session.execute(select(model).where(model.candidate_id == candidate.id))
        row: Any
        for row in rows.scalars():
            if row.location_id is None:
                row.location_id = location_id
    await session.flush()
    return candidate
