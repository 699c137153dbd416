"""A location's planned availability (issue 17): the field that makes its places durable
(Spreidingswet) or not, set by staff, checked against the opening day."""

from __future__ import annotations

import httpx

from api.models import Role
from tests.locations.test_locations import URL, new
from tests.support.builders import Builder, problem


async def test_available_until_is_kept_and_checked(
    client: httpx.AsyncClient, build: Builder
) -> None:
    op = await build.partner()
    h = build.headers_for(Role.coordinator)
    r = await client.post(URL, json=new(op), headers=h)
    assert r.status_code == 201, r.text
    assert r.json()["availableUntil"] is None  # not stated: the places are not durable
    url = f"{URL}/{r.json()['id']}"
    r = await client.patch(url, json={"availableUntil": "2028-12-31"}, headers=h)
    assert r.status_code == 200 and r.json()["availableUntil"] == "2028-12-31"
    r = await client.patch(url, json={"availableUntil": "2023-12-31"}, headers=h)
    assert r.status_code == 400
    [err] = problem(r)["errors"]
    assert (err["name"], err["code"]) == ("availableUntil", "before_start")
    r = await client.post(
        URL,
        json=new(
            op,
            name="Tweede",
            externalCode="X-2",
            availableUntil="2020-01-01",
            closedOn="2019-01-01",
        ),
        headers=h,
    )
    assert r.status_code == 400
    assert {e["name"] for e in problem(r)["errors"]} == {"closedOn", "availableUntil"}
