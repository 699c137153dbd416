"""How ``opvang serve`` exposes the service (issue 14, items 13 and 15): a development
server with the placeholder secret stays on the loopback interface, and
``X-Forwarded-For`` / ``X-Forwarded-Proto`` are believed only from configured proxies."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from api.cli import app as cli
from api.config import DEFAULT_SECRET, Settings, get_settings
from api.serving import exposure_refusal, is_loopback, proxy_options
from tests.support.live_server import LiveServer, live_server

STRONG_SECRET = "a-real-secret-0123456789abcdef-0123456789"


@pytest.fixture
def development_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """``opvang serve`` as a developer runs it: development, no secret set."""
    for name in list(os.environ):
        if name.startswith("OPVANG_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("OPVANG_ENVIRONMENT", "development")
    monkeypatch.setenv("OPVANG_DATABASE_URL", f"sqlite:///{tmp_path / 'serve.db'}")
    monkeypatch.chdir(tmp_path)  # no .env file from the working tree
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.20", "opvang.example.org"])  # noqa: S104
def test_serve_refuses_an_open_address_with_the_placeholder_secret(
    development_env: None, host: str
) -> None:
    result = CliRunner().invoke(cli, ["serve", "--host", host, "--port", "1"])
    assert result.exit_code == 2, result.output
    assert "OPVANG_SECRET_KEY" in result.output and host in result.output
    assert "forge" in result.output


@pytest.mark.parametrize("host", ["127.0.0.1", "127.3.4.5", "::1", "[::1]", "localhost"])
def test_loopback_addresses_are_allowed(host: str) -> None:
    assert is_loopback(host)
    assert exposure_refusal(Settings(environment="development"), host) is None


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "::ffff:10.0.0.1", "10.0.0.1", "localhost.evil"])  # noqa: S104
def test_other_addresses_are_not_loopback(host: str) -> None:
    assert not is_loopback(host)


def test_an_open_address_is_fine_with_a_real_secret() -> None:
    settings = Settings(environment="development", secret_key=STRONG_SECRET)
    assert exposure_refusal(settings, "0.0.0.0") is None  # noqa: S104
    assert exposure_refusal(Settings(environment="development"), "0.0.0.0")  # noqa: S104
    assert Settings(environment="development").secret_key == DEFAULT_SECRET


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.parametrize("from_settings", [False, True], ids=["flags", "OPVANG_HOST/PORT"])
def test_serve_starts_on_loopback_with_the_placeholder_secret(
    tmp_path: Path, from_settings: bool
) -> None:
    """The real command, stopped once it answers: the guard lets loopback through and
    uvicorn takes the proxy options as ``opvang serve`` passes them. The address comes
    from the flags, or from OPVANG_HOST and OPVANG_PORT (``make run``: a second
    checkout runs beside the first)."""
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("OPVANG_")}
    env |= {
        "OPVANG_ENVIRONMENT": "development",
        "OPVANG_DATABASE_URL": f"sqlite:///{tmp_path / 'serve.db'}",
        "OPVANG_WEBHOOKS_ENABLED": "false",
    }
    command = [sys.executable, "-m", "api", "serve"]
    if from_settings:
        env |= {"OPVANG_HOST": "127.0.0.1", "OPVANG_PORT": str(port)}
    else:
        command += ["--host", "127.0.0.1", "--port", str(port)]
    process = subprocess.Popen(
        command,
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        # Generous: a start-up guard, not a timing test (a loaded machine took over 30 s).
        deadline = time.monotonic() + 120
        while True:
            assert process.poll() is None, process.communicate()[0].decode()
            try:
                r = httpx.get(f"http://127.0.0.1:{port}/api/v1/health", timeout=1)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "opvang serve did not come up"
                time.sleep(0.1)
        assert r.status_code in (200, 503)
    finally:
        process.terminate()
        process.wait(timeout=15)


def test_proxy_options(monkeypatch: pytest.MonkeyPatch) -> None:
    assert proxy_options(Settings()) == {"proxy_headers": False}
    monkeypatch.setenv("OPVANG_FORWARDED_ALLOW_IPS", '["10.0.0.5", "fd00::/64"]')
    assert proxy_options(Settings()) == {
        "proxy_headers": True,
        "forwarded_allow_ips": ["10.0.0.5/32", "fd00::/64"],
    }
    monkeypatch.setenv("OPVANG_FORWARDED_ALLOW_IPS", '["not-an-address"]')
    with pytest.raises(ValueError, match="forwarded_allow_ips"):
        Settings()


# Item 15. The login throttle counts failures per address (request.client.host); with a
# brake of two failures per address, a third attempt from "another address" shows whose
# address the server believed.
THROTTLE = {"login_max_failures_per_address": 2, "login_max_failures": 100}


def _fail_login(server: LiveServer, n: int, forwarded_for: str) -> int:
    r = httpx.post(
        server.api_url + "/auth/token",
        data={
            "grant_type": "password",
            "username": f"nobody{n}@xff.example",
            "password": "wrong-password-0123",
        },
        headers={"X-Forwarded-For": forwarded_for, "X-Forwarded-Proto": "https"},
    )
    return r.status_code


def test_a_spoofed_forwarded_for_is_ignored_by_default() -> None:
    with live_server(suffix="_xff", **THROTTLE) as server:
        assert _fail_login(server, 1, "203.0.113.7") == 400
        assert _fail_login(server, 2, "203.0.113.7") == 400
        # The brake holds for 127.0.0.1, the real peer, whatever address is claimed.
        assert _fail_login(server, 3, "198.51.100.9") == 429
        r = httpx.get(server.api_url + "/health", headers={"X-Forwarded-Proto": "https"})
        assert "strict-transport-security" not in r.headers  # not taken for https either


def test_forwarded_for_is_honoured_from_a_listed_proxy() -> None:
    with live_server(
        suffix="_xff_trusted", forwarded_allow_ips=["127.0.0.1"], **THROTTLE
    ) as server:
        assert _fail_login(server, 1, "203.0.113.7") == 400
        assert _fail_login(server, 2, "203.0.113.7") == 400
        assert _fail_login(server, 3, "198.51.100.9") == 400  # another client behind the proxy
        assert _fail_login(server, 4, "203.0.113.7") == 429
        r = httpx.get(server.api_url + "/health", headers={"X-Forwarded-Proto": "https"})
        assert "strict-transport-security" in r.headers
