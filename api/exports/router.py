"""/exports/{report}: a report as a file to hand on, CSV or XLSX.

Only `budget` so far, with the budget report's roles (admin, finance, viewer). An
unknown report is a 400 naming `report` (the path parameter is an enum in the
contract), like any other invalid parameter.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Annotated, Any

from fastapi import Path, Query, Response
from pydantic import Field

from api.auth.roles import AdminFinanceOrViewer
from api.common.calendar import LOCAL_TZ
from api.common.schemas import QueryModel
from api.db import SessionDep
from api.exports.budget_csv import budget_csv
from api.exports.budget_details import budget_details
from api.exports.budget_xlsx import budget_workbook
from api.models import Role
from api.openapi import api_router
from api.reports.budget.figures import budget_report

router = api_router("exports", prefix="/exports")

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv; charset=utf-8"


class ExportReport(enum.StrEnum):
    budget = "budget"


class ExportFormat(enum.StrEnum):
    csv = "csv"
    xlsx = "xlsx"


class ExportQuery(QueryModel):
    year: int = Field(ge=2000, le=2100, description="The calendar year of the report.")
    format_: ExportFormat = Field(
        alias="format",
        description="Both in Dutch. `xlsx`: a workbook with the sheets Samenvatting, "
        "Regelingen, Uitgaven per categorie and Declaraties (for finance and admin also "
        "Declaratieregels and Uitgavenboekingen), amounts as numbers, totals as formulas, "
        "dates as dd-mm-jjjj, an autofilter on each table, printed landscape and fit to the "
        "page width with the title rows on every page. `csv`: one file in long format, "
        "`onderdeel;periode;regeling;categorie;grootheid;bedrag;toelichting`, "
        "semicolon-separated, decimal comma, UTF-8 with a byte order mark.",
    )


FILE: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The file, as an attachment named `opvang-<report>-<year>.<format>`.",
        "content": {
            XLSX: {"schema": {"type": "string", "format": "binary"}},
            "text/csv": {"schema": {"type": "string"}},
        },
        "headers": {
            "Content-Disposition": {
                "description": "`attachment` with the file name.",
                "schema": {"type": "string"},
            }
        },
    }
}


@router.get(
    "/{report}", response_class=Response, responses=FILE, summary="Download a report as a file"
)
async def export_report(
    session: SessionDep,
    principal: AdminFinanceOrViewer,
    report: Annotated[ExportReport, Path(description="The report: `budget`.")],
    query: Annotated[ExportQuery, Query()],
) -> Response:
    """The budget report of `year` (see `GET /reports/budget` for its definitions). The
    detail sheets (claim lines, expense bookings) are for finance and admin: a viewer sees
    aggregate figures only."""
    figures, claims = await budget_report(session, year=query.year)
    name = f"opvang-{report.value}-{query.year}.{query.format_.value}"
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    if query.format_ is ExportFormat.xlsx:
        details = None
        if principal.role in (Role.admin, Role.finance):
            details = await budget_details(session, year=query.year)
        body = budget_workbook(figures, claims, datetime.now(LOCAL_TZ), details)
        return Response(body, media_type=XLSX, headers=headers)
    return Response(budget_csv(figures).encode(), media_type=CSV, headers=headers)
