"""The ``opvang`` command."""

from __future__ import annotations

import asyncio
import contextlib
import sys
from pathlib import Path
from typing import Annotated

import typer
import yaml

from api.capacity_plan.cli import plan_app
from api.common.calendar import today as calendar_today
from api.config import Settings, get_settings
from api.models import Role

app = typer.Typer(
    help="opvang: Sociaal programma opvang vluchtelingen Heemstede.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
)
users_app = typer.Typer(help="Manage dashboard users.", no_args_is_help=True)
clients_app = typer.Typer(help="Manage partner API clients.", no_args_is_help=True)
app.add_typer(users_app, name="users")
app.add_typer(clients_app, name="clients")
webhooks_app = typer.Typer(help="Deliver webhooks.", no_args_is_help=True)
app.add_typer(webhooks_app, name="webhooks")
retention_app = typer.Typer(help="Retention of personal data.", no_args_is_help=True)
app.add_typer(retention_app, name="retention")
report_app = typer.Typer(help="Reports as documents.", no_args_is_help=True)
app.add_typer(report_app, name="report")
app.add_typer(plan_app, name="plan")

ROOT = Path(__file__).resolve().parent.parent


@app.command()
def serve(
    host: str | None = typer.Option(None, help="Default: OPVANG_HOST (127.0.0.1)."),
    port: int | None = typer.Option(None, help="Default: OPVANG_PORT (8000)."),
    workers: int = 1,
    reload: bool = False,
) -> None:
    """Run the API and the built dashboard. X-Forwarded-For and -Proto are believed only
    from the proxies in OPVANG_FORWARDED_ALLOW_IPS; with the development placeholder secret
    the server answers on the loopback interface only."""
    import uvicorn

    from api.serving import exposure_refusal, proxy_options

    settings = get_settings()  # fail fast on bad settings (a placeholder secret in production)
    host = host or settings.host
    port = port or settings.port
    refusal = exposure_refusal(settings, host)
    if refusal is not None:
        typer.echo(refusal, err=True)
        raise typer.Exit(2)
    uvicorn.run(
        "api.main:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        reload=reload,
        access_log=False,  # our own JSON access log replaces uvicorn's
        server_header=False,
        **proxy_options(settings),
    )


@app.command()
def migrate() -> None:
    """Apply the database migrations."""
    from alembic import command
    from alembic.config import Config

    command.upgrade(Config(str(ROOT / "alembic.ini")), "head")


@app.command("seed-demo")
def seed_demo() -> None:
    """Load a synthetic Heemstede data set (no real people). Development only."""
    from api.demo.seed import seed

    settings = get_settings()
    if settings.environment == "production":
        typer.echo("seed-demo refuses to run in production.", err=True)
        raise typer.Exit(2)
    for line in asyncio.run(seed(settings)):
        typer.echo(line)


@app.command()
def openapi(output: Path = ROOT / "openapi.yaml") -> None:
    """Write the OpenAPI document the app serves to openapi.yaml."""
    output.write_text(render_openapi())
    typer.echo(f"wrote {output}")


def render_openapi() -> str:
    from api.main import create_app

    application = create_app(Settings(database_url="sqlite:///:memory:"))
    document = application.state.api.openapi()
    return yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=100)


@app.command("import")
def import_file(
    kind: Annotated[
        str,
        typer.Argument(
            help="participants, placements, locations, activities, enrollments, expenses or rates."
        ),
    ],
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="CSV or XLSX.")],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Validate only.")] = False,
    api_url: Annotated[
        str | None, typer.Option(help="Import over HTTP to this server (else: the database).")
    ] = None,
    token: Annotated[str | None, typer.Option(help="Bearer token for --api-url.")] = None,
) -> None:
    """Import a CSV or XLSX file, over HTTP or straight into the configured database."""
    from api.imports import cli
    from api.imports.kinds import KINDS

    if kind not in KINDS:
        typer.echo(f"KIND must be one of {', '.join(KINDS)}.", err=True)
        raise typer.Exit(2)
    settings = None if api_url else get_settings()
    raise typer.Exit(
        cli.run(settings, kind=kind, path=file, dry_run=dry_run, api_url=api_url, token=token)
    )


@users_app.command("create")
def users_create(
    email: Annotated[str, typer.Option(help="The e-mail address to sign in with.")],
    role: Annotated[Role, typer.Option(help="admin, coordinator, finance, partner or viewer.")],
    partner: Annotated[str | None, typer.Option(help="Partner id or name (role partner).")] = None,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input.")
    ] = False,
) -> None:
    """Add a user."""
    from api.admin_tasks import create_user

    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        user_id = asyncio.run(
            create_user(get_settings(), email=email, role=role, partner=partner, password=password)
        )
    except ValueError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(1) from exc
    typer.echo(f"created user {user_id}")


@clients_app.command("create")
def clients_create(
    partner: Annotated[str, typer.Option(help="Partner id or name.")],
    name: Annotated[str, typer.Option(help="A name for the client system.")],
) -> None:
    """Add an API client; prints its id and secret once."""
    from api.admin_tasks import create_client

    try:
        client_id, secret = asyncio.run(create_client(get_settings(), partner=partner, name=name))
    except ValueError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(1) from exc
    typer.echo(f"client_id={client_id}")
    typer.echo(f"client_secret={secret}")
    typer.echo("Store the secret now: it is not shown again.", err=True)


@webhooks_app.command("run")
def webhooks_run(
    once: Annotated[
        bool, typer.Option("--once", help="One round (enqueue and send what is due), then stop.")
    ] = False,
) -> None:
    """Run the webhook delivery worker (beside or instead of the one in `opvang serve`)."""
    from api.webhooks.worker import run_worker

    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(run_worker(get_settings(), once=once))


@retention_app.command("run")
def retention_run(
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Count who is due; change nothing.")
    ] = False,
) -> None:
    """Anonymise the participants past the retention period (OPVANG_RETENTION_DAYS,
    OPVANG_RETENTION_DAYS_MINORS for minors); prints counts only."""

    from api.participants.retention import run_with_settings

    report = asyncio.run(run_with_settings(get_settings(), today=calendar_today(), dry_run=dry_run))
    for line in report.lines():
        typer.echo(line)


@report_app.command("council")
def report_council(
    quarter: Annotated[str, typer.Option(help="The quarter, e.g. 2026Q4.")],
    output: Annotated[Path, typer.Option(help="The DOCX file to write.")],
    lang: Annotated[str, typer.Option(help="nl (default) or en.")] = "nl",
) -> None:
    """Write the council's quarterly progress report (raadsinformatiebrief) as a DOCX."""
    from api.council_report.cli import write_council_docx

    if lang not in ("nl", "en"):
        typer.echo("--lang must be nl or en.", err=True)
        raise typer.Exit(2)
    try:
        body, line = asyncio.run(
            write_council_docx(
                get_settings(), quarter=quarter, lang="en" if lang == "en" else "nl", output=output
            )
        )
    except ValueError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(2) from exc
    output.write_bytes(body)
    typer.echo(line)


def main() -> None:
    app()
