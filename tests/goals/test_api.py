"""The goals API: CRUD with ETag/If-Match, every problem named with a stable code, the
roles (admin and coordinator write; finance and viewer read; partners 403; anonymous
401), the series report and the anonymous public indicators."""

from __future__ import annotations

from typing import Any

import httpx

from api.db import Database
from api.models import Role
from tests.goals import world
from tests.support.builders import Builder, problem

API = "/api/v1"


async def _goal(client: httpx.AsyncClient, h: dict[str, str], **extra: Any) -> dict[str, Any]:
    body = {"title": "Taal", "theme": "language", "public": True, **extra}
    r = await client.post(f"{API}/goals", json=body, headers=h)
    assert r.status_code == 201, r.text
    return r.json()  # type: ignore[no-any-return]


def _codes(response: httpx.Response) -> dict[str, str]:
    return {e["name"]: e["code"] for e in problem(response)["errors"]}


async def test_goal_and_indicator_lifecycle(client: httpx.AsyncClient, build: Builder) -> None:
    h = build.headers_for(Role.coordinator)
    goal = await _goal(client, h, description="NT2 voor iedereen")
    assert (
        await client.post(f"{API}/goals", json={"title": "Taal", "theme": "work"}, headers=h)
    ).status_code == 409
    body = {
        "goalId": goal["id"],
        "title": "Deelnemers op B1",
        "metric": "dutch_b1_share",
        "public": True,
        "targets": [{"year": 2026, "value": "0.4"}, {"year": 2027, "value": "0.45"}],
    }
    r = await client.post(f"{API}/indicators", json=body, headers=h)
    assert r.status_code == 201, r.text
    ind = r.json()
    assert r.headers["ETag"] == f'"{ind["version"]}"'
    assert r.headers["Location"] == f"{API}/indicators/{ind['id']}"
    assert (ind["unit"], ind["direction"]) == ("share", "higher")
    assert ind["targets"] == [{"year": 2026, "value": "0.4000"}, {"year": 2027, "value": "0.4500"}]
    # A stale If-Match is 412; the current one changes the targets (a new version).
    url = f"{API}/indicators/{ind['id']}"
    stale = {**h, "If-Match": '"999"'}
    assert (await client.patch(url, json={"title": "x"}, headers=stale)).status_code == 412
    fresh = {**h, "If-Match": f'"{ind["version"]}"'}
    r = await client.patch(url, json={"targets": [{"year": 2026, "value": "0.5"}]}, headers=fresh)
    assert r.status_code == 200, r.text
    assert r.json()["targets"] == [{"year": 2026, "value": "0.5000"}]
    assert r.json()["version"] == ind["version"] + 1
    listed = await client.get(f"{API}/indicators?goalId={goal['id']}", headers=h)
    assert [i["targets"] for i in listed.json()["items"]] == [[{"year": 2026, "value": "0.5000"}]]
    goals = (await client.get(f"{API}/goals", headers=h)).json()
    assert [g["title"] for g in goals["items"]] == ["Taal"]
    r = await client.patch(f"{API}/goals/{goal['id']}", json={"public": False}, headers=h)
    assert r.status_code == 200 and r.json()["public"] is False
    assert (await client.delete(url, headers=h)).status_code == 204
    assert (await client.get(url, headers=h)).status_code == 404
    assert (await client.delete(f"{API}/goals/{goal['id']}", headers=h)).status_code == 204
    # A goal's indicators and their targets go with it.
    other = await _goal(client, h, title="Werk", theme="work")
    body = {"goalId": other["id"], "title": "Werk", "metric": "working_share", "targets": []}
    made = (await client.post(f"{API}/indicators", json=body, headers=h)).json()
    stale_goal = {**h, "If-Match": '"7"'}
    assert (
        await client.delete(f"{API}/goals/{other['id']}", headers=stale_goal)
    ).status_code == 412
    assert (await client.delete(f"{API}/goals/{other['id']}", headers=h)).status_code == 204
    assert (await client.get(f"{API}/indicators/{made['id']}", headers=h)).status_code == 404


async def test_bad_input_names_every_problem_with_a_code(
    client: httpx.AsyncClient, build: Builder
) -> None:
    h = build.headers_for(Role.admin)
    goal = await _goal(client, h)
    r = await client.post(f"{API}/goals", json={"title": "", "theme": "music", "x": 1}, headers=h)
    assert r.status_code == 400
    assert {"title", "theme", "x"} <= set(_codes(r))
    bad_targets = [{"year": 2026, "value": 0.4}, {"year": 1990, "value": "1"}]
    r = await client.post(
        f"{API}/indicators",
        json={"goalId": goal["id"], "title": "T", "metric": "m", "targets": bad_targets},
        headers=h,
    )
    assert r.status_code == 400
    codes = _codes(r)
    assert codes["targets.0.value"] == "target_value_format"
    assert "targets.1.year" in codes
    r = await client.post(
        f"{API}/indicators",
        json={"goalId": goal["id"], "title": "T", "metric": "nonsense"},
        headers=h,
    )
    assert _codes(r) == {"metric": "unknown_metric"}
    r = await client.post(
        f"{API}/indicators",
        json={
            "goalId": "00000000-0000-0000-0000-000000000000",
            "title": "T",
            "metric": "signals_resolved_within",
            "params": {"days": 0, "severity": "huge", "colour": "red"},
            "unit": "euro",
        },
        headers=h,
    )
    assert r.status_code == 400
    assert _codes(r) == {
        "goalId": "not_found",
        "params.colour": "param_unknown",
        "params.days": "param_days",
        "params.severity": "param_choice",
        "unit": "unit_mismatch",
    }
    r = await client.post(
        f"{API}/indicators",
        json={"goalId": goal["id"], "title": "T", "metric": "participation_rate"},
        headers=h,
    )
    assert _codes(r) == {"params.activityKind": "param_required"}
    dupes = [{"year": 2026, "value": "1"}, {"year": 2026, "value": "2"}]
    r = await client.post(
        f"{API}/indicators",
        json={"goalId": goal["id"], "title": "T", "metric": "working_share", "targets": dupes},
        headers=h,
    )
    assert _codes(r) == {"targets": "duplicate_year"}
    r = await client.get(f"{API}/reports/indicators?from=2026Q5&to=soon", headers=h)
    assert _codes(r) == {"from": "quarter_format", "to": "quarter_format"}
    r = await client.get(f"{API}/reports/indicators?from=2026Q3&to=2026Q1", headers=h)
    assert _codes(r) == {"to": "before_start"}
    r = await client.get(f"{API}/reports/indicators?from=2000Q1&to=2026Q1", headers=h)
    assert _codes(r) == {"to": "too_many_quarters"}
    r = await client.get(f"{API}/public/indicators?from=x")
    assert _codes(r) == {"from": "quarter_format"}


async def test_roles(client: httpx.AsyncClient, build: Builder, db: Database) -> None:
    partner = await build.partner()
    admin = build.headers_for(Role.admin)
    goal = await _goal(client, admin)
    reads = [
        f"{API}/goals",
        f"{API}/goals/{goal['id']}",
        f"{API}/indicators",
        f"{API}/indicator-metrics",
        f"{API}/reports/indicators",
    ]
    for url in reads:
        assert (await client.get(url)).status_code == 401, url
        assert (
            await client.get(url, headers=build.headers_for(Role.partner, partner))
        ).status_code == 403, url
        for role in (Role.finance, Role.viewer, Role.coordinator):
            assert (await client.get(url, headers=build.headers_for(role))).status_code == 200
    for role in (Role.finance, Role.viewer):
        h = build.headers_for(role)
        r = await client.post(f"{API}/goals", json={"title": "W", "theme": "work"}, headers=h)
        assert r.status_code == 403
        assert (await client.delete(f"{API}/goals/{goal['id']}", headers=h)).status_code == 403
    h = build.headers_for(Role.partner, partner)
    assert (await client.patch(f"{API}/goals/{goal['id']}", json={}, headers=h)).status_code == 403
    # Anonymous callers read the public indicators, and nothing else.
    assert (await client.get(f"{API}/public/indicators")).status_code == 200


async def test_series_report_and_public_indicators(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    await world.build(db, await build.partner())
    await world.indicators(db, [("dutch_b1_share", {}), ("working_share", {})], public=True)
    await world.indicators(db, [("occupancy_rate", {})], title="Bezetting")
    h = build.headers_for(Role.viewer)
    r = await client.get(f"{API}/reports/indicators?from=2026Q1&to=2026Q2", headers=h)
    assert r.status_code == 200, r.text
    report = r.json()
    assert (report["first"], report["last"]) == ("2026Q1", "2026Q2")
    by_title = {i["title"]: i for i in report["items"]}
    q1 = by_title["00 dutch_b1_share"]["points"][0]
    # world.py: 3 of the 5 present at B1 or higher; the 2026 target 0.50 is met.
    assert q1 == {
        "year": 2026,
        "quarter": 1,
        "periodStart": "2026-01-01",
        "periodEnd": "2026-03-31",
        "asOf": "2026-03-31",
        "value": "0.6000",
        "target": "0.5000",
        "onTrack": True,
        "numerator": "3",
        "denominator": 5,
        "suppressed": False,
    }
    assert by_title["00 occupancy_rate"]["points"][0]["value"] == "0.2206"
    # The default span: the last eight quarters up to the current one.
    assert (
        len((await client.get(f"{API}/reports/indicators", headers=h)).json()["items"][0]["points"])
        == 8
    )
    public = (await client.get(f"{API}/public/indicators?from=2026Q1&to=2026Q1")).json()
    assert [i["title"] for i in public["items"]] == ["00 dutch_b1_share", "01 working_share"]
    point = public["items"][0]["points"][0]
    assert (point["value"], point["numerator"], point["denominator"]) == ("0.6000", None, None)
