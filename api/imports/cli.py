"""``opvang import KIND FILE``: over HTTP through the Python client (``--api-url`` and
``--token``), or straight into the configured database with the same importer the API
runs (as the system actor, audited as ``cli``). A progress bar shows the rows read (or
the upload); the report is printed as lines of ``row N, column C: detail``.

Exit status: 0 when the file was imported (or the dry run found nothing wrong), 1 when
rows have problems (nothing was written), 2 when the file or the call failed.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import (
    BarColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)

from api.config import Settings

SHOWN = 50


def _progress(console: Console) -> Progress:
    return Progress(
        SpinnerColumn(),
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        TextColumn("{task.completed:,} rows"),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    )


async def _direct(
    settings: Settings, kind: str, path: Path, dry_run: bool, progress: Progress
) -> tuple[int, dict[str, Any]]:
    from api.auth.principal import SYSTEM
    from api.db import Database, build_engine
    from api.errors import AppError
    from api.imports.service import run_import

    task = progress.add_task(f"Importing {kind}", total=None)
    db = Database(build_engine(settings))
    try:
        async with db.sessionmaker() as session:
            session.info["actor_label"] = "cli"
            try:
                report = await run_import(
                    session,
                    kind=kind,
                    path=path,
                    actor=SYSTEM,
                    dry_run=dry_run,
                    progress=lambda rows: progress.update(task, completed=rows),
                )
                await session.commit()
            except AppError as exc:
                await session.rollback()
                body = {"detail": exc.detail, **exc.extra}
                return (1 if "rowsTotal" in body else 2), body
        return 0, report
    finally:
        await db.dispose()


def _over_http(
    api_url: str, token: str | None, kind: str, path: Path, dry_run: bool, progress: Progress
) -> tuple[int, dict[str, Any]]:
    from opvang_client import OpvangClient
    from opvang_client.errors import ApiError

    size = path.stat().st_size
    progress.add_task(f"Uploading {path.name} ({size:,} bytes)", total=None)
    with OpvangClient(api_url, token=token, timeout=600.0) as client:
        try:
            return 0, dict(client.imports.upload(kind, path, dry_run=dry_run))
        except ApiError as exc:
            body = dict(exc.problem)
            return (1 if "rowsTotal" in body else 2), body


def run(
    settings: Settings | None,
    *,
    kind: str,
    path: Path,
    dry_run: bool,
    api_url: str | None,
    token: str | None,
) -> int:
    console = Console(stderr=True)
    out = Console(highlight=False, soft_wrap=True)
    with _progress(console) as progress:
        if api_url is not None:
            status, body = _over_http(api_url, token, kind, path, dry_run, progress)
        else:
            assert settings is not None
            status, body = asyncio.run(_direct(settings, kind, path, dry_run, progress))
    if "rowsTotal" not in body:
        out.print(f"import failed: {body.get('detail', body)}")
        return 2
    what = "dry run" if dry_run else ("imported" if status == 0 else "rejected")
    out.print(
        f"{kind}: {what}; rows {body['rowsTotal']}, valid {body['rowsValid']}, "
        f"created {body.get('created', 0)}, updated {body.get('updated', 0)}, "
        f"unchanged {body.get('unchanged', 0)}"
    )
    errors = body.get("errors") or []
    for error in errors[:SHOWN]:
        column = f", column {error['column']}" if error.get("column") else ""
        out.print(f"  row {error['row']}{column}: {error['detail']}")
    more = len(errors) - SHOWN + int(body.get("errorsOmitted", 0))
    if more > 0:
        out.print(f"  ... and {more} more problem(s)")
    if errors and status == 0:
        status = 1  # a dry run that found problems
    return status
