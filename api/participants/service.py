"""Participants: field-level access per audience, dated progress, anonymisation.

Every query goes through ``_visible``: an anonymised participant is gone for everyone
(404, absent from lists and searches) while its row and placements stay for statistics
and frozen claims. Reads of a person's record are audited by id, never with values.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from pydantic.alias_generators import to_camel
from sqlalchemy import ColumnElement, Select, and_, delete, exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from api.audit.service import begin_audited_read, record, record_reads
from api.auth.principal import Principal
from api.auth.scoping import scoped
from api.common.calendar import today
from api.common.etag import check_if_match
from api.common.pagination import read_columns
from api.errors import FieldProblem, NotFound, field_problem
from api.models import (
    ExternalRef,
    Participant,
    ParticipantProgress,
    Placement,
    ProgressField,
    utcnow,
)
from api.participants.erasure import clear_free_text, forget_stored_answers
from api.participants.rules import check_consistency, ensure_unique
from api.participants.schemas import (
    ParticipantCreate,
    ParticipantDetail,
    ParticipantPartnerDetail,
    ParticipantPartnerRead,
    ParticipantQuery,
    ParticipantRead,
    ParticipantSearch,
    ParticipantUpdate,
    ProgressRead,
)

ENTITY = "participants"
STAFF_COLUMNS = read_columns(Participant, ParticipantRead)
PARTNER_COLUMNS = read_columns(Participant, ParticipantPartnerRead)
SORTABLE = {
    "reference": Participant.reference,
    "givenName": Participant.given_name,
    "familyName": Participant.family_name,
    "group": Participant.group,
    "createdAt": Participant.created_at,
}
DEFAULT_ORDER = [Participant.reference, Participant.id]
_NOT_NULL = {"reference", "group", "languages", "dutch_level", "employment_status"}
_TRACKED = {
    "dutch_level": ProgressField.dutch_level,
    "employment_status": ProgressField.employment_status,
}


def read_schema(principal: Principal) -> type[ParticipantRead] | type[ParticipantPartnerRead]:
    """The BSN is for admin and coordinator only; partners get a shape without it."""
    return ParticipantPartnerRead if principal.is_partner else ParticipantRead


def _columns(principal: Principal) -> list[Any]:
    return PARTNER_COLUMNS if principal.is_partner else STAFF_COLUMNS


def _visible(stmt: Select[Any], principal: Principal) -> Select[Any]:
    return scoped(stmt.where(Participant.anonymised_at.is_(None)), Participant, principal)


def _placed_today(on: date, location_id: uuid.UUID | None = None) -> ColumnElement[bool]:
    """A placement covers the night of ``on``: start <= on < end (or open)."""
    conditions = [
        Placement.participant_id == Participant.id,
        Placement.start_date <= on,
        or_(Placement.end_date.is_(None), Placement.end_date > on),
    ]
    if location_id is not None:
        conditions.append(Placement.location_id == location_id)
    return exists(select(Placement.id).where(and_(*conditions)))


def list_statement(query: ParticipantQuery, principal: Principal) -> Select[Any]:
    stmt = _visible(select(*_columns(principal)), principal)
    if query.q:
        needle = query.q.lower()
        stmt = stmt.where(
            or_(
                *(
                    func.lower(column).contains(needle, autoescape=True)
                    for column in (
                        Participant.reference,
                        Participant.given_name,
                        Participant.family_name,
                    )
                )
            )
        )
    if query.group is not None:
        stmt = stmt.where(Participant.group == query.group)
    on = today()
    if query.location_id is not None:
        stmt = stmt.where(_placed_today(on, query.location_id))
    if query.active is not None:
        placed = _placed_today(on)
        stmt = stmt.where(placed if query.active else ~placed)
    return stmt


async def progress_of(session: AsyncSession, participant_id: uuid.UUID) -> list[ProgressRead]:
    rows = await session.execute(
        select(ParticipantProgress.field, ParticipantProgress.value, ParticipantProgress.valid_from)
        .where(ParticipantProgress.participant_id == participant_id)
        .order_by(ParticipantProgress.valid_from, ParticipantProgress.id)
    )
    return [ProgressRead.model_validate(row) for row in rows]


async def detail(
    session: AsyncSession, participant: Participant, principal: Principal
) -> ParticipantDetail | ParticipantPartnerDetail:
    """The caller's shape of one participant with its progress history."""
    shape = ParticipantPartnerDetail if principal.is_partner else ParticipantDetail
    fields = {name: getattr(participant, name) for name in read_schema(principal).model_fields}
    return shape.model_validate({**fields, "progress": await progress_of(session, participant.id)})


async def search(
    session: AsyncSession, *, data: ParticipantSearch, principal: Principal
) -> list[ParticipantRead | ParticipantPartnerRead]:
    await begin_audited_read(session)
    stmt = _visible(select(*_columns(principal)), principal)
    if data.bsn is not None:
        stmt = stmt.where(Participant.bsn == data.bsn)
    else:
        stmt = stmt.where(Participant.v_number == data.v_number)
    shape = read_schema(principal)
    items: list[ParticipantRead | ParticipantPartnerRead] = [
        shape.model_validate(row) for row in (await session.execute(stmt)).all()
    ]
    record_reads(session, entity=ENTITY, ids=[item.id for item in items])
    return items


async def load(
    session: AsyncSession, participant_id: uuid.UUID, principal: Principal
) -> Participant:
    """One live participant for writing, within the caller's scope, or 404."""
    stmt = _visible(select(Participant), principal).where(Participant.id == participant_id)
    participant: Participant | None = (await session.execute(stmt)).scalar_one_or_none()
    if participant is None:
        raise NotFound(f"There is no participant with id {participant_id}.")
    return participant


def _track(
    session: AsyncSession,
    participant: Participant,
    changes: dict[str, Any],
    valid_from: date,
) -> None:
    for attr, field in _TRACKED.items():
        if attr in changes:
            session.add(
                ParticipantProgress(
                    participant_id=participant.id,
                    field=field,
                    value=str(changes[attr]),
                    valid_from=valid_from,
                )
            )


async def create(
    session: AsyncSession, *, data: ParticipantCreate, actor: Principal
) -> Participant:
    values = data.model_dump(by_alias=False, exclude={"progress_on"})
    await check_consistency(
        session,
        group=data.group,
        guardian_partner_id=data.guardian_partner_id,
        date_of_birth=data.date_of_birth,
        group_set=True,
        guardian_changed=True,
        problems=[],
    )
    await ensure_unique(session, values)
    participant = Participant(id=uuid.uuid4(), **values)
    session.add(participant)
    await session.flush()
    _track(session, participant, values, data.progress_on or today())
    await session.flush()
    return participant


async def update(
    session: AsyncSession,
    *,
    participant_id: uuid.UUID,
    data: ParticipantUpdate,
    actor: Principal,
    if_match: str | None,
) -> Participant:
    participant = await load(session, participant_id, actor)
    check_if_match(if_match, participant.version)
    changes = data.model_dump(by_alias=False, exclude_unset=True, exclude={"progress_on"})
    problems: list[FieldProblem] = [
        field_problem("body", to_camel(name), "This field cannot be cleared.", code="cannot_clear")
        for name in sorted(_NOT_NULL)
        if name in changes and changes[name] is None
    ]
    merged = {
        name: changes.get(name, getattr(participant, name))
        for name in ("group", "guardian_partner_id", "date_of_birth")
    }
    await check_consistency(
        session,
        group=merged["group"] or participant.group,
        guardian_partner_id=merged["guardian_partner_id"],
        date_of_birth=merged["date_of_birth"],
        group_set="group" in changes and changes["group"] != participant.group,
        guardian_changed="guardian_partner_id" in changes,
        problems=problems,
    )
    await ensure_unique(session, changes, exclude=participant.id)
    progressed = {
        attr: value
        for attr, value in changes.items()
        if attr in _TRACKED and value != getattr(participant, attr)
    }
    for attr, value in changes.items():
        setattr(participant, attr, value)
    await session.flush()
    _track(session, participant, progressed, data.progress_on or today())
    await session.flush()
    return participant


# Anonymising clears these; the retention run (api.participants.retention) applies the same rule.
IDENTIFYING_FIELDS = (
    "bsn",
    "v_number",
    "given_name",
    "family_name",
    "date_of_birth",
    "household_ref",
    "nationality",
)


def anonymised_values(participant_id: uuid.UUID) -> dict[str, Any]:
    """What anonymising writes: every identifying field cleared, no languages, and a
    reference that says nothing about the person."""
    return {
        **dict.fromkeys(IDENTIFYING_FIELDS),
        "languages": [],
        "reference": f"ANON-{participant_id.hex[:12]}",
    }


async def anonymise(
    session: AsyncSession, *, participant_id: uuid.UUID, actor: Principal, if_match: str | None
) -> None:
    """Clear every identifying field and keep the row, its placements and its progress."""
    participant = await load(session, participant_id, actor)
    check_if_match(if_match, participant.version)
    for attr, value in anonymised_values(participant.id).items():
        setattr(participant, attr, value)
    participant.anonymised_at = utcnow()
    await session.flush()
    # A partner's own reference (for the COA the V-number) identifies the person too.
    await session.execute(delete(ExternalRef).where(ExternalRef.participant_id == participant.id))
    # So do the answers stored for Idempotency-Key replays that name them, and free text
    # typed on their records.
    await forget_stored_answers(session, [participant.id])
    await clear_free_text(session, [participant.id])
    # The update event lists the cleared fields; this one says why, for the audit trail.
    record(session, action="anonymise", entity=ENTITY, entity_id=participant.id)
    await session.flush()
