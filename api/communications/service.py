"""Communication rules: sent on a day not in the future, about a location, a candidate or
neither (not both), a link only over http(s) (the schema). Writes go through the ORM, so
the audit hook records them; services flush, never commit."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from sqlalchemy import Select, and_, not_, select
from sqlalchemy.ext.asyncio import AsyncSession

from api.auth.principal import Principal
from api.auth.scoping import FastRead
from api.common.calendar import today
from api.common.etag import check_if_match
from api.communications.schemas import (
    CommunicationCreate,
    CommunicationQuery,
    CommunicationRead,
    CommunicationUpdate,
)
from api.errors import BadRequest, FieldProblem, NotFound, ProblemType, field_problem
from api.meetings.service import bad, place_problems
from api.models import Communication, Location

SORTABLE = {
    "sentOn": Communication.sent_on,
    "channel": Communication.channel,
    "createdAt": Communication.created_at,
}
DEFAULT_ORDER = [Communication.sent_on.desc(), Communication.created_at.desc(), Communication.id]
_COLUMNS = [
    getattr(Communication, n) for n in CommunicationRead.model_fields if n != "location_name"
]


def read_statement() -> Select[Any]:
    """The communication's columns and its location's name (outer join)."""
    return (
        select(*_COLUMNS, Location.name.label("location_name"))
        .select_from(Communication)
        .outerjoin(Location, Location.id == Communication.location_id)
    )


BY_ID = FastRead(Communication, CommunicationRead, "communication", stmt=read_statement())


async def read(session: AsyncSession, communication_id: uuid.UUID) -> CommunicationRead:
    stmt = read_statement().where(Communication.id == communication_id)
    row = (await session.execute(stmt)).one_or_none()
    if row is None:
        raise NotFound(f"There is no communication with id {communication_id}.")
    return CommunicationRead.model_validate(row)


def list_statement(query: CommunicationQuery) -> Select[Any]:
    if query.from_ is not None and query.to is not None and query.to < query.from_:
        raise BadRequest(
            "The period is empty.",
            type_=ProblemType.INVALID_INPUT,
            errors=[field_problem("query", "to", "Must be on or after from.", code="before_start")],
        )
    stmt = read_statement()
    for column, value in (
        (Communication.location_id, query.location_id),
        (Communication.candidate_id, query.candidate_id),
        (Communication.channel, query.channel),
        (Communication.audience, query.audience),
    ):
        if value is not None:
            stmt = stmt.where(column == value)
    if query.general is not None:
        general = and_(Communication.location_id.is_(None), Communication.candidate_id.is_(None))
        stmt = stmt.where(general if query.general else not_(general))
    if query.from_ is not None:
        stmt = stmt.where(Communication.sent_on >= query.from_)
    if query.to is not None:
        stmt = stmt.where(Communication.sent_on <= query.to)
    return stmt


async def load(session: AsyncSession, communication_id: uuid.UUID) -> Communication:
    found = await session.get(Communication, communication_id)
    if found is None:
        raise NotFound(f"There is no communication with id {communication_id}.")
    return found


def _sent_problems(sent_on: date | None) -> list[FieldProblem]:
    if sent_on is not None and sent_on > today():
        return [
            field_problem("body", "sentOn", "Must not lie in the future.", code="date_in_future")
        ]
    return []


async def create(
    session: AsyncSession, *, data: CommunicationCreate, actor: Principal
) -> Communication:
    problems = _sent_problems(data.sent_on)
    problems += await place_problems(session, data.location_id, data.candidate_id)
    if problems:
        raise bad(problems, "The communication")
    communication = Communication(**data.model_dump(by_alias=False))
    session.add(communication)
    await session.flush()
    return communication


async def update(
    session: AsyncSession,
    *,
    communication_id: uuid.UUID,
    data: CommunicationUpdate,
    actor: Principal,
    if_match: str | None,
) -> Communication:
    communication = await load(session, communication_id)
    check_if_match(if_match, communication.version)
    changes = data.model_dump(exclude_unset=True, by_alias=False)
    problems = [
        field_problem("body", name, "Cannot be cleared.", code="cannot_clear")
        for key, name in (
            ("sent_on", "sentOn"),
            ("channel", "channel"),
            ("audience", "audience"),
            ("summary", "summary"),
        )
        if key in changes and changes[key] is None
    ]
    problems += _sent_problems(changes.get("sent_on"))
    if "location_id" in changes or "candidate_id" in changes:
        problems += await place_problems(
            session,
            changes.get("location_id", communication.location_id),
            changes.get("candidate_id", communication.candidate_id),
        )
    if problems:
        raise bad(problems, "The communication")
    for field, value in changes.items():
        setattr(communication, field, value)
    await session.flush()
    return communication


async def remove(
    session: AsyncSession, *, communication_id: uuid.UUID, actor: Principal, if_match: str | None
) -> None:
    communication = await load(session, communication_id)
    check_if_match(if_match, communication.version)
    await session.delete(communication)
    await session.flush()
