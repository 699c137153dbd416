"""A real HTTP receiver for webhook tests: a small server on 127.0.0.1 in a thread that
records every request and answers from a plan (e.g. 500 twice per delivery, then 200);
over TLS with a certificate of the test's choosing when given an ``ssl.SSLContext``."""

from __future__ import annotations

import json
import ssl
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from api.models import utcnow


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes

    @property
    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Receiver:
    """Answers 500 to the first ``fail_first`` attempts of each delivery (by
    ``Webhook-Id``), then ``succeed_with``; ``fail_first=-1`` never succeeds."""

    fail_first: int = 0
    succeed_with: int = 200
    received: list[Received] = field(default_factory=list)
    url: str = ""
    _tries: Counter[str] = field(default_factory=Counter)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def answer(self, request: Received) -> int:
        with self._lock:
            self.received.append(request)
            delivery = request.headers.get("webhook-id", "")
            self._tries[delivery] += 1
            if self.fail_first < 0 or self._tries[delivery] <= self.fail_first:
                return 500
            return self.succeed_with

    def bodies(self) -> list[Any]:
        return [r.json for r in self.received]


@contextmanager
def receiver(
    fail_first: int = 0, succeed_with: int = 200, tls: ssl.SSLContext | None = None
) -> Iterator[Receiver]:
    state = Receiver(fail_first=fail_first, succeed_with=succeed_with)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length)
            headers = {k.lower(): v for k, v in self.headers.items()}
            code = state.answer(Received(self.path, headers, body))
            self.send_response(code)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    scheme = "http"
    if tls is not None:
        scheme = "https"
        server.socket = tls.wrap_socket(server.socket, server_side=True)
    state.url = f"{scheme}://127.0.0.1:{server.server_address[1]}/hook"
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


class Clock:
    """A clock the worker reads; tests move it instead of sleeping."""

    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or utcnow()

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)
