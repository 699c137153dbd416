"""An activity's session weekdays (ISO, 1 Monday .. 7 Sunday): kept sorted, each once,
never cleared to null (an empty list: no fixed days), on both engines."""

from __future__ import annotations

import httpx

from api.models import Role
from tests.activities.test_activities import URL, body
from tests.support.builders import Builder, problem


async def test_weekdays(client: httpx.AsyncClient, build: Builder) -> None:
    library = await build.partner()
    h = build.headers_for(Role.coordinator)
    r = await client.post(URL, json=body(library), headers=h)
    assert r.status_code == 201 and r.json()["weekdays"] == []  # none given: no fixed days
    r = await client.post(URL, json=body(library, weekdays=[4, 2]), headers=h)
    assert r.status_code == 201, r.text
    made = r.json()
    assert made["weekdays"] == [2, 4]
    r = await client.get(f"{URL}/{made['id']}", headers=h)
    assert r.json()["weekdays"] == [2, 4]
    r = await client.get(URL, headers=h)
    assert {a["id"]: a["weekdays"] for a in r.json()["items"]}[made["id"]] == [2, 4]
    r = await client.patch(f"{URL}/{made['id']}", json={"weekdays": [6]}, headers=h)
    assert r.status_code == 200 and r.json()["weekdays"] == [6]
    r = await client.patch(f"{URL}/{made['id']}", json={"weekdays": []}, headers=h)
    assert r.status_code == 200 and r.json()["weekdays"] == []
    r = await client.patch(f"{URL}/{made['id']}", json={"weekdays": None}, headers=h)
    assert r.status_code == 400
    assert [e["name"] for e in problem(r)["errors"]] == ["weekdays"]
    for bad in ([0], [8], [2, 2], ["dinsdag"], list(range(1, 9))):
        r = await client.post(URL, json=body(library, weekdays=bad, capacity=-1), headers=h)
        assert r.status_code == 400, bad
        names = sorted(e["name"].split(".")[0] for e in problem(r)["errors"])
        assert "capacity" in names and "weekdays" in names, (bad, names)
