"""Turning the plan into facts: each planned change whose day has come is applied through
the same services (and so the same rules) as a manual change — a capacity change
(never below the occupancy on any day it affects), a location's opening date and
opening capacity, a closing date (no stay beyond it) — and gets ``realised_at``.

A change a rule refuses is not realised: it stays pending, is reported, and is tried
again next time (until someone corrects the plan or the facts). Each change runs in its
own savepoint, so one refusal does not undo the others. Run by ``opvang plan realise``
(cron) and by the server once an hour beside the API (``api.main``)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from api.auth.principal import SYSTEM, Principal
from api.capacity_plan.schemas import RealisationOutcome
from api.common import calendar
from api.db import Database
from api.errors import AppError
from api.locations import capacity as capacity_service
from api.locations import service as location_service
from api.locations.schemas import CapacityChangeCreate, LocationUpdate
from api.models import CapacityChange, PlannedCapacityChange, PlannedChangeKind
from api.models.base import utcnow

log = logging.getLogger("opvang.capacity_plan")
INTERVAL_SECONDS = 3600.0


async def _apply(session: AsyncSession, change: PlannedCapacityChange, actor: Principal) -> None:
    day = change.takes_effect_on
    if change.kind == PlannedChangeKind.closing:
        update = LocationUpdate.model_validate({"closedOn": (day - timedelta(days=1)).isoformat()})
        await location_service.update(
            session, location_id=change.location_id, data=update, actor=actor, if_match=None
        )
        return
    assert change.capacity is not None  # the table's CHECK: places unless a closing
    if change.kind == PlannedChangeKind.opening:
        update = LocationUpdate.model_validate({"openedOn": day.isoformat()})
        await location_service.update(
            session, location_id=change.location_id, data=update, actor=actor, if_match=None
        )
        # The opening capacity moved with openedOn; remove it so the plan's takes its place.
        opening = (
            await session.scalars(
                select(CapacityChange).where(
                    CapacityChange.location_id == change.location_id,
                    CapacityChange.valid_from == day,
                )
            )
        ).first()
        if opening is not None:
            await session.delete(opening)
            await session.flush()
    data = CapacityChangeCreate.model_validate(
        {
            "validFrom": day.isoformat(),
            "capacity": change.capacity,
            "decisionId": None if change.decision_id is None else str(change.decision_id),
        }
    )
    await capacity_service.add(session, location_id=change.location_id, data=data, actor=actor)


async def realise_due(
    session: AsyncSession, *, today: date | None = None, actor: Principal = SYSTEM
) -> list[RealisationOutcome]:
    """Every pending planned change due by ``today`` (Heemstede's date), in day order."""
    day = today or calendar.today()
    stmt = (
        select(PlannedCapacityChange)
        .where(
            PlannedCapacityChange.realised_at.is_(None),
            PlannedCapacityChange.takes_effect_on <= day,
        )
        .order_by(PlannedCapacityChange.takes_effect_on, PlannedCapacityChange.id)
        # Several servers may run this at once: on PostgreSQL each takes the changes no
        # other run holds (SQLite has one writer at a time anyway).
        .with_for_update(skip_locked=True)
    )
    outcomes = []
    for change in list(await session.scalars(stmt)):
        reason = None
        try:
            async with session.begin_nested():
                await _apply(session, change, actor)
        except AppError as refused:
            reason = refused.detail
        if reason is None:
            change.realised_at = utcnow()
            await session.flush()
        outcomes.append(
            RealisationOutcome(
                planned_change_id=change.id,
                location_id=change.location_id,
                kind=change.kind,
                takes_effect_on=change.takes_effect_on,
                realised=reason is None,
                reason=reason,
            )
        )
    return outcomes


async def realise_in(db: Database) -> list[RealisationOutcome]:
    """One run in its own transaction (the CLI and the server's hourly task)."""
    async with db.sessionmaker() as session, session.begin():
        outcomes = await realise_due(session)
    for outcome in outcomes:
        if not outcome.realised:
            log.warning(
                "planned change not realised",
                extra={"plannedChangeId": str(outcome.planned_change_id), "reason": outcome.reason},
            )
    return outcomes


async def run_forever(db: Database, stop: asyncio.Event) -> None:
    """Beside the API: at start, then every hour (a change's day begins at midnight in
    Heemstede; a realised change is not taken again, and concurrent runs skip each other's rows)."""
    while not stop.is_set():
        try:
            await realise_in(db)
        except Exception:
            log.exception("capacity plan realisation failed")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=INTERVAL_SECONDS)
