"""Meeting rules: at most one of location and candidate (another partner's location is
answered like a missing one), partners present must exist (each problem named), a meeting
after today is *planned* (``planned`` computed in SQL). The partners present are replaced
as a whole on a change. Writes go through the ORM (the audit hook records them); the
partners present, not an Entity, are recorded by hand. Services flush, never commit."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlalchemy import BindParameter, Date, Select, bindparam, case, delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from api.audit.service import record
from api.auth.principal import Principal
from api.auth.scoping import FastRead, get_scoped, scoped
from api.common.calendar import today
from api.common.etag import check_if_match
from api.db.fast import DriverQuery, Reader
from api.errors import BadRequest, FieldProblem, NotFound, ProblemType, field_problem
from api.meetings.schemas import MeetingCreate, MeetingQuery, MeetingRead, MeetingUpdate
from api.models import CandidateLocation, Location, Meeting, MeetingPartner, Partner, utcnow

SORTABLE = {"heldOn": Meeting.held_on, "kind": Meeting.kind, "createdAt": Meeting.created_at}
DEFAULT_ORDER = [Meeting.held_on.desc(), Meeting.created_at.desc(), Meeting.id]
_COMPUTED = ("planned", "partner_ids", "partner_names", "location_name")
_OWN = [getattr(Meeting, n) for n in MeetingRead.model_fields if n not in _COMPUTED]


def bad(problems: list[FieldProblem], what: str) -> BadRequest:
    return BadRequest(
        f"{what} has {len(problems)} invalid value(s); see errors.",
        type_=ProblemType.INVALID_INPUT,
        errors=problems,
    )


def read_statement(on: date | BindParameter[date] | None = None) -> Select[Any]:
    """``on``: today (default: the programme's today)."""
    planned = case((Meeting.held_on > (today() if on is None else on), True), else_=False)
    return (
        select(*_OWN, Location.name.label("location_name"), planned.label("planned"))
        .select_from(Meeting)
        .outerjoin(Location, Location.id == Meeting.location_id)
    )


def list_statement(query: MeetingQuery, principal: Principal) -> Select[Any]:
    stmt = scoped(read_statement(), Meeting, principal)
    for column, value in (
        (Meeting.location_id, query.location_id),
        (Meeting.candidate_id, query.candidate_id),
        (Meeting.kind, query.kind),
    ):
        if value is not None:
            stmt = stmt.where(column == value)
    if query.from_ is not None:
        stmt = stmt.where(Meeting.held_on >= query.from_)
    if query.to is not None:
        stmt = stmt.where(Meeting.held_on <= query.to)
    return stmt


def check_query(query: MeetingQuery) -> None:
    if query.from_ is not None and query.to is not None and query.to < query.from_:
        raise BadRequest(
            "The period is empty.",
            type_=ProblemType.INVALID_INPUT,
            errors=[field_problem("query", "to", "Must be on or after from.", code="before_start")],
        )


async def with_partners(session: AsyncSession, items: list[MeetingRead]) -> None:
    """Fill in the partners present for a page of meetings, in one statement."""
    if not items:
        return
    by_id = {item.id: item for item in items}
    stmt = (
        select(MeetingPartner.meeting_id, MeetingPartner.partner_id, Partner.name)
        .join(Partner, Partner.id == MeetingPartner.partner_id)
        .where(MeetingPartner.meeting_id.in_(list(by_id)))
        .order_by(Partner.name)
    )
    for meeting_id, partner_id, name in (await session.execute(stmt)).all():
        by_id[meeting_id].partner_ids.append(partner_id)
        by_id[meeting_id].partner_names.append(name)


async def partners_of_page(reader: Reader, items: list[dict[str, Any]]) -> None:
    """``with_partners`` on the driver, for a page of the list (JSON names)."""
    by_id: dict[str, dict[str, Any]] = {}
    for item in items:
        item["partnerIds"], item["partnerNames"] = [], []
        by_id[str(item["id"])] = item
    if not by_id:
        return
    stmt = (
        select(MeetingPartner.meeting_id, MeetingPartner.partner_id, Partner.name)
        .join(Partner, Partner.id == MeetingPartner.partner_id)
        .where(MeetingPartner.meeting_id.in_([item["id"] for item in items]))
        .order_by(Partner.name)
    )
    for meeting_id, partner_id, name in await reader.select(stmt):
        item = by_id[str(meeting_id)]
        item["partnerIds"].append(partner_id)
        item["partnerNames"].append(name)


_PARTNERS = DriverQuery(
    select(MeetingPartner.partner_id, Partner.name)
    .join(Partner, Partner.id == MeetingPartner.partner_id)
    .where(MeetingPartner.meeting_id == bindparam("meeting_id"))
    .order_by(Partner.name),
    ["id", "name"],
)


async def _partners(reader: Reader, row: Mapping[str, Any]) -> dict[str, Any]:
    """The partners present, as ``with_partners`` gives them (by name)."""
    found = await reader.rows(_PARTNERS, {"meeting_id": row["id"]})
    return {
        "partner_ids": [p["id"] for p in found],
        "partner_names": [p["name"] for p in found],
    }


# Today is bound per request: the statement is compiled once.
BY_ID = FastRead(
    Meeting,
    MeetingRead,
    "meeting",
    stmt=read_statement(bindparam("today", type_=Date)),
    binds=lambda: {"today": today()},
    children=_partners,
)


async def read(session: AsyncSession, meeting_id: uuid.UUID, principal: Principal) -> MeetingRead:
    stmt = scoped(read_statement().where(Meeting.id == meeting_id), Meeting, principal)
    row = (await session.execute(stmt)).one_or_none()
    if row is None:
        raise NotFound(f"There is no meeting with id {meeting_id}.")
    answer = MeetingRead.model_validate(row)
    await with_partners(session, [answer])
    return answer


async def place_problems(
    session: AsyncSession, location_id: uuid.UUID | None, candidate_id: uuid.UUID | None
) -> list[FieldProblem]:
    """At most one of the two, and each must exist."""
    if location_id is not None and candidate_id is not None:
        detail = "Give a location or a candidate location, not both."
        return [
            field_problem("body", "locationId", detail, code="one_of"),
            field_problem("body", "candidateId", detail, code="one_of"),
        ]
    problems = []
    if location_id is not None and await session.get(Location, location_id) is None:
        problems.append(
            field_problem("body", "locationId", "There is no such location.", code="not_found")
        )
    if candidate_id is not None and await session.get(CandidateLocation, candidate_id) is None:
        problems.append(
            field_problem(
                "body", "candidateId", "There is no such candidate location.", code="not_found"
            )
        )
    return problems


async def partner_problems(
    session: AsyncSession, partner_ids: list[uuid.UUID] | None
) -> list[FieldProblem]:
    if not partner_ids:
        return []
    problems = []
    if len(set(partner_ids)) != len(partner_ids):
        problems.append(
            field_problem("body", "partnerIds", "Each partner at most once.", code="duplicate")
        )
    known = set(
        (await session.scalars(select(Partner.id).where(Partner.id.in_(partner_ids)))).all()
    )
    for index, partner_id in enumerate(partner_ids):
        if partner_id not in known:
            problems.append(
                field_problem(
                    "body", f"partnerIds.{index}", "There is no such partner.", code="not_found"
                )
            )
    return problems


async def _set_partners(
    session: AsyncSession, meeting: Meeting, partner_ids: list[uuid.UUID], *, replace: bool
) -> None:
    if replace:
        await session.execute(delete(MeetingPartner).where(MeetingPartner.meeting_id == meeting.id))
    session.add_all(MeetingPartner(meeting_id=meeting.id, partner_id=p) for p in partner_ids)
    await session.flush()
    record(
        session,
        action="partners_set",
        entity="meetings",
        entity_id=meeting.id,
        details={"partnerIds": [str(p) for p in partner_ids]},
    )


async def create(session: AsyncSession, *, data: MeetingCreate, actor: Principal) -> Meeting:
    problems = await place_problems(session, data.location_id, data.candidate_id)
    problems += await partner_problems(session, data.partner_ids)
    if problems:
        raise bad(problems, "The meeting")
    meeting = Meeting(**data.model_dump(by_alias=False, exclude={"partner_ids"}))
    session.add(meeting)
    await session.flush()
    if data.partner_ids:
        await _set_partners(session, meeting, data.partner_ids, replace=False)
    return meeting


async def update(
    session: AsyncSession,
    *,
    meeting_id: uuid.UUID,
    data: MeetingUpdate,
    actor: Principal,
    if_match: str | None,
) -> Meeting:
    meeting = await get_scoped(session, Meeting, meeting_id, actor, "meeting")
    check_if_match(if_match, meeting.version)
    changes = data.model_dump(exclude_unset=True, by_alias=False)
    problems = [
        field_problem("body", name, "Cannot be cleared.", code="cannot_clear")
        for key, name in (
            ("held_on", "heldOn"),
            ("kind", "kind"),
            ("residents_present", "residentsPresent"),
            ("summary", "summary"),
            ("partner_ids", "partnerIds"),
        )
        if key in changes and changes[key] is None
    ]
    if "location_id" in changes or "candidate_id" in changes:
        problems += await place_problems(
            session,
            changes.get("location_id", meeting.location_id),
            changes.get("candidate_id", meeting.candidate_id),
        )
    problems += await partner_problems(session, changes.get("partner_ids"))
    if problems:
        raise bad(problems, "The meeting")
    partner_ids = changes.pop("partner_ids", None)
    for field, value in changes.items():
        setattr(meeting, field, value)
    if partner_ids is not None:
        await _set_partners(session, meeting, partner_ids, replace=True)
        meeting.updated_at = utcnow()  # the partners present are part of the meeting's answer
    await session.flush()
    return meeting


async def remove(
    session: AsyncSession, *, meeting_id: uuid.UUID, actor: Principal, if_match: str | None
) -> None:
    """Its partners present go with it; its agreements stay (without the meeting)."""
    meeting = await get_scoped(session, Meeting, meeting_id, actor, "meeting")
    check_if_match(if_match, meeting.version)
    await session.delete(meeting)
    await session.flush()
