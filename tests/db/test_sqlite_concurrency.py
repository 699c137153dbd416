"""The embedded default under a handful of users (issue 15, part 2): the real
``opvang serve`` on a fresh SQLite file, its webhook worker on and delivering to a
subscribed receiver on 127.0.0.1, and four clients at once sending 300 mixed requests
each -- sign-ins (also failed ones, which the login throttle writes), writes with and
without an Idempotency-Key, audited reads of people, plain reads and partner event
batches. Not one answer may be a 5xx: SQLite serialises writers, and a writer that has
to wait must wait (``BEGIN IMMEDIATE`` and the busy timeout), not fail with "database is
locked".

Also: the worker holds no lock while it waits on a receiver.

SQLite only: on PostgreSQL the same traffic is the load benchmark's (``bench/load.py``).
"""

from __future__ import annotations

import asyncio
import os
import random
import sqlite3
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from api import admin_tasks
from api.models import Role
from tests.support import faults
from tests.support.webhooks import Receiver, receiver

CLIENTS = 4
REQUESTS_PER_CLIENT = 300
ADMIN = "admin@sqlite.example"
PASSWORD = "sqlite-password-0123456789"
LOCATION_CODE = "AZC-SQ"
TIMEOUT = 30.0
# As a developer's `make run` has them, but quick to hash and a worker that polls often.
SERVER_SETTINGS: dict[str, Any] = {
    "webhooks_enabled": "true",
    "webhook_allowed_networks": '["127.0.0.0/8"]',
    "webhook_poll_seconds": 0.05,
    "webhook_max_subscriptions_per_client": 20,
    # Failed sign-ins are recorded (a write) but never brake this test's clients.
    "login_max_failures": 100_000,
    "login_max_failures_per_address": 100_000,
    "log_level": "ERROR",
}


@pytest.fixture
def sqlite_file(tmp_path: Path) -> str:
    configured = os.environ.get("OPVANG_TEST_DATABASE_URL", "")
    if configured and not configured.startswith("sqlite"):
        pytest.skip("SQLite's locking; PostgreSQL locks rows")
    url = f"sqlite:///{tmp_path / 'opvang.db'}"
    faults.migrate(url)
    asyncio.run(
        admin_tasks.create_user(
            faults.settings_for(url), email=ADMIN, role=Role.admin, partner=None, password=PASSWORD
        )
    )
    return url


# 5xx answers to the set-up's requests (retried, so the traffic still runs and counts).
setup_errors: Counter[int] = Counter()


def _post(url: str, **kw: Any) -> httpx.Response:
    for _ in range(20):
        r = httpx.post(url, timeout=TIMEOUT, **kw)
        if r.status_code < 500:
            return r
        setup_errors[r.status_code] += 1
        time.sleep(0.1)
    return r


def _token(api: str, **form: str) -> dict[str, str]:
    r = _post(api + "/auth/token", data=form)
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


@dataclass
class Scene:
    api: str
    staff: dict[str, str]
    partner: dict[str, str]
    partner_id: str
    client_id: str
    client_secret: str
    location_id: str
    hook_url: str


def _scene(api: str, url: str, hook: Receiver) -> Scene:
    staff = _token(api, grant_type="password", username=ADMIN, password=PASSWORD)
    r = _post(api + "/partners", json={"name": "COA", "kind": "coa"}, headers=staff)
    assert r.status_code == 201, r.text
    partner_id = r.json()["id"]
    r = _post(
        api + "/locations",
        json={
            "name": "AZC Heemstede",
            "address": "Binnenweg 1",
            "postcode": "2101 AB",
            "kind": "asylum_center",
            "operatorPartnerId": partner_id,
            "externalCode": LOCATION_CODE,
            "openedOn": "2020-01-01",
            "capacity": 100_000,
        },
        headers=staff,
    )
    assert r.status_code == 201, r.text
    location_id = r.json()["id"]
    client_id, secret = asyncio.run(
        admin_tasks.create_client(faults.settings_for(url), partner=partner_id, name="coa")
    )
    partner = _token(
        api, grant_type="client_credentials", client_id=client_id, client_secret=secret
    )
    r = _post(api + "/webhooks", json={"url": hook.url}, headers=partner)
    assert r.status_code == 201, r.text
    return Scene(api, staff, partner, partner_id, client_id, secret, location_id, hook.url)


@dataclass
class Tally:
    statuses: Counter[int] = field(default_factory=Counter)
    by_kind: Counter[str] = field(default_factory=Counter)
    server_errors: list[str] = field(default_factory=list)
    unexpected: list[str] = field(default_factory=list)


class Walker:
    """One client: its next request drawn from the mix, each sent when the last one is
    answered. Kinds and the statuses each may answer (anything else is noted)."""

    def __init__(self, scene: Scene, n: int, client: httpx.AsyncClient, tally: Tally) -> None:
        self.scene = scene
        self.n = n
        self.client = client
        self.tally = tally
        self.rng = random.Random(f"sqlite-{n}")
        self.count = 0
        self.people: list[str] = []  # participants made by this client, not yet placed
        self.placed: list[str] = []

    async def send(self, kind: str, method: str, path: str, ok: set[int], **kw: Any) -> Any:
        self.count += 1
        r = await self.client.request(method, path, **kw)
        self.tally.statuses[r.status_code] += 1
        self.tally.by_kind[f"{kind} {r.status_code}"] += 1
        if r.status_code >= 500:
            self.tally.server_errors.append(f"{method} {path}: {r.status_code} {r.text[:200]}")
        elif r.status_code not in ok:
            self.tally.unexpected.append(f"{method} {path}: {r.status_code} {r.text[:200]}")
        return r

    def _key(self) -> dict[str, str]:
        # Half the writes carry an Idempotency-Key: its claim is a transaction of its own.
        return {"Idempotency-Key": str(uuid.uuid4())} if self.rng.random() < 0.5 else {}

    async def step(self) -> None:
        s, roll = self.scene, self.rng.random()
        ref = f"S{self.n}-{self.count:04d}"
        if roll < 0.08:
            form = {"grant_type": "password", "username": ADMIN, "password": PASSWORD}
            await self.send("sign-in", "POST", "/auth/token", {200}, data=form)
        elif roll < 0.11:
            form = {"grant_type": "password", "username": ADMIN, "password": "wrong-0123456789"}
            await self.send("failed sign-in", "POST", "/auth/token", {400}, data=form)
        elif roll < 0.14:
            form = {
                "grant_type": "client_credentials",
                "client_id": s.client_id,
                "client_secret": s.client_secret,
            }
            await self.send("client sign-in", "POST", "/auth/token", {200}, data=form)
        elif roll < 0.29:
            body = {"reference": ref, "group": "asylum_seeker", "givenName": "Amina"}
            r = await self.send(
                "participant", "POST", "/participants", {201}, json=body,
                headers={**s.staff, **self._key()},
            )  # fmt: skip
            if r.status_code == 201:
                self.people.append(r.json()["id"])
        elif roll < 0.37 and self.people:
            body = {
                "participantId": self.people.pop(),
                "locationId": s.location_id,
                "startDate": "2024-03-01",
            }
            r = await self.send(
                "placement", "POST", "/placements", {201}, json=body,
                headers={**s.staff, **self._key()},
            )  # fmt: skip
            if r.status_code == 201:
                self.placed.append(body["participantId"])
        elif roll < 0.40:
            place: dict[str, Any] = {
                "name": f"Locatie {ref}",
                "address": "Raadhuisplein 1",
                "postcode": "2101 HA",
                "kind": "municipal_ukrainian",
                "operatorPartnerId": s.partner_id,
                "openedOn": "2024-01-01",
                "capacity": 10,
            }
            await self.send("location", "POST", "/locations", {201}, json=place, headers=s.staff)
        elif roll < 0.42:
            body = {
                "email": f"user-{ref.lower()}@sqlite.example",
                "password": f"Tulpen-{uuid.uuid4().hex[:10]}-Molen",
                "role": "viewer",
            }
            await self.send("user", "POST", "/users", {201}, json=body, headers=s.staff)
        elif roll < 0.44:
            r = await self.send(
                "webhook", "POST", "/webhooks", {201}, json={"url": s.hook_url}, headers=s.partner
            )
            if r.status_code == 201:
                path = f"/webhooks/{r.json()['id']}"
                await self.send("webhook delete", "DELETE", path, {204}, headers=s.partner)
        elif roll < 0.55:
            events = [
                {
                    "eventId": f"e-{ref}-{i}",
                    "type": "intake",
                    "occurredOn": "2024-03-01",
                    "locationCode": LOCATION_CODE,
                    "participant": {
                        "externalRef": f"{ref}-{i}",
                        "givenName": "Olena",
                        "familyName": "Testdottir",
                        "group": "ukrainian_displaced",
                    },
                }
                for i in range(3)
            ]
            await self.send(
                "partner events", "POST", "/partner-events", {200}, json={"events": events},
                headers={**s.partner, **self._key()},
            )  # fmt: skip
        else:
            await self.read(roll)

    async def read(self, roll: float) -> None:
        s = self.scene
        if roll < 0.65:  # a page of people: each one audited as read (a write)
            await self.send("people", "GET", "/participants?pageSize=20", {200}, headers=s.staff)
        elif roll < 0.72 and self.placed:
            path = f"/participants/{self.rng.choice(self.placed)}"
            await self.send("person", "GET", path, {200}, headers=s.staff)
        elif roll < 0.80:
            await self.send("locations", "GET", "/locations?pageSize=50", {200}, headers=s.staff)
        elif roll < 0.88:
            await self.send("overview", "GET", "/reports/overview", {200}, headers=s.staff)
        elif roll < 0.94:
            await self.send("changes", "GET", "/changes?limit=50", {200}, headers=s.partner)
        else:
            await self.send("placements", "GET", "/placements?pageSize=50", {200}, headers=s.staff)


async def _traffic(scene: Scene) -> Tally:
    tally = Tally()
    limits = httpx.Limits(max_connections=CLIENTS * 2)
    async with httpx.AsyncClient(base_url=scene.api, timeout=TIMEOUT, limits=limits) as client:
        walkers = [Walker(scene, n, client, tally) for n in range(CLIENTS)]

        async def walk(walker: Walker) -> None:
            while walker.count < REQUESTS_PER_CLIENT:
                await walker.step()

        await asyncio.gather(*(walk(w) for w in walkers))
    return tally


def test_four_clients_and_the_webhook_worker_get_no_5xx(sqlite_file: str, tmp_path: Path) -> None:
    setup_errors.clear()
    with (
        receiver() as hook,
        faults.serve(sqlite_file, tmp_path, **SERVER_SETTINGS) as server,
    ):
        scene = _scene(server.api_url, sqlite_file, hook)
        started = time.monotonic()
        tally = asyncio.run(_traffic(scene))
        seconds = time.monotonic() - started
        # The worker ran beside the traffic: the changes of the partner's world arrive.
        deadline = time.monotonic() + 10
        while not hook.received and time.monotonic() < deadline:
            time.sleep(0.1)
        log = server.log_text()
    total = sum(tally.statuses.values())
    summary = (
        f"{total} requests in {seconds:.1f}s; statuses {dict(sorted(tally.statuses.items()))}; "
        f"set-up 5xx {dict(setup_errors)}; webhook deliveries received {len(hook.received)}"
    )
    print(summary)
    print("by kind:", dict(sorted(tally.by_kind.items())))
    assert total >= CLIENTS * REQUESTS_PER_CLIENT
    assert not tally.server_errors, (
        f"{len(tally.server_errors)} answers 5xx; {summary}\n" + "\n".join(tally.server_errors[:10])
    )
    assert not setup_errors, summary
    assert not tally.unexpected, "\n".join(tally.unexpected[:10])
    assert hook.received, "the webhook worker delivered nothing"
    assert "database is locked" not in log, log[-2000:]


def test_the_worker_holds_no_lock_while_a_receiver_answers(
    sqlite_file: str, tmp_path: Path
) -> None:
    """While the worker waits on a slow receiver, another connection takes the write
    lock at once (no busy timeout): the claim was committed before the POST went out."""
    holding = threading.Event()
    release = threading.Event()
    database = sqlite_file.removeprefix("sqlite:///")
    seen: list[str] = []

    with receiver() as hook:
        answer = hook.answer

        def slow_answer(request: Any) -> int:
            holding.set()
            # A lock held for the whole delivery would refuse every attempt; another
            # request's short write may refuse one (seen on a loaded machine), so the
            # probe tries again a few times while the delivery still waits.
            for _attempt in range(40):
                try:
                    probe = sqlite3.connect(database, timeout=0, isolation_level=None)
                    try:
                        probe.execute("BEGIN IMMEDIATE")
                        probe.execute("ROLLBACK")
                    finally:
                        probe.close()
                    seen.append("free")
                    break
                except sqlite3.OperationalError as exc:
                    seen.append(str(exc))
                    time.sleep(0.05)
            release.wait(5)
            return answer(request)

        hook.answer = slow_answer  # type: ignore[method-assign]
        with faults.serve(sqlite_file, tmp_path, **SERVER_SETTINGS) as server:
            scene = _scene(server.api_url, sqlite_file, hook)
            events = [
                {
                    "eventId": "e-slow",
                    "type": "intake",
                    "occurredOn": "2024-03-01",
                    "locationCode": LOCATION_CODE,
                    "participant": {
                        "externalRef": "slow-1",
                        "givenName": "Olena",
                        "familyName": "Testdottir",
                        "group": "ukrainian_displaced",
                    },
                }
            ]
            r = _post(scene.api + "/partner-events", json={"events": events}, headers=scene.partner)
            assert r.status_code == 200, r.text
            assert holding.wait(10), "no delivery arrived"
            # Meanwhile the service writes as usual.
            body = {"reference": "W-1", "group": "asylum_seeker"}
            r = _post(scene.api + "/participants", json=body, headers=scene.staff)
            release.set()
            assert r.status_code == 201, r.text
    assert seen and seen[-1] == "free", seen
