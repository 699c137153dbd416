"""GET /reports/claimable: finance's list for the quarter end, on Heemstede's date."""

from __future__ import annotations

from datetime import date
from typing import Any

import httpx
import pytest

from api.db import Database
from api.models import Basis, Role
from api.reports.budget import claimable
from tests.support import claims
from tests.support.builders import Builder, problem

URL = "/api/v1/reports/claimable"
CLAIMS = "/api/v1/reimbursement-claims"


@pytest.fixture
def mid_august(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(claimable, "today", lambda: date(2024, 8, 15))


def rows(answer: dict[str, Any], code: str) -> list[dict[str, Any]]:
    return [x for x in answer["items"] if x["schemeCode"] == code]


async def test_quarters_with_their_claims_deadlines_and_missing_rates(
    client: httpx.AsyncClient, build: Builder, db: Database, mid_august: None
) -> None:
    made = await claims.scheme(db, rates=[(date(2023, 1, 1), date(2024, 6, 30), "10.00")])
    h = build.headers_for(Role.finance)

    async def claim(first: str, last: str, *moves: str) -> str:
        body = {"schemeCode": made.code, "periodStart": first, "periodEnd": last}
        r = await client.post(CLAIMS, json=body, headers=h)
        assert r.status_code == 201, r.text
        for name in moves:
            m = await client.post(f"{CLAIMS}/{r.json()['id']}/_{name}", headers=h)
            assert m.status_code == 200, m.text
        claim_id: str = r.json()["id"]
        return claim_id

    filed_q1 = await claim("2024-01-01", "2024-03-31", "submit")
    await claim("2024-04-01", "2024-05-31")  # not a quarter: not listed
    first_q2 = await claim("2024-04-01", "2024-06-30")
    newest_q2 = await claim("2024-04-01", "2024-06-30")
    await claim("2023-10-01", "2023-12-31", "submit")  # last year's Q4 is done

    r = await client.get(URL, headers=h)
    assert r.status_code == 200, r.text
    answer = r.json()
    assert (answer["year"], answer["today"]) == (2024, "2024-08-15")
    listed = rows(answer, made.code)
    # Last year's open quarters, then this year's begun ones (Q4 has not begun).
    assert [(x["year"], x["quarter"]) for x in listed] == [
        (2023, 1), (2023, 2), (2023, 3), (2024, 1), (2024, 2), (2024, 3),
    ]  # fmt: skip
    by = {(x["year"], x["quarter"]): x for x in listed}
    q1, q2, q3 = by[2024, 1], by[2024, 2], by[2024, 3]
    assert (q1["periodStart"], q1["periodEnd"], q1["deadline"]) == (
        "2024-01-01",
        "2024-03-31",
        "2024-06-30",
    )
    assert q1["claim"]["id"] == filed_q1 and q1["claim"]["status"] == "submitted"
    assert (q1["overdue"], q1["drafts"], q1["uncoveredRanges"]) == (False, 0, [])
    # The newest draft is shown; both are counted.
    assert (q2["claim"]["id"], q2["claim"]["status"], q2["drafts"]) == (newest_q2, "draft", 2)
    assert first_q2 != newest_q2
    assert (q2["deadline"], q2["overdue"]) == ("2024-09-30", False)
    # No rate for Q3 yet: the days are named.
    assert q3["claim"] is None
    assert q3["uncoveredRanges"] == [{"from": "2024-07-01", "to": "2024-09-30"}]
    # Last year's quarters with nothing filed are past their deadline.
    assert by[2023, 3]["deadline"] == "2023-12-31" and by[2023, 3]["overdue"] is True
    assert {x["schemeName"] for x in listed} == {"Testregeling"}

    # Another year on request; a bad year is a 400 naming it.
    r = await client.get(URL, params={"year": 2023}, headers=h)
    assert [(x["year"], x["quarter"]) for x in rows(r.json(), made.code)] == [
        (2022, 1), (2022, 2), (2022, 3), (2022, 4),
        (2023, 1), (2023, 2), (2023, 3), (2023, 4),
    ]  # fmt: skip
    r = await client.get(URL, params={"year": "twee"}, headers=h)
    assert r.status_code == 400
    assert [e["name"] for e in problem(r)["errors"]] == ["year"]


def test_deadlines_per_basis() -> None:
    assert claimable.deadline(Basis.per_place_day, 2026, 4) == date(2027, 3, 31)
    assert claimable.deadline(Basis.per_person_month, 2026, 3) == date(2026, 12, 31)
    assert claimable.deadline(Basis.per_person_day, 2026, 1) == date(2026, 6, 30)
    assert claimable.deadline(Basis.per_place_once, 2026, 2) == date(2027, 7, 15)


async def test_only_finance_and_admin(client: httpx.AsyncClient, build: Builder) -> None:
    assert (await client.get(URL)).status_code == 401
    for role, expected in [
        (Role.admin, 200),
        (Role.finance, 200),
        (Role.coordinator, 403),
        (Role.viewer, 403),
    ]:
        r = await client.get(URL, headers=build.headers_for(role))
        assert r.status_code == expected, role
