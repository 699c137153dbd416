"""A partner batch names the audience of each change it feeds (no look-up at COMMIT while
the partner's lock is held): it must be exactly the partners whose ``partner_scope``
holds the record once the batch is written, also for stays that ended long ago."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import httpx
from sqlalchemy import func, select

from api.common.calendar import today
from api.db import Database
from api.models import Change, ChangeAudience, Participant, Partner, PartnerKind, Placement
from tests.support import records
from tests.support.builders import Builder
from tests.support.partner_events import departure, intake, post, statuses, transfer


async def _feed_since(db: Database, position: int) -> list[tuple[Any, ...]]:
    """(entity, id, operation, audience) of each change after ``position``."""
    async with db.sessionmaker() as session:
        changes = (
            await session.execute(
                select(Change.position, Change.entity, Change.entity_id, Change.operation)
                .where(Change.position > position)
                .order_by(Change.position)
            )
        ).all()
        out = []
        for pos, entity, entity_id, operation in changes:
            heard = await session.scalars(
                select(ChangeAudience.partner_id).where(ChangeAudience.position == pos)
            )
            out.append((entity, entity_id, operation, sorted(map(str, heard))))
        return out


async def _in_scope(db: Database, entity: str, entity_id: str) -> list[str]:
    model: Any = {"participants": Participant, "placements": Placement}[entity]
    async with db.sessionmaker() as session:
        seen = await session.scalars(
            select(Partner.id)
            .select_from(model)
            .join(Partner, model.partner_scope(Partner.id))
            .where(model.id == uuid.UUID(entity_id))
        )
        return sorted(map(str, seen))


async def test_each_change_is_heard_by_the_partners_that_see_the_record(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    coa = await build.partner(kind=PartnerKind.coa)
    nidos = await build.partner(kind=PartnerKind.nidos)
    await records.location(db, coa, external_code="OLD")
    await records.location(db, coa, external_code="NEW")
    h = build.client_headers(await build.api_client(coa))
    long_ago = (today() - timedelta(days=800)).isoformat()
    ended_long_ago = (today() - timedelta(days=700)).isoformat()
    recent = (today() - timedelta(days=5)).isoformat()
    minor = {
        "group": "unaccompanied_minor",
        "guardianPartnerId": str(nidos.id),
        "dateOfBirth": (today() - timedelta(days=15 * 365)).isoformat(),
    }
    r = await post(
        client,
        h,
        [
            intake("s1", "A", long_ago, code="OLD"),
            intake("s2", "B", long_ago, code="OLD", **minor),
            intake("s3", "C", long_ago, code="OLD"),
        ],
    )
    assert statuses(r) == ["applied"] * 3, r.text
    async with db.sessionmaker() as session:
        before = int(await session.scalar(select(func.max(Change.position))) or 0)
    r = await post(
        client,
        h,
        [
            # A stay ended within the window, one long ago; a ward's stay long ago;
            transfer("t1", "A", recent, code="NEW"),
            departure("d2", "B", ended_long_ago),
            departure("d3", "C", ended_long_ago),
            # a person who came and left long ago, in one batch.
            intake("i4", "D", long_ago, code="OLD"),
            departure("d4", "D", ended_long_ago),
        ],
    )
    assert statuses(r) == ["applied"] * 5
    feed = await _feed_since(db, before)
    assert {(entity, operation) for entity, _id, operation, _a in feed} == {
        ("placements", "update"),
        ("placements", "create"),
        ("participants", "create"),
    }
    assert len(feed) == 6  # three stays ended, two stays and one person created
    for entity, entity_id, operation, audience in feed:
        expected = await _in_scope(db, entity, entity_id)
        assert audience == expected, (entity, operation)
    # What the window decides: the operator does not hear of stays that ended long ago.
    heard = [audience for _e, _i, _o, audience in feed]
    assert [] in heard and [str(nidos.id)] in heard and [str(coa.id)] in heard
