"""partner_events: events per second for batches of intakes through
``POST /api/v1/partner-events`` (a partner system's client-credentials token, parsing,
the rules checked per batch as sets, multi-row writes, change feed, commit), against
the same participants and placements written by hand-written SQL through asyncpg in one
transaction per batch: ``INSERT`` statements sent with ``executemany`` (the line's
ratio), and ``COPY`` (the ceiling, reported beside it). The sides take turns batch by
batch (ABBA); a ratio is our events per second / the reference's (1.0 = as fast as the
hand-written writes; the aim is 0.2).

    python -m bench partner_events [--url URL] [--batches N] [--size N] ...
"""

from __future__ import annotations

import argparse
import asyncio
import json
import secrets
import signal
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from api.auth.principal import Principal
from api.auth.tokens import create_access_token
from api.config import Settings
from api.models import Role
from bench import _data, _partner_events_data
from bench._harness import (
    TOKEN_TTL_SECONDS,
    Server,
    free_port,
    server_env,
    start_server,
    stop_on_sigterm,
    stop_server,
    venv_script,
    wait_until_up,
)

NAME = "partner_events"
DEFAULT_PG_URL = "postgresql://postgres@127.0.0.1:5432/opvang_bench_events"
AIM = 0.2
REFERENCES = ("executemany", "copy")


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog=f"python -m bench {NAME}", description=__doc__)
    parser.add_argument("--database", choices=["postgresql"], default="postgresql")
    parser.add_argument("--url", help=f"database URL (default {DEFAULT_PG_URL})")
    parser.add_argument("--batches", type=int, default=20, help="timed batches per side")
    parser.add_argument("--size", type=int, default=500, help="intakes per batch")
    return parser.parse_args(argv)


class Reference:
    """The hand-written writes on one open asyncpg connection."""

    def __init__(self, url: str) -> None:
        import asyncpg

        settings = _data.local_settings(url)
        dsn = settings.sync_url.set(drivername="postgresql").render_as_string(hide_password=False)
        self.loop = asyncio.new_event_loop()
        self.conn: Any = self.loop.run_until_complete(asyncpg.connect(dsn))

    def write(self, mode: str, people: list[tuple[Any, ...]], stays: list[tuple[Any, ...]]) -> None:
        self.loop.run_until_complete(self._write(mode, people, stays))

    async def _write(
        self, mode: str, people: list[tuple[Any, ...]], stays: list[tuple[Any, ...]]
    ) -> None:
        data = _partner_events_data
        async with self.conn.transaction():
            if mode == "copy":
                await self.conn.copy_records_to_table(
                    "participants", records=people, columns=list(data.PEOPLE_COLUMNS)
                )
                await self.conn.copy_records_to_table(
                    "placements", records=stays, columns=list(data.STAY_COLUMNS)
                )
                return
            for table, columns, rows in (
                ("participants", data.PEOPLE_COLUMNS, people),
                ("placements", data.STAY_COLUMNS, stays),
            ):
                names = ", ".join(f'"{c}"' for c in columns)
                marks = ", ".join(f"${i + 1}" for i in range(len(columns)))
                await self.conn.executemany(
                    f"INSERT INTO {table} ({names}) VALUES ({marks})",
                    rows,
                )

    def close(self) -> None:
        self.loop.run_until_complete(self.conn.close())
        self.loop.close()


def run(argv: list[str]) -> str:
    args = parse_args(argv)
    if args.batches < 1 or args.size < 1:
        raise ValueError("--batches and --size must be at least 1")
    previous = signal.signal(signal.SIGTERM, stop_on_sigterm)
    try:
        return _run(args)
    finally:
        signal.signal(signal.SIGTERM, previous)


def _run(args: argparse.Namespace) -> str:
    with tempfile.TemporaryDirectory(prefix="opvang-bench-") as tmp:
        workdir = Path(tmp)
        url = _data.database_url(args.database, args.url, workdir)
        if not args.url:
            url = DEFAULT_PG_URL
        print(f"{NAME}: preparing {url}", file=sys.stderr)
        bench_data = _data.prepare(url, partners=5)
        setup = _partner_events_data.prepare(url, bench_data.partner_id)
        reference = Reference(url)
        servers: list[Server] = []
        try:
            secret = secrets.token_urlsafe(48)
            ours = _start_ours(url, secret, workdir, servers)
            settings = Settings(
                database_url=url,
                secret_key=secret,
                environment="production",
                access_token_ttl_seconds=TOKEN_TTL_SECONDS,
            )
            principal = Principal(
                kind="client",
                id=setup.client_id,
                role=Role.partner,
                partner_id=bench_data.partner_id,
            )
            token, _ = create_access_token(settings, principal)
            headers = {"Authorization": f"Bearer {token}"}
            target = f"{ours.base_url}/api/v1/partner-events"
            with httpx.Client(headers=headers, timeout=600) as http:
                # Warm-up: one batch each (plans, caches, the first connections).
                _post(
                    http, target, _encode(_partner_events_data.event_batch(setup, "W", args.size))
                )
                for mode in REFERENCES:
                    rows = _partner_events_data.reference_rows(setup, f"W{mode}", args.size)
                    reference.write(mode, *rows)
                took = _measure(args, http, target, reference, setup)
        except Exception:
            for server in servers:
                print(f"--- {server.name} log ---\n{server.log_tail()}", file=sys.stderr)
            raise
        finally:
            for server in servers:
                stop_server(server)
            reference.close()
    events = args.batches * args.size
    ours, insert, copy = (events / took[side] for side in ("ours", *REFERENCES))
    verdict = "aim met" if ours / insert >= AIM else f"aim {AIM} missed"
    return (
        f"{NAME}: ratio={ours / insert:.2f} (ours {ours:,.0f} events/s, reference "
        f"{insert:,.0f} events/s with INSERT executemany; {verdict}; against COPY "
        f"{copy:,.0f} events/s: {ours / copy:.2f})"
    )


def _encode(body: dict[str, Any]) -> bytes:
    return json.dumps(body, separators=(",", ":")).encode()


def _post(http: httpx.Client, target: str, body: bytes) -> None:
    answer = http.post(target, content=body, headers={"Content-Type": "application/json"})
    if answer.status_code != 200:
        raise RuntimeError(
            f"POST /partner-events answered {answer.status_code}: {answer.text[:500]}"
        )
    results = answer.json()["results"]
    if any(r["status"] != "applied" for r in results):
        raise RuntimeError(f"not every event was applied: {results[:3]}")


def _measure(
    args: argparse.Namespace,
    http: httpx.Client,
    target: str,
    reference: Reference,
    setup: _partner_events_data.Setup,
) -> dict[str, float]:
    """Total seconds per side over the batches. Building the input is not timed on
    either side (the body is encoded to JSON beforehand, as the rows are built for the
    reference); sending it over HTTP is."""
    took = dict.fromkeys(("ours", *REFERENCES), 0.0)
    for n in range(args.batches):
        body = _encode(_partner_events_data.event_batch(setup, f"O{n}", args.size))
        rows = {
            mode: _partner_events_data.reference_rows(setup, f"R{mode}{n}", args.size)
            for mode in REFERENCES
        }
        order = ("ours", *REFERENCES)
        for side in order if n % 2 == 0 else order[::-1]:
            started = time.perf_counter()
            if side == "ours":
                _post(http, target, body)
            else:
                reference.write(side, *rows[side])
            took[side] += time.perf_counter() - started
        print(
            f"  batch {n + 1}: "
            + ", ".join(f"{side} {seconds:.2f} s" for side, seconds in took.items())
            + " (cumulative)",
            file=sys.stderr,
        )
    return took


def _start_ours(url: str, secret: str, workdir: Path, servers: list[Server]) -> Server:
    port = free_port()
    env = server_env(url, secret)
    command = [venv_script("opvang"), "serve", "--port", str(port)]
    server = start_server("ours", command, port=port, env=env, log_dir=workdir)
    servers.append(server)
    wait_until_up(server, "/api/v1/health")
    return server


if __name__ == "__main__":
    try:
        print(run(sys.argv[1:]))
    except RuntimeError as exc:
        print(f"{NAME}: failed: {exc}", file=sys.stderr)
        sys.exit(1)
