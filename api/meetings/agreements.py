"""Agreement rules: one owner at most (a partner or a staff user), the location taken from
the meeting (and matching it when both are given), the status flow with ``doneOn`` kept by
the service, ``overdue`` computed in SQL so lists filter on it. A partner manages the
agreements assigned to it: it changes their status (not reopening them) and adds notes;
anything else is a 403. Notes are never edited."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    Date,
    Select,
    and_,
    bindparam,
    case,
    not_,
    or_,
    select,
)
from sqlalchemy.ext.asyncio import AsyncSession

from api.audit.service import record
from api.auth.principal import Principal
from api.auth.scoping import FastChildren, FastRead, get_scoped, scoped
from api.common.calendar import today
from api.common.etag import check_if_match
from api.errors import Conflict, FieldProblem, Forbidden, NotFound, ProblemType, field_problem
from api.meetings.schemas import (
    AgreementCreate,
    AgreementNoteCreate,
    AgreementNoteRead,
    AgreementQuery,
    AgreementRead,
    AgreementUpdate,
)
from api.meetings.service import bad
from api.models import (
    Agreement,
    AgreementNote,
    AgreementStatus,
    Location,
    Meeting,
    Partner,
    Role,
    User,
    utcnow,
)

S = AgreementStatus
FLOW: dict[AgreementStatus, frozenset[AgreementStatus]] = {
    S.open: frozenset({S.in_progress, S.done, S.cancelled}),
    S.in_progress: frozenset({S.open, S.done, S.cancelled}),
    S.done: frozenset({S.open, S.in_progress}),  # reopened, by staff
    S.cancelled: frozenset({S.open, S.in_progress}),  # reopened, by staff
}
CLOSED = (S.done, S.cancelled)
SORTABLE = {
    "dueOn": Agreement.due_on,
    "status": Agreement.status,
    "createdAt": Agreement.created_at,
}
DEFAULT_ORDER = [Agreement.due_on.asc().nulls_last(), Agreement.created_at.desc(), Agreement.id]
_COMPUTED = ("overdue", "location_name", "partner_name")
_OWN = [getattr(Agreement, n) for n in AgreementRead.model_fields if n not in _COMPUTED]
_NOTE_COLUMNS = [getattr(AgreementNote, n) for n in AgreementNoteRead.model_fields]
OWNER_ROLES = (Role.admin, Role.coordinator)


def is_overdue(on: date | BindParameter[date] | None = None) -> ColumnElement[bool]:
    """Not done or cancelled, due before today (today is computed here, not in SQL;
    ``on``: today, or a parameter for it). The two statuses as two comparisons, not an
    IN list: the single read's statement is compiled once, and an IN list is written out
    per request."""
    return and_(
        or_(Agreement.status == S.open, Agreement.status == S.in_progress),
        Agreement.due_on.is_not(None),
        Agreement.due_on < (today() if on is None else on),
    )


def read_statement(on: date | BindParameter[date] | None = None) -> Select[Any]:
    return (
        select(
            *_OWN,
            case((is_overdue(on), True), else_=False).label("overdue"),
            Location.name.label("location_name"),
            Partner.name.label("partner_name"),
        )
        .select_from(Agreement)
        .outerjoin(Location, Location.id == Agreement.location_id)
        .outerjoin(Partner, Partner.id == Agreement.partner_id)
    )


# Today is bound per request: the statement is compiled once.
BY_ID = FastRead(
    Agreement,
    AgreementRead,
    "agreement",
    stmt=read_statement(bindparam("today", type_=Date)),
    binds=lambda: {"today": today()},
)


def list_statement(query: AgreementQuery, principal: Principal) -> Select[Any]:
    stmt = scoped(read_statement(), Agreement, principal)
    for column, value in (
        (Agreement.location_id, query.location_id),
        (Agreement.meeting_id, query.meeting_id),
        (Agreement.status, query.status),
        (Agreement.partner_id, query.partner_id),
    ):
        if value is not None:
            stmt = stmt.where(column == value)
    if query.overdue is not None:
        stmt = stmt.where(is_overdue() if query.overdue else not_(is_overdue()))
    return stmt


async def read(
    session: AsyncSession, agreement_id: uuid.UUID, principal: Principal
) -> AgreementRead:
    stmt = scoped(read_statement().where(Agreement.id == agreement_id), Agreement, principal)
    row = (await session.execute(stmt)).one_or_none()
    if row is None:
        raise NotFound(f"There is no agreement with id {agreement_id}.")
    return AgreementRead.model_validate(row)


async def _checked(session: AsyncSession, values: dict[str, Any]) -> list[FieldProblem]:
    """Every problem at once; sets ``location_id`` from the meeting when it is not given."""
    problems: list[FieldProblem] = []
    if values.get("partner_id") is not None and values.get("owner_user_id") is not None:
        detail = "Give a partner or a staff user as owner, not both."
        problems += [
            field_problem("body", "partnerId", detail, code="one_of"),
            field_problem("body", "ownerUserId", detail, code="one_of"),
        ]
    if (
        values.get("partner_id") is not None
        and await session.get(Partner, values["partner_id"]) is None
    ):
        problems.append(
            field_problem("body", "partnerId", "There is no such partner.", code="not_found")
        )
    owner = values.get("owner_user_id")
    if owner is not None:
        found = select(User.id).where(User.id == owner, User.role.in_(OWNER_ROLES))
        if (await session.execute(found)).first() is None:
            problems.append(
                field_problem(
                    "body",
                    "ownerUserId",
                    "There is no staff user (admin, coordinator) with this id.",
                    code="not_found",
                )
            )
    location_id = values.get("location_id")
    if location_id is not None and await session.get(Location, location_id) is None:
        problems.append(
            field_problem("body", "locationId", "There is no such location.", code="not_found")
        )
    meeting_id = values.get("meeting_id")
    if meeting_id is not None:
        meeting = await session.get(Meeting, meeting_id)
        if meeting is None:
            problems.append(
                field_problem("body", "meetingId", "There is no such meeting.", code="not_found")
            )
        elif location_id is None:
            values["location_id"] = meeting.location_id
        elif meeting.location_id != location_id:
            problems.append(
                field_problem(
                    "body",
                    "locationId",
                    "Must be the meeting's location.",
                    code="location_mismatch",
                )
            )
    return problems


def _move(agreement: Agreement, after: AgreementStatus, actor: Principal) -> None:
    before = agreement.status
    if after is before:
        return
    if after not in FLOW[before]:
        allowed = ", ".join(sorted(s.value for s in FLOW[before]))
        raise Conflict(
            f"An agreement cannot move from '{before.value}' to '{after.value}' "
            f"(from '{before.value}' only to: {allowed}).",
            type_=ProblemType.STATUS_FLOW,
            extra={"field": "status", "from": before.value, "to": after.value},
        )
    if before in CLOSED and actor.is_partner:
        raise Forbidden("Only staff (admin, coordinator) reopen an agreement.")
    agreement.status = after
    agreement.done_on = today() if after is S.done else None


async def create(session: AsyncSession, *, data: AgreementCreate, actor: Principal) -> Agreement:
    values = data.model_dump(by_alias=False)
    problems = await _checked(session, values)
    if problems:
        raise bad(problems, "The agreement")
    if values["status"] is S.done:
        values["done_on"] = today()
    agreement = Agreement(**values)
    session.add(agreement)
    await session.flush()
    return agreement


async def _for_partner(
    session: AsyncSession, agreement_id: uuid.UUID, actor: Principal, what: str
) -> Agreement:
    """The agreement within the caller's scope (404); a partner must be its owner (403)."""
    agreement = await get_scoped(session, Agreement, agreement_id, actor, "agreement")
    if actor.is_partner and agreement.partner_id != actor.partner_id:
        raise Forbidden(f"A partner {what} only the agreements assigned to it.")
    return agreement


async def update(
    session: AsyncSession,
    *,
    agreement_id: uuid.UUID,
    data: AgreementUpdate,
    actor: Principal,
    if_match: str | None,
) -> Agreement:
    agreement = await _for_partner(session, agreement_id, actor, "changes")
    check_if_match(if_match, agreement.version)
    changes = data.model_dump(exclude_unset=True, by_alias=False)
    if actor.is_partner and set(changes) - {"status"}:
        raise Forbidden("A partner changes only the status of an agreement assigned to it.")
    problems = [
        field_problem("body", name, "Cannot be cleared.", code="cannot_clear")
        for key, name in (("description", "description"), ("status", "status"))
        if key in changes and changes[key] is None
    ]
    merged = {
        "partner_id": changes.get("partner_id", agreement.partner_id),
        "owner_user_id": changes.get("owner_user_id", agreement.owner_user_id),
        "meeting_id": changes.get("meeting_id", agreement.meeting_id),
        "location_id": changes.get("location_id", agreement.location_id),
    }
    if changes.get("meeting_id") is not None and "location_id" not in changes:
        merged["location_id"] = None  # taken from the new meeting
    if {"partner_id", "owner_user_id", "meeting_id", "location_id"} & set(changes):
        problems += await _checked(session, merged)
    if problems:
        raise bad(problems, "The agreement")
    status = changes.pop("status", None)
    if "meeting_id" in changes or "location_id" in changes:
        changes["location_id"] = merged["location_id"]
    for field, value in changes.items():
        setattr(agreement, field, value)
    if status is not None:
        _move(agreement, status, actor)
    await session.flush()
    return agreement


async def remove(
    session: AsyncSession, *, agreement_id: uuid.UUID, actor: Principal, if_match: str | None
) -> None:
    agreement = await get_scoped(session, Agreement, agreement_id, actor, "agreement")
    check_if_match(if_match, agreement.version)
    await session.delete(agreement)
    await session.flush()


# GET /agreements/{id}/notes, on the driver: oldest first, a bare array.
NOTES = FastChildren(
    Agreement,
    "agreement",
    select(*_NOTE_COLUMNS)
    .where(AgreementNote.agreement_id == bindparam("parent_id"))
    .order_by(AgreementNote.created_at, AgreementNote.id),
    AgreementNoteRead,
    envelope=None,
)


async def add_note(
    session: AsyncSession, *, agreement_id: uuid.UUID, data: AgreementNoteCreate, actor: Principal
) -> AgreementNote:
    agreement = await _for_partner(session, agreement_id, actor, "adds notes to")
    at = utcnow()
    note = AgreementNote(
        agreement_id=agreement.id,
        note=data.note,
        author_type=actor.kind,
        author_id=str(actor.id) if actor.id is not None else None,
        author_role=actor.role.value,
        created_at=at,
    )
    session.add(note)
    await session.flush()
    # A note is not an Entity, so the ORM hook does not see it; its text stays out of the
    # log (free text).
    record(
        session,
        action="note_added",
        entity="agreements",
        entity_id=agreement.id,
        details={"noteId": str(note.id)},
    )
    return note
