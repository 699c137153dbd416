"""Reimbursement claims: drafts computed through the API from a small hand-computed data
set, frozen on submit, recalculated into correction claims, the status flow with its
history and audit, at most one filed claim per scheme and period, and every role."""

from __future__ import annotations

import asyncio
import uuid
from datetime import date
from typing import Any

import httpx
from sqlalchemy import select

from api.auth.principal import Principal
from api.db import Database
from api.models import AuditEvent, Role
from tests.support import claims, records, subjects
from tests.support.builders import Builder, auth_headers, problem
from tests.support.live_server import live_server

URL = "/api/v1/reimbursement-claims"
JUNE = ("2024-06-01", "2024-06-30")
JULY = ("2024-07-01", "2024-07-10")


def finance(build: Builder) -> tuple[uuid.UUID, dict[str, str]]:
    """A finance user with a known id (to find in the history and the audit log)."""
    uid = uuid.uuid4()
    token = build.token(Principal(kind="user", id=uid, role=Role.finance))
    return uid, {"Authorization": f"Bearer {token}"}


def segments(lines: list[dict[str, Any]]) -> list[tuple[str, str, int, str, str]]:
    return [(x["rateFrom"], x["rateTo"], x["units"], x["rate"], x["amount"]) for x in lines]


async def draft(
    client: httpx.AsyncClient, h: dict[str, str], code: str, **period: str
) -> dict[str, Any]:
    r = await client.post(URL, json={"schemeCode": code, **(period or claims.PERIOD)}, headers=h)
    assert r.status_code == 201, r.text
    made: dict[str, Any] = r.json()
    return made


async def test_draft_is_computed_with_its_lines(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    data = await claims.person_days(db, await build.partner())
    uid, h = finance(build)
    made = await draft(client, h, data.scheme.code)
    assert set(made) == {
        "id", "version", "createdAt", "updatedAt", "schemeCode", "periodStart", "periodEnd",
        "status", "totalAmount", "claimedAmount", "receivedAmount", "receivedOn",
        "correctsClaimId", "computedAt", "frozenAt", "inputsHash", "note", "ratesUsed",
        "statusHistory",
    }  # fmt: skip
    assert (made["status"], made["totalAmount"], made["claimedAmount"]) == ("draft", "315.00", None)
    assert (made["frozenAt"], made["inputsHash"], made["ratesUsed"]) == (None, None, None)
    assert [(s["fromStatus"], s["toStatus"], s["actorId"]) for s in made["statusHistory"]] == [
        (None, "draft", str(uid))
    ]
    r = await client.get(f"{URL}/{made['id']}/lines", headers=h)
    assert r.status_code == 200, r.text
    lines = r.json()["items"]
    assert {x["locationId"] for x in lines} == {str(data.venue.id)}
    assert {x["locationName"] for x in lines} == {"Noodopvang A"}
    assert set(lines[0]) == {
        "locationId", "locationName", "rateFrom", "rateTo", "units", "rate", "amount",
    }  # fmt: skip
    assert segments(lines) == [
        (*JUNE, 14, "10.00", "140.00"),
        (*JULY, 14, "12.50", "175.00"),
    ]
    r = await client.get(f"{URL}/{made['id']}", headers=h)
    assert r.status_code == 200 and r.json() == made and r.headers["etag"] == '"1"'
    # Any number of drafts for the same scheme and period.
    other = await draft(client, h, data.scheme.code)
    r = await client.get(f"{URL}?schemeCode={data.scheme.code}", headers=h)
    assert {c["id"] for c in r.json()["items"]} == {made["id"], other["id"]}
    assert "statusHistory" not in r.json()["items"][0]
    for query, found in [
        ("status=draft", 2),
        ("status=submitted", 0),
        ("year=2024", 2),
        ("year=2025", 0),
        ("periodStart=2024-07-10", 2),  # overlapping, inclusive
        ("periodStart=2024-07-11", 0),
        ("periodEnd=2024-06-01", 2),
        ("periodStart=2023-01-01&periodEnd=2024-05-31", 0),
    ]:
        r = await client.get(f"{URL}?schemeCode={data.scheme.code}&{query}", headers=h)
        assert r.status_code == 200, (query, r.text)
        assert r.json()["total"] == found, query
    r = await client.get(f"{URL}?periodStart=2024-07-01&periodEnd=2024-06-01", headers=h)
    assert r.status_code == 400
    assert [e["name"] for e in problem(r)["errors"]] == ["periodEnd"]


async def test_claim_input_is_checked(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    made = await claims.scheme(db, rates=[(date(2024, 1, 1), date(2024, 6, 30), "10.00")])
    _, h = finance(build)
    bad = {"schemeCode": "NOPE", "periodStart": "2024-03-01", "periodEnd": "2024-02-01"}
    r = await client.post(URL, json=bad, headers=h)
    assert r.status_code == 400
    assert {e["name"] for e in problem(r)["errors"]} == {"schemeCode", "periodEnd"}
    codes = {e["name"]: e["code"] for e in problem(r)["errors"]}
    assert codes == {"schemeCode": "not_found", "periodEnd": "before_start"}
    r = await client.post(
        URL, json={"schemeCode": made.code, "periodStart": "x", "y": 1}, headers=h
    )
    assert r.status_code == 400
    assert {e["name"] for e in problem(r)["errors"]} == {"periodStart", "periodEnd", "y"}
    # Days no rate covers: a 400 naming the ranges, never priced as zero.
    period = {"schemeCode": made.code, "periodStart": "2023-12-01", "periodEnd": "2024-07-15"}
    r = await client.post(URL, json=period, headers=h)
    assert r.status_code == 400, r.text
    body = problem(r)
    assert body["type"] == "urn:opvang:problem:uncovered-days"
    assert "2023-12-01..2023-12-31" in body["detail"]
    assert "2024-07-01..2024-07-15" in body["detail"]
    assert len(body["errors"]) == 2
    # ... and in a form a client can word itself (with a link to add the rate).
    assert body["schemeCode"] == made.code
    assert body["uncoveredRanges"] == [
        {"from": "2023-12-01", "to": "2023-12-31"},
        {"from": "2024-07-01", "to": "2024-07-15"},
    ]
    # A stable code with the dates as parameters, for a client to say in its own language.
    assert [(e["code"], e["params"]) for e in body["errors"]] == [
        ("no_rate", {"from": "2023-12-01", "to": "2023-12-31"}),
        ("no_rate", {"from": "2024-07-01", "to": "2024-07-15"}),
    ]
    r = await client.get(f"{URL}?schemeCode={made.code}", headers=h)
    assert r.json()["total"] == 0  # nothing stored


async def test_submit_freezes_and_recalculate_files_a_correction(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    data = await claims.person_days(db, await build.partner())
    _, h = finance(build)
    made = await draft(client, h, data.scheme.code)
    url = f"{URL}/{made['id']}"
    # A draft is recalculated in place: the answer shows what changed.
    await claims.end_stay(db, data.second, date(2024, 7, 9))  # 2 July nights fewer
    r = await client.post(f"{url}/_recalculate", headers=h)
    assert r.status_code == 200, r.text
    out = r.json()
    assert (out["storedTotal"], out["currentTotal"], out["difference"]) == (
        "315.00",
        "290.00",
        "-25.00",
    )
    assert out["claim"]["totalAmount"] == "290.00" and out["claim"]["version"] == 2
    assert out["correction"] is None
    changed = [(x["storedUnits"], x["currentUnits"], x["deltaUnits"]) for x in out["lines"]]
    assert changed == [(14, 12, -2)] and out["lines"][0]["deltaAmount"] == "-25.00"
    # Submit: recomputed once and frozen; claimedAmount defaults to the total.
    await claims.end_stay(db, data.second, date(2024, 7, 11))  # back to 14 July nights
    r = await client.post(f"{url}/_submit", json={"note": "Q2/Q3 ingediend"}, headers=h)
    assert r.status_code == 200, r.text
    filed = r.json()
    assert (filed["status"], filed["totalAmount"], filed["claimedAmount"]) == (
        "submitted",
        "315.00",
        "315.00",
    )
    assert filed["frozenAt"] and len(filed["inputsHash"]) == 64
    assert filed["ratesUsed"] == [
        {"validFrom": "2024-01-01", "validTo": "2024-06-30", "amount": "10.00"},
        {"validFrom": "2024-07-01", "validTo": None, "amount": "12.50"},
    ]
    frozen_lines = (await client.get(f"{url}/lines", headers=h)).json()
    # Placements and capacity change afterwards: the claim and its lines do not.
    await claims.end_stay(db, data.second, date(2024, 7, 3))  # 8 July nights fewer
    await claims.add_capacity(db, data.venue, date(2024, 6, 15), 12)
    stay = await records.placement(
        db, await records.participant(db), data.venue, start=date(2024, 6, 29), end=date(2024, 7, 1)
    )
    assert stay
    r = await client.get(url, headers=h)
    assert r.json() == filed
    assert (await client.get(f"{url}/lines", headers=h)).json() == frozen_lines
    # Recalculating a frozen claim shows the difference line by line, changing nothing.
    r = await client.post(f"{url}/_recalculate", json={"fileCorrection": False}, headers=h)
    assert r.status_code == 200, r.text
    out = r.json()
    assert (out["storedTotal"], out["currentTotal"], out["difference"]) == (
        "315.00",
        "235.00",
        "-80.00",
    )
    assert out["claim"] == filed and out["correction"] is None
    assert [
        (x["rateFrom"], x["rateTo"], x["storedUnits"], x["storedAmount"], x["currentUnits"],
         x["currentAmount"], x["deltaUnits"], x["deltaAmount"], x["locationName"])
        for x in out["lines"]
    ] == [
        (*JUNE, 14, "140.00", 16, "160.00", 2, "20.00", "Noodopvang A"),
        (*JULY, 14, "175.00", 6, "75.00", -8, "-100.00", "Noodopvang A"),
    ]  # fmt: skip
    assert (await client.get(url, headers=h)).json() == filed
    # Filed as a correction claim: a new draft whose lines are the deltas.
    r = await client.post(f"{url}/_recalculate", json={"fileCorrection": True}, headers=h)
    assert r.status_code == 200, r.text
    correction = r.json()["correction"]
    assert (correction["status"], correction["totalAmount"], correction["correctsClaimId"]) == (
        "draft",
        "-80.00",
        made["id"],
    )
    r = await client.get(f"{URL}/{correction['id']}/lines", headers=h)
    assert segments(r.json()["items"]) == [
        (*JUNE, 2, "10.00", "20.00"),
        (*JULY, -8, "12.50", "-100.00"),
    ]
    r = await client.get(f"{URL}?correctsClaimId={made['id']}", headers=h)
    assert [c["id"] for c in r.json()["items"]] == [correction["id"]]
    # A draft correction is not yet filed: the difference still shows. Submitted, it is.
    r = await client.post(f"{URL}/{correction['id']}/_submit", headers=h)
    assert r.status_code == 200, r.text
    assert r.json()["totalAmount"] == "-80.00" and r.json()["claimedAmount"] == "-80.00"
    r = await client.post(f"{url}/_recalculate", headers=h)
    assert (r.json()["difference"], r.json()["lines"]) == ("0.00", [])
    r = await client.post(f"{url}/_recalculate", json={"fileCorrection": True}, headers=h)
    assert r.status_code == 409
    assert problem(r)["type"] == "urn:opvang:problem:no-difference"
    # A filed correction is not recalculated itself; a draft cannot file a correction.
    r = await client.post(f"{URL}/{correction['id']}/_recalculate", headers=h)
    assert r.status_code == 409
    other = await draft(client, h, data.scheme.code, periodStart=JUNE[0], periodEnd=JUNE[1])
    r = await client.post(
        f"{URL}/{other['id']}/_recalculate", json={"fileCorrection": True}, headers=h
    )
    assert r.status_code == 409
    assert problem(r)["type"] == "urn:opvang:problem:claim-not-filed"
    r = await client.post(f"{URL}/{other['id']}/_recalculate", json={"x": 1}, headers=h)
    assert r.status_code == 400


async def test_a_correction_of_a_rejected_claim_is_not_filed(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    data = await claims.person_days(db, await build.partner())
    _, h = finance(build)
    made = await draft(client, h, data.scheme.code)
    url = f"{URL}/{made['id']}"
    assert (await client.post(f"{url}/_submit", headers=h)).status_code == 200
    await claims.end_stay(db, data.first, date(2024, 7, 1))  # 4 July nights fewer
    r = await client.post(f"{url}/_recalculate", json={"fileCorrection": True}, headers=h)
    assert r.status_code == 200, r.text
    correction = r.json()["correction"]
    assert (correction["totalAmount"], r.json()["difference"]) == ("-50.00", "-50.00")
    assert (await client.post(f"{url}/_reject", headers=h)).status_code == 200
    r = await client.post(f"{URL}/{correction['id']}/_submit", headers=h)
    assert r.status_code == 409
    assert problem(r)["type"] == "urn:opvang:problem:claim-not-filed"
    # A rejected claim is frozen but not filed: it shows its difference, files none.
    r = await client.post(f"{url}/_recalculate", headers=h)
    assert r.status_code == 200 and r.json()["difference"] == "-50.00"
    r = await client.post(f"{url}/_recalculate", json={"fileCorrection": True}, headers=h)
    assert r.status_code == 409


async def test_status_flow_history_and_one_filed_claim_per_period(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    data = await claims.person_days(db, await build.partner())
    uid, h = finance(build)
    first = await draft(client, h, data.scheme.code)
    second = await draft(client, h, data.scheme.code)
    one, two = f"{URL}/{first['id']}", f"{URL}/{second['id']}"

    async def move(url: str, name: str, expected: int, **kw: Any) -> dict[str, Any]:
        r = await client.post(f"{url}/_{name}", headers={**h, **kw.pop("headers", {})}, **kw)
        assert r.status_code == expected, (name, r.text)
        body: dict[str, Any] = r.json()
        if expected >= 400:
            problem(r)
        return body

    for name in ("approve", "reject", "pay", "reopen"):
        assert (await move(one, name, 409))["type"] == "urn:opvang:problem:status-flow"
    await move(one, "submit", 412, headers={"If-Match": '"7"'})
    await move(one, "submit", 200, headers={"If-Match": '"1"'})
    # At most one filed claim per scheme and period: the second draft cannot be submitted.
    body = await move(two, "submit", 409)
    assert body["type"] == "urn:opvang:problem:claim-already-filed"
    assert body["claimId"] == first["id"]
    assert (await client.get(two, headers=h)).json()["status"] == "draft"
    # ... and a new draft for it is refused when drafted, naming the filed claim; nothing
    # is stored. A longer period of the same scheme is another period: drafted as usual.
    before = (await client.get(f"{URL}?schemeCode={data.scheme.code}", headers=h)).json()
    r = await client.post(URL, json={"schemeCode": data.scheme.code, **claims.PERIOD}, headers=h)
    assert r.status_code == 409, r.text
    assert problem(r)["type"] == "urn:opvang:problem:claim-already-filed"
    assert problem(r)["claimId"] == first["id"]
    after = (await client.get(f"{URL}?schemeCode={data.scheme.code}", headers=h)).json()
    assert after["total"] == before["total"]
    # Another period of the same scheme is filed independently.
    june = await draft(client, h, data.scheme.code, periodStart=JUNE[0], periodEnd=JUNE[1])
    await move(f"{URL}/{june['id']}", "submit", 200)
    # Rejected, the first no longer counts as filed; back to draft it is no longer frozen.
    await move(one, "reject", 200, json={"note": "Teldatum ontbreekt"})
    await move(two, "submit", 200)
    reopened = await move(one, "reopen", 200)
    assert (reopened["status"], reopened["frozenAt"], reopened["ratesUsed"]) == (
        "draft",
        None,
        None,
    )
    await move(one, "submit", 409)
    # approved -> paid, with the amount received from the body or an earlier PATCH.
    await move(two, "approve", 200)
    body = await move(two, "pay", 400)
    assert {e["name"] for e in body["errors"]} == {"receivedAmount", "receivedOn"}
    r = await client.patch(two, json={"receivedAmount": "300.10"}, headers=h)
    assert r.status_code == 200, r.text
    body = await move(two, "pay", 400, json={"receivedAmount": "1.001"})
    assert [e["name"] for e in body["errors"]] == ["receivedAmount"]
    paid = await move(two, "pay", 200, json={"receivedOn": "2024-10-01", "note": "Ontvangen"})
    assert (paid["status"], paid["receivedAmount"], paid["receivedOn"]) == (
        "paid",
        "300.10",
        "2024-10-01",
    )
    for name in ("submit", "approve", "reject", "pay", "reopen"):
        await move(two, name, 409)
    # The history: who, when, from, to, with the notes.
    history = paid["statusHistory"]
    assert [(s["fromStatus"], s["toStatus"]) for s in history] == [
        (None, "draft"),
        ("draft", "submitted"),
        ("submitted", "approved"),
        ("approved", "paid"),
    ]
    assert {(s["actorKind"], s["actorId"]) for s in history} == {("user", str(uid))}
    assert history[-1]["note"] == "Ontvangen" and history[-1]["at"]
    reopened = (await client.get(one, headers=h)).json()["statusHistory"]
    assert [(s["fromStatus"], s["toStatus"], s["note"]) for s in reopened] == [
        (None, "draft", None),
        ("draft", "submitted", None),
        ("submitted", "rejected", "Teldatum ontbreekt"),
        ("rejected", "draft", None),
    ]
    # And the audit log, with the actor.
    async with db.sessionmaker() as session:
        events = (
            await session.execute(
                select(AuditEvent.action, AuditEvent.actor_id, AuditEvent.details)
                .where(AuditEvent.entity_id == second["id"])
                .where(AuditEvent.entity == "reimbursement_claims")
            )
        ).all()
    moves = [(e.action, e.details) for e in events if e.action not in ("create", "update")]
    assert sorted(moves, key=lambda m: m[0]) == [
        ("approve", {"from": "submitted", "to": "approved"}),
        ("pay", {"from": "approved", "to": "paid"}),
        ("submit", {"from": "draft", "to": "submitted"}),
    ]
    assert {e.actor_id for e in events} == {str(uid)}


async def test_patch_amounts_and_note(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    data = await claims.person_days(db, await build.partner())
    _, h = finance(build)
    made = await draft(client, h, data.scheme.code)
    url = f"{URL}/{made['id']}"
    r = await client.patch(url, json={"note": "Concept"}, headers={**h, "If-Match": '"5"'})
    assert r.status_code == 412
    problem(r)
    r = await client.patch(url, json={"claimedAmount": "300.00"}, headers={**h, "If-Match": '"1"'})
    assert r.status_code == 200, r.text
    assert r.json()["claimedAmount"] == "300.00" and r.headers["etag"] == '"2"'
    for bad, field in [
        ({"claimedAmount": "1.999"}, "claimedAmount"),
        ({"claimedAmount": 12.5}, "claimedAmount"),
        ({"receivedOn": "gisteren"}, "receivedOn"),
        ({"totalAmount": "1.00"}, "totalAmount"),
        ({"status": "paid"}, "status"),
    ]:
        r = await client.patch(url, json=bad, headers=h)
        assert r.status_code == 400, bad
        assert [e["name"] for e in problem(r)["errors"]] == [field], bad
    r = await client.patch(url, json={"receivedAmount": "1.00"}, headers=h)
    assert r.status_code == 409
    assert problem(r)["field"] == "receivedAmount"
    r = await client.post(f"{url}/_submit", headers=h)
    assert r.json()["claimedAmount"] == "300.00"  # kept, not the total
    r = await client.patch(url, json={"claimedAmount": "315.00"}, headers=h)
    assert r.status_code == 409
    assert problem(r)["type"] == "urn:opvang:problem:claim-frozen"
    r = await client.patch(url, json={"note": "Verstuurd", "receivedOn": "2024-11-01"}, headers=h)
    assert r.status_code == 200
    assert (r.json()["note"], r.json()["receivedOn"]) == ("Verstuurd", "2024-11-01")
    r = await client.get(f"{URL}/{uuid.uuid4()}", headers=h)
    assert r.status_code == 404
    problem(r)


async def test_roles(client: httpx.AsyncClient, build: Builder, db: Database) -> None:
    data = await claims.person_days(db, await build.partner())
    partner = await build.partner()
    _, h = finance(build)
    made = await draft(client, h, data.scheme.code)
    url = f"{URL}/{made['id']}"
    create = {"schemeCode": data.scheme.code, **claims.PERIOD}
    reads: list[tuple[str, str, dict[str, Any]]] = [
        ("GET", URL, {}),
        ("POST", URL, {"json": create}),
        ("GET", url, {}),
        ("PATCH", url, {"json": {"note": "x"}}),
        ("GET", f"{url}/lines", {}),
        ("POST", f"{url}/_recalculate", {}),
    ]
    moves: list[tuple[str, str, dict[str, Any]]] = [
        ("POST", f"{url}/_{name}", {}) for name in ("submit", "approve", "reject", "pay")
    ]
    moves.append(("POST", f"{url}/_reopen", {}))
    for method, target, kw in reads + moves:
        r = await client.request(method, target, **kw)
        assert r.status_code == 401, (method, target)
        problem(r)
        for other in (
            build.headers_for(Role.coordinator),
            build.headers_for(Role.viewer),
            build.headers_for(Role.partner, partner),
        ):
            r = await client.request(method, target, headers=other, **kw)
            assert r.status_code == 403, (other, method, target)
            problem(r)
    admin = build.headers_for(Role.admin)
    # An admin reads, computes drafts, corrects amounts and recalculates, but never moves
    # a claim: only the finance role does.
    for method, target, kw in reads:
        r = await client.request(method, target, headers=admin, **kw)
        assert r.status_code in (200, 201), (method, target, r.text)
    for method, target, kw in moves:
        r = await client.request(method, target, headers=admin, **kw)
        assert r.status_code == 403, (method, target)
        assert "admin" in problem(r)["detail"]
    r = await client.post(f"{url}/_submit", headers=h)
    assert r.status_code == 200, r.text


async def test_two_submits_racing_for_the_same_period() -> None:
    """Two finance staff submit two drafts for the same scheme and period at the same
    moment, each in its own committed transaction: exactly one is filed (the scheme's row
    is locked on PostgreSQL; on SQLite the write lock is taken before anything is read).
    On a live server with its own database: committed rows (and their audit events, which
    are append-only) stay out of the other tests' database."""
    with live_server(suffix="_claims_race") as server:
        h = auth_headers(server.settings, Role.finance)
        async with (
            subjects.made_up_callers_at(server.settings) as hooks,  # the caller becomes a user
            httpx.AsyncClient(base_url=server.api_url, event_hooks=hooks) as one,
            httpx.AsyncClient(base_url=server.api_url, event_hooks=hooks) as two,
        ):
            scheme = {
                "code": "T-RACE",
                "name": "Race",
                "basis": "per_person_day",
                "locationKinds": ["emergency"],
            }
            r = await one.post("/reimbursement-schemes", json=scheme, headers=h)
            assert r.status_code == 201, r.text
            rate = {"validFrom": "2024-01-01", "amount": "1.00"}
            r = await one.post("/reimbursement-schemes/T-RACE/rates", json=rate, headers=h)
            assert r.status_code == 201, r.text
            period = {"schemeCode": "T-RACE", **claims.PERIOD}
            drafts = [(await one.post("/reimbursement-claims", json=period, headers=h)).json()]
            drafts += [(await two.post("/reimbursement-claims", json=period, headers=h)).json()]
            answers = await asyncio.gather(
                *(
                    c.post(f"/reimbursement-claims/{d['id']}/_submit", headers=h)
                    for c, d in zip((one, two), drafts, strict=True)
                )
            )
            assert sorted(a.status_code for a in answers) == [200, 409], [a.text for a in answers]
            refused = next(a for a in answers if a.status_code == 409)
            assert problem(refused)["type"] == "urn:opvang:problem:claim-already-filed"
            r = await one.get("/reimbursement-claims?status=submitted", headers=h)
            assert r.json()["total"] == 1
