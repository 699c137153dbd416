"""GET /reports/draagvlak and /reports/draagvlak/{id}: open and overdue signals and
agreements, the last meetings, the conditions due, communications and the direction of
the last 3 months, with roles and a partner's scope, on both engines."""

from __future__ import annotations

from datetime import date, timedelta

import httpx
import pytest

from api.db import Database
from api.models import AgreementStatus, ConditionStatus, Role, Severity
from tests.draagvlak import world
from tests.support import records
from tests.support.builders import Builder

URL = "/api/v1/reports/draagvlak"


@pytest.fixture
def day(monkeypatch: pytest.MonkeyPatch) -> date:
    """Today is 15 May 2025 in Heemstede."""
    fixed = date(2025, 5, 15)
    monkeypatch.setattr("api.draagvlak.service.today", lambda: fixed)
    return fixed


async def test_view_and_list(
    client: httpx.AsyncClient, build: Builder, db: Database, day: date
) -> None:
    ours, theirs = await build.partner(), await build.partner()
    a = await records.location(db, ours, name="Dreef")
    b = await records.location(db, theirs, name="Kerklaan")
    sig = world.signal
    # Last 3 months (from 15 February): two; the 3 before (15 November-15 February): three.
    await sig(db, a, "2025-05-01T10:00", severity=Severity.high, due="2025-05-08T10:00")
    await sig(db, a, "2025-03-01T10:00", "2025-03-05T10:00")
    await sig(db, a, "2025-02-10T10:00", severity=Severity.low, due="2099-01-01T00:00")
    await sig(db, a, "2024-12-01T10:00", "2024-12-02T10:00")
    await sig(db, a, "2024-11-20T10:00", "2024-11-22T10:00")
    await sig(db, b, "2025-05-02T10:00")
    late = await world.agreement(db, a, day - timedelta(days=1), AgreementStatus.open)
    soon = await world.agreement(db, a, day + timedelta(days=9), AgreementStatus.in_progress)
    await world.agreement(db, a, day - timedelta(days=30), AgreementStatus.done)
    for n, back in enumerate((200, 100, 10, 50, 300, 400)):
        await world.meeting(db, a, day - timedelta(days=back), 10 + n)
    due = await world.condition(db, a, day + timedelta(days=59), ConditionStatus.open)
    await world.condition(db, a, day + timedelta(days=120), ConditionStatus.open)
    await world.condition(db, a, day - timedelta(days=10), ConditionStatus.met)
    await world.communication(db, a, day - timedelta(days=20))
    await world.communication(db, a, day - timedelta(days=400))
    h = build.headers_for(Role.coordinator)
    r = await client.get(f"{URL}/{a.id}", headers=h)
    assert r.status_code == 200, r.text
    v = r.json()
    assert v["name"] == "Dreef" and len(v["trend"]) == 12
    assert [t["month"] for t in v["trend"]][::11] == ["2024-06", "2025-05"]
    assert sum(t["reported"] for t in v["trend"]) == 5
    assert v["signals"] == {"last3": 2, "previous3": 3, "direction": "down"}
    assert v["openSignals"] == {"total": 2, "low": 1, "medium": 0, "high": 1, "overdue": 1}
    assert [x["id"] for x in v["openAgreements"]] == [str(late), str(soon)]
    assert [x["overdue"] for x in v["openAgreements"]] == [True, False]
    assert v["overdueAgreements"] == 1
    assert [m["residentsPresent"] for m in v["meetings"]] == [12, 13, 11, 10, 14]
    assert [c["due"] for c in v["conditions"]] == [False, True, False]
    assert v["conditions"][1]["id"] == str(due)
    assert v["communicationsLast12Months"] == 1
    # The list: one row per location, by name.
    r = await client.get(URL, headers=build.headers_for(Role.viewer))
    assert r.status_code == 200, r.text
    rows = {x["name"]: x for x in r.json()["items"]}
    assert rows["Dreef"] == {
        "locationId": str(a.id), "name": "Dreef", "openSignals": 2, "overdueSignals": 1,
        "openAgreements": 2, "overdueAgreements": 1,
        "lastMeetingOn": str(day - timedelta(days=10)), "conditionsDue": 1,
        "signals": {"last3": 2, "previous3": 3, "direction": "down"},
    }  # fmt: skip
    assert rows["Kerklaan"]["signals"] == {"last3": 1, "previous3": 0, "direction": "up"}
    assert rows["Kerklaan"]["lastMeetingOn"] is None
    # A partner: only its own location; another's is a 404.
    hp = build.headers_for(Role.partner, ours)
    r = await client.get(URL, headers=hp)
    assert [x["name"] for x in r.json()["items"]] == ["Dreef"]
    assert (await client.get(f"{URL}/{a.id}", headers=hp)).status_code == 200
    assert (await client.get(f"{URL}/{b.id}", headers=hp)).status_code == 404


async def test_roles_and_bad_input(client: httpx.AsyncClient, build: Builder, db: Database) -> None:
    a = await records.location(db, await build.partner())
    assert (await client.get(URL)).status_code == 401
    assert (await client.get(f"{URL}/{a.id}")).status_code == 401
    fin = build.headers_for(Role.finance)
    assert (await client.get(URL, headers=fin)).status_code == 403
    assert (await client.get(f"{URL}/{a.id}", headers=fin)).status_code == 403
    h = build.headers_for(Role.admin)
    assert (await client.get(f"{URL}/not-an-id", headers=h)).status_code == 400
    r = await client.get(f"{URL}/6f1c6a9e-7d5e-4a50-8d2c-3f4b5a6c7d8e", headers=h)
    assert r.status_code == 404
    r = await client.get(f"{URL}/{a.id}", headers=h)
    assert r.status_code == 200
    assert r.json()["openSignals"]["total"] == 0 and r.json()["meetings"] == []
