"""The communication log: CRUD with ETag/If-Match, sentOn never in the future, links only
over http(s), location, candidate or neither (general; filtered on), the BSN refusal, and
the roles (staff write; viewers read; finance and partners 403; anonymous 401)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx

from api.common.calendar import today
from api.db import Database
from api.models import Role
from tests.support import records
from tests.support.builders import Builder, problem

API = "/api/v1"
BSN = "111222333"


def codes(response: httpx.Response) -> dict[str, str]:
    return {e["name"]: e["code"] for e in problem(response)["errors"]}


async def communication(
    client: httpx.AsyncClient, h: dict[str, str], **extra: Any
) -> dict[str, Any]:
    body = {
        "sentOn": "2026-02-01",
        "channel": "letter",
        "audience": "street",
        "summary": "Brief aan de buren over de komst van de opvang.",
        **extra,
    }
    r = await client.post(f"{API}/communications", json=body, headers=h)
    assert r.status_code == 201, r.text
    return r.json()  # type: ignore[no-any-return]


async def test_lifecycle_and_filters(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    loc = await records.location(db, await build.partner())
    h = build.headers_for(Role.coordinator)
    letter = await communication(client, h, locationId=str(loc.id))
    news = await communication(
        client,
        h,
        sentOn="2026-03-01",
        channel="newsletter",
        audience="municipality",
        link="https://www.heemstede.nl/opvang",
    )
    assert letter["locationName"] == loc.name and news["locationName"] is None
    listed = (await client.get(f"{API}/communications", headers=h)).json()["items"]
    assert [i["id"] for i in listed] == [news["id"], letter["id"]]
    for query, expected in (
        ("general=true", [news]),
        ("general=false", [letter]),
        (f"locationId={loc.id}", [letter]),
        ("channel=newsletter", [news]),
        ("audience=street", [letter]),
        ("from=2026-02-15", [news]),
        ("to=2026-02-15", [letter]),
    ):
        r = await client.get(f"{API}/communications?{query}", headers=h)
        assert [i["id"] for i in r.json()["items"]] == [e["id"] for e in expected], query
    r = await client.get(f"{API}/communications?from=2026-03-01&to=2026-01-01", headers=h)
    assert r.status_code == 400 and codes(r) == {"to": "before_start"}
    url = f"{API}/communications/{letter['id']}"
    r = await client.get(url, headers=h)
    assert r.headers["ETag"] == f'"{letter["version"]}"'
    fresh = {**h, "If-Match": f'"{letter["version"]}"'}
    r = await client.patch(url, json={"link": "http://example.org/brief"}, headers=fresh)
    assert r.status_code == 200 and r.json()["version"] == letter["version"] + 1
    assert (await client.patch(url, json={"link": None}, headers=fresh)).status_code == 412
    assert (await client.delete(url, headers=h)).status_code == 204
    assert (await client.get(url, headers=h)).status_code == 404


async def test_every_problem_is_named(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    loc = await records.location(db, await build.partner())
    h = build.headers_for(Role.admin)
    body = {
        "sentOn": (today() + timedelta(days=1)).isoformat(),
        "channel": "fax",
        "audience": "street",
        "summary": f"Over {BSN}",
        "link": "javascript:alert(1)",
        "locationId": str(loc.id),
        "candidateId": "6f1c6a9e-7d5e-4a50-8d2c-3f4b5a6c7d8e",
    }
    r = await client.post(f"{API}/communications", json=body, headers=h)
    assert r.status_code == 400
    assert codes(r) == {
        "channel": "enum",
        "summary": "text_holds_bsn",
        "link": "string_pattern_mismatch",
    }
    body.update(channel="website", summary="De webpagina.", link="https://heemstede.nl")
    r = await client.post(f"{API}/communications", json=body, headers=h)
    assert r.status_code == 400
    assert codes(r) == {
        "sentOn": "date_in_future",
        "locationId": "one_of",
        "candidateId": "one_of",
    }
    del body["candidateId"]
    body["sentOn"] = today().isoformat()
    c = await communication(client, h, **body)
    r = await client.patch(
        f"{API}/communications/{c['id']}", json={"channel": None, "sentOn": None}, headers=h
    )
    assert r.status_code == 400 and codes(r) == {
        "channel": "cannot_clear",
        "sentOn": "cannot_clear",
    }


async def test_roles(client: httpx.AsyncClient, build: Builder) -> None:
    c = await communication(client, build.headers_for(Role.admin))
    url = f"{API}/communications/{c['id']}"
    viewer = build.headers_for(Role.viewer)
    assert (await client.get(url, headers=viewer)).status_code == 200
    assert (await client.get(f"{API}/communications", headers=viewer)).json()["total"] == 1
    assert (await client.patch(url, json={"summary": "x"}, headers=viewer)).status_code == 403
    partner = build.headers_for(Role.partner, await build.partner())
    for h in (viewer, partner, build.headers_for(Role.finance)):
        body = {"sentOn": "2026-01-01", "channel": "letter", "audience": "street", "summary": "x"}
        assert (await client.post(f"{API}/communications", json=body, headers=h)).status_code == 403
        assert (await client.delete(url, headers=h)).status_code == 403
    for h in (partner, build.headers_for(Role.finance)):
        assert (await client.get(url, headers=h)).status_code == 403
        assert (await client.get(f"{API}/communications", headers=h)).status_code == 403
    assert (await client.get(url)).status_code == 401
