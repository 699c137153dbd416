"""The living-allowance status: dated ranges per person that never overlap (checked under
the database's write lock, so two staff members adding ranges at once are serialised).

Staff only: admins and coordinators set it, finance reads it (it decides the BooO's POO
amount); partners neither set nor see it. Writes are audited by the audit hook like every
participant record change; anonymising keeps the ranges (no personal text, and frozen
claims must stay reproducible, as with the stays); deleting the person deletes them.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession

from api.auth.principal import Principal
from api.auth.scoping import FastChildren
from api.common.etag import check_if_match
from api.db import take_write_lock
from api.errors import BadRequest, NotFound, ProblemType, field_problem
from api.living_allowances.schemas import (
    LivingAllowanceCreate,
    LivingAllowanceRead,
    LivingAllowanceUpdate,
)
from api.models import LivingAllowance, Participant
from api.participants import service as participants

# GET /participants/{id}/living-allowances, on the driver: a live participant (as
# ``participants.load``), its ranges oldest first (they never overlap).
RANGES = FastChildren(
    Participant,
    "participant",
    select(*(getattr(LivingAllowance, n) for n in LivingAllowanceRead.model_fields))
    .where(LivingAllowance.participant_id == bindparam("parent_id"))
    .order_by(LivingAllowance.starts_on),
    LivingAllowanceRead,
    parent_where=Participant.anonymised_at.is_(None),
)


async def ranges(session: AsyncSession, *, participant_id: uuid.UUID) -> list[LivingAllowance]:
    stmt = (
        select(LivingAllowance)
        .where(LivingAllowance.participant_id == participant_id)
        .order_by(LivingAllowance.starts_on)
    )
    return list((await session.execute(stmt)).scalars().all())


def _check(
    starts_on: date | None,
    ends_on: date | None,
    others: list[LivingAllowance],
    problems: list[Any],
) -> None:
    """Every problem with a range, named at once; an overlap names the other range."""
    if starts_on is None:
        return
    if ends_on is not None and ends_on < starts_on:
        problems.append(
            field_problem("body", "endsOn", "Must be on or after startsOn.", code="before_start")
        )
        return
    for other in others:
        meets = (other.ends_on is None or other.ends_on >= starts_on) and (
            ends_on is None or other.starts_on <= ends_on
        )
        if meets:
            problems.append(
                field_problem(
                    "body",
                    "startsOn",
                    f"Overlaps the range from {other.starts_on} (id {other.id}).",
                    code="allowance_overlap",
                    params={
                        "from": other.starts_on.isoformat(),
                        "to": other.ends_on.isoformat() if other.ends_on else "",
                    },
                )
            )


def _refuse(problems: list[Any]) -> None:
    if problems:
        raise BadRequest(
            f"The living-allowance range has {len(problems)} problem(s); see errors.",
            type_=ProblemType.INVALID_INPUT,
            errors=problems,
        )


async def create(
    session: AsyncSession,
    *,
    participant_id: uuid.UUID,
    data: LivingAllowanceCreate,
    actor: Principal,
) -> LivingAllowance:
    await take_write_lock(session)  # before reading, so the overlap check reads fresh data
    person = await participants.load(session, participant_id, actor)
    problems: list[Any] = []
    _check(data.starts_on, data.ends_on, await ranges(session, participant_id=person.id), problems)
    _refuse(problems)
    made = LivingAllowance(participant_id=person.id, starts_on=data.starts_on, ends_on=data.ends_on)
    session.add(made)
    await session.flush()
    return made


async def _own(
    session: AsyncSession, participant_id: uuid.UUID, allowance_id: uuid.UUID, actor: Principal
) -> LivingAllowance:
    person = await participants.load(session, participant_id, actor)
    row = (
        await session.execute(
            select(LivingAllowance).where(
                LivingAllowance.id == allowance_id, LivingAllowance.participant_id == person.id
            )
        )
    ).scalar_one_or_none()
    if row is None:
        raise NotFound(f"The participant has no living-allowance range with id {allowance_id}.")
    return row


async def update(
    session: AsyncSession,
    *,
    participant_id: uuid.UUID,
    allowance_id: uuid.UUID,
    data: LivingAllowanceUpdate,
    actor: Principal,
    if_match: str | None,
) -> LivingAllowance:
    await take_write_lock(session)
    row = await _own(session, participant_id, allowance_id, actor)
    check_if_match(if_match, row.version)
    changes = data.model_dump(exclude_unset=True, by_alias=False)
    problems: list[Any] = []
    if "starts_on" in changes and changes["starts_on"] is None:
        problems.append(
            field_problem("body", "startsOn", "Cannot be cleared.", code="cannot_clear")
        )
    starts_on = changes.get("starts_on") or row.starts_on
    ends_on = changes.get("ends_on", row.ends_on)
    others = [r for r in await ranges(session, participant_id=row.participant_id) if r.id != row.id]
    _check(starts_on, ends_on, others, problems)
    _refuse(problems)
    row.starts_on, row.ends_on = starts_on, ends_on
    await session.flush()
    return row


async def delete(
    session: AsyncSession,
    *,
    participant_id: uuid.UUID,
    allowance_id: uuid.UUID,
    actor: Principal,
    if_match: str | None,
) -> None:
    await take_write_lock(session)
    row = await _own(session, participant_id, allowance_id, actor)
    check_if_match(if_match, row.version)
    await session.delete(row)
    await session.flush()
