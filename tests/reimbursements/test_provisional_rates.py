"""Provisional rates on the wire (issue 17): finance enters a rate as announced or assumed
with its basis, changes it until it is published, and claims refuse it (draft, submit);
the seeded schemes carry the corrections (living allowance, durable places)."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
from sqlalchemy import update

from api.auth.principal import Principal
from api.db import Database
from api.models import ReimbursementRate, Role
from tests.support import claims
from tests.support.builders import Builder, problem

URL = "/api/v1/reimbursement-schemes"
CLAIMS = "/api/v1/reimbursement-claims"


def finance(build: Builder) -> dict[str, str]:
    token = build.token(Principal(kind="user", id=uuid.uuid4(), role=Role.finance))
    return {"Authorization": f"Bearer {token}"}


async def new_scheme(client: httpx.AsyncClient, h: dict[str, str]) -> str:
    code = f"T-{uuid.uuid4().hex[:8].upper()}"
    body = {"code": code, "name": "Test", "basis": "per_place_day", "locationKinds": ["emergency"]}
    r = await client.post(URL, json=body, headers=h)
    assert r.status_code == 201, r.text
    return code


async def test_a_provisional_rate_needs_its_basis_and_changes_until_published(
    client: httpx.AsyncClient, build: Builder
) -> None:
    h = finance(build)
    rates = f"{URL}/{await new_scheme(client, h)}/rates"
    # Every problem named at once: an empty range and a provisional rate without basis.
    bad = {"validFrom": "2026-01-01", "validTo": "2025-12-31", "amount": "45.00"}
    r = await client.post(rates, json={**bad, "certainty": "announced"}, headers=h)
    assert r.status_code == 400
    errors = {(e["name"], e["code"]): e.get("params") for e in problem(r)["errors"]}
    assert errors == {("validTo", "before_start"): None, ("source", "basis_required"): {
        "certainty": "announced"}}  # fmt: skip
    r = await client.post(rates, json={**bad, "certainty": "sure"}, headers=h)
    assert r.status_code == 400 and problem(r)["errors"][0]["name"] == "certainty"

    body = {
        "validFrom": "2026-01-01",
        "amount": "45.00",
        "certainty": "announced",
        "source": "Kamerbrief 2025-11-14, announced",
    }
    r = await client.post(rates, json=body, headers=h)
    assert r.status_code == 201, r.text
    made = r.json()
    assert (made["certainty"], made["source"]) == ("announced", body["source"])
    url = f"{rates}/{made['id']}"
    assert r.headers["etag"] == '"1"'
    # If-Match honoured; a provisional rate keeps a basis; amount cannot be cleared.
    r = await client.patch(url, json={"amount": "46.00"}, headers={**h, "If-Match": '"7"'})
    assert r.status_code == 412
    r = await client.patch(url, json={"source": None, "amount": None}, headers=h)
    assert r.status_code == 400
    assert {(e["name"], e["code"]) for e in problem(r)["errors"]} == {
        ("amount", "cannot_clear"),
        ("source", "basis_required"),
    }
    r = await client.patch(
        url, json={"certainty": "assumed", "source": "assumed = 2025"}, headers=h
    )
    assert r.status_code == 200, r.text
    assert (r.json()["certainty"], r.headers["etag"]) == ("assumed", '"2"')
    # Published at last: amount and source of the Staatscourant.
    final = {"certainty": "published", "amount": "46.10", "source": "Stcrt. 2026, 1234"}
    r = await client.patch(url, json=final, headers={**h, "If-Match": '"2"'})
    assert r.status_code == 200, r.text
    assert (r.json()["amount"], r.json()["certainty"]) == ("46.10", "published")
    # A published rate never changes again.
    r = await client.patch(url, json={"amount": "1.00"}, headers=h)
    assert r.status_code == 409
    assert problem(r)["type"] == "urn:opvang:problem:rate-published"
    r = await client.patch(f"{rates}/{uuid.uuid4()}", json={"amount": "1.00"}, headers=h)
    assert r.status_code == 404
    problem(r)


async def test_claims_refuse_provisional_rates_draft_and_submit(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    data = await claims.person_days(db, await build.partner())
    h = finance(build)
    r = await client.post(CLAIMS, json={"schemeCode": data.scheme.code, **claims.PERIOD}, headers=h)
    assert r.status_code == 201, r.text
    made = r.json()
    # The July rate turns out to be only announced (e.g. entered too early).
    async with db.sessionmaker() as session, session.begin():
        await session.execute(
            update(ReimbursementRate)
            .where(ReimbursementRate.scheme_id == data.scheme.id)
            .where(ReimbursementRate.valid_to.is_(None))
            .values(certainty="announced")
        )
    expected: dict[str, Any] = {
        "name": "periodStart",
        "code": "rate_provisional",
        "params": {"from": "2024-07-01", "to": "2024-07-10", "certainty": "announced"},
    }
    # Submit refuses: nothing is frozen.
    r = await client.post(f"{CLAIMS}/{made['id']}/_submit", json={}, headers=h)
    assert r.status_code == 400, r.text
    body = problem(r)
    assert body["type"] == "urn:opvang:problem:provisional-rate"
    assert [{k: e[k] for k in expected} for e in body["errors"]] == [expected]
    assert body["provisionalRanges"] == [
        {"from": "2024-07-01", "to": "2024-07-10", "certainty": "announced"}
    ]
    assert body["uncoveredRanges"] == []
    r = await client.get(f"{CLAIMS}/{made['id']}", headers=h)
    assert (r.json()["status"], r.json()["frozenAt"]) == ("draft", None)
    # A new draft is not computed either (the same problem), nor a recalculation.
    r = await client.post(CLAIMS, json={"schemeCode": data.scheme.code, **claims.PERIOD}, headers=h)
    assert r.status_code == 400 and problem(r)["errors"][0]["code"] == "rate_provisional"
    r = await client.post(f"{CLAIMS}/{made['id']}/_recalculate", headers=h)
    assert r.status_code == 400 and problem(r)["errors"][0]["code"] == "rate_provisional"


async def test_seeded_schemes_carry_the_corrections(
    client: httpx.AsyncClient, build: Builder
) -> None:
    h = finance(build)
    served = {s["code"]: s for s in (await client.get(URL, headers=h)).json()["items"]}
    assert served["BOO-POO"]["requiresLivingAllowance"] is True
    assert served["BOO-GOO"]["requiresLivingAllowance"] is False
    asylum = ["asylum_center", "amv_small_scale", "emergency"]
    for code, condition in (("SPW-DUURZAAM", "durable"), ("SPW-OVERIG", "not_durable")):
        assert (served[code]["placeCondition"], served[code]["locationKinds"]) == (
            condition,
            asylum,
        )
    r = await client.patch(
        f"{URL}/BOO-GOO", json={"requiresLivingAllowance": None, "placeCondition": "x"}, headers=h
    )
    assert r.status_code == 400
    # Both named at once (a flag cannot be cleared to null).
    assert {e["name"] for e in problem(r)["errors"]} == {
        "placeCondition",
        "requiresLivingAllowance",
    }


async def test_a_published_rate_supersedes_the_provisional_ones_it_overlaps(
    client: httpx.AsyncClient, build: Builder
) -> None:
    h = finance(build)
    code = await new_scheme(client, h)
    rates = f"{URL}/{code}/rates"
    assumed = {
        "validFrom": "2026-01-01",
        "validTo": "2026-12-31",
        "amount": "44.00",
        "certainty": "assumed",
        "source": "assumed equal to 2025",
    }
    assert (await client.post(rates, json=assumed, headers=h)).status_code == 201
    # Q2 published: the assumed year is split around it.
    q2 = {"validFrom": "2026-04-01", "validTo": "2026-06-30", "amount": "45.00", "source": "Stcrt."}
    r = await client.post(rates, json=q2, headers=h)
    assert r.status_code == 201, r.text

    async def listed() -> list[tuple[str, str | None, str, str]]:
        items = (await client.get(rates, headers=h)).json()["items"]
        return [(x["validFrom"], x["validTo"], x["amount"], x["certainty"]) for x in items]

    assert await listed() == [
        ("2026-01-01", "2026-03-31", "44.00", "assumed"),
        ("2026-04-01", "2026-06-30", "45.00", "published"),
        ("2026-07-01", "2026-12-31", "44.00", "assumed"),
    ]
    # A published rate never gives way: overlapping it is still a 409.
    r = await client.post(rates, json={**q2, "validFrom": "2026-06-01"}, headers=h)
    assert r.status_code == 409
    # Published from July on, open-ended: the rest of the assumed year goes.
    r = await client.post(
        rates, json={"validFrom": "2026-07-01", "amount": "46.00", "source": "Stcrt. 2"}, headers=h
    )
    assert r.status_code == 201, r.text
    assert await listed() == [
        ("2026-01-01", "2026-03-31", "44.00", "assumed"),
        ("2026-04-01", "2026-06-30", "45.00", "published"),
        ("2026-07-01", None, "46.00", "published"),
    ]
    # A provisional rate does not supersede: overlapping one is a 409 as before.
    r = await client.post(rates, json={**assumed, "validFrom": "2026-02-01"}, headers=h)
    assert r.status_code == 409


async def test_claimable_needs_a_published_rate(client: httpx.AsyncClient, build: Builder) -> None:
    h = finance(build)
    code = await new_scheme(client, h)
    body = {
        "validFrom": "2026-01-01",
        "validTo": "2026-12-31",
        "amount": "44.00",
        "certainty": "announced",
        "source": "Kamerbrief",
    }
    assert (await client.post(f"{URL}/{code}/rates", json=body, headers=h)).status_code == 201
    r = await client.get("/api/v1/reports/claimable", params={"year": 2026}, headers=h)
    assert r.status_code == 200, r.text
    q1 = next(
        x for x in r.json()["items"] if x["schemeCode"] == code and x["periodStart"] == "2026-01-01"
    )
    assert q1["uncoveredRanges"] == [{"from": "2026-01-01", "to": "2026-03-31"}]
