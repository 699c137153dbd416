"""Delivering the change feed to webhook subscriptions: the worker.

In rounds (``run_once``):

1. *enqueue* (``outbox``): the changes committed since each subscription's cursor that
   its partner may see become ``pending`` deliveries;
2. *send*: claims the due deliveries (``pending`` and ``next_attempt_at <= now``;
   ``FOR UPDATE SKIP LOCKED`` on PostgreSQL, so several workers never take the same
   one) by counting the attempt and pushing ``next_attempt_at`` past the request
   timeout (a lease: a worker that dies mid-send leaves it to be retried), commits, POSTs
   them concurrently, and records each outcome: ``delivered`` on a 2xx, otherwise the
   next attempt after ``base * 2**(attempts - 1)`` seconds (capped), or ``failed`` after
   the maximum number of attempts.

Each step is a short transaction of its own, and none is open while a receiver is
waited on: on SQLite the database has one write lock, which every writing request
queues for. A round with nothing to do only reads (no write lock at all), and a short
transaction that found SQLite busy beyond its timeout is tried again (``retry_busy``).

One change per request, the body being the feed's item (see ``GET /changes``), signed
as the Standard Webhooks specification signs (``signing``). Receivers are reached only
on vetted addresses (``receivers``).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import ssl
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from types import TracebackType
from typing import Any

import httpx
from sqlalchemy import exists, select, update

from api import API_VERSION
from api.changes.service import change_read
from api.config import Settings
from api.db import Database, retry_busy
from api.models import Change, DeliveryStatus, WebhookDelivery, WebhookSubscription, utcnow
from api.webhooks import outbox
from api.webhooks.receivers import (
    Resolver,
    delivery_transport,
    outcome_error,
    status_error,
    system_resolve,
)
from api.webhooks.signing import ATTEMPT_HEADER, signed_headers, webhook_secret

log = logging.getLogger("opvang.webhooks")


@dataclass(frozen=True)
class Claimed:
    id: int
    subscription_id: uuid.UUID
    url: str
    attempt: int
    body: bytes


@dataclass(frozen=True)
class Outcome:
    status_code: int | None
    error: str | None

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def payload(row: Any) -> bytes:
    """The body: the change as the feed shows it (the same JSON, byte for byte)."""
    return change_read(row).model_dump_json().encode()


class WebhookWorker:
    """Enqueues and sends webhook deliveries; safe to run in several processes at once.

    ``clock`` is the worker's idea of now (tests move it instead of sleeping);
    ``resolve`` answers a host's addresses (DNS; tests answer for names of their own);
    ``verify`` the certificates trusted (tests: their own CA)."""

    def __init__(
        self,
        db: Database,
        settings: Settings,
        *,
        clock: Callable[[], datetime] = utcnow,
        resolve: Resolver = system_resolve,
        verify: ssl.SSLContext | bool = True,
    ) -> None:
        self.db = db
        self.settings = settings
        self.clock = clock
        self._resolve = resolve
        self._verify = verify
        self._http: httpx.AsyncClient | None = None

    async def __aenter__(self) -> WebhookWorker:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        if self._http is not None:
            await self._http.aclose()
            self._http = None

    @property
    def http(self) -> httpx.AsyncClient:
        if self._http is None:
            self._http = httpx.AsyncClient(
                transport=delivery_transport(
                    self.settings, resolve=self._resolve, verify=self._verify
                ),
                trust_env=False,
                timeout=self.settings.webhook_timeout_seconds,
                follow_redirects=False,
                headers={"User-Agent": f"opvang-webhooks/{API_VERSION}"},
            )
        return self._http

    def backoff(self, attempts: int) -> timedelta:
        """The wait after the ``attempts``-th failed attempt: 1, 2, 4 ... x base, capped."""
        seconds = self.settings.webhook_backoff_base_seconds * 2 ** min(attempts - 1, 40)
        return timedelta(seconds=min(seconds, self.settings.webhook_backoff_max_seconds))

    async def run_once(self) -> int:
        """One round: enqueue new changes, send what is due. Answers how many deliveries
        were attempted."""
        await self.enqueue()
        return await self.send_due()

    async def run_forever(self, stop: asyncio.Event) -> None:
        """Rounds until ``stop`` is set: at once again after a full batch, otherwise after
        ``OPVANG_WEBHOOK_POLL_SECONDS``. A failing round is logged, never fatal."""
        try:
            while not stop.is_set():
                try:
                    attempted = await self.run_once()
                except Exception:
                    log.exception("webhook round failed")
                    attempted = 0
                if attempted >= self.settings.webhook_batch_size:
                    continue
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), timeout=self.settings.webhook_poll_seconds)
        finally:
            await self.aclose()

    async def enqueue(self) -> int:
        """Deliveries for the changes committed since each subscription's cursor."""
        return await outbox.enqueue(self.db, self.clock)

    # --- send ---------------------------------------------------------------------------

    async def claim(self) -> list[Claimed]:
        """Lease the due deliveries, in a transaction committed before any is sent."""
        now = self.clock()
        due_now = exists().where(
            WebhookDelivery.status == DeliveryStatus.pending,
            WebhookDelivery.next_attempt_at <= now,
        )
        if not await outbox.anything(self.db, select(due_now)):
            return []
        return await retry_busy(lambda: self._claim(now))

    async def _claim(self, now: datetime) -> list[Claimed]:
        lease = timedelta(seconds=self.settings.webhook_timeout_seconds + 30)
        async with self.db.sessionmaker() as session, session.begin():
            # A worker that stopped during the last allowed attempt left it leased: give up.
            await session.execute(
                update(WebhookDelivery)
                .where(WebhookDelivery.status == DeliveryStatus.pending)
                .where(WebhookDelivery.next_attempt_at <= now)
                .where(WebhookDelivery.attempts >= self.settings.webhook_max_attempts)
                .values(
                    status=DeliveryStatus.failed,
                    last_error="No outcome of the last attempt (the worker stopped).",
                )
            )
            due = (
                select(WebhookDelivery.id)
                .where(WebhookDelivery.status == DeliveryStatus.pending)
                .where(WebhookDelivery.next_attempt_at <= now)
                .order_by(WebhookDelivery.next_attempt_at, WebhookDelivery.id)
                .limit(self.settings.webhook_batch_size)
                # Several workers never take the same one. (SQLAlchemy writes no FOR
                # UPDATE on SQLite: see below.)
                .with_for_update(skip_locked=True)
            )
            ids = list((await session.execute(due)).scalars())
            if not ids:
                return []
            # The conditions again: on SQLite (no row locks) a second worker that read the
            # same ids before this one committed claims none of them.
            claimed = (
                await session.execute(
                    update(WebhookDelivery)
                    .where(WebhookDelivery.id.in_(ids))
                    .where(WebhookDelivery.status == DeliveryStatus.pending)
                    .where(WebhookDelivery.next_attempt_at <= now)
                    .values(
                        attempts=WebhookDelivery.attempts + 1,
                        last_attempt_at=now,
                        next_attempt_at=now + lease,
                    )
                    .returning(WebhookDelivery.id)
                )
            ).scalars()
            claimed_ids = list(claimed)
            if not claimed_ids:
                return []
            rows = await session.execute(
                select(
                    WebhookDelivery.id,
                    WebhookDelivery.attempts,
                    WebhookSubscription.id.label("subscription_id"),
                    WebhookSubscription.url,
                    Change.position,
                    Change.entity,
                    Change.entity_id,
                    Change.operation,
                    Change.version,
                    Change.changed_at,
                )
                .join(
                    WebhookSubscription, WebhookSubscription.id == WebhookDelivery.subscription_id
                )
                .join(Change, Change.position == WebhookDelivery.position)
                .where(WebhookDelivery.id.in_(claimed_ids))
                .order_by(WebhookDelivery.position)
            )
            return [Claimed(r.id, r.subscription_id, r.url, r.attempts, payload(r)) for r in rows]

    async def send(self, delivery: Claimed) -> Outcome:
        secret = webhook_secret(self.settings, delivery.subscription_id)
        headers = {
            "Content-Type": "application/json",
            **signed_headers(secret, delivery.id, self.clock(), delivery.body),
            ATTEMPT_HEADER: str(delivery.attempt),
        }
        try:
            response = await self.http.post(delivery.url, content=delivery.body, headers=headers)
        except Exception as exc:  # any failure is this delivery's, and recorded
            # Coarsely for the client (no port scanner); the kind for the operator's log.
            log.info(
                "webhook request failed",
                extra={"delivery_id": delivery.id, "error": type(exc).__name__},
            )
            return Outcome(None, outcome_error(exc))
        if 200 <= response.status_code < 300:
            return Outcome(response.status_code, None)
        return Outcome(response.status_code, status_error(response.status_code))

    async def send_due(self) -> int:
        claimed = await self.claim()
        if not claimed:
            return 0
        outcomes = await asyncio.gather(*(self.send(d) for d in claimed))
        # Recorded in a transaction of their own, tried again when busy: an outcome lost
        # would have the delivery sent again when its lease runs out.
        await retry_busy(lambda: self._record(claimed, outcomes))
        return len(claimed)

    async def _record(self, claimed: list[Claimed], outcomes: list[Outcome]) -> None:
        now = self.clock()
        async with self.db.sessionmaker() as session, session.begin():
            for delivery, outcome in zip(claimed, outcomes, strict=True):
                values: dict[str, Any] = {
                    "last_status_code": outcome.status_code,
                    "last_error": outcome.error,
                }
                if outcome.ok:
                    values |= {"status": DeliveryStatus.delivered, "delivered_at": now}
                elif delivery.attempt >= self.settings.webhook_max_attempts:
                    values |= {"status": DeliveryStatus.failed}
                else:
                    values |= {"next_attempt_at": now + self.backoff(delivery.attempt)}
                # A subscription removed meanwhile took its deliveries along: no row, no-op.
                await session.execute(
                    update(WebhookDelivery)
                    .where(WebhookDelivery.id == delivery.id)
                    .where(WebhookDelivery.status == DeliveryStatus.pending)
                    .values(**values)
                )
                if not outcome.ok:
                    log.info(
                        "webhook delivery failed",
                        extra={
                            "delivery_id": delivery.id,
                            "attempt": delivery.attempt,
                            "status_code": outcome.status_code,
                        },
                    )


async def run_worker(settings: Settings, *, once: bool = False) -> None:
    """``opvang webhooks run``: the worker on its own, until interrupted."""
    from api.db import build_engine

    db = Database(build_engine(settings))
    try:
        if once:
            async with WebhookWorker(db, settings) as worker:
                await worker.run_once()
            return
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            # Finish the round in flight, then stop (a claimed delivery is not lost either
            # way: its lease runs out and it is tried again).
            loop.add_signal_handler(signum, stop.set)
        await WebhookWorker(db, settings).run_forever(stop)
    finally:
        await db.dispose()
