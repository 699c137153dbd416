"""api_overhead: requests per second of ``GET /api/v1/partners/{id}`` through our whole
stack (bearer JWT, token generation, role guard, partner scoping, serialization,
middleware, access log) against a bare Starlette route running the same SQL through the
same driver (``bench/reference_app.py``), and against a bare FastAPI route doing the same
(``bench/fastapi_reference.py``: the framework's ceiling). One uvicorn worker each,
uvloop and httptools, measured in rotation in the same run so machine noise hits all.

    python -m bench api_overhead [--database postgresql|sqlite] [--url URL] ...
"""

from __future__ import annotations

import argparse
import secrets
import signal
import statistics
import sys
import tempfile
from pathlib import Path

import httpx

from api.auth.principal import Principal
from api.auth.tokens import create_access_token
from api.config import Settings
from api.models import Role
from bench import _data
from bench._harness import (
    TOKEN_TTL_SECONDS,
    Server,
    clean_env,
    free_port,
    require_wrk,
    run_wrk,
    server_env,
    start_server,
    stop_on_sigterm,
    stop_server,
    venv_script,
    wait_until_up,
)

NAME = "api_overhead"


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog=f"python -m bench {NAME}", description=__doc__)
    parser.add_argument("--database", choices=["postgresql", "sqlite"], default="postgresql")
    parser.add_argument(
        "--url", help=f"database URL (default {_data.DEFAULT_PG_URL} or a temp file)"
    )
    parser.add_argument("--partners", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3, help="measurements per server")
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per measurement")
    parser.add_argument("--warmup", type=float, default=3.0, help="seconds of warm-up per server")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=1, help="wrk threads (two cores here)")
    parser.add_argument(
        "--hold",
        type=float,
        default=0.0,
        help="after measuring, keep ours under load this many seconds (to attach a profiler)",
    )
    return parser.parse_args(argv)


def start_all(
    data: _data.BenchData, secret: str, log_dir: Path, started: list[Server]
) -> tuple[Server, Server, Server]:
    """Start ours and the two references, adding each to ``started`` at once so the
    caller stops whatever did start even if a later one fails."""
    ours_env = server_env(data.database_url, secret)
    ref_env = clean_env() | {
        "BENCH_DATABASE_URL": data.database_url,
        "BENCH_SQL": _data.read_partner_sql(data),
    }
    ours_port, ref_port, fastapi_port = free_port(), free_port(), free_port()
    # `opvang serve` picks uvloop and httptools when installed (uvicorn[standard]) and has
    # uvicorn's access log off; the reference asks for the same explicitly.
    ours = start_server(
        "ours",
        [venv_script("opvang"), "serve", "--port", str(ours_port)],
        port=ours_port,
        env=ours_env,
        log_dir=log_dir,
    )
    started.append(ours)
    reference = start_server(
        "reference",
        [
            *(sys.executable, "-m", "uvicorn", "bench.reference_app:app"),
            *("--host", "127.0.0.1", "--port", str(ref_port)),
            *("--workers", "1", "--loop", "uvloop", "--http", "httptools"),
            *("--no-access-log", "--no-server-header", "--log-level", "warning"),
        ],
        port=ref_port,
        env=ref_env,
        log_dir=log_dir,
    )
    started.append(reference)
    fastapi = start_server(
        "fastapi",
        [
            *(sys.executable, "-m", "uvicorn", "bench.fastapi_reference:app"),
            *("--host", "127.0.0.1", "--port", str(fastapi_port)),
            *("--workers", "1", "--loop", "uvloop", "--http", "httptools"),
            *("--no-access-log", "--no-server-header", "--log-level", "warning"),
        ],
        port=fastapi_port,
        env=ref_env,
        log_dir=log_dir,
    )
    started.append(fastapi)
    return ours, reference, fastapi


def verify(targets: dict[str, str], headers: dict[str, str]) -> None:
    """All answer 200 with the same partner, and ours really checks the token, so the
    comparison is like for like."""
    answers = {name: httpx.get(url, headers=headers, timeout=10) for name, url in targets.items()}
    for name, answer in answers.items():
        if answer.status_code != 200:
            raise RuntimeError(
                f"expected 200 from {name}: {answer.status_code} {answer.text[:300]}"
            )
    mine = answers["ours"].json()
    for name, answer in answers.items():
        if answer.json() != mine:
            raise RuntimeError(f"bodies differ:\n ours {mine}\n {name} {answer.json()}")
    anonymous = httpx.get(targets["ours"], timeout=10)
    if anonymous.status_code != 401:
        raise RuntimeError(f"ours answered {anonymous.status_code} without a token, not 401")


def measure(
    args: argparse.Namespace, targets: dict[str, str], headers: dict[str, str]
) -> dict[str, list[float]]:
    def once(name: str, duration: float) -> float:
        result = run_wrk(
            targets[name],
            headers=headers,
            duration=duration,
            connections=args.connections,
            threads=args.threads,
        )
        errors = f", socket errors {result.socket_errors}" if result.socket_errors else ""
        print(
            f"  {name:<9} {result.requests_per_second:8.0f} req/s, "
            f"mean latency {result.latency}{errors}",
            file=sys.stderr,
        )
        return result.requests_per_second

    print(f"{NAME}: warm-up {args.warmup:g}s each", file=sys.stderr)
    for name in targets:
        once(name, args.warmup)
    samples: dict[str, list[float]] = {name: [] for name in targets}
    order = list(targets)
    for round_no in range(1, args.rounds + 1):
        print(f"{NAME}: round {round_no}/{args.rounds}", file=sys.stderr)
        for name in order:
            samples[name].append(once(name, args.duration))
        order = order[1:] + order[:1]  # rotate: a slow drift of the machine favours none
    return samples


def run(argv: list[str]) -> str:
    args = parse_args(argv)
    if args.rounds < 1 or args.duration <= 0:
        raise ValueError("--rounds must be at least 1 and --duration positive")
    require_wrk()
    previous = signal.signal(signal.SIGTERM, stop_on_sigterm)
    try:
        return _run(args)
    finally:
        signal.signal(signal.SIGTERM, previous)


def _run(args: argparse.Namespace) -> str:
    with tempfile.TemporaryDirectory(prefix="opvang-bench-") as tmp:
        workdir = Path(tmp)
        url = _data.database_url(args.database, args.url, workdir)
        print(f"{NAME}: preparing {url}", file=sys.stderr)
        data = _data.prepare(url, partners=args.partners)
        secret = secrets.token_urlsafe(48)
        settings = Settings(
            database_url=url,
            secret_key=secret,
            environment="production",
            access_token_ttl_seconds=TOKEN_TTL_SECONDS,
        )
        token, _ = create_access_token(
            settings, Principal(kind="user", id=data.admin_id, role=Role.admin)
        )
        headers = {"Authorization": f"Bearer {token}"}
        servers: list[Server] = []
        try:
            ours, reference, fastapi = start_all(data, secret, workdir, servers)
            wait_until_up(ours, "/api/v1/health")
            wait_until_up(reference, "/partners/" + str(data.partner_id))
            wait_until_up(fastapi, "/partners/" + str(data.partner_id))
            print(
                f"{NAME}: ours pid {ours.process.pid}, reference pid {reference.process.pid}, "
                f"fastapi pid {fastapi.process.pid}",
                file=sys.stderr,
            )
            targets = {
                "ours": f"{ours.base_url}/api/v1/partners/{data.partner_id}",
                "reference": f"{reference.base_url}/partners/{data.partner_id}",
                "fastapi": f"{fastapi.base_url}/partners/{data.partner_id}",
            }
            verify(targets, headers)
            samples = measure(args, targets, headers)
            if args.hold > 0:
                print(f"{NAME}: holding ours under load for {args.hold:g}s", file=sys.stderr)
                run_wrk(
                    targets["ours"],
                    headers=headers,
                    duration=args.hold,
                    connections=args.connections,
                )
        except Exception:
            # The servers' own words explain most failures (bad settings, a refused port).
            for server in servers:
                print(f"--- {server.name} log ---\n{server.log_tail()}", file=sys.stderr)
            raise
        finally:
            for server in servers:
                stop_server(server)
    # The median of the rounds: with alternating runs it shares the noise evenly.
    ours_rps = statistics.median(samples["ours"])
    ref_rps = statistics.median(samples["reference"])
    fastapi_rps = statistics.median(samples["fastapi"])
    return (
        f"{NAME}: ratio={ours_rps / ref_rps:.2f} "
        f"(ours {ours_rps:.0f} req/s, reference {ref_rps:.0f} req/s); "
        f"bare FastAPI route {fastapi_rps:.0f} req/s = {fastapi_rps / ref_rps:.2f} of the "
        f"reference, ours = {ours_rps / fastapi_rps:.2f} of that ceiling"
    )


if __name__ == "__main__":
    print(run(sys.argv[1:]))
