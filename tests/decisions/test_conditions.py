"""Conditions: the owner rule, the status flow (evidence, evaluatedOn, only an admin
reopens), `overdue`, the coordinator's due list and its window, partner scope."""

from __future__ import annotations

from datetime import timedelta

import httpx

from api.common import calendar
from api.db import Database
from api.models import Role
from tests.decisions.world import (
    CONDITIONS,
    DECISIONS,
    NOWHERE,
    create_condition,
    create_decision,
    venue,
)
from tests.support.builders import Builder, problem


def names(r: httpx.Response) -> dict[str, str]:
    return {e["name"]: e["code"] for e in problem(r)["errors"]}


def day(offset: int) -> str:
    return (calendar.today() + timedelta(days=offset)).isoformat()


async def test_create_read_and_owner(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    place = await venue(db, await build.partner(), name="Dreef")
    h = build.headers_for(Role.coordinator)
    decision = await create_decision(client, h, place)
    owner = await build.user(Role.coordinator)
    cond = await create_condition(client, h, decision["id"], ownerUserId=str(owner.id))
    assert set(cond) == {
        "id", "version", "createdAt", "updatedAt", "decisionId", "decisionReference",
        "decisionBody", "locationId", "locationName", "description", "evaluateOn",
        "ownerUserId", "ownerEmail", "status", "evaluatedOn", "evidence", "overdue",
    }  # fmt: skip
    assert (cond["status"], cond["overdue"], cond["ownerEmail"]) == ("open", True, owner.email)
    assert cond["locationName"] == "Dreef" and cond["decisionReference"] == "RB 2023/58"
    r = await client.get(f"{CONDITIONS}/{cond['id']}", headers=h)
    assert r.status_code == 200 and r.json() == cond
    r = await client.get(f"{DECISIONS}/{decision['id']}/conditions", headers=h)
    assert [c["id"] for c in r.json()["items"]] == [cond["id"]]
    # The owner is staff: a viewer, a partner user or nobody at all is a 400.
    for who in (await build.user(Role.viewer), await build.user(Role.finance)):
        r = await client.post(
            f"{DECISIONS}/{decision['id']}/conditions",
            json={"description": "X", "evaluateOn": "2024-01-01", "ownerUserId": str(who.id)},
            headers=h,
        )
        assert names(r) == {"ownerUserId": "not_found"}
    r = await client.post(
        f"{DECISIONS}/{decision['id']}/conditions",
        json={"description": "BSN 111222333", "evaluateOn": "1-1-2024", "ownerUserId": NOWHERE},
        headers=h,
    )
    assert set(names(r)) == {"description", "evaluateOn"}  # schema first, every field named
    r = await client.post(
        f"{DECISIONS}/{NOWHERE}/conditions",
        json={"description": "X", "evaluateOn": "2024-01-01"},
        headers=h,
    )
    assert r.status_code == 404
    r = await client.patch(f"{CONDITIONS}/{cond['id']}", json={"ownerUserId": NOWHERE}, headers=h)
    assert names(r) == {"ownerUserId": "not_found"}
    r = await client.patch(f"{CONDITIONS}/{cond['id']}", json={"ownerUserId": None}, headers=h)
    assert r.status_code == 200 and r.json()["ownerEmail"] is None


async def test_status_flow(client: httpx.AsyncClient, build: Builder, db: Database) -> None:
    place = await venue(db, await build.partner())
    h = build.headers_for(Role.coordinator)
    admin = build.headers_for(Role.admin)
    decision = await create_decision(client, h, place)
    cond = await create_condition(client, h, decision["id"], evaluateOn=day(10))
    url = f"{CONDITIONS}/{cond['id']}"
    assert cond["overdue"] is False
    # Evaluating needs evidence; evaluatedOn not in the future.
    r = await client.patch(url, json={"status": "met"}, headers=h)
    assert r.status_code == 400 and names(r) == {"evidence": "missing"}
    r = await client.patch(
        url,
        json={"status": "not_met", "evidence": "Veel klachten.", "evaluatedOn": day(1)},
        headers=h,
    )
    assert names(r) == {"evaluatedOn": "date_in_future"}
    r = await client.patch(url, json={"status": "withdrawn"}, headers=h)
    assert names(r) == {"evidence": "missing"}
    r = await client.patch(url, json={"evaluatedOn": day(-1)}, headers=h)
    assert names(r) == {"evaluatedOn": "not_allowed"}  # only with an evaluation
    r = await client.patch(url, json={"status": "met", "evidence": "Twee signalen."}, headers=h)
    assert r.status_code == 200, r.text
    met = r.json()
    assert (met["status"], met["evaluatedOn"], met["evidence"]) == ("met", day(0), "Twee signalen.")
    # Closed: no move to another closed status; only an admin reopens.
    r = await client.patch(url, json={"status": "not_met"}, headers=h)
    assert r.status_code == 409 and problem(r)["type"].endswith("status-flow")
    r = await client.patch(url, json={"status": "open"}, headers=h)
    assert r.status_code == 403
    r = await client.patch(url, json={"evidence": None}, headers=h)
    assert names(r) == {"evidence": "missing"}
    r = await client.patch(url, json={"evidence": "Twee signalen, beide opgelost."}, headers=h)
    assert r.status_code == 200 and r.json()["evaluatedOn"] == day(0)
    r = await client.patch(url, json={"status": "open"}, headers=admin)
    assert r.status_code == 200
    assert (r.json()["status"], r.json()["evaluatedOn"], r.json()["evidence"]) == (
        "open",
        None,
        None,
    )
    r = await client.patch(
        url,
        json={"status": "withdrawn", "evidence": "Besluit ingetrokken.", "evaluatedOn": day(-3)},
        headers=h,
    )
    assert r.status_code == 200 and r.json()["evaluatedOn"] == day(-3)
    # Roles: finance and viewers read, never write; anonymous is a 401.
    for role in (Role.finance, Role.viewer):
        rh = build.headers_for(role)
        assert (await client.get(url, headers=rh)).status_code == 200
        assert (await client.patch(url, json={"description": "X"}, headers=rh)).status_code == 403
        assert (await client.delete(url, headers=rh)).status_code == 403
    assert (await client.get(url)).status_code == 401
    assert (await client.delete(url, headers=h)).status_code == 204
    assert (await client.get(url, headers=h)).status_code == 404


async def test_due_list_window_and_scope(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    own, other = await build.partner(), await build.partner()
    mine, theirs = await venue(db, own), await venue(db, other)
    h = build.headers_for(Role.coordinator)
    d_mine = await create_decision(client, h, mine)
    d_theirs = await create_decision(client, h, theirs)
    overdue = await create_condition(client, h, d_mine["id"], evaluateOn=day(-5))
    edge = await create_condition(client, h, d_mine["id"], evaluateOn=day(60))
    await create_condition(client, h, d_mine["id"], evaluateOn=day(61))  # outside the window
    done = await create_condition(client, h, d_mine["id"], evaluateOn=day(3))
    r = await client.patch(
        f"{CONDITIONS}/{done['id']}", json={"status": "met", "evidence": "Akkoord."}, headers=h
    )
    assert r.status_code == 200
    theirs_cond = await create_condition(client, h, d_theirs["id"], evaluateOn=day(1))
    due: dict[str, str | int] = {"dueWithinDays": 60, "status": "open"}
    r = await client.get(CONDITIONS, params=due, headers=h)
    assert r.status_code == 200
    items = r.json()["items"]
    assert [c["id"] for c in items] == [overdue["id"], theirs_cond["id"], edge["id"]]
    assert [c["overdue"] for c in items] == [True, False, False]
    r = await client.get(CONDITIONS, params={**due, "locationId": str(mine.id)}, headers=h)
    assert [c["id"] for c in r.json()["items"]] == [overdue["id"], edge["id"]]
    r = await client.get(CONDITIONS, params={"dueWithinDays": 60}, headers=h)
    assert done["id"] in {c["id"] for c in r.json()["items"]}
    bads: list[dict[str, str | int]] = [
        {"dueWithinDays": -1},
        {"status": "maybe"},
        {"dueWithinDays": "x"},
    ]
    for bad in bads:
        r = await client.get(CONDITIONS, params=bad, headers=h)
        assert r.status_code == 400, bad
    # A partner sees its own location's conditions only: another's is a 404.
    p = build.headers_for(Role.partner, own)
    r = await client.get(CONDITIONS, params=due, headers=p)
    assert [c["id"] for c in r.json()["items"]] == [overdue["id"], edge["id"]]
    assert (await client.get(f"{CONDITIONS}/{theirs_cond['id']}", headers=p)).status_code == 404
    r = await client.get(f"{DECISIONS}/{d_theirs['id']}/conditions", headers=p)
    assert r.status_code == 404
    r = await client.patch(f"{CONDITIONS}/{overdue['id']}", json={"description": "X"}, headers=p)
    assert r.status_code == 403
