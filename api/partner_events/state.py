"""The batch's state: what the database holds about it, loaded with a fixed number of
statements whatever the batch's size (the partner's external references, the locations
named, the persons involved with their stays, the V-numbers and guardians named), and
kept in memory while the events are played against it.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Date, literal, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from api.common import visibility
from api.db.dialect import sql_of
from api.models import (
    EndReason,
    ExternalRef,
    Location,
    Participant,
    Partner,
    PartnerKind,
    Placement,
)
from api.partner_events.parsing import Outcome
from api.partner_events.schemas import IntakeEvent, ParsedEvent, TransferEvent

# Participant columns an event may set.
DETAILS = (
    "given_name",
    "family_name",
    "group",
    "date_of_birth",
    "nationality",
    "v_number",
    "guardian_partner_id",
    "household_ref",
    "languages",
    "dutch_level",
    "employment_status",
)


@dataclass(slots=True)
class Person:
    id: uuid.UUID
    details: dict[str, Any]
    anonymised: bool
    version: int
    new: bool = False
    changed: bool = False


@dataclass(slots=True)
class Stay:
    id: uuid.UUID
    location_id: uuid.UUID
    start: date
    end: date | None
    end_reason: EndReason | None
    version: int
    new: bool = False
    changed: bool = False


@dataclass(frozen=True, slots=True)
class Place:
    id: uuid.UUID
    name: str
    operator: uuid.UUID
    code: str | None
    opened_on: date
    closed_on: date | None


@dataclass
class Batch:
    partner_id: uuid.UUID
    refs: dict[str, uuid.UUID]
    persons: dict[uuid.UUID, Person]
    stays: dict[uuid.UUID, list[Stay]]
    places: dict[uuid.UUID, Place]
    by_code: dict[str, Place]
    v_numbers: dict[str, uuid.UUID]
    # The kind of each partner an event names as guardian (an unknown id is absent).
    partners: dict[uuid.UUID, PartnerKind]
    # A stay at the partner's location that ended after this day keeps its person visible.
    visible_since: date
    new_refs: list[tuple[str, uuid.UUID]] = field(default_factory=list)
    progress: list[dict[str, Any]] = field(default_factory=list)
    applied: list[tuple[Outcome, uuid.UUID]] = field(default_factory=list)


async def load_batch(
    session: AsyncSession, partner_id: uuid.UUID, events: list[ParsedEvent]
) -> Batch:
    sql = sql_of(session)
    visible_since = visibility.visible_since()
    refs_wanted = {e.participant.external_ref for e in events}
    ids_wanted = {
        e.location_id
        for e in events
        if isinstance(e, IntakeEvent | TransferEvent) and e.location_id
    }
    codes_wanted = {
        e.location_code
        for e in events
        if isinstance(e, IntakeEvent | TransferEvent) and e.location_code
    }
    refs: dict[str, uuid.UUID] = {}
    if refs_wanted:
        rows = await session.execute(
            sql.by_keys(
                ExternalRef.partner_id,
                partner_id,
                ExternalRef.external_ref,
                refs_wanted,
                ExternalRef.external_ref,
                ExternalRef.participant_id,
            )
        )
        refs = {row[0]: row[1] for row in rows}

    places: dict[uuid.UUID, Place] = {}
    by_code: dict[str, Place] = {}
    if ids_wanted or codes_wanted:
        # Locked (PostgreSQL) in id order: writers racing for the same places queue here.
        stmt = (
            select(
                Location.id,
                Location.name,
                Location.operator_partner_id,
                Location.external_code,
                Location.opened_on,
                Location.closed_on,
            )
            .where(
                or_(
                    sql.among(Location.id, ids_wanted),
                    (Location.operator_partner_id == partner_id)
                    & sql.among(Location.external_code, codes_wanted),
                )
            )
            .order_by(Location.id)
            .with_for_update()
        )
        for row in await session.execute(stmt):
            place = Place(*row)
            places[place.id] = place
            if place.operator == partner_id and place.code in codes_wanted:
                by_code[place.code] = place

    persons: dict[uuid.UUID, Person] = {}
    stays: dict[uuid.UUID, list[Stay]] = {}
    known = list(set(refs.values()))
    if known:
        columns = [getattr(Participant, name) for name in DETAILS]
        stmt = (
            select(Participant.id, Participant.anonymised_at, Participant.version, *columns)
            .where(sql.among(Participant.id, known))
            .order_by(Participant.id)
            .with_for_update()
        )
        for row in await session.execute(stmt):
            details = {name: getattr(row, name) for name in DETAILS}
            persons[row.id] = Person(row.id, details, row.anonymised_at is not None, row.version)
        # Their stays that may matter: open ones and those ending after the earliest day
        # of the batch (with the location's operator and closing day, for scope checks).
        # The stays ended within the visibility window too: they decide whether the person
        # is still in the partner's world (``rules._in_world``).
        earliest = min(min(e.occurred_on for e in events), visible_since)
        stays_stmt = select(
            Placement.id,
            Placement.participant_id,
            Placement.location_id,
            Placement.start_date,
            Placement.end_date,
            Placement.end_reason,
            Placement.version,
            Location.name,
            Location.operator_partner_id,
            Location.external_code,
            Location.opened_on,
            Location.closed_on,
        ).join(Location, Location.id == Placement.location_id)
        stays_stmt = stays_stmt.where(
            sql.among(Placement.participant_id, known),
            or_(Placement.end_date.is_(None), Placement.end_date > literal(earliest, Date)),
        ).order_by(Placement.participant_id, Placement.start_date)
        for stay_row in await session.execute(stays_stmt):
            stays.setdefault(stay_row.participant_id, []).append(
                Stay(
                    stay_row.id,
                    stay_row.location_id,
                    stay_row.start_date,
                    stay_row.end_date,
                    stay_row.end_reason,
                    stay_row.version,
                )
            )
            places.setdefault(
                stay_row.location_id,
                Place(
                    stay_row.location_id,
                    stay_row.name,
                    stay_row.operator_partner_id,
                    stay_row.external_code,
                    stay_row.opened_on,
                    stay_row.closed_on,
                ),
            )

    v_wanted = sent_values(events, "v_number")
    v_numbers: dict[str, uuid.UUID] = {}
    if v_wanted:
        rows = await session.execute(
            select(Participant.v_number, Participant.id).where(
                sql.among(Participant.v_number, v_wanted)
            )
        )
        v_numbers = {v: pid for v, pid in rows if v is not None}

    g_wanted = sent_values(events, "guardian_partner_id")
    partners: dict[uuid.UUID, PartnerKind] = {}
    g_wanted.discard(None)
    if g_wanted:
        rows = await session.execute(
            select(Partner.id, Partner.kind).where(sql.among(Partner.id, g_wanted))
        )
        partners = {row.id: row.kind for row in rows}
    return Batch(
        partner_id, refs, persons, stays, places, by_code, v_numbers, partners, visible_since
    )


def _given(event: ParsedEvent, name: str) -> bool:
    person = event.participant
    return name in person.model_fields_set and getattr(person, name, None) is not None


def sent_values(events: list[ParsedEvent], name: str) -> set[Any]:
    return {getattr(e.participant, name) for e in events if _given(e, name)}
