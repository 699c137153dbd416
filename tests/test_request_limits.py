"""Request bodies are bounded before anything reads them (issue 14, item 3).

Over a real socket to a real uvicorn (``live_server``), because what matters is what
the server reads off the wire: a ``Content-Length`` above the limit is answered 413
before the body is sent, a chunked body is cut off at the limit, and an anonymous
request with a body gets its 401 without the body being read at all. Requests are
written with h11 (the HTTP/1.1 state machine httpx uses) so a test can send the head
alone and read the answer before or instead of the body.
"""

from __future__ import annotations

import json
import logging
import select
import socket
import time
import tracemalloc
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import h11
import httpx
import pytest

from api.main import Site
from api.models import Role
from tests.support.builders import Builder, problem
from tests.support.import_files import PARTICIPANT_HEADER, csv_file, participant_rows
from tests.support.live_server import LiveServer, live_server

LIMIT = 64 * 1024  # OPVANG_MAX_BODY_BYTES for these tests
IMPORT_LIMIT = 512 * 1024  # OPVANG_IMPORT_MAX_BYTES
SEARCH = "/api/v1/participants/_search"
PASSWORD = "limits-pw-0123456789"


@pytest.fixture(scope="module")
def server() -> Iterator[LiveServer]:
    with live_server(
        suffix="_limits", max_body_bytes=LIMIT, import_max_bytes=IMPORT_LIMIT
    ) as running:
        running.create_user("admin@limits.example", "admin", PASSWORD)
        yield running


@pytest.fixture(scope="module")
def token(server: LiveServer) -> str:
    r = httpx.post(
        server.api_url + "/auth/token",
        data={"grant_type": "password", "username": "admin@limits.example", "password": PASSWORD},
    )
    assert r.status_code == 200, r.text
    return str(r.json()["access_token"])


class Exchange:
    """One request on its own connection: the head first, the body (if any) later."""

    def __init__(self, server: LiveServer, path: str, headers: dict[str, str]) -> None:
        host, port = server.url.removeprefix("http://").split(":")
        self.sock = socket.create_connection((host, int(port)), timeout=10)
        self.conn = h11.Connection(our_role=h11.CLIENT)
        head = [("Host", f"{host}:{port}"), *headers.items()]
        self.sock.sendall(self.conn.send(h11.Request(method="POST", target=path, headers=head)))
        self.sent = 0

    def answered(self) -> bool:
        return bool(select.select([self.sock], [], [], 0)[0])

    def send_until_answered(self, chunk: bytes, total: int) -> None:
        """Send ``chunk`` repeatedly, up to ``total`` bytes, stopping as soon as the server
        answers (or closes the connection)."""
        while self.sent < total and not self.answered():
            try:
                self.sock.sendall(self.conn.send(h11.Data(data=chunk)))
            except (BrokenPipeError, ConnectionResetError):
                return
            self.sent += len(chunk)
        if self.sent >= total:
            self.sock.sendall(self.conn.send(h11.EndOfMessage()))

    def response(self, timeout: float = 5.0) -> tuple[int, dict[str, str], bytes]:
        self.sock.settimeout(timeout)
        status, headers, body = 0, {}, b""
        while True:
            event = self.conn.next_event()
            if event is h11.NEED_DATA:
                try:
                    data = self.sock.recv(65536)
                except ConnectionResetError:
                    data = b""
                self.conn.receive_data(data)
            elif isinstance(event, h11.Response):
                status = event.status_code
                headers = {k.decode().lower(): v.decode() for k, v in event.headers}
            elif isinstance(event, h11.Data):
                body += bytes(event.data)
            elif isinstance(event, h11.EndOfMessage | h11.ConnectionClosed):
                self.sock.close()
                return status, headers, body


def _problem_type(headers: dict[str, str], body: bytes) -> str:
    assert headers["content-type"] == "application/problem+json"
    return str(json.loads(body)["type"])


def test_a_content_length_over_the_limit_is_413_before_the_body_is_sent(
    server: LiveServer, token: str
) -> None:
    for auth in ({"Authorization": f"Bearer {token}"}, {}):
        exchange = Exchange(
            server,
            SEARCH,
            {**auth, "Content-Type": "application/json", "Content-Length": str(10**10)},
        )
        status, headers, body = exchange.response()  # no byte of the body was sent
        assert status == 413, body
        assert _problem_type(headers, body) == "urn:opvang:problem:request-too-large"
        assert headers.get("connection") == "close"  # the server does not drain the body


def test_a_chunked_body_over_the_limit_is_cut_off_at_the_limit(
    server: LiveServer, token: str
) -> None:
    """50 MB sent chunked with a valid token: the answer is a 413 once the limit is
    passed, and the server never holds more than about the limit in memory (it runs in
    this process, so tracemalloc sees its allocations)."""
    exchange = Exchange(
        server,
        SEARCH,
        {
            "Authorization": f"Bearer {token}",
            "Content-Type": "application/json",
            "Transfer-Encoding": "chunked",
        },
    )
    tracemalloc.start()
    try:
        exchange.send_until_answered(b"[" + b" " * (16 * 1024 - 1), 50 * 1024 * 1024)
        status, headers, body = exchange.response()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert status == 413, body
    assert _problem_type(headers, body) == "urn:opvang:problem:request-too-large"
    assert exchange.sent < 50 * 1024 * 1024
    assert peak < 8 * 1024 * 1024, f"peak {peak / 1e6:.1f} MB while refusing the body"


@pytest.mark.parametrize(
    "auth", [{}, {"Authorization": "Bearer not-a-token"}, {"Authorization": "Basic eDp5"}]
)
@pytest.mark.parametrize(
    "framing", [{"Content-Length": str(LIMIT - 1)}, {"Transfer-Encoding": "chunked"}]
)
def test_an_anonymous_body_gets_401_without_being_read(
    server: LiveServer, auth: dict[str, str], framing: dict[str, str]
) -> None:
    """The head alone: the answer comes without one byte of the body (a server that
    waited for the body would time out here)."""
    exchange = Exchange(server, SEARCH, {**auth, **framing, "Content-Type": "application/json"})
    started = time.monotonic()
    status, headers, body = exchange.response(timeout=3)
    assert status == 401, body
    assert time.monotonic() - started < 2
    assert headers["www-authenticate"].startswith("Bearer")
    assert headers.get("connection") == "close"


def test_a_body_to_a_public_route_is_still_read(server: LiveServer) -> None:
    r = httpx.post(
        server.api_url + "/auth/token",
        data={"grant_type": "password", "username": "nobody@limits.example", "password": "x" * 20},
    )
    assert r.status_code == 400 and r.json()["error"] == "invalid_grant"


def test_an_import_up_to_its_own_limit_still_works(
    server: LiveServer, token: str, tmp_path: Path
) -> None:
    """Multipart uploads to /imports have the import limit, not the JSON one."""
    auth = {"Authorization": f"Bearer {token}"}
    path = csv_file(tmp_path / "p.csv", PARTICIPANT_HEADER, participant_rows(4000, "LIM"))
    assert LIMIT < path.stat().st_size < IMPORT_LIMIT
    with path.open("rb") as f:
        r = httpx.post(
            server.api_url + "/imports/participants?dryRun=true",
            files={"file": ("p.csv", f, "text/csv")},
            headers=auth,
            timeout=60,
        )
    assert r.status_code == 200, r.text
    assert r.json()["rowsValid"] == 4000

    big = csv_file(tmp_path / "big.csv", PARTICIPANT_HEADER, participant_rows(12_000, "LIM"))
    assert big.stat().st_size > IMPORT_LIMIT + 64 * 1024
    exchange = Exchange(
        server,
        "/api/v1/imports/participants",
        {
            **auth,
            "Content-Type": "multipart/form-data; boundary=xyz",
            "Content-Length": str(big.stat().st_size + 200),
        },
    )
    status, headers, body = exchange.response()
    assert status == 413, body
    assert _problem_type(headers, body) == "urn:opvang:problem:import-too-large"


def test_a_json_body_under_the_limit_is_served(server: LiveServer, token: str) -> None:
    r = httpx.post(
        server.api_url + "/participants/_search",
        json={"bsn": "111222333"},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert r.status_code == 200, r.text


async def test_a_streamed_body_over_the_limit_never_claims_an_idempotency_key(
    client: httpx.AsyncClient, build: Builder, app: Site, caplog: pytest.LogCaptureFixture
) -> None:
    """The limit sits outside the idempotency layer: a chunked body cut off at the limit
    is a 413 (not a 500, nothing logged as an error), and its key stays free for the
    retry with a body that fits."""
    settings = app.state.api.state.settings
    app.state.api.state.settings = settings.model_copy(update={"max_body_bytes": 4096})
    headers = {**build.headers_for(Role.admin), "Idempotency-Key": "limit-1"}

    async def too_much() -> AsyncIterator[bytes]:
        yield b'{"name": "'
        for _ in range(10):
            yield b"x" * 1024
        yield b'", "kind": "coa"}'

    opvang_log = logging.getLogger("opvang")  # does not propagate to caplog's root handler
    opvang_log.addHandler(caplog.handler)
    try:
        r = await client.post(
            "/api/v1/partners",
            content=too_much(),
            headers={**headers, "Content-Type": "application/json"},
        )
    finally:
        opvang_log.removeHandler(caplog.handler)
    assert r.status_code == 413, r.text
    assert problem(r)["type"] == "urn:opvang:problem:request-too-large"
    assert not [rec for rec in caplog.records if rec.levelno >= logging.ERROR]

    r = await client.post("/api/v1/partners", json={"name": "Fits", "kind": "coa"}, headers=headers)
    assert r.status_code == 201, r.text
