"""One partner's batches, one at a time, waiting without a database connection.

A partner's batches are decided one at a time: event ids and references depend on the
batches before. Across processes the partner's row (``SELECT ... FOR UPDATE``) orders
them. But a batch that waits for that row lock waits on a pooled connection, inside its
transaction: sixteen batches of one partner held sixteen of a worker's connections
while one of them worked, and staff reads queued for the pool behind them. So within a
process the batches first queue here, on an ``asyncio.Lock`` per partner, before their
session touches the database; only the batch at the head of the queue takes a
connection and the row lock (which it then gets at once, unless another process holds
it). The queue is left when the session's transaction ends (commit, rollback or close),
so the next batch reads what this one wrote.

Nothing shared lives here: the lock only gates this process's waiters; the row lock is
still what orders writers across processes and machines.
"""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession

from api.errors import ProblemType, ServiceUnavailable


@dataclass
class _Queue:
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    # Batches holding or waiting for the lock: the entry goes when none is left, so
    # the table holds only busy partners and no lock outlives its event loop.
    users: int = 0


_queues: dict[uuid.UUID, _Queue] = {}


def waiting(partner_id: uuid.UUID) -> int:
    """Batches of the partner holding or waiting for its place in this process."""
    queue = _queues.get(partner_id)
    return queue.users if queue is not None else 0


def _leave(partner_id: uuid.UUID, queue: _Queue) -> None:
    queue.users -= 1
    if queue.users == 0 and _queues.get(partner_id) is queue:
        del _queues[partner_id]


async def enter(session: AsyncSession, partner_id: uuid.UUID, *, wait_seconds: float) -> None:
    """Wait (at most ``wait_seconds``, then 503) for the partner's turn in this
    process, holding no connection; the turn lasts until ``session``'s transaction
    ends. Call it before the session runs its first statement."""
    queue = _queues.get(partner_id)
    if queue is None:
        queue = _queues[partner_id] = _Queue()
    queue.users += 1
    try:
        async with asyncio.timeout(wait_seconds):
            await queue.lock.acquire()
    except TimeoutError:
        _leave(partner_id, queue)
        raise ServiceUnavailable(
            "Earlier batches of this partner are still being applied; try again shortly.",
            type_=ProblemType.DATABASE_UNAVAILABLE,
            headers={"Retry-After": "5"},
        ) from None
    except BaseException:
        _leave(partner_id, queue)
        raise

    done = False

    def give_up() -> None:
        nonlocal done
        if not done:
            done = True
            queue.lock.release()
            _leave(partner_id, queue)

    def on_end(_session: Any, transaction: Any) -> None:
        # Only the outermost transaction: a savepoint ending keeps the turn.
        if transaction.parent is None:
            give_up()

    try:
        event.listen(session.sync_session, "after_transaction_end", on_end)
        # Ensure a transaction exists to end: a session that never ran a statement
        # would otherwise end none, and the turn would never be given up.
        session.sync_session.get_transaction() or session.sync_session.begin()
    except BaseException:
        give_up()
        raise
