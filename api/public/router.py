"""The anonymous public summary for residents.

Aggregates per location kind, participant group, activity kind and signal category only:
no person, and no location by name (a private hosting address is someone's home). Every
table goes through ``suppression.suppress`` (counts of 1 to 4 hidden, with secondary
suppression). The figures come from the overview's statements (a fixed number of them).

Caching: the API's ``Cache-Control: no-store`` is kept (set for every API response by
``api.http``); the figures change with every placement and are cheap to compute.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from enum import StrEnum

from api.auth.deps import PUBLIC, SettingsDep
from api.common.calendar import today
from api.db import SessionDep
from api.models import ActivityKind, Group, LocationKind, SignalCategory
from api.openapi import api_router
from api.public.schemas import (
    PublicActivityKind,
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
async def summary(session: SessionDep, settings: SettingsDep) -> PublicSummary:
    """Capacity and occupancy per location kind, participants per group, activities on
    offer and participation per kind, and signals resolved in the last twelve months and
    open per category. Counts of 1 to 4 are `{"count": null, "suppressed": true}`, and
    further cells are hidden so that no hidden count follows from the totals."""
    on = today()
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

    capacity: dict[str, int] = defaultdict(int)
    occupied: dict[str, int] = defaultdict(int)
    for _id, _name, kind, cap, occ, _free in occupancy:
        capacity[str(kind)] += cap
        occupied[str(kind)] += occ
    by_group: dict[str, int] = defaultdict(int)
    for *_location, group, count in placed:
        by_group[str(group)] += count
    on_offer: dict[str, int] = defaultdict(int)
    for kind, _targets in offered:
        on_offer[str(kind)] += 1
    resolved: dict[str, int] = defaultdict(int)
    still_open: dict[str, int] = defaultdict(int)
    for _severity, category, open_, _overdue, resolved_ in signals:
        still_open[str(category)] += open_
        resolved[str(category)] += resolved_

    cap_cells, cap_total = protect(LocationKind, capacity)
    occ_cells, occ_total = protect(LocationKind, occupied)
    group_cells, group_total = protect(Group, by_group)
    offer_cells, offer_total = protect(ActivityKind, on_offer)
    taking_part, _ = protect(ActivityKind, enrolled)
    resolved_cells, resolved_total = protect(SignalCategory, resolved)
    open_cells, open_total = protect(SignalCategory, still_open)
    return PublicSummary(
        on=on,
        locations=[
            PublicLocationKind(kind=k, capacity=cap_cells[k.value], occupied=occ_cells[k.value])
            for k in LocationKind
        ],
        locations_total=PublicLocationTotals(capacity=cap_total, occupied=occ_total),
        participants=[PublicGroup(group=g, participants=group_cells[g.value]) for g in Group],
        participants_total=group_total,
        activities=[
            PublicActivityKind(
                kind=k, on_offer=offer_cells[k.value], participants=taking_part[k.value]
            )
            for k in ActivityKind
        ],
        activities_total=offer_total,
        signals=[
            PublicSignalCategory(
                category=c, resolved=resolved_cells[c.value], open=open_cells[c.value]
            )
            for c in SignalCategory
        ],
        signals_total=PublicSignalTotals(resolved=resolved_total, open=open_total),
        resolved_since=since_day,
    )
