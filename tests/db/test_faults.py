"""Faults on PostgreSQL, against the real ``opvang serve`` (a subprocess on a database of
its own, ``tests.support.faults``):

* the database drops every connection of the service (``pg_terminate_backend``, a few
  times over a second) in the middle of a burst of writes sent with Idempotency-Keys:
  every answer is a success or a 503 problem+json, none hangs, the service recovers by
  itself, the client's retries (same key) create nothing twice and no participant is
  left without the placement written with it;
* a statement stuck behind a lock gives up at the lock or statement timeout: a 503
  problem+json in about that time, never a hang, and the retry (same key) succeeds;
* the worker running a large import is killed (SIGKILL): nothing of it is written, and
  the same request retried after the key's lease has lapsed imports every row once.

Skipped on SQLite (no server to drop connections, one process), except the check that
the errors PostgreSQL reports for a timeout or a shutdown are answered 503, and SQLite's
own: a write lock held too long elsewhere is a 503 in about the busy timeout.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import signal
import sqlite3
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest
from fastapi import FastAPI
from sqlalchemy import exc as sa_exc

from api import admin_tasks
from api.error_handlers import install_error_handlers
from api.models import Role
from tests.support import faults
from tests.support.import_files import csv_file, participant_rows

ADMIN = "admin@faults.example"
PASSWORD = "faults-password-0123456789"
PROBLEM_JSON = "application/problem+json"
CLIENT_TIMEOUT = 10.0  # no answer within this is a hang
LOCATION_CODE = "AZC-F"


@pytest.fixture(scope="module")
def base_url() -> str:
    url = os.environ.get("OPVANG_TEST_DATABASE_URL", "")
    if not url or url.startswith("sqlite"):
        pytest.skip("needs PostgreSQL: terminates server connections and kills workers")
    return url


@pytest.fixture
def database(base_url: str) -> Iterator[str]:
    with faults.fresh_database(base_url, f"_faults_{uuid.uuid4().hex[:6]}") as url:
        faults.scalar(url, "SELECT 1")
        asyncio.run(
            admin_tasks.create_user(
                faults.settings_for(url),
                email=ADMIN,
                role=Role.admin,
                partner=None,
                password=PASSWORD,
            )
        )
        yield url


def _token(api: str, **form: str) -> dict[str, str]:
    r = httpx.post(api + "/auth/token", data=form, timeout=CLIENT_TIMEOUT)
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


def _admin(api: str) -> dict[str, str]:
    return _token(api, grant_type="password", username=ADMIN, password=PASSWORD)


@dataclass
class Scene:
    staff: dict[str, str]
    partner: dict[str, str]
    location_id: str


def _scene(api: str, url: str) -> Scene:
    staff = _admin(api)
    r = httpx.post(
        api + "/partners", json={"name": "COA faults", "kind": "coa"}, headers=staff, timeout=10
    )
    assert r.status_code == 201, r.text
    partner_id = r.json()["id"]
    r = httpx.post(
        api + "/locations",
        json={
            "name": "AZC Faults",
            "address": "Binnenweg 1",
            "postcode": "2101 AB",
            "kind": "asylum_center",
            "operatorPartnerId": partner_id,
            "externalCode": LOCATION_CODE,
            "openedOn": "2020-01-01",
            "capacity": 100_000,
        },
        headers=staff,
        timeout=10,
    )
    assert r.status_code == 201, r.text
    client_id, secret = asyncio.run(
        admin_tasks.create_client(faults.settings_for(url), partner=partner_id, name="faults")
    )
    partner = _token(
        api, grant_type="client_credentials", client_id=client_id, client_secret=secret
    )
    return Scene(staff=staff, partner=partner, location_id=r.json()["id"])


@dataclass
class Traffic:
    """Every answer seen, and what went wrong (anything here fails the test)."""

    answers: Counter[str] = field(default_factory=Counter)
    wrong: list[str] = field(default_factory=list)
    transport_errors: int = 0


async def _send(
    client: httpx.AsyncClient,
    traffic: Traffic,
    path: str,
    body: dict[str, Any],
    headers: dict[str, str],
) -> httpx.Response | None:
    """POST with one Idempotency-Key, retried (same key) on 503, on "still in flight"
    and on a lost connection; at most 40 attempts. The final answer, or None."""
    headers = {**headers, "Idempotency-Key": str(uuid.uuid4())}
    for _attempt in range(40):
        try:
            r = await client.post(path, json=body, headers=headers)
        except httpx.TimeoutException:
            traffic.wrong.append(f"POST {path}: no answer within {CLIENT_TIMEOUT}s")
            return None
        except httpx.TransportError:
            traffic.transport_errors += 1
            await asyncio.sleep(0.1)
            continue
        kind = r.headers.get("content-type", "").split(";")[0]
        problem_type = r.json().get("type", "") if kind == PROBLEM_JSON else ""
        traffic.answers[f"{r.status_code} {problem_type}".strip()] += 1
        if r.status_code == 503:
            if kind != PROBLEM_JSON:
                traffic.wrong.append(f"POST {path}: 503 as {kind}")
            await asyncio.sleep(0.05 + random.random() * 0.15)
            continue
        if r.status_code == 409 and problem_type.endswith("idempotency-in-flight"):
            await asyncio.sleep(0.1)
            continue
        if r.status_code >= 300:
            traffic.wrong.append(f"POST {path}: {r.status_code} {r.text[:300]}")
        return r
    traffic.wrong.append(f"POST {path}: still failing after 40 attempts")
    return None


async def _burst(
    api: str, scene: Scene, *, users: int, stop: threading.Event
) -> tuple[Traffic, list[str], list[list[str]]]:
    """``users`` writers, each alternating (a) a participant then its placement and
    (b) a partner batch of three intakes, until ``stop`` and at least three rounds."""
    traffic = Traffic()
    staff_refs: list[str] = []
    partner_batches: list[list[str]] = []
    limits = httpx.Limits(max_connections=users * 2)
    async with httpx.AsyncClient(base_url=api, timeout=CLIENT_TIMEOUT, limits=limits) as client:

        async def user(n: int) -> None:
            round_ = 0
            while round_ < 3 or not stop.is_set():
                round_ += 1
                if (n + round_) % 2:
                    ref = f"F-{n:02d}-{round_:03d}"
                    staff_refs.append(ref)
                    body = {"reference": ref, "group": "asylum_seeker", "givenName": "Amina"}
                    r = await _send(client, traffic, "/participants", body, scene.staff)
                    if r is None or r.status_code != 201:
                        continue
                    placement = {
                        "participantId": r.json()["id"],
                        "locationId": scene.location_id,
                        "startDate": "2024-03-01",
                    }
                    await _send(client, traffic, "/placements", placement, scene.staff)
                else:
                    refs = [f"V{n:02d}{round_:03d}{i}" for i in range(3)]
                    partner_batches.append(refs)
                    events = [
                        {
                            "eventId": f"e-{ref}",
                            "type": "intake",
                            "occurredOn": "2024-03-01",
                            "locationCode": LOCATION_CODE,
                            "participant": {
                                "externalRef": ref,
                                "givenName": "Olena",
                                "familyName": "Testdottir",
                                "group": "ukrainian_displaced",
                            },
                        }
                        for ref in refs
                    ]
                    await _send(
                        client, traffic, "/partner-events", {"events": events}, scene.partner
                    )

        await asyncio.gather(*(user(n) for n in range(users)))
    return traffic, staff_refs, partner_batches


def _terminate_repeatedly(url: str, stop: threading.Event, report: list[int]) -> None:
    time.sleep(0.4)  # let the burst get going
    for _ in range(5):
        report.append(faults.terminate_backends(url))
        time.sleep(0.25)
    time.sleep(0.3)
    stop.set()


@pytest.mark.postgres
def test_connections_dropped_during_a_burst_of_writes(database: str, tmp_path: Path) -> None:
    # A small pool and short timeouts: an outage is answered fast, never waited out.
    with faults.serve(
        database,
        tmp_path,
        db_pool_size=4,
        db_pool_timeout_seconds=3,
        db_statement_timeout_ms=5000,
        db_connect_timeout_seconds=3,
    ) as server:
        scene = _scene(server.api_url, database)
        stop = threading.Event()
        terminated: list[int] = []
        killer = threading.Thread(
            target=_terminate_repeatedly, args=(database, stop, terminated), daemon=True
        )
        killer.start()
        started = time.monotonic()
        traffic, staff_refs, batches = asyncio.run(
            _burst(server.api_url, scene, users=16, stop=stop)
        )
        killer.join(timeout=10)
        elapsed = time.monotonic() - started
        summary = f"{dict(traffic.answers)}, transport errors {traffic.transport_errors}"

        # The connections were really dropped while the writes were running.
        assert sum(terminated) > 0, terminated
        # Only successes and 503 problem+json (plus the in-flight 409 of a retry); no
        # connection dropped on the client.
        assert traffic.transport_errors == 0, summary + server.log_text()[-8000:]
        # (The 503 answers are not counted: how many depends on timing.)
        log = server.log_text()
        assert not traffic.wrong, "\n".join(traffic.wrong[:20]) + f"\n{summary}\n{log[-6000:]}"
        assert set(traffic.answers) <= {
            "200",
            "201",
            "503 urn:opvang:problem:database-unavailable",
            "409 urn:opvang:problem:idempotency-in-flight",
        }, summary
        assert elapsed < 45, f"the burst took {elapsed:.1f}s: something waited"
        assert "Traceback" not in log and "unhandled error" not in log, log[-3000:]

        # The service answers normally afterwards, without a restart.
        assert server.process.poll() is None
        r = httpx.get(server.api_url + "/health", timeout=CLIENT_TIMEOUT)
        assert r.status_code == 200, r.text
        r = httpx.get(server.api_url + "/participants?pageSize=1", headers=scene.staff, timeout=10)
        assert r.status_code == 200, r.text

    # Each logical write exactly once, and no participant without its placement.
    created = dict(
        faults.rows(
            database,
            "SELECT p.reference, count(pl.id) FROM participants p "
            "LEFT JOIN placements pl ON pl.participant_id = p.id "
            "WHERE p.reference LIKE 'F-%%' GROUP BY p.reference",
        )
    )
    assert sorted(created) == sorted(staff_refs)
    assert set(created.values()) == {1}, {k: v for k, v in created.items() if v != 1}
    external = dict(
        faults.rows(
            database,
            "SELECT x.external_ref, count(pl.id) FROM participant_external_refs x "
            "LEFT JOIN placements pl ON pl.participant_id = x.participant_id "
            "GROUP BY x.external_ref",
        )
    )
    assert sorted(external) == sorted(ref for batch in batches for ref in batch)
    assert set(external.values()) == {1}, {k: v for k, v in external.items() if v != 1}
    assert faults.scalar(database, "SELECT count(*) FROM placements") == len(created) + len(
        external
    )


def _import_file(tmp_path: Path, rows: int) -> Path:
    return csv_file(
        tmp_path / "participants.csv",
        ["reference", "givenName", "familyName", "group", "languages"],
        participant_rows(rows, prefix="KILL"),
    )


@pytest.mark.postgres
def test_worker_killed_in_the_middle_of_an_import(database: str, tmp_path: Path) -> None:
    path = _import_file(tmp_path, 20_000)
    key = str(uuid.uuid4())
    with faults.serve(database, tmp_path, workers=2, idempotency_lease_seconds=2) as server:
        staff = _admin(server.api_url)
        headers = {**staff, "Idempotency-Key": key}
        r = httpx.get(server.api_url + "/health", timeout=10)
        assert r.status_code == 200
        outcome: dict[str, Any] = {}

        def upload() -> None:
            try:
                with path.open("rb") as f:
                    outcome["response"] = httpx.post(
                        server.api_url + "/imports/participants",
                        files={"file": ("participants.csv", f, "text/csv")},
                        headers=headers,
                        timeout=60,
                    )
            except httpx.TransportError as exc:
                outcome["error"] = exc

        sender = threading.Thread(target=upload, daemon=True)
        sender.start()
        # Inside the request: its transaction has written for a moment.
        deadline = time.monotonic() + 30
        backend = None
        while backend is None and time.monotonic() < deadline and sender.is_alive():
            backend = faults.backend_in_long_transaction(database, 0.2)
            time.sleep(0.02)
        assert backend is not None, outcome.get("response") or outcome.get("error")
        workers = server.workers()
        victim = faults.process_with_local_port(workers, backend[1])
        assert victim is not None and victim != server.process.pid, (workers, backend)
        os.kill(victim, signal.SIGKILL)
        sender.join(timeout=30)
        assert "error" in outcome, outcome.get("response")  # the connection died with it

        # The database ends the orphaned transaction; nothing of the import is visible.
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and faults.scalar(
            database, "SELECT count(*) FROM pg_stat_activity WHERE pid = %s", backend[0]
        ):
            time.sleep(0.1)
        assert (
            faults.scalar(
                database, "SELECT count(*) FROM pg_stat_activity WHERE pid = %s", backend[0]
            )
            == 0
        ), "the killed worker's transaction is still open"
        assert (
            faults.scalar(
                database, "SELECT count(*) FROM participants WHERE reference LIKE 'KILL-%%'"
            )
            == 0
        )

        # The supervisor replaced the worker: the service answers, and the same request
        # (same key, once its lease has lapsed) imports every row, once.
        faults.wait_healthy(server.url)
        time.sleep(2.1)
        with path.open("rb") as f:
            r = httpx.post(
                server.api_url + "/imports/participants",
                files={"file": ("participants.csv", f, "text/csv")},
                headers=headers,
                timeout=120,
            )
        assert r.status_code == 200, r.text
        assert (
            faults.scalar(
                database, "SELECT count(*) FROM participants WHERE reference LIKE 'KILL-%%'"
            )
            == 20_000
        )


class _DriverError(Exception):
    def __init__(self, sqlstate: str) -> None:
        super().__init__(f"driver error {sqlstate}")
        self.sqlstate = sqlstate


@pytest.mark.parametrize(
    ("sqlstate", "status"),
    [
        ("57014", 503),  # statement_timeout
        ("55P03", 503),  # lock_timeout
        ("57P01", 503),  # terminated by an administrator
        ("57P03", 503),  # the server is starting or shutting down
        ("08006", 503),  # connection failure
        ("53300", 503),  # too many connections
        ("42601", 500),  # a syntax error is ours
    ],
)
def test_database_errors_that_mean_unavailable_are_503(sqlstate: str, status: int) -> None:
    app = FastAPI()
    install_error_handlers(app)

    @app.get("/boom")
    async def boom() -> None:
        raise sa_exc.DBAPIError("SELECT 1", None, _DriverError(sqlstate))

    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)

    async def call() -> httpx.Response:
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            return await client.get("/boom")

    r = asyncio.run(call())
    assert r.status_code == status
    assert r.headers["content-type"] == PROBLEM_JSON
    if status == 503:
        assert r.json()["type"] == "urn:opvang:problem:database-unavailable"
        assert r.headers["retry-after"] == "5"


@pytest.mark.postgres
def test_a_statement_stuck_behind_a_lock_answers_503(database: str, tmp_path: Path) -> None:
    with faults.serve(
        database, tmp_path, db_lock_timeout_ms=400, db_statement_timeout_ms=5000
    ) as server:
        staff = _admin(server.api_url)
        headers = {**staff, "Idempotency-Key": str(uuid.uuid4())}
        body = {"reference": "LOCKED-1", "group": "asylum_seeker"}
        with psycopg.connect(faults.conninfo(database)) as holder:
            holder.execute("LOCK TABLE participants IN ACCESS EXCLUSIVE MODE")
            began = time.monotonic()
            r = httpx.post(
                server.api_url + "/participants",
                json=body,
                headers=headers,
                timeout=CLIENT_TIMEOUT,
            )
            took = time.monotonic() - began
            holder.rollback()
        assert r.status_code == 503, r.text
        assert r.headers["content-type"] == PROBLEM_JSON
        assert r.json()["type"] == "urn:opvang:problem:database-unavailable"
        assert took < 4, f"{took:.1f}s"
        # The lock gone, the same request (same key) goes through, once.
        r = httpx.post(
            server.api_url + "/participants", json=body, headers=headers, timeout=CLIENT_TIMEOUT
        )
        assert r.status_code == 201, r.text
        assert "Traceback" not in server.log_text()

    with faults.serve(
        database, tmp_path, db_lock_timeout_ms=5000, db_statement_timeout_ms=400
    ) as server:
        staff = _admin(server.api_url)
        with psycopg.connect(faults.conninfo(database)) as holder:
            holder.execute("LOCK TABLE participants IN ACCESS EXCLUSIVE MODE")
            began = time.monotonic()
            r = httpx.get(server.api_url + "/participants", headers=staff, timeout=CLIENT_TIMEOUT)
            took = time.monotonic() - began
            holder.rollback()
        assert r.status_code == 503, r.text
        assert r.json()["type"] == "urn:opvang:problem:database-unavailable"
        assert took < 4, f"{took:.1f}s"
    assert (
        faults.scalar(database, "SELECT count(*) FROM participants WHERE reference = 'LOCKED-1'")
        == 1
    )


def test_sqlite_a_write_lock_held_too_long_answers_503(tmp_path: Path) -> None:
    """SQLite: another process holds the write lock past OPVANG_SQLITE_BUSY_TIMEOUT_MS.
    A write waits that long, then answers 503 problem+json (the claim of an
    Idempotency-Key too), never a hang or a 500; reads go on meanwhile; released, the
    same request goes through, once."""
    url = f"sqlite:///{tmp_path / 'locked.db'}"
    faults.migrate(url)
    asyncio.run(
        admin_tasks.create_user(
            faults.settings_for(url), email=ADMIN, role=Role.admin, partner=None, password=PASSWORD
        )
    )
    with faults.serve(url, tmp_path, sqlite_busy_timeout_ms=300) as server:
        staff = _admin(server.api_url)
        keyed = {**staff, "Idempotency-Key": str(uuid.uuid4())}
        body = {"reference": "LOCKED-1", "group": "asylum_seeker"}
        holder = sqlite3.connect(tmp_path / "locked.db", isolation_level=None)
        try:
            holder.execute("BEGIN IMMEDIATE")
            answers: list[tuple[int, str, float]] = []
            for headers in (staff, keyed):
                began = time.monotonic()
                r = httpx.post(
                    server.api_url + "/participants",
                    json=body,
                    headers=headers,
                    timeout=CLIENT_TIMEOUT,
                )
                answers.append((r.status_code, r.text, time.monotonic() - began))
            read = httpx.get(server.api_url + "/locations", headers=staff, timeout=CLIENT_TIMEOUT)
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        for status, text, took in answers:
            assert status == 503, text
            assert json.loads(text)["type"] == "urn:opvang:problem:database-unavailable"
            assert took < 3, f"{took:.1f}s"
        assert read.status_code == 200, read.text
        r = httpx.post(
            server.api_url + "/participants", json=body, headers=keyed, timeout=CLIENT_TIMEOUT
        )
        assert r.status_code == 201, r.text
        assert "Traceback" not in server.log_text()
    with closing(sqlite3.connect(tmp_path / "locked.db")) as check:
        assert check.execute("SELECT count(*) FROM participants").fetchone() == (1,)
