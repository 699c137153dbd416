"""The worker's first step: turning the change feed (the outbox) into deliveries.

The ``changes`` table is the outbox: it is written in the transaction of the change
itself, so nothing committed is ever lost and nothing rolled back is ever sent. Per
active subscription, one ``INSERT ... SELECT`` turns the changes after the
subscription's cursor (``last_position``) that its partner may see (an audience row for
the client's partner) and that match its ``entities`` into ``pending`` deliveries, and
moves the cursor, in one transaction. Positions follow commit order and a committed
position n means every position below n is committed, so the highest position seen is
a safe new cursor.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import Select, and_, exists, func, insert, literal, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from api.db import Database, retry_busy
from api.models import (
    ApiClient,
    Change,
    ChangeAudience,
    DeliveryStatus,
    WebhookDelivery,
    WebhookSubscription,
)


async def anything(db: Database, question: Select[tuple[bool]]) -> bool:
    """Answer ``question`` in a read of its own: a round with nothing to do takes no
    write lock."""
    async with db.read_sessionmaker() as session:
        return bool(await session.scalar(question))


async def enqueue(db: Database, clock: Callable[[], datetime]) -> int:
    """Deliveries for the changes committed since each subscription's cursor."""
    newest = select(func.coalesce(func.max(Change.position), 0)).scalar_subquery()
    behind = exists().where(
        WebhookSubscription.active.is_(True), WebhookSubscription.last_position < newest
    )
    if not await anything(db, select(behind)):
        return 0
    return await retry_busy(lambda: _enqueue(db, clock))


async def _enqueue(db: Database, clock: Callable[[], datetime]) -> int:
    created = 0
    async with db.sessionmaker() as session, session.begin():
        end = (
            await session.execute(select(func.coalesce(func.max(Change.position), 0)))
        ).scalar_one()
        stmt = (
            select(
                WebhookSubscription.id,
                WebhookSubscription.last_position,
                WebhookSubscription.entities,
                ApiClient.partner_id,
            )
            .join(ApiClient, ApiClient.id == WebhookSubscription.client_id)
            .where(WebhookSubscription.active.is_(True))
            .where(WebhookSubscription.last_position < end)
            .order_by(WebhookSubscription.id)
            # Another worker enqueueing the same subscription: skip it, it does it.
            # (SQLite has no row locks and SQLAlchemy writes no FOR UPDATE there: the
            # transaction holds the database's write lock, BEGIN IMMEDIATE.)
            .with_for_update(of=WebhookSubscription, skip_locked=True)
        )
        for sub in (await session.execute(stmt)).all():
            created += await _enqueue_one(session, sub, end, clock())
    return created


async def _enqueue_one(session: AsyncSession, sub: Any, end: int, now: datetime) -> int:
    columns = WebhookDelivery.__table__.c
    rows = (
        select(
            literal(sub.id, columns.subscription_id.type),
            Change.position,
            literal(DeliveryStatus.pending, columns.status.type),
            literal(0, columns.attempts.type),
            literal(now, columns.next_attempt_at.type),
            literal(now, columns.created_at.type),
        )
        .select_from(Change)
        .join(
            ChangeAudience,
            and_(
                ChangeAudience.position == Change.position,
                ChangeAudience.partner_id == sub.partner_id,
            ),
        )
        .where(Change.position > sub.last_position, Change.position <= end)
    )
    if sub.entities is not None:
        rows = rows.where(Change.entity.in_(sub.entities))
    result = await session.execute(
        insert(WebhookDelivery).from_select(
            [
                "subscription_id",
                "position",
                "status",
                "attempts",
                "next_attempt_at",
                "created_at",
            ],
            rows,
        )
    )
    # Core, not the ORM: moving the worker's cursor is not a change of the resource.
    await session.execute(
        update(WebhookSubscription)
        .where(WebhookSubscription.id == sub.id)
        .values(last_position=end)
    )
    return max(getattr(result, "rowcount", 0) or 0, 0)
