"""The progress report: CEFR moves, B1, work and volunteering per group and period."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest

from api.models import Role
from api.reports.progress.figures import summarise
from tests.support import overview_data
from tests.support.builders import Builder, problem

URL = "/api/v1/reports/progress"


def test_summarise_counts_moves_against_the_level_before_the_period() -> None:
    from datetime import date

    rows = [
        ("ukrainian_displaced", None, "A1", None, 2),  # moved up from nothing
        ("ukrainian_displaced", "A2", "B1", "part_time", 1),  # moved up, reached B1
        ("asylum_seeker", "B2", "B1", "volunteering", 1),  # went down: no move
        ("asylum_seeker", "C1", "C1", "full_time", 3),
    ]
    report = summarise(rows, first=date(2025, 1, 1), last=date(2025, 12, 31))
    assert report.total.participants == 7
    assert report.total.moved_up == 3
    assert report.total.reached_b1 == 1
    assert report.total.at_b1_or_higher == 5
    assert report.total.working == 4
    assert report.total.volunteering == 1
    by_group = {g.group.value: g for g in report.groups}
    assert by_group["unaccompanied_minor"].participants == 0
    assert {x.level.value: x.count for x in report.dutch_levels}["C1"] == 3


async def test_progress_on_a_known_data_set(client: httpx.AsyncClient, build: Builder) -> None:
    partner = await build.partner()
    data = await overview_data.known(build.db, partner)
    t = data["today"]
    params = {"from": (t - timedelta(days=180)).isoformat(), "to": t.isoformat()}
    r = await client.get(URL, params=params, headers=build.headers_for(Role.viewer))
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["from"] == params["from"] and body["to"] == params["to"]
    assert body["total"] == {
        "participants": 8,  # y1 left before the period; x1 (anonymised) counts
        "movedUp": 4,
        "reachedB1": 1,
        "atB1OrHigher": 2,
        "working": 2,
        "volunteering": 1,
    }
    groups = {g["group"]: g for g in body["groups"]}
    assert groups["ukrainian_displaced"]["participants"] == 6
    assert groups["ukrainian_displaced"]["movedUp"] == 3
    assert groups["asylum_seeker"] == {
        "group": "asylum_seeker",
        "participants": 1,
        "movedUp": 1,
        "reachedB1": 0,
        "atB1OrHigher": 0,
        "working": 1,
        "volunteering": 0,
    }
    assert groups["unaccompanied_minor"]["participants"] == 1
    levels = {x["level"]: x["count"] for x in body["dutchLevels"]}
    assert levels == {"none": 2, "A1": 2, "A2": 2, "B1": 2, "B2": 0, "C1": 0, "C2": 0}
    statuses = {x["status"]: x["count"] for x in body["employment"]}
    assert statuses == {
        "not_working": 5,
        "volunteering": 1,
        "studying": 0,
        "part_time": 1,
        "full_time": 1,
    }


async def test_a_later_period_start_sees_earlier_moves_as_the_starting_level(
    client: httpx.AsyncClient, build: Builder
) -> None:
    partner = await build.partner()
    t = (await overview_data.known(build.db, partner))["today"]
    params = {"from": (t - timedelta(days=30)).isoformat(), "to": t.isoformat()}
    r = await client.get(URL, params=params, headers=build.headers_for(Role.coordinator))
    # Within the last 30 days only u2 moved (A2 -> B1); x1 left on the first day (a
    # departure day is not a night spent), so is not counted.
    assert r.json()["total"]["movedUp"] == 1
    assert r.json()["total"]["participants"] == 7


@pytest.mark.parametrize("role", [Role.admin, Role.coordinator, Role.finance, Role.viewer])
async def test_aggregate_roles_may_read(
    client: httpx.AsyncClient, build: Builder, role: Role
) -> None:
    r = await client.get(
        URL, params={"from": "2025-01-01", "to": "2025-12-31"}, headers=build.headers_for(role)
    )
    assert r.status_code == 200, r.text


async def test_partner_anonymous_and_bad_input(client: httpx.AsyncClient, build: Builder) -> None:
    params = {"from": "2025-01-01", "to": "2025-12-31"}
    assert (await client.get(URL, params=params)).status_code == 401
    partner = await build.partner()
    r = await client.get(URL, params=params, headers=build.headers_for(Role.partner, partner))
    assert r.status_code == 403
    problem(r)
    viewer = build.headers_for(Role.viewer)
    r = await client.get(URL, params={"from": "2025-02-01", "to": "2025-01-01"}, headers=viewer)
    assert r.status_code == 400
    assert [e["name"] for e in problem(r)["errors"]] == ["to"]
    r = await client.get(URL, params={"from": "gisteren", "colour": "x"}, headers=viewer)
    assert r.status_code == 400
    names = {e["name"] for e in problem(r)["errors"]}
    assert {"from", "to"} <= names
