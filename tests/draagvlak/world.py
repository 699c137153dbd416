"""Small builders for the draagvlak tests: signals with any reported/resolved moments, and
the support rows (agreements, meetings, decisions with conditions, communications)
written straight through the ORM, since their own APIs are built elsewhere."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

from api.db import Database
from api.models import (
    Agreement,
    AgreementStatus,
    Communication,
    CommunicationAudience,
    CommunicationChannel,
    ConditionStatus,
    DecisionBody,
    DecisionCondition,
    Location,
    LocationDecision,
    Meeting,
    MeetingKind,
    Severity,
    Signal,
    SignalCategory,
    SignalSource,
    SignalStatus,
)


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


async def signal(
    db: Database,
    venue: Location | None,
    reported: str,
    resolved: str | None = None,
    *,
    category: SignalCategory = SignalCategory.nuisance,
    severity: Severity = Severity.medium,
    status: SignalStatus | None = None,
    due: str | None = None,
) -> uuid.UUID:
    async with db.sessionmaker() as session, session.begin():
        row = Signal(
            reported_at=utc(reported),
            source=SignalSource.resident,
            category=category,
            severity=severity,
            location_id=venue.id if venue else None,
            summary="Overlast bij de ingang.",
            status=status or (SignalStatus.resolved if resolved else SignalStatus.open),
            resolved_at=utc(resolved) if resolved else None,
            due_at=utc(due) if due else None,
        )
        session.add(row)
    return row.id


async def agreement(
    db: Database, venue: Location, due_on: date | None, status: AgreementStatus
) -> uuid.UUID:
    async with db.sessionmaker() as session, session.begin():
        row = Agreement(
            location_id=venue.id, description="Extra prullenbak bij het hek.", due_on=due_on,
            status=status,
        )  # fmt: skip
        session.add(row)
    return row.id


async def meeting(db: Database, venue: Location, held_on: date, present: int) -> uuid.UUID:
    async with db.sessionmaker() as session, session.begin():
        row = Meeting(
            location_id=venue.id, held_on=held_on, kind=MeetingKind.neighbourhood_meeting,
            residents_present=present, summary="Buurtoverleg over parkeren.",
        )  # fmt: skip
        session.add(row)
    return row.id


async def condition(
    db: Database, venue: Location, evaluate_on: date, status: ConditionStatus
) -> uuid.UUID:
    async with db.sessionmaker() as session, session.begin():
        decision = LocationDecision(
            location_id=venue.id, decided_on=date(2023, 7, 13), body=DecisionBody.council,
            reference="RB 2023-07", summary="Opvang voor 16 jongeren.",
        )  # fmt: skip
        session.add(decision)
        await session.flush()
        row = DecisionCondition(
            decision_id=decision.id, description="Groei naar 20 als de overlast laag blijft.",
            evaluate_on=evaluate_on, status=status,
        )  # fmt: skip
        session.add(row)
    return row.id


async def communication(db: Database, venue: Location, sent_on: date) -> uuid.UUID:
    async with db.sessionmaker() as session, session.begin():
        row = Communication(
            location_id=venue.id, sent_on=sent_on, channel=CommunicationChannel.letter,
            audience=CommunicationAudience.street, summary="Brief aan de buren.",
        )  # fmt: skip
        session.add(row)
    return row.id
