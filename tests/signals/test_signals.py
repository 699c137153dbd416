"""Signals: every rule and role, the status flow, follow-up actions and `overdue` at its
boundary, on both engines."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from api.db import Database
from api.models import (
    AuditEvent,
    Role,
    Severity,
    Signal,
    SignalAction,
    SignalCategory,
    SignalStatus,
)
from api.signals import service
from tests.support import records, signals
from tests.support.builders import Builder, problem

URL = "/api/v1/signals"
NOWHERE = "6f1c6a9e-7d5e-4a50-8d2c-3f4b5a6c7d8e"


Call = tuple[str, str, dict[str, Any]]


def body(venue: Any = None, **extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "reportedAt": "2024-03-01T21:15:00+01:00",
        "source": "resident",
        "category": "nuisance",
        "severity": "medium",
        "summary": "Harde muziek na 23:00 op de tweede verdieping.",
        **extra,
    }
    if venue is not None:
        data["locationId"] = str(venue.id)
    return data


async def count_signals(db: Database) -> int:
    async with db.sessionmaker() as session:
        return int(await session.scalar(select(func.count(Signal.id))) or 0)


async def test_create_read_list_and_filter(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    venue = await records.location(db, await build.partner())
    h = build.headers_for(Role.coordinator)
    r = await client.post(URL, json=body(venue), headers=h)
    assert r.status_code == 201, r.text
    created = r.json()
    assert set(created) == {
        "id", "version", "createdAt", "updatedAt", "reportedAt", "source", "category",
        "severity", "locationId", "summary", "status", "resolvedAt", "overdue", "actions",
        "ownerUserId", "ownerEmail", "dueAt",
    }  # fmt: skip
    assert created["reportedAt"] == "2024-03-01T20:15:00Z"  # kept in UTC
    # Medium: due 14 days after the report, long past, so overdue (issue 18's rule).
    assert created["dueAt"] == "2024-03-15T20:15:00Z"
    assert (created["status"], created["resolvedAt"], created["overdue"]) == ("open", None, True)
    assert created["actions"] == [] and created["locationId"] == str(venue.id)
    assert r.headers["etag"] == '"1"'
    assert r.headers["location"] == f"{URL}/{created['id']}"
    r = await client.get(f"{URL}/{created['id']}", headers=h)
    assert r.status_code == 200 and r.json() == created and r.headers["etag"] == '"1"'
    # Without a location (coordinator), high severity, reported later.
    later = body(None, reportedAt="2024-05-02T08:00:00Z", severity="high", category="need")
    r = await client.post(URL, json=later, headers=h)
    assert r.status_code == 201, r.text
    second = r.json()
    assert second["locationId"] is None and second["overdue"] is True  # two years ago
    r = await client.get(URL, headers=h)
    assert [s["id"] for s in r.json()["items"]] == [second["id"], created["id"]]  # newest first
    assert "actions" not in r.json()["items"][0]
    r = await client.get(f"{URL}?sort=reportedAt", headers=h)
    assert [s["id"] for s in r.json()["items"]] == [created["id"], second["id"]]
    for query, found in [
        ("status=open", 2),
        ("status=resolved", 0),
        ("severity=high", 1),
        ("category=nuisance", 1),
        (f"locationId={venue.id}", 1),
        ("overdue=true", 2),
        ("overdue=false", 0),
        ("dueBefore=2024-03-15T20:15:01Z", 1),
        ("dueBefore=2024-03-15T20:15:00Z", 0),  # exclusive
        ("from=2024-03-01T20:15:00Z", 2),  # inclusive
        ("from=2024-03-01T20:15:01Z", 1),
        ("to=2024-03-01T21:15:00%2B01:00", 1),  # inclusive, any offset
        ("from=2024-01-01T00:00:00Z&to=2024-02-01T00:00:00Z", 0),
    ]:
        r = await client.get(f"{URL}?{query}", headers=h)
        assert r.status_code == 200, (query, r.text)
        assert r.json()["total"] == found, query


async def test_roles_and_scope(client: httpx.AsyncClient, build: Builder, db: Database) -> None:
    mine_p, other_p = await build.partner(), await build.partner()
    mine = await records.location(db, mine_p)
    theirs = await records.location(db, other_p)
    own = await signals.signal(db, venue=mine)
    foreign = await signals.signal(db, venue=theirs)
    nowhere = await signals.signal(db)  # no location: not a partner's
    action = {"note": "Bewoners gesproken."}
    calls: list[Call] = [
        ("GET", URL, {}),
        ("POST", URL, {"json": body(mine)}),
        ("GET", f"{URL}/{own.id}", {}),
        ("PATCH", f"{URL}/{own.id}", {"json": {"status": "in_progress"}}),
        ("POST", f"{URL}/{own.id}/actions", {"json": action}),
    ]
    for method, url, kw in calls:
        r = await client.request(method, url, **kw)
        assert r.status_code == 401, (method, url)
        problem(r)
        for role in (Role.finance, Role.viewer):  # counts only, through the reports
            r = await client.request(method, url, headers=build.headers_for(role), **kw)
            assert r.status_code == 403, (role, method, url)
            problem(r)
    h = build.headers_for(Role.partner, mine_p)
    r = await client.get(URL, headers=h)
    assert [s["id"] for s in r.json()["items"]] == [str(own.id)]
    assert (await client.get(f"{URL}/{own.id}", headers=h)).status_code == 200
    for hidden in (foreign, nowhere):
        hidden_calls: list[Call] = [
            ("GET", f"{URL}/{hidden.id}", {}),
            ("PATCH", f"{URL}/{hidden.id}", {"json": {"status": "in_progress"}}),
            ("POST", f"{URL}/{hidden.id}/actions", {"json": action}),
        ]
        for method, url, kw in hidden_calls:
            r = await client.request(method, url, headers=h, **kw)
            assert r.status_code == 404, (method, url)
            problem(r)
    # Registering about another partner's location, or none: a 400 naming locationId
    # (another's location is answered like a missing one).
    for venue in (theirs, None):
        r = await client.post(URL, json=body(venue), headers=h)
        assert r.status_code == 400, r.text
        assert [e["name"] for e in problem(r)["errors"]] == ["locationId"]
    r = await client.post(URL, json=body(mine), headers=h)
    assert r.status_code == 201, r.text
    created = r.json()
    for moved in (str(theirs.id), None):
        r = await client.patch(f"{URL}/{created['id']}", json={"locationId": moved}, headers=h)
        assert r.status_code == 400, r.text
        assert [e["name"] for e in problem(r)["errors"]] == ["locationId"]
    r = await client.patch(f"{URL}/{created['id']}", json={"status": "in_progress"}, headers=h)
    assert r.status_code == 200 and r.json()["status"] == "in_progress"
    r = await client.post(f"{URL}/{created['id']}/actions", json=action, headers=h)
    assert r.status_code == 201 and r.json()["authorRole"] == "partner"
    # An API client of the partner works the same way and is named as such.
    api_client = await build.api_client(mine_p)
    r = await client.post(
        f"{URL}/{own.id}/actions", json=action, headers=build.client_headers(api_client)
    )
    assert r.status_code == 201 and r.json()["authorType"] == "client"
    # Admin and coordinator see all three (and the partner's new one).
    for role in (Role.admin, Role.coordinator):
        r = await client.get(URL, headers=build.headers_for(role))
        assert r.json()["total"] == 4
    r = await client.patch(
        f"{URL}/{foreign.id}", json={"locationId": None}, headers=build.headers_for(Role.admin)
    )
    assert r.status_code == 200 and r.json()["locationId"] is None


async def test_bad_input_lists_every_problem(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    h = build.headers_for(Role.coordinator)
    r = await client.post(
        URL,
        json={
            "reportedAt": "2024-03-01T21:15:00",  # no offset: not RFC 3339
            "source": "neighbour",
            "category": "gossip",
            "severity": "urgent",
            "summary": "x" * 2001,
            "givenName": "Olena",  # names are not stored: not even accepted
        },
        headers=h,
    )
    assert r.status_code == 400
    names = {e["name"] for e in problem(r)["errors"]}
    assert names == {"reportedAt", "source", "category", "severity", "summary", "givenName"}
    r = await client.post(URL, json={"summary": "   "}, headers=h)
    assert r.status_code == 400
    names = {e["name"] for e in problem(r)["errors"]}
    assert names == {"reportedAt", "source", "category", "severity", "summary"}
    future = (datetime.now(UTC) + timedelta(hours=1)).isoformat()
    r = await client.post(URL, json=body(None, reportedAt=future, locationId=NOWHERE), headers=h)
    assert r.status_code == 400
    p = problem(r)
    assert p["type"] == "urn:opvang:problem:invalid-input"
    assert sorted(e["name"] for e in p["errors"]) == ["locationId", "reportedAt"]
    r = await client.get(
        f"{URL}?status=lost&severity=x&overdue=maybe&from=yesterday&pageSize=501&name=x", headers=h
    )
    assert r.status_code == 400
    names = {e["name"] for e in problem(r)["errors"]}
    assert names == {"status", "severity", "overdue", "from", "pageSize", "name"}
    r = await client.get(f"{URL}?from=2024-03-02T00:00:00Z&to=2024-03-01T00:00:00Z", headers=h)
    assert r.status_code == 400
    assert [e["name"] for e in problem(r)["errors"]] == ["to"]
    r = await client.get(f"{URL}?sort=summary", headers=h)
    assert r.status_code == 400
    made = await signals.signal(db)
    r = await client.patch(
        f"{URL}/{made.id}",
        json={"status": None, "summary": None, "reportedAt": future, "severity": "x"},
        headers=h,
    )
    assert r.status_code == 400
    names = {e["name"] for e in problem(r)["errors"]}
    assert names == {"severity"}  # schema problems first: the rest is checked once it parses
    r = await client.patch(
        f"{URL}/{made.id}",
        json={"status": None, "summary": None, "reportedAt": future, "locationId": NOWHERE},
        headers=h,
    )
    assert r.status_code == 400
    listed = sorted(e["name"] for e in problem(r)["errors"])
    assert listed == ["locationId", "reportedAt", "status", "summary"]
    r = await client.post(f"{URL}/{made.id}/actions", json={"note": ""}, headers=h)
    assert r.status_code == 400
    assert [e["name"] for e in problem(r)["errors"]] == ["note"]
    r = await client.post(f"{URL}/{NOWHERE}/actions", json={"note": "x"}, headers=h)
    assert r.status_code == 404
    problem(r)
    assert (await client.get(f"{URL}/{NOWHERE}", headers=h)).status_code == 404
    assert await count_signals(db) == 1


async def test_status_flow(client: httpx.AsyncClient, build: Builder, db: Database) -> None:
    made = await signals.signal(db)
    h = build.headers_for(Role.coordinator)
    url = f"{URL}/{made.id}"

    async def move(to: str, expect: int, **headers: str) -> dict[str, Any]:
        r = await client.patch(url, json={"status": to}, headers={**h, **headers})
        assert r.status_code == expect, (to, r.text)
        return r.json() if expect == 200 else problem(r)

    p = await move("resolved", 409)  # open must be picked up first
    assert p["type"] == "urn:opvang:problem:status-flow"
    assert (p["field"], p["from"], p["to"]) == ("status", "open", "resolved")
    assert (await move("open", 200))["version"] == 1  # staying put is no move
    assert (await move("in_progress", 200, **{"If-Match": '"1"'}))["version"] == 2
    await move("resolved", 412, **{"If-Match": '"1"'})
    await move("open", 409)
    before = datetime.now(UTC)
    resolved = await move("resolved", 200)
    at = datetime.fromisoformat(resolved["resolvedAt"])
    assert before - timedelta(seconds=1) <= at <= datetime.now(UTC)
    await move("open", 409)
    reopened = await move("in_progress", 200)
    assert reopened["resolvedAt"] is None
    # Other fields change freely, together with a move.
    r = await client.patch(
        url, json={"status": "resolved", "severity": "high", "category": "safety"}, headers=h
    )
    assert r.status_code == 200
    assert (r.json()["status"], r.json()["severity"], r.json()["category"]) == (
        "resolved",
        "high",
        "safety",
    )
    assert r.json()["overdue"] is False  # resolved is never overdue
    # ORM writes are audited automatically.
    async with db.sessionmaker() as session:
        events = await session.scalar(
            select(func.count(AuditEvent.id)).where(AuditEvent.entity_id == str(made.id))
        )
    assert events and events >= 4


async def test_actions(client: httpx.AsyncClient, build: Builder, db: Database) -> None:
    made = await signals.signal(db)
    h = build.headers_for(Role.coordinator)
    r = await client.post(
        f"{URL}/{made.id}/actions", json={"note": "  Gebeld met COA.  "}, headers=h
    )
    assert r.status_code == 201, r.text
    first = r.json()
    assert set(first) == {"id", "note", "authorType", "authorRole", "createdAt"}  # no author id
    assert (first["note"], first["authorType"], first["authorRole"]) == (
        "Gebeld met COA.",
        "user",
        "coordinator",
    )
    r = await client.post(
        f"{URL}/{made.id}/actions",
        json={"note": "Buurtbemiddeling ingeschakeld."},
        headers=build.headers_for(Role.admin),
    )
    assert r.status_code == 201
    r = await client.get(f"{URL}/{made.id}", headers=h)
    read = r.json()
    assert [a["note"] for a in read["actions"]] == [
        "Gebeld met COA.",
        "Buurtbemiddeling ingeschakeld.",
    ]
    assert read["actions"][0] == first
    assert read["version"] == 3 and r.headers["etag"] == '"3"'  # each action: a new version
    async with db.sessionmaker() as session:
        author = await session.scalar(
            select(SignalAction.author_id).where(SignalAction.id == uuid.UUID(first["id"]))
        )
    assert author is not None  # kept for the record, not answered
    async with db.sessionmaker() as session:
        logged = await session.scalars(
            select(AuditEvent.details).where(
                AuditEvent.entity_id == str(made.id), AuditEvent.action == "action_added"
            )
        )
        assert {d["actionId"] for d in logged} == {a["id"] for a in read["actions"]}
    r = await client.post(f"{URL}/{made.id}/actions", json={"note": "x", "by": "me"}, headers=h)
    assert r.status_code == 400


@pytest.mark.parametrize("days", [7])
async def test_overdue_at_the_boundary(
    client: httpx.AsyncClient,
    build: Builder,
    db: Database,
    monkeypatch: pytest.MonkeyPatch,
    days: int,
) -> None:
    clock = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
    monkeypatch.setattr(service, "now", lambda: clock)
    cutoff = clock - timedelta(days=days)
    high, medium = Severity.high, Severity.medium
    made = {
        "exactly": await signals.signal(db, reported_at=cutoff, severity=high),
        "just_over": await signals.signal(
            db, reported_at=cutoff - timedelta(microseconds=1), severity=high
        ),
        "in_progress": await signals.signal(
            db, reported_at=cutoff - timedelta(days=30), severity=high,
            status=SignalStatus.in_progress,
        ),
        "resolved": await signals.signal(
            db, reported_at=cutoff - timedelta(days=30), severity=high,
            status=SignalStatus.resolved,
        ),
        "medium": await signals.signal(
            db, reported_at=cutoff - timedelta(days=30), severity=medium,
            category=SignalCategory.safety,
        ),
    }  # fmt: skip
    h = build.headers_for(Role.coordinator)
    expected = {"just_over", "in_progress"}
    ids = {str(s.id): name for name, s in made.items()}
    r = await client.get(f"{URL}?overdue=true", headers=h)
    assert {ids[s["id"]] for s in r.json()["items"]} == expected
    r = await client.get(f"{URL}?overdue=false", headers=h)
    assert {ids[s["id"]] for s in r.json()["items"]} == set(made) - expected
    r = await client.get(f"{URL}?pageSize=10", headers=h)
    assert {ids[s["id"]] for s in r.json()["items"] if s["overdue"]} == expected
    for name, row in made.items():
        r = await client.get(f"{URL}/{row.id}", headers=h)
        assert r.json()["overdue"] is (name in expected), name
    # Resolving takes it off the list; a day later the boundary one is overdue too.
    r = await client.patch(
        f"{URL}/{made['in_progress'].id}", json={"status": "resolved"}, headers=h
    )
    assert r.json()["overdue"] is False
    clock += timedelta(days=1)
    r = await client.get(f"{URL}?overdue=true", headers=h)
    assert {ids[s["id"]] for s in r.json()["items"]} == {"just_over", "exactly"}
