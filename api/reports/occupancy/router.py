"""/reports/occupancy: per location and open day, capacity, occupied, free and rate."""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Annotated

from fastapi import Query, Response
from sqlalchemy import select

from api.auth.roles import AnyRole
from api.auth.scoping import read_scoped, scoped
from api.db import SessionDep
from api.errors import BadRequest, ProblemType, field_problem
from api.models import Location
from api.occupancy import LocationFilter, daily_occupancy
from api.openapi import api_router, responses
from api.reports.occupancy.schemas import OccupancyQuery, OccupancyReport
from api.reports.shared import rate

router = api_router("reports", prefix="/reports")

MAX_DAYS = 366


@router.get(
    "/occupancy",
    response_model=OccupancyReport,
    responses=responses(404),
    summary="Daily occupancy per location",
)
async def occupancy_report(
    session: SessionDep, principal: AnyRole, query: Annotated[OccupancyQuery, Query()]
) -> Response:
    """Per location and open day from `from` to `to`: capacity, occupied, free and rate,
    computed in the database by a sweep over the stays. A partner sees the locations it
    operates."""
    problems = []
    if query.to < query.from_:
        problems.append(
            field_problem("query", "to", "Must be on or after from.", code="before_start")
        )
    elif (query.to - query.from_).days + 1 > MAX_DAYS:
        problems.append(field_problem("query", "to", f"At most {MAX_DAYS} days from `from`."))
    if problems:
        raise BadRequest(
            "The report's range is invalid.",
            type_=ProblemType.INVALID_INPUT,
            errors=problems,
        )
    locations: LocationFilter
    if query.location_id is not None:
        await read_scoped(
            session, Location, [Location.id], query.location_id, principal, "location"
        )
        locations = query.location_id
    elif principal.is_partner:
        locations = scoped(select(Location.id), Location, principal)
    else:
        locations = None  # every location: no filter to apply
    found = await daily_occupancy(session, locations=locations, first=query.from_, last=query.to)
    # Rows go from the driver to JSON text without a model or even a dict per row
    # (habit 8); every value is a UUID, an ISO date, an integer or a rate string, none
    # of which needs escaping. A run of days with the same figures is one join of its
    # dates. The documented schema is ``OccupancyReport``.
    days = found.days
    items = []
    for location_id, since, until, capacity, occupied in found.runs:
        head = f'{{"locationId":"{location_id}","date":"'
        tail = _figures_json(capacity, occupied)
        items.append(head + (tail + "," + head).join(days[since:until]) + tail)
    return Response(f'{{"items":[{",".join(items)}]}}', media_type="application/json")


@lru_cache(maxsize=4096)
def _figures_json(capacity: int, occupied: int) -> str:
    """A day's item after its date: capacity, occupied, free and rate."""
    free = max(capacity - occupied, 0)
    rate_json = json.dumps(rate(occupied, capacity))
    return f'","capacity":{capacity},"occupied":{occupied},"free":{free},"rate":{rate_json}}}'
