"""The Spreidingswet API: tasks with ETag/If-Match and the overlap rule (409 naming the
other), the roles (admin and coordinator write; finance and viewer read; partners 403;
anonymous 401), the report's figures against a hand-built world (``world``) and the
anonymous public answer."""

from __future__ import annotations

from datetime import date
from typing import Any

import httpx

from api.db import Database
from api.models import LocationKind, Role
from tests.spreiding import world
from tests.support import records
from tests.support.builders import Builder, problem

API = "/api/v1"
TASKS = f"{API}/spreiding-tasks"
BODY = {
    "startsOn": "2025-01-01",
    "endsOn": "2026-12-31",
    "places": 191,
    "source": "Verdeelbesluit provincie Noord-Holland, 2024",
}


def _codes(response: httpx.Response) -> dict[str, str]:
    return {e["name"]: e["code"] for e in problem(response)["errors"]}


async def test_task_lifecycle_and_overlap(client: httpx.AsyncClient, build: Builder) -> None:
    h = build.headers_for(Role.coordinator)
    r = await client.post(TASKS, json={**BODY, "note": "Eerste periode"}, headers=h)
    assert r.status_code == 201, r.text
    first = r.json()
    assert r.headers["Location"] == f"{TASKS}/{first['id']}"
    assert r.headers["ETag"] == f'"{first["version"]}"'
    assert (first["places"], first["note"], first["decidedOn"]) == (191, "Eerste periode", None)
    # An overlapping period is refused, naming the other task.
    r = await client.post(
        TASKS, json={**BODY, "startsOn": "2026-12-31", "endsOn": "2027-12-31"}, headers=h
    )
    assert r.status_code == 409
    body = problem(r)
    assert body["taskId"] == first["id"]
    assert (body["startsOn"], body["endsOn"]) == ("2025-01-01", "2026-12-31")
    assert _codes(r) == {"startsOn": "task_overlap"}
    r = await client.post(
        TASKS, json={**BODY, "startsOn": "2027-01-01", "endsOn": "2028-12-31"}, headers=h
    )
    assert r.status_code == 201, r.text
    second = r.json()
    url = f"{TASKS}/{second['id']}"
    # A change that would overlap is refused too; a stale If-Match is 412.
    r = await client.patch(url, json={"startsOn": "2026-06-01"}, headers=h)
    assert r.status_code == 409 and problem(r)["taskId"] == first["id"]
    stale = {**h, "If-Match": '"9"'}
    assert (await client.patch(url, json={"places": 5}, headers=stale)).status_code == 412
    fresh = {**h, "If-Match": f'"{second["version"]}"'}
    r = await client.patch(url, json={"places": 150, "decidedOn": "2026-10-01"}, headers=fresh)
    assert r.status_code == 200, r.text
    assert (r.json()["places"], r.json()["version"]) == (150, second["version"] + 1)
    for role in (Role.finance, Role.viewer):
        listed = await client.get(TASKS, headers=build.headers_for(role))
        assert [t["startsOn"] for t in listed.json()["items"]] == ["2025-01-01", "2027-01-01"]
        assert (await client.get(url, headers=build.headers_for(role))).status_code == 200
    assert (await client.delete(url, headers=h)).status_code == 204
    assert (await client.get(url, headers=h)).status_code == 404
    assert (await client.delete(url, headers=h)).status_code == 404


async def test_bad_input_names_every_field(client: httpx.AsyncClient, build: Builder) -> None:
    h = build.headers_for(Role.admin)
    bad: dict[str, Any] = {"startsOn": "2025-13-01", "places": -1, "source": "", "x": 1}
    r = await client.post(TASKS, json=bad, headers=h)
    assert r.status_code == 400
    assert {"startsOn", "endsOn", "places", "source", "x"} <= set(_codes(r))
    r = await client.post(TASKS, json={**BODY, "endsOn": "2024-12-31"}, headers=h)
    assert r.status_code == 400 and _codes(r) == {"endsOn": "before_start"}
    r = await client.post(TASKS, json={**BODY, "note": "BSN 111222333"}, headers=h)
    assert r.status_code == 400 and _codes(r) == {"note": "text_holds_bsn"}
    made = (await client.post(TASKS, json=BODY, headers=h)).json()
    url = f"{TASKS}/{made['id']}"
    r = await client.patch(url, json={"places": None, "source": None}, headers=h)
    assert r.status_code == 400
    assert _codes(r) == {"places": "cannot_clear", "source": "cannot_clear"}
    r = await client.patch(url, json={"endsOn": "2024-01-01"}, headers=h)
    assert r.status_code == 400 and _codes(r) == {"endsOn": "before_start"}
    r = await client.get(f"{API}/reports/spreiding?on=gisteren", headers=h)
    assert r.status_code == 400 and "on" in _codes(r)


async def test_roles(client: httpx.AsyncClient, build: Builder) -> None:
    partner = await build.partner()
    anyone: dict[str, str] = {}
    assert (await client.get(TASKS, headers=anyone)).status_code == 401
    assert (await client.get(f"{API}/reports/spreiding", headers=anyone)).status_code == 401
    p = build.headers_for(Role.partner, partner)
    assert (await client.get(TASKS, headers=p)).status_code == 403
    assert (await client.post(TASKS, json=BODY, headers=p)).status_code == 403
    assert (await client.get(f"{API}/reports/spreiding", headers=p)).status_code == 403
    for role in (Role.finance, Role.viewer):
        r = await client.post(TASKS, json=BODY, headers=build.headers_for(role))
        assert r.status_code == 403
    for role in (Role.admin, Role.coordinator, Role.finance, Role.viewer):
        r = await client.get(f"{API}/reports/spreiding", headers=build.headers_for(role))
        assert r.status_code == 200, r.text


async def test_report_figures(client: httpx.AsyncClient, build: Builder, db: Database) -> None:
    partner = await build.partner()
    await world.build(db, partner)
    h = build.headers_for(Role.viewer)
    r = await client.get(f"{API}/reports/spreiding?on=2026-06-01", headers=h)
    assert r.status_code == 200, r.text
    report = r.json()
    assert report["task"]["places"] == 200 and len(report["tasks"]) == 2
    assert report["kinds"] == ["asylum_center", "amv_small_scale", "emergency"]
    phases = {p["phase"]: p for p in report["phases"]}
    assert [p["phase"] for p in report["phases"]] == [
        "realised", "planned", "decided", "preparation"
    ]  # fmt: skip
    assert [(p["places"], p["cumulative"], p["gap"]) for p in report["phases"]] == [
        (60, 60, 140), (50, 110, 90), (40, 150, 50), (32, 182, 18)
    ]  # fmt: skip
    assert {i["name"]: i["places"] for i in phases["realised"]["items"]} == {
        "AZC": 45, "AMV": 10, "OUD": 5
    }  # fmt: skip
    assert {i["name"]: (i["places"], i["day"]) for i in phases["planned"]["items"]} == {
        "AZC": (25, "2026-11-01"), "NIEUW": (30, "2026-10-01"), "OUD": (-5, "2026-08-01")
    }  # fmt: skip
    assert [i["name"] for i in phases["decided"]["items"]] == ["Besloten"]
    assert sorted(i["name"] for i in phases["preparation"]["items"]) == [
        "Onderzoek AMV", "Voorstel nood"
    ]  # fmt: skip
    earned, expected = report["incentive"]["earned"], report["incentive"]["expected"]
    assert (earned["durablePlaces"], earned["otherPlaces"], earned["amount"]) == (
        20, 18, "145000.00"
    )  # fmt: skip
    assert (expected["durablePlaces"], expected["otherPlaces"], expected["amount"]) == (
        20, 30, "175000.00"
    )  # fmt: skip
    assert earned["unpricedPlaces"] == 0 and earned["certainty"] == "published"
    # A day in the next task: its own figures; a day without a task: no gap, no incentive.
    r = await client.get(f"{API}/reports/spreiding?on=2027-06-01", headers=h)
    later = r.json()
    assert later["task"]["places"] == 50
    assert later["incentive"]["earned"]["amount"] == "0.00"
    r = await client.get(f"{API}/reports/spreiding?on=2024-12-01", headers=h)
    before = r.json()
    assert before["task"] is None and before["incentive"] is None
    assert [p["gap"] for p in before["phases"]] == [None] * 4
    assert before["phases"][0]["places"] == 35  # AZC 30 + OUD 5


async def test_public_is_anonymous(client: httpx.AsyncClient, build: Builder, db: Database) -> None:
    r = await client.get(f"{API}/public/spreiding")
    assert r.status_code == 200, r.text
    assert r.json()["task"] is None and r.json()["toArrange"] is None
    partner = await build.partner()
    await world.build(db, partner)
    body = (await client.get(f"{API}/public/spreiding")).json()
    assert set(body) == {"on", "task", "realised", "planned", "toArrange"}
    if body["task"] is not None:
        task = body["task"]
        assert set(task) == {"startsOn", "endsOn", "places", "source"}
        expected = max(task["places"] - body["realised"] - body["planned"], 0)
        assert body["toArrange"] == expected


async def test_places_before_the_first_rate_are_unpriced(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    """The incentive's rates start on 2024-02-01 (the regulation): places added in January
    2024 are counted, not priced."""
    partner = await build.partner()
    h = build.headers_for(Role.admin)
    body = {**BODY, "startsOn": "2024-01-01", "endsOn": "2024-12-31", "places": 30}
    assert (await client.post(TASKS, json=body, headers=h)).status_code == 201
    await records.location(
        db, partner, kind=LocationKind.emergency, opened_on=date(2024, 1, 15), capacity=10
    )
    await records.location(
        db, partner, kind=LocationKind.emergency, opened_on=date(2024, 3, 1), capacity=4
    )
    r = await client.get(f"{API}/reports/spreiding?on=2024-06-01", headers=h)
    earned = r.json()["incentive"]["earned"]
    assert (earned["otherPlaces"], earned["unpricedPlaces"], earned["amount"]) == (
        14, 10, "10000.00"
    )  # fmt: skip
    assert [p["gap"] for p in r.json()["phases"]] == [16, 16, 16, 16]
