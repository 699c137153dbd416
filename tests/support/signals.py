"""Builders for signals and their actions, written straight through the ORM (no rules),
so tests can set up any state and then test the rules through the API."""

from __future__ import annotations

from datetime import UTC, datetime

from api.db import Database
from api.models import (
    Location,
    Severity,
    Signal,
    SignalAction,
    SignalCategory,
    SignalSource,
    SignalStatus,
)


async def signal(
    db: Database,
    *,
    venue: Location | None = None,
    reported_at: datetime = datetime(2024, 3, 1, 9, 30, tzinfo=UTC),
    severity: Severity = Severity.medium,
    category: SignalCategory = SignalCategory.nuisance,
    status: SignalStatus = SignalStatus.open,
    summary: str = "Geluidsoverlast in de avond bij de ingang.",
) -> Signal:
    async with db.sessionmaker() as session, session.begin():
        row = Signal(
            reported_at=reported_at,
            source=SignalSource.resident,
            category=category,
            severity=severity,
            location_id=venue.id if venue else None,
            summary=summary,
            status=status,
            resolved_at=reported_at if status is SignalStatus.resolved else None,
        )
        session.add(row)
    return row


async def action(db: Database, of: Signal, note: str, at: datetime) -> SignalAction:
    async with db.sessionmaker() as session, session.begin():
        row = SignalAction(
            signal_id=of.id, note=note, author_type="user", author_role="coordinator", created_at=at
        )
        session.add(row)
    return row
