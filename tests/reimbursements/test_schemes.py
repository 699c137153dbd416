"""Reimbursement schemes and rates: the published ones served, schemes as data, rate
ranges that never overlap, money as decimal strings, and who may do what."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

import httpx
from sqlalchemy import select

from api.db import Database
from api.models import AuditEvent, ClaimStatus, ReimbursementClaim, Role
from tests.support.builders import Builder, problem

URL = "/api/v1/reimbursement-schemes"


def code() -> str:
    return f"T-{uuid.uuid4().hex[:8].upper()}"


def scheme_body(**extra: Any) -> dict[str, Any]:
    return {
        "code": code(),
        "name": "Gemeentelijke noodopvang per nacht",
        "basis": "per_person_day",
        "locationKinds": ["emergency"],
        **extra,
    }


async def test_published_schemes_and_rates_are_served(
    client: httpx.AsyncClient, build: Builder
) -> None:
    h = build.headers_for(Role.finance)
    r = await client.get(URL, headers=h)
    assert r.status_code == 200, r.text
    served = {s["code"]: s for s in r.json()["items"]}
    assert {"BOO-GOO", "BOO-POO", "SPW-DUURZAAM", "SPW-OVERIG"} <= served.keys()
    goo = served["BOO-GOO"]
    assert (goo["basis"], goo["locationKinds"], goo["groups"]) == (
        "per_place_day",
        ["municipal_ukrainian"],
        None,
    )
    assert served["BOO-POO"]["groups"] == ["ukrainian_displaced"]
    r = await client.get(f"{URL}?basis=per_place_once", headers=h)
    assert {s["code"] for s in r.json()["items"]} >= {"SPW-DUURZAAM", "SPW-OVERIG"}
    assert all(s["basis"] == "per_place_once" for s in r.json()["items"])
    r = await client.get(f"{URL}/BOO-GOO", headers=h)
    assert r.status_code == 200 and r.json() == goo and r.headers["etag"] == f'"{goo["version"]}"'
    r = await client.get(f"{URL}/BOO-GOO/rates", headers=h)
    assert r.status_code == 200, r.text
    rates = [(x["validFrom"], x["validTo"], x["amount"]) for x in r.json()["items"]]
    assert rates == [
        ("2022-03-01", "2022-10-14", "100.00"),
        ("2022-10-15", "2023-12-31", "83.00"),
        ("2024-01-01", "2024-12-31", "61.00"),
        ("2025-01-01", "2025-12-31", "44.00"),
    ]
    assert "NOS" in r.json()["items"][2]["source"]
    r = await client.get(f"{URL}/SPW-DUURZAAM/rates", headers=h)
    assert [(x["validFrom"], x["validTo"], x["amount"]) for x in r.json()["items"]] == [
        ("2024-02-01", None, "5000.00")
    ]
    for missing in (f"{URL}/NOPE", f"{URL}/NOPE/rates"):
        r = await client.get(missing, headers=h)
        assert r.status_code == 404
        problem(r)


async def test_create_and_change_a_scheme(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    h = build.headers_for(Role.finance)
    data = scheme_body(groups=["asylum_seeker"], description="  Alleen noodopvang.  ")
    r = await client.post(URL, json=data, headers=h)
    assert r.status_code == 201, r.text
    made = r.json()
    assert set(made) == {
        "id", "version", "createdAt", "updatedAt", "code", "name", "basis",
        "locationKinds", "groups", "description", "requiresLivingAllowance", "placeCondition",
    }  # fmt: skip
    assert made["description"] == "Alleen noodopvang." and made["groups"] == ["asylum_seeker"]
    assert r.headers["location"] == f"{URL}/{data['code']}" and r.headers["etag"] == '"1"'
    r = await client.post(URL, json=data, headers=h)
    assert r.status_code == 409
    assert problem(r)["field"] == "code"
    # Change: If-Match honoured; kinds de-duplicated; groups cleared to all.
    url = f"{URL}/{data['code']}"
    r = await client.patch(url, json={"name": "Nieuw"}, headers={**h, "If-Match": '"9"'})
    assert r.status_code == 412
    problem(r)
    change = {"locationKinds": ["emergency", "asylum_center", "emergency"], "groups": None}
    r = await client.patch(url, json=change, headers={**h, "If-Match": '"1"'})
    assert r.status_code == 200, r.text
    assert r.json()["locationKinds"] == ["emergency", "asylum_center"]
    assert r.json()["groups"] is None and r.headers["etag"] == '"2"'
    r = await client.patch(url, json={"code": "OTHER"}, headers=h)  # the code never changes
    assert r.status_code == 400
    assert [e["name"] for e in problem(r)["errors"]] == ["code"]
    r = await client.patch(url, json={"name": None, "locationKinds": None}, headers=h)
    assert r.status_code == 400
    assert {e["name"] for e in problem(r)["errors"]} == {"name", "locationKinds"}
    # The basis changes only while no claim uses the scheme.
    r = await client.patch(url, json={"basis": "per_person_month"}, headers=h)
    assert r.status_code == 200 and r.json()["basis"] == "per_person_month"
    async with db.sessionmaker() as session, session.begin():
        session.add(
            ReimbursementClaim(
                scheme_id=uuid.UUID(made["id"]),
                period_start=date(2024, 1, 1),
                period_end=date(2024, 3, 31),
                status=ClaimStatus.draft,
                total_amount=0,
            )
        )
    r = await client.patch(url, json={"basis": "per_person_day"}, headers=h)
    assert r.status_code == 409
    assert problem(r)["type"] == "urn:opvang:problem:scheme-in-use"
    r = await client.patch(url, json={"basis": "per_person_month", "name": "Zelfde"}, headers=h)
    assert r.status_code == 200  # the same basis is no change
    async with db.sessionmaker() as session:
        actions = (
            await session.scalars(
                select(AuditEvent.action).where(AuditEvent.entity_id == made["id"])
            )
        ).all()
    assert "create" in actions and "update" in actions


async def test_scheme_input_is_checked(client: httpx.AsyncClient, build: Builder) -> None:
    h = build.headers_for(Role.admin)
    bad = {
        "code": "lower case",
        "name": "",
        "basis": "per_week",
        "locationKinds": [],
        "groups": ["tourists"],
        "colour": "blue",
    }
    r = await client.post(URL, json=bad, headers=h)
    assert r.status_code == 400
    names = {e["name"] for e in problem(r)["errors"]}
    assert {"code", "name", "basis", "locationKinds", "colour"} <= names
    assert any(n.startswith("groups") for n in names)


async def test_rates_never_overlap(client: httpx.AsyncClient, build: Builder) -> None:
    h = build.headers_for(Role.finance)
    data = scheme_body()
    assert (await client.post(URL, json=data, headers=h)).status_code == 201
    rates = f"{URL}/{data['code']}/rates"

    async def add(valid_from: str, valid_to: str | None, amount: str = "12.50") -> httpx.Response:
        body = {"validFrom": valid_from, "validTo": valid_to, "amount": amount, "source": "Stcrt."}
        return await client.post(rates, json=body, headers=h)

    r = await add("2024-01-01", "2024-06-30", "10")
    assert r.status_code == 201, r.text
    first = r.json()
    assert set(first) == {
        "id", "validFrom", "validTo", "amount", "source", "publishedOn", "certainty", "createdAt"
    }  # fmt: skip
    assert first["certainty"] == "published"  # the default
    assert first["amount"] == "10.00"  # always two places
    assert first["publishedOn"] is None
    for overlapping in [
        ("2024-06-30", "2024-12-31"),  # the last day is shared
        ("2023-01-01", "2024-01-01"),  # the first day is shared
        ("2024-02-01", "2024-02-29"),  # inside
        ("2023-01-01", None),  # open-ended before it
    ]:
        r = await add(*overlapping)
        assert r.status_code == 409, overlapping
        body = problem(r)
        assert body["type"] == "urn:opvang:problem:overlapping-rate"
        assert (body["rateId"], body["validFrom"], body["validTo"]) == (
            first["id"],
            "2024-01-01",
            "2024-06-30",
        )
    # Open-ended from July; a later rate is the "further notice" that ends it.
    r = await add("2024-07-01", None, "12.50")
    assert r.status_code == 201 and r.json()["validTo"] is None
    open_ended = r.json()["id"]
    r = await add("2024-05-01", "2024-07-15")
    assert r.status_code == 409 and problem(r)["rateId"] == first["id"]
    r = await add("2025-01-01", None, "13.75")
    assert r.status_code == 201, r.text
    r = await client.get(rates, headers=h)
    assert [(x["id"], x["validFrom"], x["validTo"], x["amount"]) for x in r.json()["items"]][
        1:
    ] == [
        (open_ended, "2024-07-01", "2024-12-31", "12.50"),
        (r.json()["items"][2]["id"], "2025-01-01", None, "13.75"),
    ]
    # An open-ended rate starting on the same day as another is an overlap, not a notice.
    r = await add("2025-01-01", None)
    assert r.status_code == 409
    problem(r)
    r = await add("2026-02-01", "2026-01-31")
    assert r.status_code == 400
    assert [e["name"] for e in problem(r)["errors"]] == ["validTo"]
    r = await client.post(
        f"{URL}/NOPE/rates", json={"validFrom": "2026-01-01", "amount": "1.00"}, headers=h
    )
    assert r.status_code == 404
    # Rates are append-only: no PATCH or DELETE.
    r = await client.patch(rates, json={}, headers=h)
    assert r.status_code == 405


async def test_money_is_a_decimal_string_with_two_places(
    client: httpx.AsyncClient, build: Builder
) -> None:
    h = build.headers_for(Role.finance)
    data = scheme_body()
    assert (await client.post(URL, json=data, headers=h)).status_code == 201
    rates = f"{URL}/{data['code']}/rates"
    for amount in ["61.005", 61.5, 61, "61,50", "1e3", "abc", "-1.00", "", None, "NaN"]:
        r = await client.post(rates, json={"validFrom": "2024-01-01", "amount": amount}, headers=h)
        assert r.status_code == 400, amount
        assert [e["name"] for e in problem(r)["errors"]] == ["amount"], amount
    for amount, served in [("0", "0.00"), ("61.5", "61.50"), ("1234.56", "1234.56")]:
        year = {"0": 2020, "61.5": 2021, "1234.56": 2022}[amount]
        body = {"validFrom": f"{year}-01-01", "validTo": f"{year}-12-31", "amount": amount}
        r = await client.post(rates, json=body, headers=h)
        assert r.status_code == 201, r.text
        assert r.json()["amount"] == served
    r = await client.post(rates, json={"validFrom": "2023-01-01", "amount": "1", "x": 1}, headers=h)
    assert r.status_code == 400
    assert [e["name"] for e in problem(r)["errors"]] == ["x"]


async def test_roles(client: httpx.AsyncClient, build: Builder) -> None:
    partner = await build.partner()
    data = scheme_body()
    rate = {"validFrom": "2024-01-01", "amount": "1.00"}
    calls: list[tuple[str, str, dict[str, Any]]] = [
        ("GET", URL, {}),
        ("POST", URL, {"json": data}),
        ("GET", f"{URL}/BOO-GOO", {}),
        ("PATCH", f"{URL}/BOO-GOO", {"json": {"name": "x"}}),
        ("GET", f"{URL}/BOO-GOO/rates", {}),
        ("POST", f"{URL}/BOO-GOO/rates", {"json": rate}),
        ("PATCH", f"{URL}/BOO-GOO/rates/{uuid.uuid4()}", {"json": {"amount": "1.00"}}),
    ]
    for method, url, kw in calls:
        r = await client.request(method, url, **kw)
        assert r.status_code == 401, (method, url)
        problem(r)
        for h in (
            build.headers_for(Role.coordinator),
            build.headers_for(Role.viewer),
            build.headers_for(Role.partner, partner),
        ):
            r = await client.request(method, url, headers=h, **kw)
            assert r.status_code == 403, (h, method, url)
            problem(r)
    # Finance manages schemes and rates; an admin may too.
    for role in (Role.finance, Role.admin):
        h = build.headers_for(role)
        assert (await client.get(URL, headers=h)).status_code == 200
        r = await client.post(URL, json=scheme_body(), headers=h)
        assert r.status_code == 201, (role, r.text)
        r = await client.post(f"{URL}/{r.json()['code']}/rates", json=rate, headers=h)
        assert r.status_code == 201, (role, r.text)


async def test_a_rate_keeps_its_source_and_the_source_date(
    client: httpx.AsyncClient, build: Builder
) -> None:
    h = build.headers_for(Role.finance)
    data = scheme_body()
    assert (await client.post(URL, json=data, headers=h)).status_code == 201
    rates = f"{URL}/{data['code']}/rates"
    body = {
        "validFrom": "2026-01-01",
        "validTo": "2026-12-31",
        "amount": "39.50",
        "source": "Stcrt. 2025, 41234",
        "publishedOn": "2025-12-15",
    }
    r = await client.post(rates, json=body, headers=h)
    assert r.status_code == 201, r.text
    assert (r.json()["source"], r.json()["publishedOn"]) == ("Stcrt. 2025, 41234", "2025-12-15")
    listed = (await client.get(rates, headers=h)).json()["items"]
    assert [(x["amount"], x["publishedOn"]) for x in listed] == [("39.50", "2025-12-15")]
    r = await client.post(rates, json={**body, "publishedOn": "15-12-2025"}, headers=h)
    assert r.status_code == 400
    assert [e["name"] for e in problem(r)["errors"]] == ["publishedOn"]
