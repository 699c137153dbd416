"""The occupancy report at the edges of its range, where a sweep over events (rather than
over every day) could slip by one: changes on the first or last day, locations opening
or closing inside the range, stays ending on the first day or starting on the last, days
on which nothing happens. Every answer is compared with a walk over the days, for one
location, for all of them and for a partner's scope, on both engines.

A stay that ends on the day it starts cannot be stored (``end_date > start_date``)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import httpx

from api.db import Database
from api.models import Location, Partner, Role
from api.reports.shared import rate
from tests.reports.test_occupancy import expected
from tests.support import records
from tests.support.builders import Builder

URL = "/api/v1/reports/occupancy"
FIRST, LAST = date(2024, 3, 1), date(2024, 3, 31)


def d(day: int, month: int = 3) -> date:
    return date(2024, month, day)


# (opened, closed, capacity history, stays), as in test_occupancy.PLAN
EDGES: dict[str, Any] = {
    "changes on the first and last day": (
        d(1, 2),
        None,
        {d(1, 2): 2, d(1): 5, d(31): 1},
        [
            (d(10, 2), d(1)),  # ends on the first day: no night in the range
            (d(20, 2), d(2)),  # one night, the first
            (d(5), d(6)),  # one night
            (d(6), d(7)),  # the next, back to back
            (d(31), None),  # starts on the last day
            (d(31), None),  # over the new capacity of 1
        ],
    ),
    "opens inside the range": (d(10), None, {d(10): 3}, [(d(10), d(12)), (d(12), None)]),
    "closes inside the range, capacity changed that day": (
        d(1, 1),
        d(15),
        {d(1, 1): 4, d(15): 6},
        [(d(15, 1), d(15)), (d(1), d(10)), (d(14), d(15))],
    ),
    "closes on the first day": (d(1, 1), d(1), {d(1, 1): 2}, [(d(20, 2), d(1))]),
    "closed the day before": (d(1, 1), d(29, 2), {d(1, 1): 2}, [(d(1, 2), d(29, 2))]),
    "opens on the last day": (d(31), None, {d(31): 2}, [(d(31), d(2, 4))]),
    "opens after the range": (d(1, 4), None, {d(1, 4): 2}, [(d(1, 4), None)]),
    "open for the last days": (d(20), d(31), {d(20): 2}, [(d(20), d(31)), (d(25), d(31))]),
    "no capacity yet": (d(1, 1), None, {d(20): 3}, [(d(5), d(25))]),
    "quiet for weeks": (d(1, 1), None, {d(1, 1): 7}, [(d(1, 1), None), (d(3, 1), d(1, 5))]),
}


async def seed(db: Database, operator: Partner) -> dict[str, Location]:
    made = {}
    for n, (key, (opened, closed, history, stays)) in enumerate(EDGES.items()):
        made[key] = loc = await records.location(
            db,
            operator,
            name=f"Edge {n} {operator.id.hex[:6]}",
            opened_on=opened,
            closed_on=closed,
            capacity=history,
        )
        for start, end in stays:
            await records.placement(db, await records.participant(db), loc, start=start, end=end)
    return made


def figures(items: list[dict[str, Any]]) -> list[tuple[str, int, int]]:
    for i in items:
        assert i["free"] == max(i["capacity"] - i["occupied"], 0)
        assert i["rate"] == rate(i["occupied"], i["capacity"])
    return [(i["date"], i["capacity"], i["occupied"]) for i in items]


async def test_each_location_at_the_edges(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    locs = await seed(db, await build.partner())
    h = build.headers_for(Role.viewer)
    ranges = [(FIRST, LAST), (FIRST, FIRST), (LAST, LAST), (d(15), d(15)), (d(9), d(21))]
    for first, last in ranges:
        for key, loc in locs.items():
            query = f"from={first}&to={last}&locationId={loc.id}"
            r = await client.get(f"{URL}?{query}", headers=h)
            assert r.status_code == 200, r.text
            assert figures(r.json()["items"]) == expected(first, last, EDGES[key]), (key, query)


async def test_all_locations_and_a_partners_scope_in_order(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    op = await build.partner()
    locs = await seed(db, op)
    by_id = {str(loc.id): key for key, loc in locs.items()}
    # Locations come in the order of their ids, each location's days in order.
    want = [
        (loc_id, *row)
        for loc_id in sorted(by_id)
        for row in expected(FIRST, LAST, EDGES[by_id[loc_id]])
    ]
    for headers in (build.headers_for(Role.admin), build.headers_for(Role.partner, op)):
        r = await client.get(f"{URL}?from={FIRST}&to={LAST}", headers=headers)
        assert r.status_code == 200, r.text
        items = [i for i in r.json()["items"] if i["locationId"] in by_id]
        got = [(i["locationId"], *row) for i, row in zip(items, figures(items), strict=True)]
        assert got == want


async def test_a_year_of_a_busy_location_matches_the_walk(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    """Stays that start and end on many days, with gaps, over a year and its edges."""
    history = {d(1, 1) - timedelta(days=40): 3, d(1, 6): 5, d(17, 6): 4}
    stays: list[tuple[date, date | None]] = []
    start = d(1, 1) - timedelta(days=30)
    for n in range(40):
        end = start + timedelta(days=3 + (n * 7) % 23)
        stays.append((start, end if n % 9 else None))
        start = end + timedelta(days=(n * 5) % 4)
    plan = (d(1, 1) - timedelta(days=60), d(20, 12), history, stays)
    loc = await records.location(
        db, await build.partner(), opened_on=plan[0], closed_on=plan[1], capacity=history
    )
    for begin, leave in stays:
        await records.placement(db, await records.participant(db), loc, start=begin, end=leave)
    first, last = d(1, 1) - timedelta(days=10), d(25, 12) - timedelta(days=10)
    r = await client.get(
        f"{URL}?from={first}&to={last}&locationId={loc.id}", headers=build.headers_for(Role.admin)
    )
    assert r.status_code == 200, r.text
    assert figures(r.json()["items"]) == expected(first, last, plan)
