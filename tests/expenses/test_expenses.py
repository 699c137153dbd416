"""Expenses: CRUD, every validation problem listed, references, roles, If-Match,
filters and paging, on both engines."""

from __future__ import annotations

from datetime import date
from typing import Any

import httpx
from sqlalchemy import func, select

from api.db import Database
from api.models import AuditEvent, Expense, ExpenseCategory, Role
from tests.support import budget, programme, records
from tests.support.builders import Builder, problem

URL = "/api/v1/expenses"
NOWHERE = "6f1c6a9e-7d5e-4a50-8d2c-3f4b5a6c7d8e"

Call = tuple[str, str, dict[str, Any]]


def body(**extra: Any) -> dict[str, Any]:
    return {
        "date": "2025-03-14",
        "category": "activities",
        "amount": "1234.50",
        "description": "  Zaalhuur taalcafé maart  ",
        **extra,
    }


async def count_expenses(db: Database) -> int:
    async with db.sessionmaker() as session:
        return int(await session.scalar(select(func.count(Expense.id))) or 0)


async def test_create_read_change_delete(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    partner = await build.partner()
    venue = await records.location(db, partner)
    course = await programme.activity(db, partner, venue=venue)
    h = build.headers_for(Role.finance)
    r = await client.post(
        URL,
        json=body(
            locationId=str(venue.id),
            activityId=str(course.id),
            partnerId=str(partner.id),
            schemeCode="BOO-GOO",
        ),
        headers=h,
    )
    assert r.status_code == 201, r.text
    created = r.json()
    assert set(created) == {
        "id", "version", "createdAt", "updatedAt", "date", "category", "amount",
        "description", "locationId", "activityId", "partnerId", "schemeCode",
    }  # fmt: skip
    assert (created["date"], created["category"], created["amount"]) == (
        "2025-03-14",
        "activities",
        "1234.50",
    )
    assert created["description"] == "Zaalhuur taalcafé maart"
    assert created["schemeCode"] == "BOO-GOO"
    assert (created["locationId"], created["activityId"], created["partnerId"]) == (
        str(venue.id),
        str(course.id),
        str(partner.id),
    )
    assert r.headers["etag"] == '"1"'
    assert r.headers["location"] == f"{URL}/{created['id']}"
    url = f"{URL}/{created['id']}"
    r = await client.get(url, headers=h)
    assert r.status_code == 200 and r.json() == created and r.headers["etag"] == '"1"'
    # A refund is negative; the scheme moves by code; references are cleared with null.
    r = await client.patch(
        url,
        json={"amount": "-20", "schemeCode": "SPW-OVERIG", "activityId": None},
        headers={**h, "If-Match": '"1"'},
    )
    assert r.status_code == 200, r.text
    changed = r.json()
    assert (changed["amount"], changed["schemeCode"], changed["activityId"]) == (
        "-20.00",
        "SPW-OVERIG",
        None,
    )
    assert changed["version"] == 2 and r.headers["etag"] == '"2"'
    assert changed["locationId"] == str(venue.id)  # not sent: unchanged
    r = await client.patch(url, json={"schemeCode": None}, headers=h)
    assert r.json()["schemeCode"] is None
    # A stale If-Match is refused, on change and on delete.
    r = await client.patch(url, json={"amount": "1.00"}, headers={**h, "If-Match": '"1"'})
    assert r.status_code == 412
    problem(r)
    r = await client.delete(url, headers={**h, "If-Match": '"2"'})
    assert r.status_code == 412
    r = await client.delete(url, headers={**h, "If-Match": '"3"'})
    assert r.status_code == 204
    assert (await client.get(url, headers=h)).status_code == 404
    assert (await client.delete(url, headers=h)).status_code == 404
    assert await count_expenses(db) == 0
    # Every write is in the audit log (the ORM hook).
    async with db.sessionmaker() as session:
        actions = list(
            await session.scalars(
                select(AuditEvent.action)
                .where(AuditEvent.entity == "expenses", AuditEvent.entity_id == created["id"])
                .order_by(AuditEvent.id)
            )
        )
    assert actions == ["create", "update", "update", "delete"]


async def test_bad_input_lists_every_problem(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    h = build.headers_for(Role.admin)
    r = await client.post(
        URL,
        json={
            "date": "14-03-2025",
            "category": "catering",
            "amount": "12.345",  # more than two decimals: never rounded
            "description": "",
            "locationId": "nope",
            "spentOn": "2025-03-14",  # the wire name is `date`
        },
        headers=h,
    )
    assert r.status_code == 400
    p = problem(r)
    assert p["type"] == "urn:opvang:problem:invalid-input"
    names = {e["name"] for e in p["errors"]}
    assert names == {"date", "category", "amount", "description", "locationId", "spentOn"}
    for amount in ("0", "0.00", "-0.00", 12.5, "1,50", "1e3", " 5"):
        r = await client.post(URL, json=body(amount=amount), headers=h)
        assert r.status_code == 400, amount
        assert [e["name"] for e in problem(r)["errors"]] == ["amount"], amount
    r = await client.post(URL, json={}, headers=h)
    assert {e["name"] for e in problem(r)["errors"]} == {
        "date", "category", "amount", "description",
    }  # fmt: skip
    # References that do not exist: each one named, in one answer.
    r = await client.post(
        URL,
        json=body(locationId=NOWHERE, activityId=NOWHERE, partnerId=NOWHERE, schemeCode="NO-SUCH"),
        headers=h,
    )
    assert r.status_code == 400
    listed = sorted(e["name"] for e in problem(r)["errors"])
    assert listed == ["activityId", "locationId", "partnerId", "schemeCode"]
    r = await client.post(URL, json=body(schemeCode="boo-goo"), headers=h)  # codes are exact
    assert [e["name"] for e in problem(r)["errors"]] == ["schemeCode"]
    assert await count_expenses(db) == 0
    made = await budget.expense(db, on=date(2025, 1, 2), amount="10.00")
    url = f"{URL}/{made.id}"
    r = await client.patch(
        url,
        json={"date": None, "category": None, "amount": None, "description": None,
              "schemeCode": "NO-SUCH", "partnerId": NOWHERE},
        headers=h,
    )  # fmt: skip
    assert r.status_code == 400
    listed = sorted(e["name"] for e in problem(r)["errors"])
    assert listed == ["amount", "category", "date", "description", "partnerId", "schemeCode"]
    r = await client.patch(url, json={"amount": "0"}, headers=h)
    assert [e["name"] for e in problem(r)["errors"]] == ["amount"]
    r = await client.patch(url, json={"id": NOWHERE}, headers=h)
    assert r.status_code == 400
    assert (await client.get(f"{URL}/not-a-uuid", headers=h)).status_code == 400
    r = await client.patch(f"{URL}/{NOWHERE}", json={"amount": "1"}, headers=h)
    assert r.status_code == 404
    problem(r)
    r = await client.get(
        f"{URL}?year=1999&category=food&locationId=x&pageSize=501&sort=description", headers=h
    )
    assert r.status_code == 400
    assert {e["name"] for e in problem(r)["errors"]} == {
        "year", "category", "locationId", "pageSize",
    }  # fmt: skip
    r = await client.get(f"{URL}?year=2025&from=2025-01-01&to=2025-02-01", headers=h)
    assert sorted(e["name"] for e in problem(r)["errors"]) == ["from", "to"]
    r = await client.get(f"{URL}?from=2025-02-01&to=2025-01-01", headers=h)
    assert [e["name"] for e in problem(r)["errors"]] == ["to"]
    r = await client.get(f"{URL}?sort=description", headers=h)
    assert [e["name"] for e in problem(r)["errors"]] == ["sort"]


async def test_roles(client: httpx.AsyncClient, build: Builder, db: Database) -> None:
    made = await budget.expense(db, on=date(2025, 1, 2), amount="10.00")
    partner = await build.partner()
    calls: list[Call] = [
        ("GET", URL, {}),
        ("POST", URL, {"json": body()}),
        ("GET", f"{URL}/{made.id}", {}),
        ("PATCH", f"{URL}/{made.id}", {"json": {"amount": "11.00"}}),
        ("DELETE", f"{URL}/{made.id}", {}),
    ]
    for method, url, kw in calls:
        r = await client.request(method, url, **kw)
        assert r.status_code == 401, (method, url)
        problem(r)
        for headers in (
            build.headers_for(Role.coordinator),
            build.headers_for(Role.viewer),
            build.headers_for(Role.partner, partner),
        ):
            r = await client.request(method, url, headers=headers, **kw)
            assert r.status_code == 403, (method, url)
            problem(r)
    for role in (Role.admin, Role.finance):
        h = build.headers_for(role)
        assert (await client.get(f"{URL}/{made.id}", headers=h)).status_code == 200
        r = await client.post(URL, json=body(), headers=h)
        assert r.status_code == 201, (role, r.text)
    assert await count_expenses(db) == 3


async def test_filters_sort_and_paging(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    partner = await build.partner()
    venue = await records.location(db, partner)
    goo = await budget.scheme(db, code="T-EXP-FILTER")
    staff, health = ExpenseCategory.staff, ExpenseCategory.health
    made = {
        "old": await budget.expense(db, on=date(2024, 12, 31), amount="5.00"),
        "first": await budget.expense(
            db, on=date(2025, 1, 1), amount="100.00", scheme_id=goo.id, location_id=venue.id
        ),
        "refund": await budget.expense(db, on=date(2025, 6, 30), amount="-7.50", category=health),
        "last": await budget.expense(
            db, on=date(2025, 12, 31), amount="30.00", category=health, scheme_id=goo.id
        ),
        "new": await budget.expense(db, on=date(2026, 1, 1), amount="1.00", category=staff),
    }
    names = {str(e.id): name for name, e in made.items()}
    h = build.headers_for(Role.finance)

    async def listed(query: str) -> list[str]:
        r = await client.get(f"{URL}?{query}", headers=h)
        assert r.status_code == 200, (query, r.text)
        return [names[item["id"]] for item in r.json()["items"]]

    assert await listed("") == ["new", "last", "refund", "first", "old"]  # newest first
    assert await listed("year=2025") == ["last", "refund", "first"]
    assert await listed("from=2025-01-01") == ["new", "last", "refund", "first"]  # inclusive
    assert await listed("to=2025-01-01") == ["first", "old"]
    assert await listed("from=2025-06-30&to=2025-06-30") == ["refund"]
    assert await listed("category=health") == ["last", "refund"]
    assert await listed("schemeCode=T-EXP-FILTER") == ["last", "first"]
    assert await listed("schemeCode=NO-SUCH") == []
    assert await listed(f"locationId={venue.id}") == ["first"]
    assert await listed("year=2025&category=health&schemeCode=T-EXP-FILTER") == ["last"]
    assert await listed("sort=amount") == ["refund", "new", "old", "last", "first"]
    assert await listed("sort=-amount") == ["first", "last", "old", "new", "refund"]
    assert await listed("sort=date") == ["old", "first", "refund", "last", "new"]
    r = await client.get(f"{URL}?sort=date&page=2&pageSize=2", headers=h)
    page = r.json()
    assert (page["page"], page["pageSize"], page["total"]) == (2, 2, 5)
    assert [names[i["id"]] for i in page["items"]] == ["refund", "last"]
    assert 'rel="next"' in r.headers["link"] and 'rel="prev"' in r.headers["link"]
    item = next(i for i in page["items"] if names[i["id"]] == "refund")
    assert (item["amount"], item["date"], item["schemeCode"]) == ("-7.50", "2025-06-30", None)
