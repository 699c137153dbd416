"""GET /public/spreiding: for residents, how many reception places for asylum seekers
Heemstede must provide under the Spreidingswet, how many are open and how many are on
the way. Places are not people: no suppression needed. Candidates still being
investigated are left out (they are not public until the council is asked).

Caching: the API's ``Cache-Control: no-store`` is kept, as for the other /public
answers (``api.public.router``)."""

from __future__ import annotations

from api.auth.deps import PUBLIC
from api.common.calendar import today
from api.db import SessionDep
from api.openapi import api_router
from api.spreiding.router import build_report
from api.spreiding.schemas import Phase, PublicSpreiding, PublicTask

router = api_router("public", prefix="/public")


@router.get(
    "/spreiding",
    response_model=PublicSpreiding,
    openapi_extra=PUBLIC,
    summary="The Spreidingswet task for residents",
)
async def public_spreiding(session: SessionDep) -> PublicSpreiding:
    """Anonymous. The task of today, the places open today, and those planned or decided
    by the council (still to come); `toArrange`: what is left to find."""
    answer = await build_report(session, today())
    places = {row.phase: row.places for row in answer.phases}
    realised = places[Phase.realised]
    planned = places[Phase.planned] + places[Phase.decided]
    task = answer.task
    return PublicSpreiding(
        on=answer.on,
        task=None
        if task is None
        else PublicTask(
            starts_on=task.starts_on, ends_on=task.ends_on, places=task.places, source=task.source
        ),
        realised=realised,
        planned=planned,
        to_arrange=None if task is None else max(task.places - realised - planned, 0),
    )
