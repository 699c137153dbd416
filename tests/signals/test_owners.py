"""A signal's owner (a staff user), the staff who may own one (GET /signal-owners), the
`owner` filter ("mijn signalen") and a follow-up note that moves the status, on both
engines."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
from sqlalchemy import select

from api.auth.principal import Principal
from api.db import Database
from api.models import Role, Signal, SignalStatus, User
from tests.signals.test_signals import URL, body
from tests.support import records, signals
from tests.support.builders import Builder, problem

OWNERS = "/api/v1/signal-owners"
NOBODY = "6f1c6a9e-7d5e-4a50-8d2c-3f4b5a6c7d8e"


def as_user(build: Builder, user: User) -> dict[str, str]:
    principal = Principal(kind="user", id=user.id, role=user.role, partner_id=user.partner_id)
    return {"Authorization": f"Bearer {build.token(principal)}"}


async def listed(client: httpx.AsyncClient, h: dict[str, str], **query: Any) -> list[str]:
    r = await client.get(URL, params=query, headers=h)
    assert r.status_code == 200, r.text
    return [s["id"] for s in r.json()["items"]]


async def test_owner_on_create_patch_and_filter(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    coordinator = await build.user(Role.coordinator, email="anna@heemstede.example")
    admin = await build.user(Role.admin, email="bart@heemstede.example")
    mine = as_user(build, coordinator)
    r = await client.post(URL, json=body(ownerUserId=str(coordinator.id)), headers=mine)
    assert r.status_code == 201, r.text
    created = r.json()
    assert (created["ownerUserId"], created["ownerEmail"]) == (
        str(coordinator.id),
        "anna@heemstede.example",
    )
    unowned = (await client.post(URL, json=body(), headers=mine)).json()
    assert (unowned["ownerUserId"], unowned["ownerEmail"]) == (None, None)
    # "Mijn signalen": the caller's own; `none`: nobody's; an id: that user's.
    assert await listed(client, mine, owner="me") == [created["id"]]
    assert await listed(client, as_user(build, admin), owner="me") == []
    assert await listed(client, mine, owner="none") == [unowned["id"]]
    assert await listed(client, mine, owner=str(coordinator.id)) == [created["id"]]
    # The list answers the owner's address too, and sorts by it.
    r = await client.get(URL, params={"sort": "ownerEmail"}, headers=mine)
    assert r.status_code == 200
    emails = [i["ownerEmail"] for i in r.json()["items"] if i["ownerEmail"]]
    assert emails == ["anna@heemstede.example"]
    # Given to the admin, then to nobody.
    r = await client.patch(
        f"{URL}/{unowned['id']}", json={"ownerUserId": str(admin.id)}, headers=mine
    )
    assert r.status_code == 200 and r.json()["ownerEmail"] == "bart@heemstede.example"
    assert await listed(client, as_user(build, admin), owner="me") == [unowned["id"]]
    r = await client.patch(f"{URL}/{unowned['id']}", json={"ownerUserId": None}, headers=mine)
    assert r.status_code == 200 and r.json()["ownerUserId"] is None
    # A deleted user leaves the signal without an owner.
    r = await client.delete(f"/api/v1/users/{coordinator.id}", headers=as_user(build, admin))
    assert r.status_code == 204, r.text
    async with db.sessionmaker() as session:
        owner = await session.scalar(
            select(Signal.owner_user_id).where(Signal.id == uuid.UUID(created["id"]))
        )
    assert owner is None


async def test_owner_must_be_staff_and_set_by_staff(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    partner = await build.partner()
    venue = await records.location(db, partner)
    finance = await build.user(Role.finance)
    partner_user = await build.user(Role.partner, partner=partner)
    h = build.headers_for(Role.coordinator)
    for who in (str(finance.id), str(partner_user.id), NOBODY):
        r = await client.post(URL, json=body(ownerUserId=who), headers=h)
        assert r.status_code == 400, r.text
        assert [e["name"] for e in problem(r)["errors"]] == ["ownerUserId"]
    # Every problem at once: the owner beside a future date.
    r = await client.post(
        URL, json=body(ownerUserId=NOBODY, reportedAt="2999-01-01T00:00:00Z"), headers=h
    )
    assert sorted(e["name"] for e in problem(r)["errors"]) == ["ownerUserId", "reportedAt"]
    for bad in ("you", "12345", "me,none"):
        r = await client.get(URL, params={"owner": bad}, headers=h)
        assert r.status_code == 400, bad
        assert [e["name"] for e in problem(r)["errors"]] == ["owner"]
    # A partner works on its signals but does not choose the municipality's owner.
    staff = await build.user(Role.coordinator)
    ph = as_user(build, partner_user)
    r = await client.post(URL, json=body(venue, ownerUserId=str(staff.id)), headers=ph)
    assert r.status_code == 403, r.text
    problem(r)
    own = await signals.signal(db, venue=venue)
    r = await client.patch(f"{URL}/{own.id}", json={"ownerUserId": str(staff.id)}, headers=ph)
    assert r.status_code == 403, r.text
    r = await client.patch(
        f"{URL}/{own.id}",
        json={"ownerUserId": str(staff.id)},
        headers=build.headers_for(Role.admin),
    )
    assert r.status_code == 200
    # ... and sees who owns it; "mine" is empty for a partner (never an owner).
    r = await client.get(f"{URL}/{own.id}", headers=ph)
    assert r.json()["ownerUserId"] == str(staff.id)
    assert await listed(client, ph, owner="me") == []


async def test_signal_owners(client: httpx.AsyncClient, build: Builder, db: Database) -> None:
    partner = await build.partner()
    staff = [
        await build.user(Role.admin, email="a-admin@heemstede.example"),
        await build.user(Role.coordinator, email="b-coord@heemstede.example"),
    ]
    await build.user(Role.finance, email="c-finance@heemstede.example")
    await build.user(Role.viewer, email="d-viewer@heemstede.example")
    await build.user(Role.partner, partner=partner, email="e-partner@heemstede.example")
    r = await client.get(OWNERS)
    assert r.status_code == 401
    for role in (Role.finance, Role.viewer, Role.partner):
        who = partner if role is Role.partner else None
        r = await client.get(OWNERS, headers=build.headers_for(role, who))
        assert r.status_code == 403, role
        problem(r)
    for h in (as_user(build, staff[0]), as_user(build, staff[1])):
        r = await client.get(OWNERS, params={"pageSize": 500}, headers=h)
        assert r.status_code == 200, r.text
        items = r.json()["items"]
        assert all(set(i) == {"id", "email", "role"} for i in items)
        emails = [i["email"] for i in items]
        assert {"a-admin@heemstede.example", "b-coord@heemstede.example"} <= set(emails)
        assert not any(e.startswith(("c-", "d-", "e-")) for e in emails)
        assert {i["role"] for i in items} <= {"admin", "coordinator"}
        assert emails == sorted(emails)
    r = await client.get(OWNERS, params={"sort": "role"}, headers=build.headers_for(Role.admin))
    assert r.status_code == 400


async def test_a_note_that_moves_the_status(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    made = await signals.signal(db)
    h = build.headers_for(Role.coordinator)
    # Resolving an open signal with a note: picked up and resolved in one step.
    r = await client.post(
        f"{URL}/{made.id}/actions", json={"note": "Opgelost.", "status": "resolved"}, headers=h
    )
    assert r.status_code == 201, r.text
    read = (await client.get(f"{URL}/{made.id}", headers=h)).json()
    assert read["status"] == "resolved" and read["resolvedAt"] is not None
    assert [a["note"] for a in read["actions"]] == ["Opgelost."]
    # Back to open is no move of the flow: a 409, and the note is not kept.
    r = await client.post(
        f"{URL}/{made.id}/actions", json={"note": "Toch niet.", "status": "open"}, headers=h
    )
    assert r.status_code == 409
    assert problem(r)["to"] == "open"
    read = (await client.get(f"{URL}/{made.id}", headers=h)).json()
    assert len(read["actions"]) == 1
    # Reopened with a note.
    r = await client.post(
        f"{URL}/{made.id}/actions",
        json={"note": "Nieuwe melding.", "status": "in_progress"},
        headers=h,
    )
    assert r.status_code == 201
    read = (await client.get(f"{URL}/{made.id}", headers=h)).json()
    assert (read["status"], read["resolvedAt"]) == ("in_progress", None)
    # A PATCH keeps the strict flow: open cannot jump to resolved there.
    other = await signals.signal(db, status=SignalStatus.open)
    r = await client.patch(f"{URL}/{other.id}", json={"status": "resolved"}, headers=h)
    assert r.status_code == 409
