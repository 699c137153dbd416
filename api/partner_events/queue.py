"""One partner's batches, in order, applied in groups, waiting without a database connection.

A partner's batches are decided one after another: event ids and references depend on
the batches before. Across processes the partner's row (``SELECT ... FOR UPDATE``)
orders them. Within a process they queue here first, per partner, before their session
touches the database: a batch that waited for the row lock would wait on a pooled
connection, and sixteen batches of one partner held sixteen of a worker's connections
while one of them worked, with staff reads queued for the pool behind them.

The batch at the head of the queue leads: it takes the batches queued behind it (of the
same caller, in order, up to ``MAX_BATCHES`` batches and ``MAX_EVENTS`` events) and
applies them as a group in its own session, in one transaction, each batch played
against what the ones before it left (``service``). Only then, with the group
committed, is each batch answered; the next batch in the queue then leads the next
group. So a partner sending batches faster than one transaction a batch keeps up: the
queue's wait is spent on more batches per transaction, not on more transactions (group
commit). A batch waits at most ``wait_seconds`` for a group to take it (then 503, with
nothing applied); once taken, it is answered when its group ends.

If a group fails (the database, not a batch's rules: those answer per batch), each of
its batches is tried again alone: the leader at once, the others from the head of the
queue. Only a batch that fails alone answers the error, so one batch cannot fail another.

Nothing shared lives here: the queue only orders this process's batches; the row lock
still orders writers across processes and machines.
"""

from __future__ import annotations

import asyncio
import uuid
from collections import deque
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass, field
from typing import Any

from api.errors import ProblemType, ServiceUnavailable

# A group's bounds: as many events as one batch may hold, so the group's statements
# stay the size of one large batch.
MAX_BATCHES = 32
MAX_EVENTS = 1000


@dataclass(eq=False)
class Ticket:
    """One batch in the queue. ``caller``: batches of the same caller may share a group.
    ``size``: its events. ``work``: what the group's runner needs of it."""

    caller: Hashable
    size: int
    work: Any
    alone: bool = False
    # Set when the batch is answered (False) or is to lead a group (True).
    turn: asyncio.Future[bool] = field(
        default_factory=lambda: asyncio.get_running_loop().create_future()
    )
    answer: Any = None


# Runs a group (the leader's first) and answers each batch in order: the value to
# return, or an exception to raise. Called only once the group may run.
Runner = Callable[[list[Ticket]], Awaitable[list[Any]]]


@dataclass
class _Queue:
    pending: deque[Ticket] = field(default_factory=deque)
    # A batch leads or has been told to: the others wait for it.
    leading: bool = False
    # Batches in the queue or in a group: the entry goes when none is left, so the table
    # holds only busy partners and no future outlives its event loop.
    users: int = 0


_queues: dict[uuid.UUID, _Queue] = {}


def waiting(partner_id: uuid.UUID) -> int:
    """Batches of the partner queued or being applied in this process."""
    queue = _queues.get(partner_id)
    return queue.users if queue is not None else 0


async def submit(partner_id: uuid.UUID, ticket: Ticket, run: Runner, *, wait_seconds: float) -> Any:
    """Queue the batch behind the partner's earlier ones; apply it, in a group it leads
    (with ``run``) or one another batch leads; return its answer or raise its error."""
    queue = _queues.get(partner_id)
    if queue is None:
        queue = _queues[partner_id] = _Queue()
    queue.users += 1
    queue.pending.append(ticket)
    try:
        lead = await _wait(queue, ticket, wait_seconds)
        if lead:
            await _lead(queue, ticket, run)
    finally:
        queue.users -= 1
        if queue.users == 0 and _queues.get(partner_id) is queue:
            del _queues[partner_id]
    if isinstance(ticket.answer, BaseException):
        raise ticket.answer
    return ticket.answer


async def _wait(queue: _Queue, ticket: Ticket, wait_seconds: float) -> bool:
    """Until the batch leads (True) or is answered (False)."""
    if not queue.leading:
        queue.leading = True
        return True
    try:
        async with asyncio.timeout(wait_seconds):
            return await asyncio.shield(ticket.turn)
    except TimeoutError:
        if ticket.turn.done():
            return ticket.turn.result()
        if ticket not in queue.pending:
            # A group has taken it: it is being applied, and is answered when that ends.
            return await ticket.turn
        queue.pending.remove(ticket)
        raise ServiceUnavailable(
            "Earlier batches of this partner are still being applied; try again shortly.",
            type_=ProblemType.DATABASE_UNAVAILABLE,
            headers={"Retry-After": "5"},
        ) from None
    except BaseException:
        # Cancelled while waiting: leave the queue, and pass the lead on if it was told to.
        if ticket in queue.pending:
            queue.pending.remove(ticket)
            if ticket.turn.done() and ticket.turn.result():
                _hand_over(queue)
        raise


def _take(queue: _Queue) -> list[Ticket]:
    """The leader (at the head) and the batches behind it that may join its group."""
    leader = queue.pending.popleft()
    group, events = [leader], leader.size
    while (
        not leader.alone
        and queue.pending
        and len(group) < MAX_BATCHES
        and not queue.pending[0].alone
        and queue.pending[0].caller == leader.caller
        and events + queue.pending[0].size <= MAX_EVENTS
    ):
        ticket = queue.pending.popleft()
        group.append(ticket)
        events += ticket.size
    return group


async def _lead(queue: _Queue, ticket: Ticket, run: Runner) -> None:
    group = _take(queue)
    assert group[0] is ticket, "the batch at the head of the queue leads"
    try:
        try:
            answers = await run(group)
        except Exception:
            if len(group) == 1:
                raise
            # The group failed: each of its batches is tried again alone, the others
            # from the head of the queue, this one now.
            _back(queue, group[1:])
            group = [ticket]
            answers = await run(group)
    except Exception as exc:
        ticket.answer = exc
    except BaseException:
        _back(queue, group[1:])  # cancelled: the others are still to be applied
        _hand_over(queue)
        raise
    else:
        for member, answer in zip(group, answers, strict=True):
            member.answer = answer
            if member is not ticket:
                member.turn.set_result(False)
    _hand_over(queue)


def _back(queue: _Queue, tickets: list[Ticket]) -> None:
    """Back to the head of the queue, in their order, each to be applied alone."""
    for other in reversed(tickets):
        other.alone = True
        queue.pending.appendleft(other)


def _hand_over(queue: _Queue) -> None:
    if queue.pending:
        queue.pending[0].turn.set_result(True)
    else:
        queue.leading = False
