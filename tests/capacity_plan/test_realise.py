"""Realising the plan: a due change becomes a fact through the same rules as a manual
one; a refused change stays planned and is reported; the CLI runs it."""

from __future__ import annotations

import asyncio
from datetime import date

import pytest
from sqlalchemy import select

from api.capacity_plan import realise
from api.capacity_plan.realise import realise_due
from api.capacity_plan.schemas import RealisationOutcome
from api.common import calendar
from api.db import Database
from api.models import CapacityChange, Location, PlannedCapacityChange, PlannedChangeKind
from tests.support import records
from tests.support.builders import Builder


async def test_due_changes_become_facts(db: Database, build: Builder) -> None:
    """Three stays at "full" (10 places); planned: 12 places from 2027-02-01 (fine), 2
    from 2027-03-01 (below the 3 people there: refused, stays planned). "empty" (no
    stays) closes 2027-06-01: its last day is 2027-05-31. "new" opens 2027-04-01 with 0
    places; the plan opens it on 2027-03-15 with 8. A change due after 2027-06-30 waits."""
    partner = await build.partner()
    full = await records.location(db, partner, opened_on=date(2024, 1, 1), capacity=10)
    empty = await records.location(db, partner, opened_on=date(2024, 1, 1), capacity=5)
    new = await records.location(db, partner, opened_on=date(2027, 4, 1), capacity=0)
    for _ in range(3):
        person = await records.participant(db)
        await records.placement(db, person, full, start=date(2026, 1, 1))
    plan = [
        (full, PlannedChangeKind.capacity, date(2027, 2, 1), 12),
        (full, PlannedChangeKind.capacity, date(2027, 3, 1), 2),
        (empty, PlannedChangeKind.closing, date(2027, 6, 1), None),
        (new, PlannedChangeKind.opening, date(2027, 3, 15), 8),
        (full, PlannedChangeKind.capacity, date(2027, 9, 1), 11),
    ]
    async with db.sessionmaker() as session, session.begin():
        session.add_all(
            PlannedCapacityChange(location_id=loc.id, kind=kind, takes_effect_on=day, capacity=n)
            for loc, kind, day, n in plan
        )
    async with db.sessionmaker() as session, session.begin():
        outcomes = await realise_due(session, today=date(2027, 6, 30))
    assert [(o.takes_effect_on, o.realised) for o in outcomes] == [
        (date(2027, 2, 1), True),
        (date(2027, 3, 1), False),
        (date(2027, 3, 15), True),
        (date(2027, 6, 1), True),
    ]
    assert "holds 3 people" in (outcomes[1].reason or "")
    async with db.sessionmaker() as session:
        history = (
            await session.execute(
                select(
                    CapacityChange.location_id, CapacityChange.valid_from, CapacityChange.capacity
                )
                .where(CapacityChange.location_id.in_([full.id, new.id]))
                .order_by(CapacityChange.location_id == new.id, CapacityChange.valid_from)
            )
        ).all()
        assert [(d, n) for _id, d, n in history] == [
            (date(2024, 1, 1), 10), (date(2027, 2, 1), 12), (date(2027, 3, 15), 8),
        ]  # fmt: skip
        opened = await session.scalar(select(Location.opened_on).where(Location.id == new.id))
        closed = await session.scalar(select(Location.closed_on).where(Location.id == empty.id))
        assert (opened, closed) == (date(2027, 3, 15), date(2027, 5, 31))
        pending = (
            await session.scalars(
                select(PlannedCapacityChange.takes_effect_on)
                .where(PlannedCapacityChange.realised_at.is_(None))
                .order_by(PlannedCapacityChange.takes_effect_on)
            )
        ).all()
        assert pending == [date(2027, 3, 1), date(2027, 9, 1)]
    # Run again: the realised ones are not done twice; the refused one is tried again.
    async with db.sessionmaker() as session, session.begin():
        again = await realise_due(session, today=date(2027, 6, 30))
    assert [(o.takes_effect_on, o.realised) for o in again] == [(date(2027, 3, 1), False)]


async def test_a_closing_with_people_staying_is_not_realised(db: Database, build: Builder) -> None:
    partner = await build.partner()
    loc = await records.location(db, partner, opened_on=date(2024, 1, 1))
    await records.placement(db, await records.participant(db), loc, start=date(2026, 1, 1))
    async with db.sessionmaker() as session, session.begin():
        session.add(
            PlannedCapacityChange(
                location_id=loc.id, kind=PlannedChangeKind.closing, takes_effect_on=date(2027, 1, 1)
            )
        )
    async with db.sessionmaker() as session, session.begin():
        (outcome,) = await realise_due(session, today=date(2027, 1, 1))
    assert not outcome.realised and "outside the open dates" in (outcome.reason or "")
    async with db.sessionmaker() as session:
        assert await session.scalar(select(Location.closed_on).where(Location.id == loc.id)) is None


async def test_the_servers_task_realises_what_is_due(
    db: Database, build: Builder, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The task beside the API (api.main starts it): a change due today is realised in
    its first round; the task stops when asked."""
    partner = await build.partner()
    loc = await records.location(db, partner, opened_on=date(2024, 1, 1), capacity=10)
    async with db.sessionmaker() as session, session.begin():
        session.add(
            PlannedCapacityChange(
                location_id=loc.id, kind=PlannedChangeKind.capacity,
                takes_effect_on=calendar.today(), capacity=14,
            )
        )  # fmt: skip
    rounds = asyncio.Event()
    real = realise.realise_in

    async def counted(database: Database) -> list[RealisationOutcome]:
        outcomes = await real(database)
        rounds.set()
        return outcomes

    # Wait for the first round rather than poll: the test's sessions share one connection.
    monkeypatch.setattr(realise, "realise_in", counted)
    stop = asyncio.Event()
    task = asyncio.create_task(realise.run_forever(db, stop))
    await asyncio.wait_for(rounds.wait(), timeout=10)
    stop.set()
    await asyncio.wait_for(task, timeout=5)
    async with db.sessionmaker() as session:
        done = await session.scalar(
            select(PlannedCapacityChange.realised_at).where(
                PlannedCapacityChange.location_id == loc.id
            )
        )
    assert done is not None
