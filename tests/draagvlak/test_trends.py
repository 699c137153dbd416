"""GET /reports/signal-trends: the figures against hand counts (months in Heemstede's
calendar, median and nearest-rank 90th percentile, open at month end), roles, a
partner's scope and the range checks, on both engines."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from api.db import Database
from api.draagvlak.trends import median, nearest_rank
from api.models import Location, Role, Severity, SignalCategory
from tests.draagvlak import world
from tests.support import records
from tests.support.builders import Builder, problem

URL = "/api/v1/reports/signal-trends"
C, S = SignalCategory, Severity


async def fixture(build: Builder, db: Database) -> tuple[Any, Location, Any, Location]:
    """Eight signals with known moments (UTC; Heemstede is UTC+1 in winter)."""
    ours, theirs = await build.partner(), await build.partner()
    a = await records.location(db, ours, name="Dreef")
    b = await records.location(db, theirs, name="Kerklaan")
    sig = world.signal
    await sig(db, a, "2025-01-05T10:00", "2025-01-07T10:00", severity=S.high)  # 2.0 d
    await sig(db, a, "2025-01-10T10:00", "2025-02-10T10:00", category=C.safety)  # 31 d
    await sig(db, a, "2025-01-20T10:00", severity=S.low)  # still open
    await sig(db, a, "2025-02-03T10:00", "2025-02-04T22:00")  # 1.5 d
    await sig(db, a, "2025-02-14T10:00", "2025-02-24T10:00", category=C.question, severity=S.low)
    # 23:30 UTC on 31 January is 00:30 on 1 February in Heemstede: a February signal.
    await sig(db, a, "2025-01-31T23:30", "2025-03-01T10:00", category=C.need, severity=S.low)
    await sig(db, b, "2025-03-02T10:00", severity=S.high)
    await sig(db, None, "2025-01-15T10:00", "2025-01-16T10:00", category=C.compliment)
    return ours, a, theirs, b


def pick(items: list[dict[str, Any]], scope: str, location: Any = None) -> list[dict[str, Any]]:
    key = str(location.id) if location is not None else None
    return [i for i in items if i["scope"] == scope and i["locationId"] == key]


def brief(row: dict[str, Any]) -> tuple[Any, ...]:
    return (
        row["month"], row["reported"], row["resolved"], row["medianDaysToResolve"],
        row["p90DaysToResolve"], row["openAtMonthEnd"],
    )  # fmt: skip


async def test_figures_against_hand_counts(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    _ours, a, _theirs, b = await fixture(build, db)
    h = build.headers_for(Role.viewer)
    r = await client.get(URL, params={"from": "2025-01", "to": "2025-03"}, headers=h)
    assert r.status_code == 200, r.text
    body = r.json()
    assert (body["fromMonth"], body["toMonth"]) == ("2025-01", "2025-03")
    items = body["items"]
    assert [brief(x) for x in pick(items, "location", a)] == [
        ("2025-01", 3, 1, 2.0, 2.0, 2),
        ("2025-02", 3, 3, 10.0, 31.0, 2),  # median of 1.5, 10, 31; p90 rank ceil(2.7)=3
        ("2025-03", 0, 1, 28.4, 28.4, 1),  # 28 days 10.5 hours
    ]
    jan, feb = pick(items, "location", a)[:2]
    assert jan["byCategory"]["nuisance"] == 2 and jan["byCategory"]["safety"] == 1
    assert jan["bySeverity"] == {"low": 1, "medium": 1, "high": 1}
    assert feb["byCategory"] == {
        "nuisance": 1, "socialTension": 0, "safety": 0, "health": 0, "need": 1,
        "question": 1, "compliment": 0, "capacity": 0,
    }  # fmt: skip
    assert feb["bySeverity"] == {"low": 2, "medium": 1, "high": 0}
    assert [brief(x) for x in pick(items, "location", b)] == [
        ("2025-01", 0, 0, None, None, 0),
        ("2025-02", 0, 0, None, None, 0),
        ("2025-03", 1, 0, None, None, 1),
    ]
    assert [brief(x) for x in pick(items, "unassigned")] == [
        ("2025-01", 1, 1, 1.0, 1.0, 0),
        ("2025-02", 0, 0, None, None, 0),
        ("2025-03", 0, 0, None, None, 0),
    ]
    assert [brief(x) for x in pick(items, "total")] == [
        ("2025-01", 4, 2, 1.5, 2.0, 2),  # durations 1.0 and 2.0
        ("2025-02", 3, 3, 10.0, 31.0, 2),
        ("2025-03", 1, 1, 28.4, 28.4, 2),
    ]
    assert len(items) == 4 * 3
    # One location only.
    r = await client.get(
        URL, params={"from": "2025-02", "to": "2025-02", "locationId": str(a.id)}, headers=h
    )
    assert [brief(x) for x in r.json()["items"]] == [("2025-02", 3, 3, 10.0, 31.0, 2)]


def test_percentile_definitions() -> None:
    values = [float(v) for v in (7, 1, 3, 9, 5, 2, 8, 4, 10, 6)]
    assert median(values) == 5.5
    assert nearest_rank(values, 90) == 9.0  # rank ceil(9.0) = 9
    assert nearest_rank([float(v) for v in range(1, 10)], 90) == 9.0  # rank ceil(8.1) = 9
    assert nearest_rank([4.0], 90) == 4.0 and median([4.0]) == 4.0
    assert median([]) is None and nearest_rank([], 90) is None


async def test_partner_sees_only_its_locations(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    ours, a, _theirs, b = await fixture(build, db)
    h = build.headers_for(Role.partner, ours)
    r = await client.get(URL, params={"from": "2025-01", "to": "2025-03"}, headers=h)
    assert r.status_code == 200, r.text
    assert {(i["scope"], i["locationId"]) for i in r.json()["items"]} == {("location", str(a.id))}
    r = await client.get(URL, params={"locationId": str(b.id)}, headers=h)
    assert r.status_code == 404


async def test_roles(client: httpx.AsyncClient, build: Builder) -> None:
    assert (await client.get(URL)).status_code == 401
    assert (await client.get(URL, headers=build.headers_for(Role.finance))).status_code == 403
    for role in (Role.admin, Role.coordinator, Role.viewer):
        r = await client.get(URL, headers=build.headers_for(role))
        assert r.status_code == 200, role
        assert len(r.json()["items"]) == 12  # the total over this year's 12 months


@pytest.mark.parametrize(
    ("query", "fields"),
    [
        ({"from": "2025-03", "to": "2025-02"}, {"to"}),
        ({"from": "2020-01", "to": "2025-01"}, {"to"}),  # 61 months
        ({"from": "2025-13", "to": "2025-1"}, {"from", "to"}),
        ({"from": "0000-01", "locationId": "x"}, {"from", "locationId"}),
    ],
)
async def test_bad_ranges(
    client: httpx.AsyncClient, build: Builder, query: dict[str, str], fields: set[str]
) -> None:
    r = await client.get(URL, params=query, headers=build.headers_for(Role.coordinator))
    assert r.status_code == 400, r.text
    assert {e["name"] for e in problem(r)["errors"]} == fields


async def test_sixty_months_is_allowed(client: httpx.AsyncClient, build: Builder) -> None:
    h = build.headers_for(Role.coordinator)
    r = await client.get(URL, params={"from": "2021-01", "to": "2025-12"}, headers=h)
    assert r.status_code == 200 and len(r.json()["items"]) == 60
