"""The agreements API and their notes: one owner at most (both named), the location taken
from the meeting and matching it, the status flow with doneOn, reopening by staff only,
overdue computed in SQL (and filtered on), the BSN refusal, the roles, and a partner that
manages the agreements assigned to it (status and notes) and is refused on another's."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx

from api.common.calendar import today
from api.db import Database
from api.models import PartnerKind, Role
from tests.meetings.test_meetings import BSN, codes, meeting
from tests.support import records
from tests.support.builders import Builder

API = "/api/v1"


async def agreement(client: httpx.AsyncClient, h: dict[str, str], **extra: Any) -> dict[str, Any]:
    body = {"description": "Jongerenwerk loopt extra rondes.", **extra}
    r = await client.post(f"{API}/agreements", json=body, headers=h)
    assert r.status_code == 201, r.text
    return r.json()  # type: ignore[no-any-return]


async def test_flow_and_overdue(client: httpx.AsyncClient, build: Builder, db: Database) -> None:
    coa = await build.partner()
    loc = await records.location(db, coa)
    h = build.headers_for(Role.coordinator)
    m = await meeting(client, h, locationId=str(loc.id))
    late = (today() - timedelta(days=3)).isoformat()
    a = await agreement(client, h, meetingId=m["id"], dueOn=late)
    assert (a["locationId"], a["status"], a["overdue"], a["doneOn"]) == (
        str(loc.id),
        "open",
        True,
        None,
    )
    b = await agreement(client, h, dueOn=(today() + timedelta(days=30)).isoformat())
    assert b["overdue"] is False and b["locationId"] is None
    r = await client.get(f"{API}/agreements?overdue=true", headers=h)
    assert [i["id"] for i in r.json()["items"]] == [a["id"]]
    r = await client.get(f"{API}/agreements?overdue=false", headers=h)
    assert [i["id"] for i in r.json()["items"]] == [b["id"]]
    r = await client.get(f"{API}/agreements?meetingId={m['id']}", headers=h)
    assert [i["id"] for i in r.json()["items"]] == [a["id"]]
    r = await client.get(f"{API}/agreements?locationId={loc.id}&status=open", headers=h)
    assert [i["id"] for i in r.json()["items"]] == [a["id"]]
    url = f"{API}/agreements/{a['id']}"
    r = await client.patch(url, json={"status": "in_progress"}, headers=h)
    assert r.json()["status"] == "in_progress" and r.json()["overdue"] is True
    r = await client.patch(url, json={"status": "done"}, headers=h)
    assert (r.json()["doneOn"], r.json()["overdue"]) == (today().isoformat(), False)
    # done -> cancelled is no move: 409.
    r = await client.patch(url, json={"status": "cancelled"}, headers=h)
    assert r.status_code == 409
    # Staff reopen: doneOn cleared.
    r = await client.patch(url, json={"status": "open"}, headers=h)
    assert (r.json()["status"], r.json()["doneOn"]) == ("open", None)
    # Notes: oldest first, with the author's role.
    r = await client.post(f"{url}/notes", json={"note": "Eerste ronde gelopen."}, headers=h)
    assert r.status_code == 201, r.text
    assert r.json()["authorRole"] == "coordinator"
    await client.post(f"{url}/notes", json={"note": "Tweede ronde."}, headers=h)
    notes = (await client.get(f"{url}/notes", headers=h)).json()
    assert [n["note"] for n in notes] == ["Eerste ronde gelopen.", "Tweede ronde."]
    r = await client.post(f"{url}/notes", json={"note": f"BSN {BSN}"}, headers=h)
    assert r.status_code == 400 and codes(r) == {"note": "text_holds_bsn"}
    assert (await client.delete(url, headers=h)).status_code == 204
    assert (await client.get(f"{url}/notes", headers=h)).status_code == 404


async def test_every_problem_is_named(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    coa = await build.partner()
    loc, elsewhere = await records.location(db, coa), await records.location(db, coa)
    h = build.headers_for(Role.admin)
    finance = await build.user(Role.finance)
    m = await meeting(client, h, locationId=str(loc.id))
    body = {
        "description": f"Bel {BSN}",
        "partnerId": str(coa.id),
        "ownerUserId": str(finance.id),
        "meetingId": m["id"],
        "locationId": str(elsewhere.id),
    }
    r = await client.post(f"{API}/agreements", json=body, headers=h)
    assert r.status_code == 400 and codes(r) == {"description": "text_holds_bsn"}
    body["description"] = "Een telefoonnummer voor de buren."
    r = await client.post(f"{API}/agreements", json=body, headers=h)
    assert r.status_code == 400
    assert codes(r) == {
        "partnerId": "one_of",
        "ownerUserId": "not_found",  # finance is no staff owner
        "locationId": "location_mismatch",
    }
    staff = await build.user(Role.coordinator)
    del body["partnerId"]
    body.update(ownerUserId=str(staff.id), locationId=str(loc.id), status="done")
    a = await agreement(client, h, **body)
    assert (a["ownerUserId"], a["doneOn"]) == (str(staff.id), today().isoformat())
    assert (await client.get(f"{API}/agreements", headers=h)).json()["total"] == 1
    r = await client.patch(
        f"{API}/agreements/{a['id']}", json={"partnerId": str(coa.id)}, headers=h
    )
    assert r.status_code == 400 and set(codes(r)) == {"partnerId", "ownerUserId"}


async def test_partner_manages_its_own_agreements(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    welzijn = await build.partner("Welzijn", PartnerKind.welfare)
    operator, other = await build.partner("Operator"), await build.partner("Ander")
    loc = await records.location(db, operator)
    theirs = await records.location(db, other)
    staff = build.headers_for(Role.coordinator)
    m = await meeting(client, staff, locationId=str(loc.id))
    own = await agreement(client, staff, meetingId=m["id"], partnerId=str(welzijn.id))
    staffs = await agreement(client, staff, meetingId=m["id"])
    hidden = await agreement(client, staff, locationId=str(theirs.id))
    w = build.headers_for(Role.partner, welzijn)
    # Welzijn sees its own agreement only (it operates nothing).
    r = await client.get(f"{API}/agreements", headers=w)
    assert [i["id"] for i in r.json()["items"]] == [own["id"]]
    assert (own["partnerName"], own["locationName"]) == ("Welzijn", loc.name)
    url = f"{API}/agreements/{own['id']}"
    r = await client.patch(url, json={"status": "in_progress"}, headers=w)
    assert r.status_code == 200, r.text
    r = await client.post(f"{url}/notes", json={"note": "Extra rondes gelopen."}, headers=w)
    assert r.status_code == 201 and r.json()["authorRole"] == "partner"
    r = await client.patch(url, json={"status": "done"}, headers=w)
    assert r.json()["status"] == "done"
    # Nothing else: another field, reopening.
    assert (await client.patch(url, json={"dueOn": "2030-01-01"}, headers=w)).status_code == 403
    assert (await client.patch(url, json={"status": "open"}, headers=w)).status_code == 403
    assert (await client.delete(url, headers=w)).status_code == 403
    body = {"description": "x", "partnerId": str(welzijn.id)}
    assert (await client.post(f"{API}/agreements", json=body, headers=w)).status_code == 403
    # Others' agreements: not found.
    for a in (staffs, hidden):
        u = f"{API}/agreements/{a['id']}"
        assert (await client.get(u, headers=w)).status_code == 404
        assert (await client.patch(u, json={"status": "done"}, headers=w)).status_code == 404
        assert (await client.post(f"{u}/notes", json={"note": "x"}, headers=w)).status_code == 404
    # The operator reads its location's agreements but manages none of them (403).
    o = build.headers_for(Role.partner, operator)
    r = await client.get(f"{API}/agreements", headers=o)
    assert {i["id"] for i in r.json()["items"]} == {own["id"], staffs["id"]}
    u = f"{API}/agreements/{staffs['id']}"
    assert (await client.get(f"{u}/notes", headers=o)).status_code == 200
    assert (await client.patch(u, json={"status": "done"}, headers=o)).status_code == 403
    assert (await client.post(f"{u}/notes", json={"note": "x"}, headers=o)).status_code == 403


async def test_roles(client: httpx.AsyncClient, build: Builder) -> None:
    a = await agreement(client, build.headers_for(Role.admin))
    url = f"{API}/agreements/{a['id']}"
    viewer, finance = build.headers_for(Role.viewer), build.headers_for(Role.finance)
    assert (await client.get(url, headers=viewer)).status_code == 200
    assert (await client.get(f"{url}/notes", headers=viewer)).status_code == 200
    assert (await client.patch(url, json={"status": "done"}, headers=viewer)).status_code == 403
    assert (
        await client.post(f"{url}/notes", json={"note": "x"}, headers=viewer)
    ).status_code == 403
    for u in (f"{API}/agreements", url, f"{url}/notes"):
        assert (await client.get(u, headers=finance)).status_code == 403
        assert (await client.get(u)).status_code == 401


async def test_a_removed_meeting_leaves_its_agreements(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    loc = await records.location(db, await build.partner())
    h = build.headers_for(Role.coordinator)
    m = await meeting(client, h, locationId=str(loc.id), partnerIds=[str(loc.operator_partner_id)])
    a = await agreement(client, h, meetingId=m["id"])
    await client.post(f"{API}/agreements/{a['id']}/notes", json={"note": "Gedaan."}, headers=h)
    assert (await client.delete(f"{API}/meetings/{m['id']}", headers=h)).status_code == 204
    kept = (await client.get(f"{API}/agreements/{a['id']}", headers=h)).json()
    assert (kept["meetingId"], kept["locationId"]) == (None, str(loc.id))
    assert (await client.delete(f"{API}/agreements/{a['id']}", headers=h)).status_code == 204
