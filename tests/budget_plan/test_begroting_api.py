"""The begroting's versions and lines, and the reserve's mutations, over the API: the
rules (numbering, decision references, the latest version only), every problem listed
with its code, If-Match, and who may do what, on both engines."""

from __future__ import annotations

from typing import Any

import httpx

from api.models import Role
from tests.support.builders import Builder, problem

URL = "/api/v1/budget-versions"
RESERVE = "/api/v1/reserve-mutations"


def primitive(**extra: Any) -> dict[str, Any]:
    return {
        "year": 2026,
        "decidedOn": "2025-11-06",
        "decisionReference": "RB 2025/41",
        "description": "Primitieve begroting 2026",
        "lines": [
            {"kind": "expense", "category": "staff", "amount": "50000.00"},
            {"kind": "income", "schemeCode": "BOO-GOO", "amount": "80000"},
        ],
        **extra,
    }


def codes(body: dict[str, Any]) -> set[tuple[str, str]]:
    return {(e["name"], e["code"]) for e in body["errors"]}


async def test_versions_are_numbered_and_only_the_latest_changes(
    client: httpx.AsyncClient, build: Builder
) -> None:
    h = build.headers_for(Role.finance)
    r = await client.post(URL, json=primitive(), headers=h)
    assert r.status_code == 201, r.text
    first = r.json()
    assert (first["number"], first["latest"], first["version"]) == (0, True, 1)
    assert r.headers["location"] == f"{URL}/{first['id']}" and r.headers["etag"] == '"1"'
    assert first["lines"] == [
        {"kind": "expense", "category": "staff", "schemeCode": None, "amount": "50000.00",
         "note": None},
        {"kind": "income", "category": None, "schemeCode": "BOO-GOO", "amount": "80000.00",
         "note": None},
    ]  # fmt: skip
    # A wijziging needs its council decision, decided on or after the primitive.
    change = {"year": 2026, "decidedOn": "2025-10-01", "description": "Voorjaarsnota"}
    r = await client.post(URL, json=change, headers=h)
    assert r.status_code == 400
    assert codes(problem(r)) == {("decisionReference", "missing"), ("decidedOn", "before_previous")}
    change |= {"decidedOn": "2026-06-04", "decisionReference": "RB 2026/12"}
    change["lines"] = [{"kind": "expense", "category": "staff", "amount": "-5000"}]
    r = await client.post(URL, json=change, headers=h)
    assert r.status_code == 201, r.text
    second = r.json()
    assert (second["number"], second["latest"]) == (1, True)
    # The primitive is history now: no change, no new lines, no removal.
    one = f"{URL}/{first['id']}"
    assert (await client.get(one, headers=h)).json()["latest"] is False
    assert (await client.patch(one, json={"description": "x"}, headers=h)).status_code == 409
    assert (await client.put(f"{one}/lines", json=[], headers=h)).status_code == 409
    assert (await client.delete(one, headers=h)).status_code == 409
    # The latest: lines replaced as a set, under If-Match; the version moves.
    two = f"{URL}/{second['id']}"
    lines = [
        {"kind": "expense", "category": "staff", "amount": "-4000.00", "note": "minder inhuur"},
        {"kind": "expense", "category": "activities", "amount": "2000.00"},
    ]
    r = await client.put(f"{two}/lines", json=lines, headers={**h, "If-Match": '"9"'})
    assert r.status_code == 412
    r = await client.put(f"{two}/lines", json=lines, headers={**h, "If-Match": '"1"'})
    assert r.status_code == 200, r.text
    assert r.json()["version"] == 2 and r.headers["etag"] == '"2"'
    assert [(x["category"], x["amount"]) for x in r.json()["lines"]] == [
        ("activities", "2000.00"), ("staff", "-4000.00"),
    ]  # fmt: skip
    r = await client.patch(two, json={"decisionReference": None}, headers=h)
    assert r.status_code == 400 and codes(problem(r)) == {("decisionReference", "missing")}
    r = await client.get(f"{URL}?year=2026", headers=h)
    assert [v["number"] for v in r.json()["items"]] == [0, 1]
    assert (await client.delete(two, headers={**h, "If-Match": '"2"'})).status_code == 204
    assert (await client.get(one, headers=h)).json()["latest"] is True


async def test_every_problem_of_the_lines_is_listed(
    client: httpx.AsyncClient, build: Builder
) -> None:
    h = build.headers_for(Role.admin)
    bad = primitive(
        lines=[
            {"kind": "expense", "category": "staff", "amount": "10.00"},
            {"kind": "expense", "category": "staff", "amount": "20.00"},  # duplicate
            {"kind": "expense", "schemeCode": "BOO-GOO", "amount": "1.00"},  # no category
            {"kind": "income", "schemeCode": "NOPE", "amount": "1.00"},  # unknown scheme
            {"kind": "income", "category": "staff", "amount": "1.00"},  # no scheme
            {"kind": "expense", "category": "transport", "amount": "-1.00"},  # negative
        ]
    )
    r = await client.post(URL, json=bad, headers=h)
    assert r.status_code == 400
    assert codes(problem(r)) == {
        ("lines[1].category", "duplicate_line"),
        ("lines[2].category", "missing"),
        ("lines[2].schemeCode", "not_allowed"),
        ("lines[3].schemeCode", "not_found"),
        ("lines[4].schemeCode", "missing"),
        ("lines[4].category", "not_allowed"),
        ("lines[5].amount", "money_negative"),
    }
    r = await client.post(URL, json={"year": 1999, "amount": 1}, headers=h)
    assert r.status_code == 400
    names = {e["name"] for e in problem(r)["errors"]}
    assert {"year", "decidedOn", "description", "amount"} <= names
    # A wijziging's change is never zero.
    assert (await client.post(URL, json=primitive(lines=[]), headers=h)).status_code == 201
    zero = primitive(lines=[{"kind": "expense", "category": "staff", "amount": "0"}])
    r = await client.post(URL, json=zero, headers=h)
    assert codes(problem(r)) == {("lines[0].amount", "amount_zero")}


async def test_who_may_read_and_write_the_begroting(
    client: httpx.AsyncClient, build: Builder
) -> None:
    partner = await build.partner()
    assert (await client.get(URL)).status_code == 401
    assert (await client.post(URL, json=primitive())).status_code == 401
    for role in (Role.coordinator, Role.viewer):
        r = await client.post(URL, json=primitive(), headers=build.headers_for(role))
        assert r.status_code == 403, role
    for headers in (build.headers_for(Role.coordinator), build.headers_for(Role.partner, partner)):
        for url in (URL, RESERVE, "/api/v1/reports/budget-plan?year=2026"):
            assert (await client.get(url, headers=headers)).status_code == 403
    viewer = build.headers_for(Role.viewer)
    for url in (URL, RESERVE, "/api/v1/reports/budget-plan?year=2026"):
        assert (await client.get(url, headers=viewer)).status_code == 200
    r = await client.post(
        RESERVE,
        json={
            "bookedOn": "2026-01-02",
            "amount": "1",
            "description": "x",
            "decisionReference": "R",
        },
        headers=viewer,
    )
    assert r.status_code == 403


async def test_reserve_mutations(client: httpx.AsyncClient, build: Builder) -> None:
    h = build.headers_for(Role.finance)
    r = await client.post(RESERVE, json={"bookedOn": "2025-02-01", "amount": "0"}, headers=h)
    assert r.status_code == 400
    assert codes(problem(r)) >= {("description", "missing"), ("decisionReference", "missing")}
    body = {
        "bookedOn": "2025-02-01",
        "amount": "250000.00",
        "description": "Instelling bestemmingsreserve",
        "decisionReference": "RB 2025/03",
    }
    r = await client.post(RESERVE, json={**body, "amount": "0.00"}, headers=h)
    assert codes(problem(r)) == {("amount", "amount_zero")}
    r = await client.post(RESERVE, json=body, headers=h)
    assert r.status_code == 201, r.text
    url = f"{RESERVE}/{r.json()['id']}"
    assert r.json()["amount"] == "250000.00" and r.headers["etag"] == '"1"'
    r = await client.patch(url, json={"amount": "-1000"}, headers={**h, "If-Match": '"1"'})
    assert r.status_code == 200 and r.json()["amount"] == "-1000.00"
    assert (await client.patch(url, json={"amount": None}, headers=h)).status_code == 400
    r = await client.get(f"{RESERVE}?year=2025", headers=h)
    assert r.json()["total"] == 1
    assert (await client.get(f"{RESERVE}?year=2024", headers=h)).json()["total"] == 0
    assert (await client.delete(url, headers={**h, "If-Match": '"1"'})).status_code == 412
    assert (await client.delete(url, headers=h)).status_code == 204
    assert (await client.get(url, headers=h)).status_code == 404


async def test_a_mutation_lies_in_the_report_years(
    client: httpx.AsyncClient, build: Builder
) -> None:
    h = build.headers_for(Role.finance)
    body = {
        "bookedOn": "2025-02-01",
        "amount": "100.00",
        "description": "Storting",
        "decisionReference": "RB 2025/03",
    }
    for day in ("0225-02-01", "1999-12-31", "2101-01-01"):
        r = await client.post(RESERVE, json={**body, "bookedOn": day}, headers=h)
        assert r.status_code == 400, r.text
        assert codes(r.json()) == {("bookedOn", "date_out_of_years")}
    for day in ("2000-01-01", "2100-12-31"):
        r = await client.post(RESERVE, json={**body, "bookedOn": day}, headers=h)
        assert r.status_code == 201, r.text
    url = f"{RESERVE}/{r.json()['id']}"
    r = await client.patch(url, json={"bookedOn": "1999-01-01"}, headers=h)
    assert r.status_code == 400
    assert codes(r.json()) == {("bookedOn", "date_out_of_years")}
    assert (await client.get(url, headers=h)).json()["bookedOn"] == "2100-12-31"
