"""Batches queued together are applied as one group, each answered as if alone
(``api.partner_events.queue`` and ``service``).

Real committed transactions in a database of the test's own: while the partner's row
(on SQLite the write lock) is held elsewhere, one batch leads and waits for it and four
more queue behind it. Three of those share a caller and form the next group; within it
an atomic batch that is rejected leaves no trace for the batches after it, and a batch
that repeats an event another applied in the group gets ``duplicate``.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import Callable, Iterator
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from api.config import Settings
from api.db import Database, build_engine
from api.main import create_app
from api.models import (
    AppliedPartnerEvent,
    AuditEvent,
    ExternalRef,
    Location,
    Participant,
    ParticipantProgress,
    Partner,
    PartnerKind,
    Placement,
)
from api.partner_events import queue
from tests.support import faults, records
from tests.support.builders import Builder
from tests.support.partner_events import URL, departure, intake, statuses, transfer, update


@pytest.fixture
def own_url(tmp_path: Path) -> Iterator[str]:
    configured = os.environ.get("OPVANG_TEST_DATABASE_URL", "")
    if configured and not configured.startswith("sqlite"):
        with faults.fresh_database(configured, f"_groups_{uuid.uuid4().hex[:6]}") as url:
            yield url
        return
    url = f"sqlite:///{tmp_path / 'groups.db'}"
    faults.migrate(url)
    yield url


def _queued(partner_id: uuid.UUID, count: int) -> bool:
    return queue.waiting(partner_id) == count


async def _until(condition: Callable[[], bool], what: str) -> None:
    """Wait for ``condition`` (a state of the app, not a duration); fail after long."""
    for _ in range(3000):
        if condition():
            return
        await asyncio.sleep(0.01)
    raise AssertionError(f"never happened: {what}")


async def test_a_group_answers_each_batch_as_if_alone(own_url: str) -> None:
    settings: Settings = faults.settings_for(own_url, sqlite_busy_timeout_ms=60_000)
    db = Database(build_engine(settings))
    app = create_app(settings)
    build = Builder(db, settings)
    try:
        coa = await build.partner(kind=PartnerKind.coa)
        for code in ("A", "B", "C"):
            await records.location(db, coa, external_code=code, capacity=50)
        first, second = await build.api_client(coa), await build.api_client(coa)
        h1, h2 = build.client_headers(first), build.client_headers(second)
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as c:

            async def send(
                name: str, events: list[Any], headers: dict[str, str], *, atomic: bool = True
            ) -> httpx.Response:
                params = {} if atomic else {"atomic": "false"}
                return await c.post(
                    URL,
                    params=params,
                    json={"events": events},
                    headers={**headers, "X-Request-ID": name},
                )

            before = await send("b0", [intake("x-in", "X", "2024-03-01", code="A")], h1)
            assert statuses(before) == ["applied"], before.text

            async with db.sessionmaker() as holder:
                # Another process's batch of this partner, in the middle of its work.
                await holder.execute(
                    select(Partner.id).where(Partner.id == coa.id).with_for_update()
                )
                posts: dict[str, asyncio.Task[httpx.Response]] = {}

                def queued(name: str, coro: Any, count: int) -> Any:
                    posts[name] = asyncio.create_task(coro)
                    return _until(lambda: queue.waiting(coa.id) == count, f"{name} queued")

                # b1 leads a group of its own and waits for the row.
                await queued("b1", send("b1", [intake("z-in", "Z", code="A")], h1), 1)
                # Atomic, one event rejected: nothing of it may reach b3 and b4.
                b2 = [
                    transfer("x-to-c", "X", "2024-04-01", code="C"),
                    intake("y-in-b2", "Y", "2024-04-01", code="A"),
                    update("x-level", "X", dutchLevel="B1"),
                    transfer("nobody", "NOBODY", "2024-04-01", code="C"),
                ]
                await queued("b2", send("b2", b2, h1), 2)
                b3 = [
                    intake("y-in", "Y", "2024-04-02", code="A"),
                    transfer("x-to-b", "X", "2024-04-03", code="B"),
                    departure("nobody-out", "NOBODY", "2024-04-03"),
                ]
                await queued("b3", send("b3", b3, h1, atomic=False), 3)
                b4 = [departure("y-out", "Y", "2024-05-01"), intake("y-in", "Y", code="A")]
                await queued("b4", send("b4", b4, h1), 4)
                # Another client of the same partner: a group of its own, after.
                await queued("b5", send("b5", [intake("w-in", "W", code="A")], h2), 5)
                assert not any(p.done() for p in posts.values())
                await holder.commit()
            answers = {name: await task for name, task in posts.items()}
        assert queue.waiting(coa.id) == 0

        assert statuses(answers["b1"]) == ["applied"]
        assert answers["b2"].status_code == 409, answers["b2"].text
        assert [r["status"] for r in answers["b2"].json()["results"]] == [
            "not_applied",
            "not_applied",
            "not_applied",
            "rejected",
        ]
        assert statuses(answers["b3"]) == ["applied", "applied", "rejected"]
        assert statuses(answers["b4"]) == ["applied", "duplicate"]
        assert statuses(answers["b5"]) == ["applied"]

        async with db.sessionmaker() as session:
            codes = dict((await session.execute(select(Location.id, Location.external_code))).all())

            async def stays(ref: str) -> list[tuple[str | None, date, date | None, str | None]]:
                rows = await session.execute(
                    select(
                        Placement.location_id,
                        Placement.start_date,
                        Placement.end_date,
                        Placement.end_reason,
                    )
                    .join(ExternalRef, ExternalRef.participant_id == Placement.participant_id)
                    .where(ExternalRef.partner_id == coa.id, ExternalRef.external_ref == ref)
                    .order_by(Placement.start_date)
                )
                return [
                    (codes[loc], start, end, reason.value if reason else None)
                    for loc, start, end, reason in rows
                ]

            # b2's transfer to C is gone; b3 moved X from A to B.
            assert await stays("X") == [
                ("A", date(2024, 3, 1), date(2024, 4, 3), "transfer"),
                ("B", date(2024, 4, 3), None, None),
            ]
            # b2's intake of Y is gone: b3 took Y in (once), b4 ended the stay.
            assert await stays("Y") == [("A", date(2024, 4, 2), date(2024, 5, 1), "housing")]
            # b2's update of X's Dutch is gone, with its progress row.
            level = await session.scalar(
                select(Participant.dutch_level)
                .join(ExternalRef, ExternalRef.participant_id == Participant.id)
                .where(ExternalRef.external_ref == "X")
            )
            assert level is not None and level.value == "none"
            assert "B1" not in {
                v for (v,) in await session.execute(select(ParticipantProgress.value))
            }

            applied_at = dict(
                (
                    await session.execute(
                        select(AppliedPartnerEvent.event_id, AppliedPartnerEvent.applied_at)
                    )
                ).all()
            )
            assert set(applied_at) == {"x-in", "z-in", "y-in", "x-to-b", "y-out", "w-in"}
            # b3 and b4 were written in one transaction; b1 and b5 each in their own.
            assert applied_at["y-in"] == applied_at["x-to-b"] == applied_at["y-out"]
            assert len({applied_at["z-in"], applied_at["y-in"], applied_at["w-in"]}) == 3

            audits: dict[str | None, Any] = dict(
                (
                    await session.execute(
                        select(AuditEvent.request_id, AuditEvent.details).where(
                            AuditEvent.action == "partner_events"
                        )
                    )
                ).all()
            )
        # One audit event per batch written, in its own request's name and with its own
        # counts (b2 wrote nothing).
        assert set(audits) == {"b0", "b1", "b3", "b4", "b5"}
        assert audits["b3"] == {
            "applied": 2,
            "participantsCreated": 1,
            "participantsUpdated": 0,
            "placementsCreated": 2,
            "placementsUpdated": 1,
        }
        assert audits["b4"] == {
            "applied": 1,
            "participantsCreated": 0,
            "participantsUpdated": 0,
            "placementsCreated": 0,
            "placementsUpdated": 1,
        }
    finally:
        await db.dispose()
        await app.state.db.dispose()


# A trigger of the test's own: the database refuses one person, as it might refuse a
# batch for a reason of its own (a deadlock, a lost connection).
_REFUSE_SQLITE = """CREATE TRIGGER refuse_boom BEFORE INSERT ON participants
WHEN NEW.given_name = 'Boom' BEGIN SELECT RAISE(ABORT, 'refused'); END"""
_REFUSE_PG = (
    """CREATE FUNCTION refuse_boom() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN IF NEW.given_name = 'Boom' THEN RAISE EXCEPTION 'refused'; END IF; RETURN NEW; END $$""",
    """CREATE TRIGGER refuse_boom BEFORE INSERT ON participants
FOR EACH ROW EXECUTE FUNCTION refuse_boom()""",
)


async def _intakes_behind_a_held_row(
    url: str, names: list[str], ddl: tuple[str, ...], **settings: Any
) -> tuple[list[int], list[str], list[str | None]]:
    """After ``ddl``, one batch per name (an intake at A) from one client, each queued
    while the partner's row is held elsewhere, so the first leads alone and the others
    form the next group: the answers' statuses, then the applied event ids and the
    people's given names in the database, sorted."""
    settings = {"sqlite_busy_timeout_ms": 60_000, **settings}
    config: Settings = faults.settings_for(url, **settings)
    db = Database(build_engine(config))
    app = create_app(config)
    build = Builder(db, config)
    try:
        async with db.engine.begin() as connection:
            for statement in ddl:
                await connection.exec_driver_sql(statement)
        coa = await build.partner(kind=PartnerKind.coa)
        await records.location(db, coa, external_code="A", capacity=50)
        h = build.client_headers(await build.api_client(coa))
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as c:
            async with db.sessionmaker() as holder:
                await holder.execute(
                    select(Partner.id).where(Partner.id == coa.id).with_for_update()
                )
                posts: list[asyncio.Task[httpx.Response]] = []
                for n, name in enumerate(names, start=1):
                    events = {"events": [intake(f"e-{n}", f"P{n}", code="A", givenName=name)]}
                    posts.append(asyncio.create_task(c.post(URL, json=events, headers=h)))
                    await _until(partial(_queued, coa.id, n), f"batch {n} queued")
                await holder.commit()
            answers = [await task for task in posts]
        assert queue.waiting(coa.id) == 0
        async with db.sessionmaker() as session:
            applied = (await session.scalars(select(AppliedPartnerEvent.event_id))).all()
            given = (await session.scalars(select(Participant.given_name))).all()
        return [a.status_code for a in answers], sorted(applied), sorted(given)  # type: ignore[type-var]
    finally:
        await db.dispose()
        await app.state.db.dispose()


async def test_a_failed_group_is_tried_again_batch_by_batch(own_url: str) -> None:
    ddl = (_REFUSE_SQLITE,) if own_url.startswith("sqlite") else _REFUSE_PG
    # The first leads alone; the next three form a group, which fails.
    statuses, applied, names = await _intakes_behind_a_held_row(
        own_url, ["Amina", "Bohdan", "Boom", "Olena"], ddl
    )
    # Only the batch the database refuses fails; the others are applied.
    assert statuses == [200, 200, 500, 200]
    assert applied == ["e-1", "e-2", "e-4"]
    assert names == ["Amina", "Bohdan", "Olena"]


# PostgreSQL: a trigger of the test's own makes one person's insert take a while, so
# the group holding it outlasts the time its other batches may wait.
_SLOW_PG = (
    """CREATE FUNCTION slow_person() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN IF NEW.given_name = 'Slow' THEN PERFORM pg_sleep(2); END IF; RETURN NEW; END $$""",
    """CREATE TRIGGER slow_person BEFORE INSERT ON participants
FOR EACH ROW EXECUTE FUNCTION slow_person()""",
)


async def test_a_batch_a_group_has_taken_is_not_timed_out(own_url: str) -> None:
    """The wait limit (503, nothing applied) is for a batch no group has taken yet: once
    taken, its events are being written, and it is answered when its group commits."""
    if own_url.startswith("sqlite"):
        pytest.skip("needs PostgreSQL: pg_sleep in a trigger")
    # b1 leads alone; b2 (slow) and b3 form the next group, which takes longer than b3
    # may wait.
    statuses, applied, _names = await _intakes_behind_a_held_row(
        own_url, ["Amina", "Slow", "Olena"], _SLOW_PG, partner_events_queue_seconds=1.0
    )
    assert statuses == [200, 200, 200]
    assert applied == ["e-1", "e-2", "e-3"]
