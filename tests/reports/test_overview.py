"""The overview report: figures on a known data set, roles, and a statement count that
does not grow with the data."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from api.models import Role
from api.reports.overview.router import year_before
from tests.support import overview_data
from tests.support.builders import Builder, problem
from tests.support.overview_data import count_statements

URL = "/api/v1/reports/overview"


def by(items: list[dict[str, Any]], key: str) -> dict[str, Any]:
    return {item[key]: item for item in items}


async def test_overview_on_a_known_data_set(client: httpx.AsyncClient, build: Builder) -> None:
    partner = await build.partner()
    data = await overview_data.known(build.db, partner)
    t = data["today"]
    r = await client.get(URL, headers=build.headers_for(Role.viewer))
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["on"] == t.isoformat()

    people = body["participants"]
    assert people["total"] == 7
    assert {g["group"]: g["count"] for g in people["byGroup"]} == {
        "ukrainian_displaced": 5,
        "asylum_seeker": 1,
        "unaccompanied_minor": 1,
    }
    at = by(people["byLocation"], "locationId")
    l1, l2, l3 = (str(data[k].id) for k in ("l1", "l2", "l3"))
    assert at[l1]["count"] == 5 and at[l1]["name"] == data["l1"].name
    assert {g["group"]: g["count"] for g in at[l1]["byGroup"]} == {
        "ukrainian_displaced": 4,
        "asylum_seeker": 1,
    }
    assert at[l2]["count"] == 2 and l3 not in at

    occupancy = body["occupancy"]
    assert occupancy["total"] == {"capacity": 13, "occupied": 7, "free": 6}
    places = by(occupancy["locations"], "locationId")
    assert l3 not in places  # closed
    assert {k: places[l2][k] for k in ("kind", "capacity", "occupied", "free")} == {
        "kind": "private_hosting",
        "capacity": 3,
        "occupied": 2,
        "free": 1,
    }

    kinds = by(body["participation"], "kind")
    assert len(kinds) == 9
    assert kinds["language"] == {
        "kind": "language",
        "activities": 1,
        "participants": 2,  # u1, u2; u3 completed; x1 not placed today
        "eligible": 7,  # no target groups: everyone placed today
        "rate": "0.2857",
    }
    assert kinds["work"] == {
        "kind": "work",
        "activities": 1,
        "participants": 1,
        "eligible": 1,
        "rate": "1.0000",
    }
    assert kinds["sport"] == {  # the only sport activity has ended
        "kind": "sport",
        "activities": 0,
        "participants": 0,
        "eligible": 0,
        "rate": None,
    }
    assert (kinds["volunteering"]["eligible"], kinds["volunteering"]["rate"]) == (2, "0.5000")

    window = body["attendance"]
    assert window["to"] == t.isoformat()
    assert window["from"] == (t - timedelta(days=27)).isoformat()
    attended = by(window["kinds"], "kind")
    assert attended["language"] == {
        "kind": "language",
        "recorded": 4,
        "present": 2,
        "rate": "0.5000",
    }
    assert attended["work"]["rate"] == "1.0000"
    assert attended["sport"] == {"kind": "sport", "recorded": 0, "present": 0, "rate": None}

    signals = body["signals"]
    assert (signals["open"], signals["overdue"], signals["overdueDays"]) == (3, 1, 7)
    severity = by(signals["bySeverity"], "severity")
    assert severity["high"] == {"severity": "high", "open": 2, "overdue": 1}
    assert severity["low"] == {"severity": "low", "open": 1, "overdue": 0}
    category = by(signals["byCategory"], "category")
    assert category["nuisance"] == {"category": "nuisance", "open": 2, "overdue": 1}
    assert category["safety"] == {"category": "safety", "open": 1, "overdue": 0}

    progress = body["progress"]
    assert progress["from"] == year_before(t).isoformat()
    # Over twelve months y1 counts too, and every recorded level is a move from none.
    assert progress["total"]["participants"] == 9
    assert progress["total"]["movedUp"] == 7


def test_twelve_months_end_on_the_given_day() -> None:
    assert year_before(date(2026, 11, 28)) == date(2025, 11, 29)
    assert year_before(date(2028, 2, 29)) == date(2027, 3, 1)


async def test_overview_period_is_validated(client: httpx.AsyncClient, build: Builder) -> None:
    viewer = build.headers_for(Role.viewer)
    r = await client.get(URL, params={"from": "2025-02-01", "to": "2025-01-01"}, headers=viewer)
    assert r.status_code == 400
    assert [e["name"] for e in problem(r)["errors"]] == ["to"]
    r = await client.get(URL, params={"from": "2025-13-01", "extra": "1"}, headers=viewer)
    assert r.status_code == 400
    assert len(problem(r)["errors"]) == 2
    r = await client.get(URL, params={"from": "2025-01-01", "to": "2025-06-30"}, headers=viewer)
    assert r.status_code == 200
    assert r.json()["progress"]["to"] == "2025-06-30"


@pytest.mark.parametrize("role", [Role.admin, Role.coordinator, Role.finance, Role.viewer])
async def test_aggregate_roles_may_read(
    client: httpx.AsyncClient, build: Builder, role: Role
) -> None:
    assert (await client.get(URL, headers=build.headers_for(role))).status_code == 200


async def test_anonymous_and_partner_may_not(client: httpx.AsyncClient, build: Builder) -> None:
    assert problem(await client.get(URL))["status"] == 401
    partner = await build.partner()
    r = await client.get(URL, headers=build.headers_for(Role.partner, partner))
    assert problem(r)["status"] == 403


async def test_statement_count_does_not_grow_with_the_data(
    client: httpx.AsyncClient, build: Builder, engine: AsyncEngine
) -> None:
    partner = await build.partner()
    await overview_data.known(build.db, partner)
    headers = build.headers_for(Role.viewer)
    # The first request of a caller also reads its token generation: not counted here.
    assert (await client.get(URL, headers=headers)).status_code == 200
    with count_statements(engine) as small:
        assert (await client.get(URL, headers=headers)).status_code == 200
    await overview_data.more(build.db, partner, 60)
    with count_statements(engine) as large:
        r = await client.get(URL, headers=headers)
    assert r.status_code == 200
    assert r.json()["participants"]["total"] == 67
    assert len(small) == len(large)
    # The report's own statements: one per section (savepoints aside).
    selects = [s for s in large if s.lstrip().upper().startswith("SELECT")]
    assert len(selects) == 6
