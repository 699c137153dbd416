"""The anonymous public summary for residents.

Aggregates per location kind (and postcode area), participant group, activity kind and
signal category, and the year's money: no person, and no location by name or address (a
private hosting address is someone's home; host families are not even given by area).
Every count of people goes through ``suppression.suppress`` (counts of 1 to 4 hidden, with
secondary suppression); counts of places, locations and activities are not about people
and are shown as they are. Rows that are zero in every column are left out, after the
suppression has seen the whole table. The figures come from the overview's statements
and the budget report (a fixed number of statements).

Caching: the API's ``Cache-Control: no-store`` is kept (set for every API response by
``api.http``). Each worker keeps the summary it computed for
``OPVANG_PUBLIC_SUMMARY_CACHE_SECONDS`` (60 by default, 0: never): computing it (the
year's money, the forecast) costs about a second of the worker's event loop, and anyone
may ask for it. One computation at a time per worker; callers that arrive meanwhile wait
for it (holding no database connection) and get its answer.
"""

from __future__ import annotations

import asyncio
import time
from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime
from enum import StrEnum

from fastapi import Response
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from api.auth.deps import PUBLIC, SettingsDep
from api.common.calendar import today
from api.config import Settings
from api.db import SessionDep
from api.models import ActivityKind, Group, Location, LocationKind, SignalCategory
from api.openapi import api_router
from api.public.money import money_year, neutral_by_forecast, neutral_so_far
from api.public.schemas import (
    PublicActivityKind,
    PublicArea,
    PublicCount,
    PublicGroup,
    PublicLocationKind,
    PublicLocationTotals,
    PublicSignalCategory,
    PublicSignalTotals,
    PublicSummary,
)
from api.public.suppression import cell, suppress
from api.reports.overview import sql
from api.reports.overview.router import year_before

router = api_router("public", prefix="/public")


def _count(value: int, hidden: bool) -> PublicCount:
    count, suppressed = cell(value, hidden)
    return PublicCount(count=count, suppressed=suppressed)


def protect(
    keys: Iterable[StrEnum], counts: Mapping[str, int]
) -> tuple[dict[str, PublicCount], PublicCount]:
    """One table's cells (every key, zeros included) and its total, suppressed."""
    table = {key.value: counts.get(key.value, 0) for key in keys}
    result = suppress(table)
    cells = {k: _count(n, k in result.hidden) for k, n in table.items()}
    return cells, _count(sum(table.values()), result.total_hidden)


@router.get(
    "/summary",
    response_model=PublicSummary,
    openapi_extra=PUBLIC,
    summary="Public summary of the programme",
)
async def summary(session: SessionDep, settings: SettingsDep) -> Response:
    """Locations, places and occupancy per location kind, locations per kind and postcode
    area (no host families, no addresses), participants per group, activities on offer
    and participation per kind, signals resolved in the last twelve months and open per
    category, and the money of this year and last (income per scheme, costs per
    category, balance; budget neutral so far and by the forecast). Counts of people of 1
    to 4 are `{"count": null, "suppressed": true}`, and further cells are hidden so that
    no hidden count follows from the totals.
    Rows that are zero in every column are left out."""
    on = today()
    ttl = settings.public_summary_cache_seconds
    body = _fresh(on) if ttl > 0 else None
    if body is None:
        async with _COMPUTING:
            body = _fresh(on) if ttl > 0 else None
            if body is None:
                body = (await _compute(session, settings, on)).model_dump_json().encode()
                if ttl > 0:
                    _SUMMARY.clear()
                    _SUMMARY[on] = (time.monotonic() + ttl, body)
    return Response(body, media_type="application/json")


# The summary last computed by this worker: {day: (monotonic time it runs out, JSON)}.
_SUMMARY: dict[date, tuple[float, bytes]] = {}
_COMPUTING = asyncio.Lock()


def _fresh(on: date) -> bytes | None:
    found = _SUMMARY.get(on)
    return found[1] if found is not None and found[0] > time.monotonic() else None


def forget_summary() -> None:
    """The next request computes the summary again (tests; after a data repair)."""
    _SUMMARY.clear()


async def _compute(session: AsyncSession, settings: Settings, on: date) -> PublicSummary:
    since_day = year_before(on)
    since = datetime.combine(since_day, datetime.min.time(), UTC)
    occupancy = await sql.occupancy_on(session, on=on)
    placed = await sql.placed_by_location_and_group(session, on=on)
    offered, enrolled = await sql.activities_and_participation(session, on=on)
    signals = await sql.signal_counts(
        session,
        now=datetime.now(UTC),
        overdue_days=settings.signal_overdue_days,
        resolved_since=since,
    )

    rows = (await session.execute(select(Location.id, Location.postcode))).all()
    postcodes: dict[object, str] = {row[0]: row[1] for row in rows}
    capacity: dict[str, int] = defaultdict(int)
    occupied: dict[str, int] = defaultdict(int)
    count: dict[str, int] = defaultdict(int)
    areas: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for location_id, _name, kind, cap, occ, _free in occupancy:
        capacity[str(kind)] += cap
        occupied[str(kind)] += occ
        count[str(kind)] += 1
        if kind != LocationKind.private_hosting:
            area = areas[str(kind), _area(postcodes.get(location_id, ""))]
            area[0] += 1
            area[1] += cap
    by_group: dict[str, int] = defaultdict(int)
    for *_location, group, n in placed:
        by_group[str(group)] += n
    on_offer: dict[str, int] = defaultdict(int)
    for kind, _targets in offered:
        on_offer[str(kind)] += 1
    resolved: dict[str, int] = defaultdict(int)
    still_open: dict[str, int] = defaultdict(int)
    for _severity, category, open_, _overdue, resolved_ in signals:
        still_open[str(category)] += open_
        resolved[str(category)] += resolved_

    occ_cells, occ_total = protect(LocationKind, occupied)
    group_cells, group_total = protect(Group, by_group)
    taking_part, _ = protect(ActivityKind, enrolled)
    resolved_cells, resolved_total = protect(SignalCategory, resolved)
    open_cells, open_total = protect(SignalCategory, still_open)
    kind_order = {k.value: i for i, k in enumerate(LocationKind)}
    money = [await money_year(session, y, on=on) for y in (on.year, on.year - 1)]
    return PublicSummary(
        on=on,
        locations=[
            PublicLocationKind(
                kind=k,
                locations=count[k.value],
                capacity=capacity[k.value],
                occupied=occ_cells[k.value],
            )
            for k in LocationKind
            if count[k.value] or occupied[k.value]
        ],
        locations_total=PublicLocationTotals(
            locations=sum(count.values()), capacity=sum(capacity.values()), occupied=occ_total
        ),
        areas=[
            PublicArea(kind=LocationKind(kind), area=area, locations=n, capacity=cap)
            for (kind, area), (n, cap) in sorted(
                areas.items(), key=lambda item: (kind_order[item[0][0]], item[0][1])
            )
        ],
        participants=[
            PublicGroup(group=g, participants=group_cells[g.value])
            for g in Group
            if by_group[g.value]
        ],
        participants_total=group_total,
        activities=[
            PublicActivityKind(
                kind=k, on_offer=on_offer[k.value], participants=taking_part[k.value]
            )
            for k in ActivityKind
            if on_offer[k.value] or enrolled.get(k.value, 0)
        ],
        activities_total=sum(on_offer.values()),
        signals=[
            PublicSignalCategory(
                category=c, resolved=resolved_cells[c.value], open=open_cells[c.value]
            )
            for c in SignalCategory
            if resolved[c.value] or still_open[c.value]
        ],
        signals_total=PublicSignalTotals(resolved=resolved_total, open=open_total),
        resolved_since=since_day,
        money=money,
        neutral_so_far=neutral_so_far(money, on=on),
        neutral_by_forecast=await neutral_by_forecast(session, on=on),
    )


def _area(postcode: str) -> str:
    """The postcode area: the four digits of a Dutch postcode (``2101 HL`` -> ``2101``)."""
    digits = postcode.strip()[:4]
    return digits if digits.isdigit() else "?"
