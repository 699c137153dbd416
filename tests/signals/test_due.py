"""A signal's due date (issue 18): reportedAt plus the days its severity allows, set on
entry (dashboard and partner events), recomputed on a severity or reportedAt change;
`overdue` = not resolved and past it; the `dueBefore` filter."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import pytest

from api.db import Database
from api.models import Role, Severity, SignalStatus
from api.signals import service
from tests.draagvlak import world
from tests.signals.test_signals import URL, body
from tests.support import records
from tests.support.builders import Builder


@pytest.mark.parametrize(
    ("severity", "due"),
    [
        ("high", "2024-03-08T10:00:00Z"),
        ("medium", "2024-03-15T10:00:00Z"),
        ("low", "2024-03-29T10:00:00Z"),
    ],
)
async def test_due_on_create_by_severity(
    client: httpx.AsyncClient, build: Builder, severity: str, due: str
) -> None:
    h = build.headers_for(Role.coordinator)
    r = await client.post(
        URL, json=body(reportedAt="2024-03-01T10:00:00Z", severity=severity), headers=h
    )
    assert r.status_code == 201, r.text
    assert r.json()["dueAt"] == due


async def test_due_recomputed_on_severity_and_reported_change(
    client: httpx.AsyncClient, build: Builder
) -> None:
    h = build.headers_for(Role.coordinator)
    made = (await client.post(URL, json=body(reportedAt="2024-03-01T10:00:00Z"), headers=h)).json()
    assert made["dueAt"] == "2024-03-15T10:00:00Z"
    url = f"{URL}/{made['id']}"
    r = await client.patch(url, json={"severity": "high"}, headers=h)
    assert r.status_code == 200 and r.json()["dueAt"] == "2024-03-08T10:00:00Z"
    r = await client.patch(url, json={"reportedAt": "2024-04-01T10:00:00Z"}, headers=h)
    assert r.json()["dueAt"] == "2024-04-08T10:00:00Z"
    r = await client.patch(url, json={"summary": "Anders verwoord."}, headers=h)
    assert r.json()["dueAt"] == "2024-04-08T10:00:00Z"  # unchanged


async def test_overdue_is_past_due(
    client: httpx.AsyncClient, build: Builder, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
    monkeypatch.setattr(service, "now", lambda: clock)
    venue = await records.location(db, await build.partner())
    sig = world.signal
    ids = {str(k): v for k, v in {
        # Medium and low signals are overdue too once past their due date.
        await sig(db, venue, "2026-02-01T12:00", due="2026-03-10T11:59"): "past",
        await sig(db, venue, "2026-03-01T12:00", due="2026-03-10T12:00"): "exactly",
        await sig(db, venue, "2026-01-01T12:00", due="2026-02-01T12:00",
                  status=SignalStatus.in_progress): "in_progress",
        await sig(db, venue, "2026-01-01T12:00", "2026-01-02T12:00",
                  due="2026-02-01T12:00"): "resolved",
        # Without a due date: the older rule (high, more than 7 days).
        await sig(db, venue, "2026-03-01T12:00", severity=Severity.high): "legacy",
        await sig(db, venue, "2026-03-01T12:00", severity=Severity.low): "legacy_low",
    }.items()}  # fmt: skip
    h = build.headers_for(Role.coordinator)
    r = await client.get(URL, params={"overdue": "true"}, headers=h)
    assert {ids[s["id"]] for s in r.json()["items"]} == {"past", "in_progress", "legacy"}
    r = await client.get(URL, params={"overdue": "false"}, headers=h)
    assert {ids[s["id"]] for s in r.json()["items"]} == {"exactly", "resolved", "legacy_low"}
    r = await client.get(URL, params={"dueBefore": "2026-03-10T12:00:00Z"}, headers=h)
    assert {ids[s["id"]] for s in r.json()["items"]} == {"past", "in_progress", "resolved"}
    r = await client.get(URL, params={"dueBefore": "gisteren"}, headers=h)
    assert r.status_code == 400
