"""/reports/signal-trends and /reports/draagvlak: how a neighbourhood's signals develop,
and per location the trend beside the open agreements, the last meetings and the
decisions' conditions. Staff and viewers read every location; an operator partner its own
(another's is a 404); finance has no part in it (403)."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import Path, Query
from sqlalchemy import select

from api.auth.deps import SettingsDep
from api.auth.roles import AnyRoleButFinance
from api.auth.scoping import read_scoped, scoped
from api.common.calendar import today
from api.db import SessionDep
from api.draagvlak import service, trends
from api.draagvlak.months import MAX_MONTHS, Month, span
from api.draagvlak.schemas import DraagvlakList, DraagvlakView, TrendQuery, TrendReport
from api.errors import BadRequest, ProblemType, field_problem
from api.models import Location
from api.occupancy import LocationFilter
from api.openapi import api_router, responses

router = api_router("draagvlak", prefix="/reports")

LocationId = Annotated[uuid.UUID, Path(alias="id", description="The location's id.")]


def _range(query: TrendQuery) -> list[Month]:
    last = Month.parse(query.to) if query.to else Month.of(today())
    first = Month.parse(query.from_) if query.from_ else last.plus(-11)
    months = span(first, last)
    if not months:
        problem = field_problem("query", "to", "Must be on or after from.", code="before_start")
    elif len(months) > MAX_MONTHS:
        problem = field_problem("query", "to", f"At most {MAX_MONTHS} months from `from`.")
    else:
        return months
    raise BadRequest(
        "The report's range is invalid.", type_=ProblemType.INVALID_INPUT, errors=[problem]
    )


@router.get(
    "/signal-trends",
    response_model=TrendReport,
    responses=responses(404),
    summary="Signal trends per location and month",
)
async def signal_trends(
    session: SessionDep,
    principal: AnyRoleButFinance,
    query: Annotated[TrendQuery, Query()],
) -> dict[str, Any]:
    """Per location and month from `from` to `to` (at most 60 months): signals by category
    and severity, resolved, median and 90th-percentile (nearest rank) days to resolution
    of those resolved in the month, and open at month end. Staff and viewers also get the
    signals without a location (`unassigned`) and a `total`; a partner only the rows of the
    locations it operates."""
    months = _range(query)
    locations: LocationFilter
    if query.location_id is not None:
        await read_scoped(
            session, Location, [Location.id], query.location_id, principal, "location"
        )
        locations = query.location_id
    elif principal.is_partner:
        locations = scoped(select(Location.id), Location, principal)
    else:
        locations = None
    grid = await trends.trend_grid(session, months=months, locations=locations)
    series: list[tuple[str, uuid.UUID | None, list[trends.Cell]]] = []
    if locations is None:
        series.append(("total", None, trends.total(grid, len(months))))
    series += [("location", k, grid[k]) for k in sorted((k for k in grid if k), key=str)]
    if None in grid:
        series.append(("unassigned", None, grid[None]))
    items = [
        trends.row(scope, key, m, c)
        for scope, key, cells in series
        for m, c in zip(months, cells, strict=True)
    ]
    return {"from_month": str(months[0]), "to_month": str(months[-1]), "items": items}


@router.get("/draagvlak", response_model=DraagvlakList, summary="Public support per location")
async def list_draagvlak(
    session: SessionDep, principal: AnyRoleButFinance, settings: SettingsDep
) -> dict[str, Any]:
    """One row per location (a partner: those it operates), by name: open and overdue
    signals, open and overdue agreements, the last meeting, conditions due within 60 days,
    and the signals of the last 3 months against the 3 before (`direction`)."""
    items = await service.summaries(
        session, principal=principal, overdue_days=settings.signal_overdue_days
    )
    return {"items": items}


@router.get(
    "/draagvlak/{id}",
    response_model=DraagvlakView,
    responses=responses(404),
    summary="Public support at one location",
)
async def read_draagvlak(
    session: SessionDep,
    principal: AnyRoleButFinance,
    settings: SettingsDep,
    location_id: LocationId,
) -> dict[str, Any]:
    """The last 12 months' signal trend, open signals (by severity, overdue), open
    agreements, the last 5 meetings, the conditions of the location's decisions, and the
    number of communications in the last 12 months. Another partner's location is a 404."""
    row = await read_scoped(
        session, Location, [Location.id, Location.name], location_id, principal, "location"
    )
    return await service.view(
        session, location_id=location_id, name=row.name, overdue_days=settings.signal_overdue_days
    )
