"""/reports/council: the quarterly progress report for the council, as JSON (the
dashboard's printable page) and as an editable DOCX (the clerk's raadsinformatiebrief).

For admin, coordinator, finance and viewer (the steering layer's readers); a partner gets
403, like for the other programme-wide reports. The figures are aggregates with counts of
people under 5 hidden, as on the public page."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Query, Response

from api.auth.roles import AnyRoleButPartner
from api.council_report.content import context, council_report
from api.council_report.document import DOCX, render_docx
from api.council_report.schemas import CouncilQuery, CouncilReport
from api.db import SessionDep
from api.openapi import api_router

router = api_router("reports", prefix="/reports")

DESCRIPTION = """For a quarter that has begun (`future_quarter` otherwise), as of its last
day or today while it runs: occupancy and places per location kind (on the reference date
and on average: place-days and person-nights divided by the days), participants per group,
arrivals (stays beginning, not after a transfer) and departures (stays ending, by reason;
transfers apart), signals per category (reported, resolved, median and 90th percentile of
the days to resolution, open), activities (on the programme, participants, attendance
rate) and the year's money to the quarter's end (the budget report's figures). Counts of
people of 1 to 4 are `< 5`, with the public page's suppression."""

FILE: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The DOCX, as an attachment `raadsinformatiebrief-<quarter>.docx`.",
        "content": {DOCX: {"schema": {"type": "string", "format": "binary"}}},
        "headers": {
            "Content-Disposition": {
                "description": "`attachment` with the file name.",
                "schema": {"type": "string"},
            }
        },
    }
}


@router.get(
    "/council",
    response_model=CouncilReport,
    summary="The council's quarterly progress report",
    description=DESCRIPTION,
)
async def council(
    session: SessionDep, principal: AnyRoleButPartner, query: Annotated[CouncilQuery, Query()]
) -> CouncilReport:
    return await council_report(context(session, query.quarter, query.lang))


@router.get(
    "/council.docx",
    response_class=Response,
    responses=FILE,
    summary="The council's quarterly progress report as a DOCX",
)
async def council_docx(
    session: SessionDep, principal: AnyRoleButPartner, query: Annotated[CouncilQuery, Query()]
) -> Response:
    """The same content as `GET /reports/council`, as an editable Word document for the
    clerk to finish: headings per section, each chart as an image with its table."""
    report = await council_report(context(session, query.quarter, query.lang))
    name = f"raadsinformatiebrief-{report.quarter}.docx"
    return Response(
        render_docx(report),
        media_type=DOCX,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
