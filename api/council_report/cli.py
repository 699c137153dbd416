"""``opvang report council``: the council report's DOCX from the configured database."""

from __future__ import annotations

from pathlib import Path

from api.config import Settings
from api.council_report.content import context, council_report
from api.council_report.document import render_docx
from api.council_report.schemas import QUARTER
from api.council_report.wording import Lang
from api.db import Database, build_engine
from api.errors import AppError


async def write_council_docx(
    settings: Settings, *, quarter: str, lang: Lang, output: Path
) -> tuple[bytes, str]:
    """The DOCX and a line for the terminal. ``ValueError`` for a bad quarter."""
    if not QUARTER.match(quarter):
        raise ValueError("--quarter must look like 2026Q4 (a year from 2000 to 2099).")
    db = Database(build_engine(settings))
    try:
        async with db.sessionmaker() as session:
            try:
                report = await council_report(context(session, quarter, lang))
            except AppError as exc:
                raise ValueError(exc.detail) from exc
    finally:
        await db.dispose()
    # Written by the caller, outside the event loop.
    return render_docx(report), f"wrote {output} ({report.title})"
