"""Helpers shared by the HTTP benchmarks: server processes on 127.0.0.1 and ``wrk``."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"  # load generators target this machine only
BIN = Path(sys.executable).parent
# Tokens the benchmarks sign for our server outlive any run.
TOKEN_TTL_SECONDS = 86_400


def clean_env() -> dict[str, str]:
    """The caller's environment without OPVANG_* and BENCH_*: the run is the same
    everywhere."""
    return {k: v for k, v in os.environ.items() if not k.startswith(("OPVANG_", "BENCH_"))}


def server_env(url: str, secret: str, **settings: str) -> dict[str, str]:
    """The environment of our server under a benchmark: production settings on ``url``,
    tokens signed with ``secret`` (valid ``TOKEN_TTL_SECONDS``), and ``OPVANG_<NAME>``
    for each further setting."""
    return (
        clean_env()
        | {
            "OPVANG_DATABASE_URL": url,
            "OPVANG_SECRET_KEY": secret,
            "OPVANG_ENVIRONMENT": "production",
            "OPVANG_ACCESS_TOKEN_TTL_SECONDS": str(TOKEN_TTL_SECONDS),
        }
        | {f"OPVANG_{name.upper()}": value for name, value in settings.items()}
    )


def stop_on_sigterm(signum: int, _frame: object) -> None:
    """SIGTERM would otherwise end the run without its ``finally``, orphaning servers."""
    raise SystemExit(128 + signum)


def venv_script(name: str) -> str:
    """A console script next to the running interpreter (the venv's), else from PATH."""
    candidate = BIN / name
    if candidate.exists():
        return str(candidate)
    found = shutil.which(name)
    if found is None:
        raise RuntimeError(f"{name} not found next to {sys.executable} or on PATH")
    return found


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class Server:
    name: str
    port: int
    process: subprocess.Popen[bytes]
    log: Path

    @property
    def base_url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"


def start_server(
    name: str, command: Sequence[str], *, port: int, env: Mapping[str, str], log_dir: Path
) -> Server:
    log = log_dir / f"{name}.log"
    with log.open("wb") as out:
        # The child keeps its own copy of the descriptor; stderr to a file so log writes
        # cost what they cost in production, not a terminal's speed.
        process = subprocess.Popen(
            list(command),
            cwd=ROOT,
            env=dict(env),
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    return Server(name=name, port=port, process=process, log=log)


def wait_until_up(server: Server, path: str, timeout: float = 30.0) -> None:
    """Poll until the server answers anything at all on ``path``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(
                f"{server.name} exited with {server.process.returncode}:\n{server.log_tail()}"
            )
        try:
            httpx.get(server.base_url + path, timeout=2.0)
            return
        except httpx.TransportError:
            time.sleep(0.1)
    raise RuntimeError(f"{server.name} did not come up in {timeout:.0f}s:\n{server.log_tail()}")


def stop_server(server: Server) -> None:
    """Stop the one process we started, politely first."""
    if server.process.poll() is not None:
        return
    server.process.terminate()
    try:
        server.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait(timeout=10)


def require_wrk() -> str:
    path = shutil.which("wrk")
    if path is None:
        raise RuntimeError(
            "wrk is not installed; on Debian: apt-get update && apt-get install -y wrk"
        )
    return path


@dataclass(frozen=True)
class WrkResult:
    requests_per_second: float
    latency: str
    socket_errors: str | None


_RPS = re.compile(r"^Requests/sec:\s+([\d.]+)", re.MULTILINE)
_LATENCY = re.compile(r"^\s+Latency\s+(\S+)", re.MULTILINE)
_NON_2XX = re.compile(r"Non-2xx or 3xx responses:\s+(\d+)")
_SOCKET_ERRORS = re.compile(r"Socket errors:\s+(.*)")


def run_wrk(
    url: str,
    *,
    headers: Mapping[str, str],
    duration: float,
    connections: int,
    threads: int = 1,
) -> WrkResult:
    """One fixed-duration run; wrk stops by itself. Any non-2xx answer fails the run, since
    errors are cheap to serve and would flatter the number."""
    command = [
        require_wrk(),
        f"-t{threads}",
        f"-c{connections}",
        f"-d{duration:g}s",
        "--timeout",
        "5s",
    ]
    for key, value in headers.items():
        command += ["-H", f"{key}: {value}"]
    command.append(url)
    done = subprocess.run(
        command, capture_output=True, text=True, timeout=duration + 60, check=True
    )
    output = done.stdout
    rps = _RPS.search(output)
    if rps is None:
        raise RuntimeError(f"could not read wrk's output:\n{output}\n{done.stderr}")
    non_2xx = _NON_2XX.search(output)
    if non_2xx is not None:
        raise RuntimeError(f"{url} answered {non_2xx.group(1)} non-2xx responses:\n{output}")
    latency = _LATENCY.search(output)
    errors = _SOCKET_ERRORS.search(output)
    return WrkResult(
        requests_per_second=float(rps.group(1)),
        latency=latency.group(1) if latency else "?",
        socket_errors=errors.group(1) if errors else None,
    )
