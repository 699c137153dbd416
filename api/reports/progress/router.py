"""/reports/progress: the progress report, for admin, coordinator, finance and viewer (a
partner gets 403, like for the overview, which includes the same figures)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query

from api.auth.roles import AnyRoleButPartner
from api.db import SessionDep
from api.openapi import api_router
from api.reports.progress.figures import progress_report
from api.reports.progress.schemas import ProgressQuery, ProgressReport
from api.reports.shared import check_period

router = api_router("reports", prefix="/reports")


@router.get("/progress", response_model=ProgressReport, summary="Progress per group")
async def progress(
    session: SessionDep, principal: AnyRoleButPartner, query: Annotated[ProgressQuery, Query()]
) -> ProgressReport:
    """Per group, over `from`..`to` (inclusive), among the participants placed on any
    day of it: how many moved up at least one CEFR level (level at the end against the
    level before the first day), how many reached B1 or higher, how many work or
    volunteer at the end; with the distribution of levels and statuses at the end."""
    check_period(query.from_, query.to)
    return await progress_report(session, first=query.from_, last=query.to)
