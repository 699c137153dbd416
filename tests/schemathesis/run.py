"""Schemathesis against the running app: ``make schemathesis`` (and .ci/run).

A fresh SQLite database (migrated, demo data), ``opvang serve`` on a free port, then
``st run`` on the served OpenAPI document twice, with every default check: once as the demo
admin (password grant) and once as a partner system of COA (client_credentials, a client
made with ``opvang clients create``). Settings, including the statuses business rules give
for schema-valid data, are in the repository's schemathesis.toml. Exit status: non-zero when
either run has a failure or an error.

    .venv/bin/python -m tests.schemathesis.run [--max-examples N] [--keep]
        [--database-url postgresql://...]  # PostgreSQL instead (emptied first)
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
API = "/api/v1"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def opvang(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [str(BIN / "opvang"), *args], env=env, cwd=ROOT, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        sys.exit(f"opvang {' '.join(args)} failed:\n{done.stdout}{done.stderr}")
    return done.stdout


def wait_until_up(base: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit("opvang serve stopped before it answered")
        try:
            if httpx.get(f"{base}/openapi.json", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    sys.exit("opvang serve did not answer within 60 seconds")


def token(base: str, form: dict[str, str]) -> str:
    response = httpx.post(f"{base}/auth/token", data=form, timeout=30)
    response.raise_for_status()
    return str(response.json()["access_token"])


def main() -> int:
    from api.demo.seed import DEMO_PASSWORD, USERS
    from api.models import Role

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-examples", type=int, default=5, help="per operation and phase")
    parser.add_argument("--seed", type=int, default=None, help="Hypothesis seed (default random)")
    parser.add_argument("--keep", action="store_true", help="keep the database and server log")
    parser.add_argument("--only", choices=["admin", "partner"], help="one of the two runs")
    parser.add_argument(
        "--database-url", help="a PostgreSQL database to empty and use instead of SQLite"
    )
    parser.add_argument("extra", nargs="*", help="further `st run` arguments (after --)")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="opvang-st-"))
    env = {
        **os.environ,
        "OPVANG_ENVIRONMENT": "development",
        "OPVANG_DATABASE_URL": args.database_url or f"sqlite:///{work / 'st.db'}",
        "OPVANG_WEBHOOKS_ENABLED": "false",
        "OPVANG_ACCESS_TOKEN_TTL_SECONDS": "7200",
        "OPVANG_LOG_LEVEL": "WARNING",
    }
    if args.database_url:
        subprocess.run(
            [sys.executable, "-m", "tests.support.pg_reset", args.database_url],
            cwd=ROOT,
            check=True,
        )
    opvang(env, "migrate")
    opvang(env, "seed-demo")
    created = opvang(env, "clients", "create", "--partner", "COA", "--name", "st")
    client_id = re.search(r"client_id=(\S+)", created)
    client_secret = re.search(r"client_secret=(\S+)", created)
    assert client_id and client_secret, created

    port = free_port()
    base = f"http://127.0.0.1:{port}{API}"
    log = (work / "serve.log").open("wb")
    server = subprocess.Popen(
        [str(BIN / "opvang"), "serve", "--port", str(port)],
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    failed: list[str] = []
    started = time.monotonic()
    try:
        wait_until_up(base, server)
        admin = next(email for email, role, _ in USERS if role == Role.admin)
        tokens = {
            "admin": token(
                base, {"grant_type": "password", "username": admin, "password": DEMO_PASSWORD}
            ),
            "partner": token(
                base,
                {
                    "grant_type": "client_credentials",
                    "client_id": client_id.group(1),
                    "client_secret": client_secret.group(1),
                },
            ),
        }
        for who, bearer in tokens.items():
            if args.only and who != args.only:
                continue
            command = [
                str(BIN / "st"),
                "run",
                f"{base}/openapi.json",
                "--header",
                f"Authorization: Bearer {bearer}",
                "--max-examples",
                str(args.max_examples),
                "--no-color",
                *(["--seed", str(args.seed)] if args.seed is not None else []),
                *args.extra,
            ]
            print(f"== schemathesis as {who}", flush=True)
            hook_env = {
                **os.environ,
                "OPVANG_ST_BASE": base,
                "OPVANG_ST_AUTHORIZATION": f"Bearer {bearer}",
            }
            if subprocess.run(command, cwd=ROOT, env=hook_env, check=False).returncode != 0:
                failed.append(who)
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()
        if args.keep or failed:
            print(f"database and server log kept in {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    print(f"== schemathesis: {time.monotonic() - started:.0f} s", flush=True)
    if failed:
        print(f"== schemathesis FAILED for: {', '.join(failed)}", flush=True)
        return 1
    print("== schemathesis passed (admin and partner)", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
