"""GET /public/indicators: the public indicators of the public goals, for residents.
No numerators or denominators; a value whose denominator is 1 to 4 is suppressed with
the public page's rule (``api.public.suppression``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query

from api.auth.deps import PUBLIC
from api.db import SessionDep
from api.goals import quarters
from api.goals.router import span_of
from api.goals.schemas import SeriesReport, SeriesSpan
from api.goals.series import indicator_series
from api.openapi import api_router

router = api_router("public", prefix="/public")


@router.get(
    "/indicators",
    response_model=SeriesReport,
    openapi_extra=PUBLIC,
    summary="The public indicators per quarter",
)
async def public_indicators(
    session: SessionDep, query: Annotated[SeriesSpan, Query()]
) -> SeriesReport:
    """Anonymous. `from`/`to` as for /reports/indicators."""
    first, last = span_of(query)
    items = await indicator_series(session, first=first, last=last, public_only=True)
    return SeriesReport(first=quarters.label(first), last=quarters.label(last), items=items)
