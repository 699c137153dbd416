"""The Python client (``opvang_client``) against the real service over real HTTP.

The server runs with uvicorn on a socket of its own, on a fresh database
(``tests.support.live_server``). The only stand-ins are at the edge, in the test: an
httpx transport wrapper that records the traffic or loses one answer on the way back,
and a tiny HTTP server that answers 503/429 for the Retry-After tests.
"""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest

from opvang_client import (
    ApiConnectionError,
    AsyncOpvangClient,
    AuthenticationFailed,
    BadRequest,
    NotFound,
    OpvangClient,
    PreconditionFailed,
    RetryPolicy,
    ServiceUnavailable,
    TooManyRequests,
    Unauthorized,
)
from tests.support.live_server import LiveServer, live_server

ADMIN = "admin@client-test.example"
PASSWORD = "correct-horse-battery-staple"
TTL = 60  # the shortest token lifetime the settings allow


class Recorder(httpx.BaseTransport):
    """Real HTTP, recorded; ``lose`` drops the answer to the first request it matches
    after the server has processed it (as a connection reset would)."""

    def __init__(self, lose: Callable[[httpx.Request], bool] | None = None) -> None:
        self.inner = httpx.HTTPTransport()
        self.lose = lose
        self.exchanges: list[tuple[httpx.Request, httpx.Response]] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self.inner.handle_request(request)
        self.exchanges.append((request, response))
        if self.lose is not None and self.lose(request):
            self.lose = None
            response.read()
            response.close()
            raise httpx.ReadError("connection reset by peer", request=request)
        return response

    def paths(self, method: str | None = None) -> list[str]:
        return [r.url.path for r, _ in self.exchanges if method is None or r.method == method]

    def close(self) -> None:
        self.inner.close()


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(scope="module")
def server() -> Iterator[LiveServer]:
    with live_server(suffix="_client", access_token_ttl_seconds=TTL) as srv:
        srv.create_user(ADMIN, "admin", PASSWORD)
        yield srv


@pytest.fixture(scope="module")
def admin(server: LiveServer) -> Iterator[OpvangClient]:
    with OpvangClient(server.url, username=ADMIN, password=PASSWORD) as api:
        yield api


@pytest.fixture(scope="module")
def partner_system(server: LiveServer, admin: OpvangClient) -> dict[str, str]:
    partner = admin.partners.create({"name": "COA Noord-Holland", "kind": "coa"})
    client_id, secret = server.create_client(partner["id"], "coa-koppeling")
    return {"partnerId": partner["id"], "clientId": client_id, "clientSecret": secret}


def _location(api: OpvangClient, operator: str, capacity: int = 10) -> dict[str, Any]:
    return dict(
        api.locations.create(
            {
                "name": f"Locatie {uuid.uuid4().hex[:6]}",
                "address": "Binnenweg 1",
                "postcode": "2101 JA",
                "kind": "asylum_center",
                "operatorPartnerId": operator,
                "openedOn": "2024-01-01",
                "capacity": capacity,
            }
        )
    )


# ------------------------------------------------------------------------- tokens


def test_password_grant_fetches_a_token_lazily(server: LiveServer) -> None:
    transport = Recorder()
    with OpvangClient(server.url, username=ADMIN, password=PASSWORD, transport=transport) as api:
        assert transport.exchanges == []  # nothing before the first call
        assert api.users.list()["total"] >= 1
        api.users.list()
        assert transport.paths() == [
            "/api/v1/auth/token",
            "/api/v1/users",
            "/api/v1/users",
        ]
        token_request = transport.exchanges[0][0]
        assert b"grant_type=password" in token_request.content
        assert "idempotency-key" not in token_request.headers
        assert api.tokens is not None
        assert api.tokens.role == "admin"


def test_client_credentials_grant_for_a_partner_system(
    server: LiveServer, admin: OpvangClient, partner_system: dict[str, str]
) -> None:
    own = _location(admin, partner_system["partnerId"])
    other = admin.partners.create({"name": "Andere partner", "kind": "welfare"})
    _location(admin, other["id"])
    with OpvangClient(
        server.url,
        client_id=partner_system["clientId"],
        client_secret=partner_system["clientSecret"],
    ) as api:
        token = api.authenticate()
        assert token
        assert api.tokens is not None
        assert api.tokens.role == "partner"
        seen = [loc["id"] for loc in api.locations.iter()]
        assert own["id"] in seen
        assert all(
            loc["operatorPartnerId"] == partner_system["partnerId"] for loc in api.locations.iter()
        )


def test_wrong_password_is_unauthorized(server: LiveServer) -> None:
    with (
        OpvangClient(server.url, username=ADMIN, password="not-the-password") as api,
        pytest.raises(AuthenticationFailed) as caught,
    ):
        api.partners.list()
    assert caught.value.status == 400
    assert caught.value.oauth_error == "invalid_grant"


def test_token_refreshed_shortly_before_it_expires(server: LiveServer) -> None:
    clock, transport = Clock(), Recorder()
    with OpvangClient(
        server.url,
        username=ADMIN,
        password=PASSWORD,
        transport=transport,
        clock=clock,
        refresh_margin=10,
    ) as api:
        api.partners.list()
        clock.now += TTL - 11  # still good for 11 s: kept
        api.partners.list()
        clock.now += 2  # 9 s left, within the margin: a new one
        api.partners.list()
        assert transport.paths().count("/api/v1/auth/token") == 2


def test_token_refreshed_once_on_401(server: LiveServer) -> None:
    transport = Recorder()
    with OpvangClient(server.url, username=ADMIN, password=PASSWORD, transport=transport) as api:
        assert api.tokens is not None
        # A token the server no longer accepts (as after a key rotation).
        api.tokens.store(
            {
                "access_token": "expired.or.revoked",
                "token_type": "bearer",
                "expires_in": 900,
                "role": "admin",
            }
        )
        assert api.partners.list()["total"] >= 0
        statuses = [(r.url.path, s.status_code) for r, s in transport.exchanges]
        assert statuses == [
            ("/api/v1/partners", 401),
            ("/api/v1/auth/token", 200),
            ("/api/v1/partners", 200),
        ]


def test_static_token_is_not_refreshed(server: LiveServer) -> None:
    with OpvangClient(server.url, token="not-a-token") as api, pytest.raises(Unauthorized):
        api.partners.list()


# --------------------------------------------------------------------------- CRUD


def test_typed_round_trip(admin: OpvangClient) -> None:
    partner = admin.partners.create({"name": "Welzijn Heemstede", "kind": "welfare"})
    assert partner["version"] == 1
    assert admin.partners.get(partner["id"])["name"] == "Welzijn Heemstede"
    renamed = admin.partners.update(partner, {"name": "Welzijn Heemstede e.o."})
    assert renamed["name"] == "Welzijn Heemstede e.o."
    assert renamed["version"] == 2

    location = _location(admin, partner["id"], capacity=3)
    changes = admin.locations.capacity_changes(location["id"])
    change = changes.create({"validFrom": "2025-06-01", "capacity": 5})
    assert change["capacity"] == 5
    assert [c["id"] for c in changes.list() if c["id"] == change["id"]]

    participant = admin.participants.create(
        {
            "reference": f"P-{uuid.uuid4().hex[:6]}",
            "group": "asylum_seeker",
            "bsn": "111222333",
            "givenName": "Olena",
            "familyName": "Test",
            "languages": ["uk"],
        }
    )
    found = admin.participants.search(bsn="111222333")
    assert [p["id"] for p in found["items"]] == [participant["id"]]
    placement = admin.placements.create(
        {
            "participantId": participant["id"],
            "locationId": location["id"],
            "startDate": "2025-01-10",
        }
    )
    assert placement["endDate"] is None
    listed = admin.placements.list(participant_id=participant["id"])
    assert [p["id"] for p in listed["items"]] == [placement["id"]]
    admin.placements.delete(placement)
    with pytest.raises(NotFound):
        admin.placements.get(placement["id"])


def test_bsn_never_goes_into_a_url(admin: OpvangClient, server: LiveServer) -> None:
    with pytest.raises(ValueError, match="never goes into a URL"):
        admin.participants.list(bsn="111222333")
    transport = Recorder()
    with OpvangClient(server.url, username=ADMIN, password=PASSWORD, transport=transport) as api:
        api.participants.search(v_number="1234567890")
    request = transport.exchanges[-1][0]
    assert request.url.path == "/api/v1/participants/_search"
    assert "1234567890" not in str(request.url)
    assert json.loads(request.content) == {"vNumber": "1234567890"}


def test_iterator_follows_pages(admin: OpvangClient, server: LiveServer) -> None:
    tag = uuid.uuid4().hex[:8]
    made = {
        admin.partners.create({"name": f"Club {tag} {i}", "kind": "sports_club"})["id"]
        for i in range(7)
    }
    transport = Recorder()
    with OpvangClient(server.url, username=ADMIN, password=PASSWORD, transport=transport) as api:
        first = api.partners.list(q=tag, pageSize=3)
        assert (first["page"], first["pageSize"], first["total"]) == (1, 3, 7)
        seen = [p["id"] for p in api.partners.iter(q=tag, page_size=3, sort="name")]
    assert len(seen) == 7
    assert set(seen) == made
    pages = [r.url.params.get("page") for r, _ in transport.exchanges[2:]]
    assert pages == ["1", "2", "3"]


async def test_async_client(server: LiveServer) -> None:
    tag = uuid.uuid4().hex[:8]
    async with AsyncOpvangClient(server.url, username=ADMIN, password=PASSWORD) as api:
        for i in range(3):
            await api.partners.create({"name": f"Async {tag} {i}", "kind": "library"})
        names = [p["name"] async for p in api.partners.iter(q=tag, pageSize=2, sort="name")]
        assert names == [f"Async {tag} {i}" for i in range(3)]
        with pytest.raises(NotFound):
            await api.partners.get(uuid.uuid4())


def test_change_feed_iterator(admin: OpvangClient) -> None:
    try:
        start = admin.changes.list()
    except NotFound:
        pytest.skip("the change feed is not served yet")
    partner = admin.partners.create({"name": "Feed partner", "kind": "other"})
    admin.partners.update(partner, {"name": "Feed partner 2"})
    mine = list(admin.changes.iter(after=start["nextCursor"], limit=1))
    ours = [(c["operation"], c["version"]) for c in mine if c["id"] == partner["id"]]
    assert ours == [("create", 1), ("update", 2)]


def test_import_dry_run(admin: OpvangClient, tmp_path: Path) -> None:
    file = tmp_path / "deelnemers.csv"
    file.write_text("reference;group\nIMP-1;asylum_seeker\nIMP-2;tourists\n", encoding="utf-8")
    try:
        report = admin.imports.upload("participants", file, dry_run=True)
    except NotFound:
        pytest.skip("imports are not served yet")
    assert report["rowsTotal"] == 2
    assert report["rowsValid"] == 1
    assert [e["row"] for e in report["errors"]] == [2]
    assert admin.participants.list(q="IMP-1")["total"] == 0


# ------------------------------------------------------------------------- errors


def test_400_lists_every_problem(admin: OpvangClient) -> None:
    with pytest.raises(BadRequest) as caught:
        admin.participants.create({"group": "tourists", "bsn": "123456789"})
    error = caught.value
    assert error.status == 400
    assert error.problem["status"] == 400
    names = {(e["in"], e["name"]) for e in error.errors}
    assert {("body", "reference"), ("body", "group"), ("body", "bsn")} <= names
    assert "reference" in str(error)


def test_404(admin: OpvangClient) -> None:
    with pytest.raises(NotFound) as caught:
        admin.locations.get(str(uuid.uuid4()))
    assert caught.value.status == 404
    assert caught.value.problem["title"]


def test_412_on_a_stale_version(admin: OpvangClient) -> None:
    partner = admin.partners.create({"name": "Versioned", "kind": "other"})
    admin.partners.update(partner, {"name": "Versioned 2"})  # now version 2
    with pytest.raises(PreconditionFailed) as caught:
        admin.partners.update(partner, {"name": "Lost update"})  # If-Match: "1"
    assert caught.value.status == 412
    with pytest.raises(PreconditionFailed):
        admin.partners.delete(partner["id"], version=1)
    assert admin.partners.get(partner["id"])["name"] == "Versioned 2"


# ------------------------------------------------------------------------ retries


def test_post_retried_with_the_same_key_replays(server: LiveServer) -> None:
    name = f"Replay {uuid.uuid4().hex[:8]}"
    transport = Recorder(lose=lambda r: r.method == "POST" and r.url.path.endswith("/partners"))
    with OpvangClient(
        server.url,
        username=ADMIN,
        password=PASSWORD,
        transport=transport,
        retry=RetryPolicy(backoff=0.01),
    ) as api:
        partner = api.partners.create({"name": name, "kind": "school"})
        posts = [(r, s) for r, s in transport.exchanges if r.url.path.endswith("/partners")]
        assert len(posts) == 2
        (first, lost), (second, answer) = posts
        assert lost.status_code == 201  # the server did the work; the answer was lost
        key = first.headers["Idempotency-Key"]
        assert uuid.UUID(key).version == 4
        assert second.headers["Idempotency-Key"] == key
        assert answer.status_code == 201
        assert answer.headers["Idempotent-Replayed"] == "true"
        assert [p["id"] for p in api.partners.iter(q=name)] == [partner["id"]]


def test_callers_own_key_and_a_fresh_key_per_call(admin: OpvangClient) -> None:
    key = f"import-run-{uuid.uuid4()}"
    body = {"name": f"Own key {uuid.uuid4().hex[:6]}", "kind": "other"}
    first = admin.partners.create(body, idempotency_key=key)
    again = admin.partners.create(body, idempotency_key=key)
    assert again["id"] == first["id"]
    other = admin.partners.create({"name": f"Fresh {uuid.uuid4().hex[:6]}", "kind": "other"})
    assert other["id"] != first["id"]


def test_patch_without_version_is_not_retried(server: LiveServer, admin: OpvangClient) -> None:
    partner = admin.partners.create({"name": "No retry", "kind": "other"})
    transport = Recorder(lose=lambda r: r.method == "PATCH")
    with OpvangClient(server.url, username=ADMIN, password=PASSWORD, transport=transport) as api:
        with pytest.raises(ApiConnectionError):
            api.partners.update(partner["id"], {"name": "No retry 2"})
        assert transport.paths("PATCH") == [f"/api/v1/partners/{partner['id']}"]


class Scripted(BaseHTTPRequestHandler):
    """Answers from a script: a list of (status, headers) per path, then 200."""

    script: dict[str, list[tuple[int, dict[str, str]]]] = {}
    seen: list[str] = []

    def do_GET(self) -> None:
        self.seen.append(self.path)
        steps = self.script.get(self.path.split("?")[0], [])
        status, headers = steps.pop(0) if steps else (200, {})
        body = (
            b'{"ok": true}'
            if status == 200
            else json.dumps(
                {"type": "about:blank", "title": "Busy", "status": status, "detail": "later"}
            ).encode()
        )
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_: Any) -> None:
        pass


@pytest.fixture
def scripted() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Scripted)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    Scripted.seen = []
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_retry_after_honoured_on_503_and_429(scripted: str) -> None:
    Scripted.script = {
        "/api/v1/a": [(503, {"Retry-After": "2"})],
        "/api/v1/b": [(429, {"Retry-After": "1"}), (503, {})],
    }
    waits: list[float] = []
    with OpvangClient(scripted, token="t", sleep=waits.append) as api:
        assert api.request("GET", "/a").json() == {"ok": True}
        assert waits == [2.0]
        waits.clear()
        assert api.request("GET", "/b").json() == {"ok": True}
        assert waits[0] == 1.0
        assert len(waits) == 2  # the 503 without Retry-After: exponential backoff
        assert 0 < waits[1] <= RetryPolicy().backoff * 2


def test_too_long_a_retry_after_or_too_many_attempts_raise(scripted: str) -> None:
    Scripted.script = {
        "/api/v1/throttled": [(429, {"Retry-After": "900"})],
        "/api/v1/down": [(503, {"Retry-After": "0"})] * 5,
    }
    waits: list[float] = []
    with OpvangClient(scripted, token="t", sleep=waits.append) as api:
        with pytest.raises(TooManyRequests) as caught:
            api.request("GET", "/throttled")
        assert caught.value.retry_after == 900
        assert waits == []
        with pytest.raises(ServiceUnavailable):
            api.request("GET", "/down")
        assert waits == [0.0, 0.0, 0.0]  # four attempts in all
