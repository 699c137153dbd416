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
    rows = await daily_occupancy(session, locations=locations, first=query.from_, last=query.to)
    # Rows go from the driver to JSON text without a model or even a dict per row
    # (habit 8); every value is a UUID, an ISO date, an integer or a rate string, none
    # of which needs escaping. The documented schema is ``OccupancyReport``.
    items = ",".join(
        f'{{"locationId":"{location_id}","date":"{day}","capacity":{capacity},'
        f'"occupied":{occupied},"free":{max(capacity - occupied, 0)},'
        f'"rate":{_rate_json(occupied, capacity)}}}'
        for location_id, day, capacity, occupied in rows
    )
    return Response(f'{{"items":[{items}]}}', media_type="application/json")


@lru_cache(maxsize=4096)
def _rate_json(occupied: int, capacity: int) -> str:
    return json.dumps(rate(occupied, capacity))
