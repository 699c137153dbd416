"""Webhooks: subscribing (clients only, own subscriptions), and delivery to a real HTTP
receiver on 127.0.0.1: signed, retried with growing back-off until a 2xx, `failed`
after the maximum number of attempts, only the partner's changes, never sent twice."""

from __future__ import annotations

import asyncio
import uuid
from datetime import datetime
from typing import Any

import httpx
import pytest
from sqlalchemy import delete, func, select, update
from standardwebhooks import Webhook, WebhookVerificationError

from api.changes.schemas import encode_cursor
from api.config import Settings
from api.db import Database, build_engine
from api.main import create_app
from api.models import (
    ApiClient,
    AuditEvent,
    CapacityChange,
    Change,
    DeliveryStatus,
    Location,
    Partner,
    Role,
    WebhookDelivery,
    WebhookSubscription,
)
from api.webhooks.service import url_problems
from api.webhooks.signing import webhook_secret
from api.webhooks.worker import WebhookWorker
from tests.support import records
from tests.support.builders import Builder, problem
from tests.support.webhooks import Clock, receiver

URL = "/api/v1/webhooks"
PUBLIC = "https://93.184.215.14/h"  # a public address (as a literal: no DNS needed)


def worker_settings(settings: Settings, **changes: Any) -> Settings:
    return settings.model_copy(update={"webhooks_enabled": False, **changes})


async def subscribe(
    client: httpx.AsyncClient, headers: dict[str, str], url: str, **extra: Any
) -> dict[str, Any]:
    r = await client.post(URL, json={"url": url, **extra}, headers=headers)
    assert r.status_code == 201, r.text
    body: dict[str, Any] = r.json()
    return body


async def deliveries(
    client: httpx.AsyncClient, headers: dict[str, str], sub_id: str, **params: str
) -> list[dict[str, Any]]:
    r = await client.get(
        f"{URL}/{sub_id}/deliveries", params={"sort": "cursor", **params}, headers=headers
    )
    assert r.status_code == 200, r.text
    items: list[dict[str, Any]] = r.json()["items"]
    return items


async def test_delivered_signed_after_retries_with_backoff(
    client: httpx.AsyncClient, build: Builder, db: Database, settings: Settings
) -> None:
    ours, theirs = await build.partner(), await build.partner()
    api_client = await build.api_client(ours)
    h = build.client_headers(api_client)
    await records.location(db, ours)  # before subscribing: not sent
    clock = Clock()
    with receiver(fail_first=2) as hook:
        start = await feed_end(db)
        sub = await subscribe(client, h, hook.url)
        assert sub["secret"] == webhook_secret(settings, uuid.UUID(sub["id"]))
        assert sub["url"] == hook.url and sub["entities"] is None and sub["active"]
        loc = await records.location(db, ours, capacity=3)
        await records.location(db, theirs)  # another partner's: never sent
        feed = await client.get("/api/v1/changes", params={"after": start}, headers=h)
        async with WebhookWorker(db, worker_settings(settings), clock=clock) as worker:
            assert await worker.run_once() == 2
            first = await deliveries(client, h, sub["id"])
            assert [d["status"] for d in first] == ["pending", "pending"]
            assert all(d["attempts"] == 1 and d["lastStatusCode"] == 500 for d in first)
            assert all(d["lastError"] == "HTTP 5xx" and d["deliveredAt"] is None for d in first)
            assert {wait(d["nextAttemptAt"], clock) for d in first} == {1.0}
            assert await worker.run_once() == 0  # not due yet
            clock.advance(1)
            assert await worker.run_once() == 2
            second = await deliveries(client, h, sub["id"])
            assert {wait(d["nextAttemptAt"], clock) for d in second} == {2.0}
            clock.advance(1.5)
            assert await worker.run_once() == 0
            clock.advance(0.5)
            assert await worker.run_once() == 2
            assert await worker.run_once() == 0
        done = await deliveries(client, h, sub["id"])
    assert [d["status"] for d in done] == ["delivered", "delivered"]
    assert all(d["attempts"] == 3 and d["lastStatusCode"] == 200 for d in done)
    assert all(d["nextAttemptAt"] is None and d["lastError"] is None for d in done)
    assert all(d["deliveredAt"] is not None for d in done)
    # What the receiver got: 3 signed attempts per change, the feed's items.
    assert len(hook.received) == 6
    another = webhook_secret(settings, uuid.uuid4())
    for request in hook.received:
        assert request.path == "/hook"
        assert request.headers["content-type"] == "application/json"
        # Signed as Standard Webhooks sign (more in test_webhook_signatures.py).
        assert Webhook(sub["secret"]).verify(request.body, request.headers) == request.json
        with pytest.raises(WebhookVerificationError):
            Webhook(another).verify(request.body, request.headers)
    by_id: dict[str, list[str]] = {}
    for request in hook.received:
        by_id.setdefault(request.headers["webhook-id"], []).append(
            request.headers["webhook-attempt"]
        )
    assert sorted(by_id) == sorted(str(d["id"]) for d in done)
    assert all(attempts == ["1", "2", "3"] for attempts in by_id.values())
    sent = {r.body: r.json for r in hook.received}
    items = feed.json()["items"]
    assert sorted(sent.values(), key=lambda i: i["cursor"]) == sorted(
        items, key=lambda i: i["cursor"]
    )
    assert {(i["entity"], i["id"]) for i in items} >= {("locations", str(loc.id))}
    assert [d["cursor"] for d in done] == [i["cursor"] for i in items]


def wait(value: str, clock: Clock) -> float:
    """Seconds from the clock's now to an answer's timestamp."""
    return (datetime.fromisoformat(value) - clock.now).total_seconds()


async def feed_end(db: Database) -> str:
    async with db.sessionmaker() as session:
        end = (await session.execute(select(func.max(Change.position)))).scalar_one()
    return encode_cursor(end or 0)


async def test_never_acknowledged_ends_failed(
    client: httpx.AsyncClient, build: Builder, db: Database, settings: Settings
) -> None:
    ours = await build.partner()
    api_client = await build.api_client(ours)
    h = build.client_headers(api_client)
    clock = Clock()
    s = worker_settings(settings, webhook_max_attempts=3, webhook_backoff_base_seconds=10)
    with receiver(fail_first=-1) as hook:
        sub = await subscribe(client, h, hook.url, entities=["locations"])
        await records.location(db, ours)  # a location and its capacity: only the first
        async with WebhookWorker(db, s, clock=clock) as worker:
            waits = []
            for _ in range(3):
                assert await worker.run_once() == 1
                [d] = await deliveries(client, h, sub["id"])
                if d["status"] == "pending":
                    waits.append(wait(d["nextAttemptAt"], clock))
                clock.advance(3600)
            assert await worker.run_once() == 0
    assert waits == [10.0, 20.0]
    assert d["status"] == "failed" and d["attempts"] == 3 and d["nextAttemptAt"] is None
    assert d["lastStatusCode"] == 500
    assert len(hook.received) == 3
    assert {r.json["entity"] for r in hook.received} == {"locations"}
    assert [x["status"] for x in await deliveries(client, h, sub["id"], status="failed")] == [
        "failed"
    ]
    assert await deliveries(client, h, sub["id"], status="pending") == []


async def test_failed_deliveries_are_sent_again_on_request(
    client: httpx.AsyncClient, build: Builder, db: Database, settings: Settings
) -> None:
    """The receiver was down until the subscription gave up; once it is fixed,
    ``_redeliver`` puts the failed deliveries back, and they arrive."""
    ours = await build.partner()
    h = build.client_headers(await build.api_client(ours))
    other = build.client_headers(await build.api_client(await build.partner()))
    clock = Clock()
    s = worker_settings(settings, webhook_max_attempts=1)
    with receiver(fail_first=1) as hook:  # the first request fails, the rest succeed
        sub = await subscribe(client, h, hook.url, entities=["locations"])
        await records.location(db, ours)
        async with WebhookWorker(db, s, clock=clock) as worker:
            assert await worker.run_once() == 1
            [d] = await deliveries(client, h, sub["id"])
            assert d["status"] == "failed" and d["attempts"] == 1
            # Another client's subscription is not found; nothing moves.
            r = await client.post(f"{URL}/{sub['id']}/_redeliver", headers=other)
            assert r.status_code == 404, r.text
            assert await worker.run_once() == 0
            r = await client.post(f"{URL}/{sub['id']}/_redeliver", headers=h)
            assert r.status_code == 200, r.text
            assert r.json() == {"requeued": 1}
            [d] = await deliveries(client, h, sub["id"])
            assert d["status"] == "pending" and d["attempts"] == 0
            clock.advance(1)
            assert await worker.run_once() == 1
    [d] = await deliveries(client, h, sub["id"])
    assert d["status"] == "delivered" and d["attempts"] == 1
    assert len(hook.received) == 2 and hook.received[0].body == hook.received[1].body
    # Nothing failed is left: a second request puts nothing back.
    r = await client.post(f"{URL}/{sub['id']}/_redeliver", headers=h)
    assert r.status_code == 200 and r.json() == {"requeued": 0}
    async with db.sessionmaker() as session:
        audited = await session.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.action == "webhook_redeliver")
        )
    assert audited == 2


async def test_unreachable_receiver_records_the_error(
    client: httpx.AsyncClient, build: Builder, db: Database, settings: Settings
) -> None:
    ours = await build.partner()
    h = build.client_headers(await build.api_client(ours))
    with receiver() as hook:
        url = hook.url  # the server stops: nothing listens there any more
    sub = await subscribe(client, h, url)
    await records.location(db, ours)
    async with WebhookWorker(db, worker_settings(settings), clock=Clock()) as worker:
        assert await worker.run_once() == 2
    found = await deliveries(client, h, sub["id"])
    assert all(d["status"] == "pending" and d["lastStatusCode"] is None for d in found)
    assert all(d["lastError"] == "connection failed" for d in found)


async def test_a_partners_webhook_gets_only_its_changes(
    client: httpx.AsyncClient, build: Builder, db: Database, settings: Settings
) -> None:
    ours, theirs = await build.partner(), await build.partner()
    h_ours = build.client_headers(await build.api_client(ours))
    h_theirs = build.client_headers(await build.api_client(theirs))
    with receiver() as hook_ours, receiver() as hook_theirs:
        await subscribe(client, h_ours, hook_ours.url)
        await subscribe(client, h_theirs, hook_theirs.url, entities=["participants"])
        our_loc = await records.location(db, ours)
        their_loc = await records.location(db, theirs)
        guarded = await records.participant(db, guardian=theirs)
        await records.participant(db)  # nobody's
        await build.user(Role.admin)
        async with WebhookWorker(db, worker_settings(settings), clock=Clock()) as worker:
            await worker.run_once()
            assert await worker.run_once() == 0
    ours_got = {(b["entity"], b["id"]) for b in hook_ours.bodies()}
    assert ("locations", str(our_loc.id)) in ours_got
    assert {e for e, _ in ours_got} == {"locations", "capacity_changes"}
    assert len(ours_got) == 2
    assert [(b["entity"], b["id"]) for b in hook_theirs.bodies()] == [
        ("participants", str(guarded.id))
    ]
    assert str(their_loc.id) not in {i for _, i in ours_got}


async def test_who_manages_webhooks(
    client: httpx.AsyncClient, build: Builder, settings: Settings
) -> None:
    partner = await build.partner()
    mine, sibling = await build.api_client(partner), await build.api_client(partner)
    h_mine, h_sibling = build.client_headers(mine), build.client_headers(sibling)
    admin = build.headers_for(Role.admin)
    sub = await subscribe(client, h_mine, f"{PUBLIC}/opvang")
    other = await subscribe(client, h_sibling, f"{PUBLIC}/other")
    # Only partner systems subscribe; people (also a partner's) and other roles do not.
    for headers in (
        admin,
        build.headers_for(Role.partner, partner),
        build.headers_for(Role.coordinator),
    ):
        r = await client.post(URL, json={"url": "https://x.example/h"}, headers=headers)
        assert r.status_code == 403, r.text
        problem(r)
    assert (await client.get(URL, headers=build.headers_for(Role.finance))).status_code == 403
    assert (await client.get(URL)).status_code == 401
    # A client sees its own; the admin everyone's.
    r = await client.get(URL, headers=h_mine)
    assert [s["id"] for s in r.json()["items"]] == [sub["id"]]
    assert "secret" not in r.json()["items"][0]
    r = await client.get(URL, params={"clientId": str(mine.id)}, headers=admin)
    assert [s["id"] for s in r.json()["items"]] == [sub["id"]]
    r = await client.get(URL, params={"pageSize": 500}, headers=admin)
    assert {sub["id"], other["id"]} <= {s["id"] for s in r.json()["items"]}
    r = await client.get(URL, params={"clientId": str(sibling.id)}, headers=h_mine)
    assert r.status_code == 400
    r = await client.get(f"{URL}/{sub['id']}", headers=h_mine)
    assert r.status_code == 200 and "secret" not in r.json() and r.headers["etag"]
    assert (await client.get(f"{URL}/{sub['id']}", headers=admin)).status_code == 200
    for path in (f"{URL}/{sub['id']}", f"{URL}/{sub['id']}/deliveries"):
        assert (await client.get(path, headers=h_sibling)).status_code == 404
    assert (await client.delete(f"{URL}/{sub['id']}", headers=h_sibling)).status_code == 404
    assert (await client.delete(f"{URL}/{sub['id']}", headers=h_mine)).status_code == 204
    assert (await client.get(f"{URL}/{sub['id']}", headers=h_mine)).status_code == 404
    assert (await client.delete(f"{URL}/{other['id']}", headers=admin)).status_code == 204


async def test_subscription_input_is_checked(
    client: httpx.AsyncClient, build: Builder, settings: Settings
) -> None:
    h = build.client_headers(await build.api_client(await build.partner()))
    for body, names in [
        ({"url": "http://hooks.partner.example/h"}, ["url"]),  # plain http, not loopback
        ({"url": "ftp://127.0.0.1/h"}, ["url"]),
        ({"url": "https://user:pw@hooks.example/h"}, ["url"]),
        ({"url": "not a url"}, ["url"]),
        (
            {"url": PUBLIC, "entities": ["locations", "nonsense"]},
            ["entities[1]"],
        ),
        ({"url": PUBLIC, "entities": []}, ["entities"]),
        ({"url": PUBLIC, "secret": "mine"}, ["secret"]),
    ]:
        r = await client.post(URL, json=body, headers=h)
        assert r.status_code == 400, (body, r.text)
        assert [e["name"] for e in problem(r)["errors"]] == names, body
    for url in ("http://127.0.0.1:9/h", "http://localhost/h", "http://[::1]:8080/h"):
        assert url_problems(url, settings) == [], url
    production = settings.model_copy(update={"environment": "production"})
    assert [p.name for p in url_problems("http://127.0.0.1:9/h", production)] == ["url"]
    assert url_problems("https://hooks.example/h", production) == []


@pytest.mark.postgres
async def test_two_workers_never_send_twice(migrated: Settings) -> None:
    """Two workers with their own connections run rounds at the same time against
    committed data: every change reaches the receiver exactly once."""
    if migrated.is_sqlite:
        pytest.skip("needs PostgreSQL: real concurrent transactions")
    db = Database(build_engine(migrated))
    app = create_app(migrated, db)
    builder = Builder(db, migrated)
    partner = await builder.partner()
    api_client = await builder.api_client(partner)
    locations: list[uuid.UUID] = []
    try:
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            with receiver() as hook:
                await subscribe(client, builder.client_headers(api_client), hook.url)
                for _ in range(15):
                    locations.append((await records.location(db, partner)).id)
                s = worker_settings(migrated, webhook_batch_size=4)
                one, two = WebhookWorker(db, s), WebhookWorker(db, s)
                async with one, two:
                    for _ in range(10):
                        await asyncio.gather(one.run_once(), two.run_once())
        ids = [r.headers["webhook-id"] for r in hook.received]
        assert len(ids) == 30 and len(set(ids)) == 30
        assert {b["id"] for b in hook.bodies() if b["entity"] == "locations"} == {
            str(i) for i in locations
        }
    finally:
        async with db.sessionmaker() as session, session.begin():
            subs = select(WebhookSubscription.id).where(
                WebhookSubscription.client_id == api_client.id
            )
            await session.execute(
                delete(WebhookDelivery).where(WebhookDelivery.subscription_id.in_(subs))
            )
            await session.execute(
                delete(WebhookSubscription).where(WebhookSubscription.client_id == api_client.id)
            )
            await session.execute(
                delete(CapacityChange).where(CapacityChange.location_id.in_(locations))
            )
            await session.execute(delete(Location).where(Location.id.in_(locations)))
            await session.execute(delete(ApiClient).where(ApiClient.id == api_client.id))
            await session.execute(delete(Partner).where(Partner.id == partner.id))
        await db.dispose()


async def test_serve_runs_the_worker_in_its_lifespan(migrated: Settings) -> None:
    """`opvang serve` starts the worker at startup (when enabled) and stops it at
    shutdown; tests otherwise drive `run_once` themselves."""
    for enabled in (True, False):
        await lifespan_round(migrated, enabled=enabled)


async def lifespan_round(migrated: Settings, *, enabled: bool) -> None:
    s = migrated.model_copy(update={"webhooks_enabled": enabled, "webhook_poll_seconds": 0.01})
    site = create_app(s, Database(build_engine(s)))
    inbox: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
    outbox: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
    lifespan = asyncio.create_task(
        site({"type": "lifespan", "asgi": {"version": "3.0"}}, inbox.get, outbox.put)  # type: ignore[arg-type]
    )
    await inbox.put({"type": "lifespan.startup"})
    started = await asyncio.wait_for(outbox.get(), timeout=5)
    assert started["type"] == "lifespan.startup.complete"
    task = site._webhook_task
    assert (task is not None) is enabled
    await asyncio.sleep(0.05)  # a few rounds on an empty outbox
    assert task is None or not task.done()
    await inbox.put({"type": "lifespan.shutdown"})
    await asyncio.wait_for(lifespan, timeout=5)
    assert (await outbox.get())["type"] == "lifespan.shutdown.complete"
    assert task is None or (task.done() and task.exception() is None)


async def test_a_lease_that_runs_out_is_retried_or_given_up(
    client: httpx.AsyncClient, build: Builder, db: Database, settings: Settings
) -> None:
    """A worker that dies after claiming (before recording) leaves a lease: once it runs
    out the delivery is tried again, or given up if that was the last attempt."""
    ours = await build.partner()
    h = build.client_headers(await build.api_client(ours))
    clock = Clock()
    with receiver() as hook:
        sub = await subscribe(client, h, hook.url, entities=["locations"])
        await records.location(db, ours)
        for max_attempts, status in ((2, "delivered"), (1, "failed")):
            s = worker_settings(settings, webhook_max_attempts=max_attempts)
            async with WebhookWorker(db, s, clock=clock) as worker:
                if max_attempts == 2:
                    await worker.enqueue()
                else:
                    await db_reset_to_pending(db, sub["id"], clock)
                assert len(await worker.claim()) == 1  # ... and the worker dies
                assert await worker.run_once() == 0  # leased
                clock.advance(s.webhook_timeout_seconds + 31)
                await worker.run_once()
            [d] = await deliveries(client, h, sub["id"])
            assert d["status"] == status, d
    assert len(hook.received) == 1  # the given-up one was not sent again
    assert d["lastError"] == "No outcome of the last attempt (the worker stopped)."


async def db_reset_to_pending(db: Database, sub_id: str, clock: Clock) -> None:
    async with db.sessionmaker() as session, session.begin():
        await session.execute(
            update(WebhookDelivery)
            .where(WebhookDelivery.subscription_id == uuid.UUID(sub_id))
            .values(
                status=DeliveryStatus.pending,
                attempts=0,
                delivered_at=None,
                next_attempt_at=clock.now,
            )
        )


async def test_a_revoked_client_cannot_subscribe(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    api_client = await build.api_client(await build.partner())
    h = build.client_headers(api_client)
    async with db.sessionmaker() as session, session.begin():
        await session.execute(delete(ApiClient).where(ApiClient.id == api_client.id))
    r = await client.post(URL, json={"url": "https://hooks.example/h"}, headers=h)
    assert r.status_code == 401  # a revoked client's tokens stop working at once
    problem(r)
