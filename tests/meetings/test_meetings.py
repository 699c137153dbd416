"""The meetings API: CRUD with ETag/If-Match, residents counted (never named), partners
present (unknown ones named per index), a day to come makes a planned meeting, at most one
of location and candidate, the BSN refusal in the summary, the roles (staff write; viewers
and the operator partner read; finance 403; anonymous 401) and the partner's scope."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import httpx

from api.common.calendar import today
from api.db import Database
from api.models import PartnerKind, Role
from tests.support import records
from tests.support.builders import Builder, problem

API = "/api/v1"
BSN = "111222333"  # passes the 11-test


def codes(response: httpx.Response) -> dict[str, str]:
    return {e["name"]: e["code"] for e in problem(response)["errors"]}


async def meeting(client: httpx.AsyncClient, h: dict[str, str], **extra: Any) -> dict[str, Any]:
    body = {
        "heldOn": "2026-03-10",
        "kind": "neighbourhood_meeting",
        "residentsPresent": 24,
        "summary": "Vragen over de jongeren op het pleintje.",
        **extra,
    }
    r = await client.post(f"{API}/meetings", json=body, headers=h)
    assert r.status_code == 201, r.text
    return r.json()  # type: ignore[no-any-return]


async def test_lifecycle(client: httpx.AsyncClient, build: Builder, db: Database) -> None:
    coa = await build.partner("COA test")
    welzijn = await build.partner("Welzijn test", PartnerKind.welfare)
    loc = await records.location(db, coa)
    h = build.headers_for(Role.coordinator)
    m = await meeting(client, h, locationId=str(loc.id), partnerIds=[str(welzijn.id)])
    assert m["partnerIds"] == [str(welzijn.id)]
    assert (m["partnerNames"], m["locationName"]) == (["Welzijn test"], loc.name)
    assert (m["planned"], m["residentsPresent"], m["locationId"]) == (False, 24, str(loc.id))
    url = f"{API}/meetings/{m['id']}"
    r = await client.get(url, headers=h)
    assert r.headers["ETag"] == f'"{m["version"]}"'
    # Partners present are replaced as a whole: a new version.
    r = await client.patch(
        url,
        json={"partnerIds": [str(coa.id), str(welzijn.id)]},
        headers={**h, "If-Match": f'"{m["version"]}"'},
    )
    assert r.status_code == 200, r.text
    assert set(r.json()["partnerIds"]) == {str(coa.id), str(welzijn.id)}
    assert r.json()["version"] == m["version"] + 1
    stale = {**h, "If-Match": f'"{m["version"]}"'}
    assert (await client.patch(url, json={"summary": "x"}, headers=stale)).status_code == 412
    # A day to come: planned.
    soon = (today() + timedelta(days=14)).isoformat()
    planned = await meeting(client, h, heldOn=soon, residentsPresent=0, kind="sounding_board")
    assert planned["planned"] is True
    # Newest first; the filters.
    listed = (await client.get(f"{API}/meetings", headers=h)).json()["items"]
    assert [i["id"] for i in listed] == [planned["id"], m["id"]]
    r = await client.get(f"{API}/meetings?locationId={loc.id}", headers=h)
    assert [i["id"] for i in r.json()["items"]] == [m["id"]]
    assert r.json()["items"][0]["partnerIds"]
    r = await client.get(f"{API}/meetings?kind=sounding_board", headers=h)
    assert [i["id"] for i in r.json()["items"]] == [planned["id"]]
    r = await client.get(f"{API}/meetings?from=2026-01-01&to=2026-03-31", headers=h)
    assert [i["id"] for i in r.json()["items"]] == [m["id"]]
    r = await client.get(f"{API}/meetings?from=2026-03-31&to=2026-01-01", headers=h)
    assert r.status_code == 400 and codes(r) == {"to": "before_start"}
    # Removed: gone.
    assert (await client.delete(url, headers=h)).status_code == 204
    assert (await client.get(url, headers=h)).status_code == 404


async def test_every_problem_is_named(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    coa = await build.partner()
    loc = await records.location(db, coa)
    h = build.headers_for(Role.admin)
    body = {
        "heldOn": "2026-03-10",
        "kind": "party",
        "residentsPresent": -1,
        "summary": f"Bewoner met BSN {BSN} was er.",
        "partnerIds": [str(coa.id), "6f1c6a9e-7d5e-4a50-8d2c-3f4b5a6c7d8e"],
    }
    r = await client.post(f"{API}/meetings", json=body, headers=h)
    assert r.status_code == 400
    assert codes(r) == {
        "kind": "enum",
        "residentsPresent": "greater_than_equal",
        "summary": "text_holds_bsn",
    }
    assert BSN not in r.text
    body.update(kind="information_evening", residentsPresent=3, summary="Goed gesprek.")
    r = await client.post(f"{API}/meetings", json=body, headers=h)
    assert r.status_code == 400 and codes(r) == {"partnerIds.1": "not_found"}
    body.update(partnerIds=[str(coa.id), str(coa.id)], locationId=str(loc.id))
    body["candidateId"] = "6f1c6a9e-7d5e-4a50-8d2c-3f4b5a6c7d8e"
    r = await client.post(f"{API}/meetings", json=body, headers=h)
    assert r.status_code == 400
    assert codes(r) == {"partnerIds": "duplicate", "locationId": "one_of", "candidateId": "one_of"}
    # Nothing was written (all or nothing).
    assert (await client.get(f"{API}/meetings", headers=h)).json()["total"] == 0
    m = await meeting(client, h)  # municipality-wide: neither location nor candidate
    r = await client.patch(
        f"{API}/meetings/{m['id']}", json={"heldOn": None, "summary": None}, headers=h
    )
    assert r.status_code == 400 and codes(r) == {
        "heldOn": "cannot_clear",
        "summary": "cannot_clear",
    }


async def test_roles_and_partner_scope(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    own, other = await build.partner("Eigen"), await build.partner("Ander")
    mine = await records.location(db, own)
    theirs = await records.location(db, other)
    staff = build.headers_for(Role.coordinator)
    at_mine = await meeting(client, staff, locationId=str(mine.id))
    at_theirs = await meeting(client, staff, locationId=str(theirs.id))
    general = await meeting(client, staff)
    partner = build.headers_for(Role.partner, own)
    listed = (await client.get(f"{API}/meetings", headers=partner)).json()["items"]
    assert [i["id"] for i in listed] == [at_mine["id"]]
    assert (await client.get(f"{API}/meetings/{at_mine['id']}", headers=partner)).status_code == 200
    for hidden in (at_theirs, general):
        url = f"{API}/meetings/{hidden['id']}"
        assert (await client.get(url, headers=partner)).status_code == 404
    url = f"{API}/meetings/{at_mine['id']}"
    assert (await client.patch(url, json={"summary": "x"}, headers=partner)).status_code == 403
    assert (await client.delete(url, headers=partner)).status_code == 403
    viewer = build.headers_for(Role.viewer)
    assert (await client.get(f"{API}/meetings", headers=viewer)).json()["total"] == 3
    assert (await client.get(url, headers=viewer)).status_code == 200
    assert (await client.patch(url, json={"summary": "x"}, headers=viewer)).status_code == 403
    finance = build.headers_for(Role.finance)
    assert (await client.get(f"{API}/meetings", headers=finance)).status_code == 403
    assert (await client.get(url, headers=finance)).status_code == 403
    assert (await client.get(f"{API}/meetings")).status_code == 401
    body = {"heldOn": "2026-01-01", "kind": "sounding_board", "summary": "x"}
    r = await client.post(f"{API}/meetings", json=body, headers=partner)
    assert r.status_code == 403
    assert (await client.post(f"{API}/meetings", json=body)).status_code == 401


async def test_meeting_day_is_a_date(client: httpx.AsyncClient, build: Builder) -> None:
    h = build.headers_for(Role.admin)
    body = {"heldOn": "10-03-2026", "kind": "sounding_board", "summary": "x"}
    r = await client.post(f"{API}/meetings", json=body, headers=h)
    assert r.status_code == 400 and "heldOn" in codes(r)
    assert date.fromisoformat((await meeting(client, h))["heldOn"]) == date(2026, 3, 10)
