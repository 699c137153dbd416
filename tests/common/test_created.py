"""A 201 names what it created in ``Location`` (``api.common.created.set_location``), a
path below the API's root, written in one place."""

from __future__ import annotations

import httpx

from api.db import Database
from api.models import Role
from tests.conftest import ROOT
from tests.support import records
from tests.support.builders import Builder

API = ROOT / "api"


def test_only_the_helper_writes_a_location_header() -> None:
    found = [
        f"{path.relative_to(API.parent)}:{number}"
        for path in sorted(API.rglob("*.py"))
        if path != API / "common" / "created.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if '["Location"]' in line or "Location=" in line or '"Location":' in line
    ]
    assert found == [], "use api.common.created.set_location: " + ", ".join(found)


async def test_a_nested_resource_is_located_below_its_parent(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    location = f"/api/v1/locations/{(await records.location(db, await build.partner())).id}"
    change = {"validFrom": "2024-06-01", "capacity": 12}
    h = build.headers_for(Role.coordinator)
    r = await client.post(f"{location}/capacity-changes", json=change, headers=h)
    assert r.status_code == 201, r.text
    assert r.headers["location"] == f"{location}/capacity-changes/{r.json()['id']}"
