"""The budget report on a small data set computed by hand: the engine's expected
amounts, claims counted in the quarter of their period end, expenses per category and
quarter, balance and coverage; unpriced ranges; roles; a statement count that does not
grow with the data."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from api.db import Database
from api.models import ClaimStatus, ExpenseCategory, LocationKind, Partner, Role
from api.reimbursements.claims import engine as claim_engine
from tests.support import budget, records
from tests.support.builders import Builder, problem
from tests.support.overview_data import count_statements

URL = "/api/v1/reports/budget"
SEEDED = ["BOO-GOO", "BOO-POO", "SPW-DUURZAAM", "SPW-OVERIG"]
CODES = sorted([*SEEDED, "T-BUDGET"])
CATEGORIES = [c.value for c in ExpenseCategory]


@dataclass
class Known:
    partner: Partner


async def known_2025(db: Database, build: Builder) -> Known:
    """T-BUDGET pays 2.50 per place-day at asylum centres. One centre, open since
    2024-06-01 with 12 places, 10 from 2025-01-01 and 12 again from 2025-05-01:
    Q1 90 x 10 = 900 -> 2250.00; Q2 30 x 10 + 61 x 12 = 1032 -> 2580.00;
    Q3 and Q4 92 x 12 = 1104 -> 2760.00 each; the year 10350.00. The seeded schemes have
    2025 rates and nothing to pay here: no locations of the BooO kinds, and back to 12 is
    no rise above the highest capacity before (Spreidingswet): 0.00."""
    partner = await build.partner()
    scheme = await budget.scheme(
        db, code="T-BUDGET", kinds=["asylum_center"], rates=[(date(2025, 1, 1), None, "2.50")]
    )
    await records.location(
        db,
        partner,
        kind=LocationKind.asylum_center,
        opened_on=date(2024, 6, 1),
        capacity={date(2024, 6, 1): 12, date(2025, 1, 1): 10, date(2025, 5, 1): 12},
    )
    q1 = await budget.claim(
        db, scheme, start=date(2025, 1, 1), end=date(2025, 3, 31), status=ClaimStatus.paid,
        total="2250.00", claimed="2250.00", received="2200.00", received_on=date(2025, 5, 10),
    )  # fmt: skip
    await budget.claim(  # a correction counts with the quarter of its period end
        db, scheme, start=date(2025, 1, 1), end=date(2025, 3, 31), total="50.00",
        claimed="50.00", corrects=q1,
    )  # fmt: skip
    await budget.claim(  # no claimed amount: its total counts
        db, scheme, start=date(2025, 4, 1), end=date(2025, 6, 30), status=ClaimStatus.approved,
        total="2580.00",
    )  # fmt: skip
    for status in (ClaimStatus.draft, ClaimStatus.rejected):  # never counted
        await budget.claim(
            db, scheme, start=date(2025, 7, 1), end=date(2025, 9, 30), status=status,
            total="2760.00", claimed="2760.00", received="1.00",
        )  # fmt: skip
    for start, end in (
        (date(2024, 10, 1), date(2024, 12, 31)),
        (date(2026, 1, 1), date(2026, 3, 31)),
    ):
        await budget.claim(
            db, scheme, start=start, end=end, status=ClaimStatus.paid, total="9.99",
            received="9.99",
        )  # fmt: skip
    for on, amount, category in [
        (date(2025, 1, 15), "1000.00", ExpenseCategory.staff),
        (date(2025, 3, 31), "250.50", ExpenseCategory.activities),
        (date(2025, 4, 1), "3000.00", ExpenseCategory.location),
        (date(2025, 5, 20), "-100.00", ExpenseCategory.staff),  # a refund
        (date(2025, 8, 1), "75.25", ExpenseCategory.health),
        (date(2025, 12, 31), "10.00", ExpenseCategory.other),
        (date(2024, 12, 31), "999.00", ExpenseCategory.staff),  # other years
        (date(2026, 1, 1), "999.00", ExpenseCategory.staff),
    ]:
        await budget.expense(db, on=on, amount=amount, category=category)
    return Known(partner)


def scheme_of(period: dict[str, Any], code: str) -> dict[str, Any]:
    found: dict[str, Any] = next(s for s in period["schemes"] if s["schemeCode"] == code)
    return found


def spent(period: dict[str, Any]) -> dict[str, str]:
    return {e["category"]: e["amount"] for e in period["expenses"]}


async def test_known_year(client: httpx.AsyncClient, build: Builder, db: Database) -> None:
    await known_2025(db, build)
    r = await client.get(f"{URL}?year=2025", headers=build.headers_for(Role.finance))
    assert r.status_code == 200, r.text
    report = r.json()
    assert set(report) == {"year", "quarters", "wholeYear"}
    assert report["year"] == 2025
    quarters = report["quarters"]
    assert [(q["period"], q["from"], q["to"]) for q in quarters] == [
        ("Q1", "2025-01-01", "2025-03-31"),
        ("Q2", "2025-04-01", "2025-06-30"),
        ("Q3", "2025-07-01", "2025-09-30"),
        ("Q4", "2025-10-01", "2025-12-31"),
    ]
    for q in [*quarters, report["wholeYear"]]:
        assert [s["schemeCode"] for s in q["schemes"]] == CODES
        assert [e["category"] for e in q["expenses"]] == CATEGORIES
        for code in SEEDED:
            assert scheme_of(q, code) | {"schemeName": ""} == {
                "schemeCode": code, "schemeName": "", "expected": "0.00",
                "expectedCertainty": "known", "unpricedRanges": [], "claimed": "0.00",
                "received": "0.00",
            }  # fmt: skip
    t = [scheme_of(q, "T-BUDGET") for q in quarters]
    assert [s["expected"] for s in t] == ["2250.00", "2580.00", "2760.00", "2760.00"]
    assert [s["claimed"] for s in t] == ["2300.00", "2580.00", "0.00", "0.00"]
    assert [s["received"] for s in t] == ["2200.00", "0.00", "0.00", "0.00"]
    assert all(s["unpricedRanges"] == [] for s in t)
    assert spent(quarters[0])["staff"] == "1000.00"
    assert spent(quarters[0])["activities"] == "250.50"  # 31 March: still Q1
    assert spent(quarters[1])["location"] == "3000.00"  # 1 April: Q2
    assert spent(quarters[1])["staff"] == "-100.00"
    assert spent(quarters[2])["health"] == "75.25"
    assert spent(quarters[3])["other"] == "10.00"
    assert spent(quarters[3])["volunteers"] == "0.00"
    totals = [q["totals"] for q in quarters]
    assert totals[0] == {
        "expected": "2250.00", "expectedCertainty": "known", "claimed": "2300.00",
        "received": "2200.00",
        "expenses": "1250.50", "balance": "999.50", "receivedBalance": "949.50",
        "covered": True,
    }  # fmt: skip
    assert totals[1] == {
        "expected": "2580.00", "expectedCertainty": "known", "claimed": "2580.00",
        "received": "0.00",
        "expenses": "2900.00", "balance": "-320.00", "receivedBalance": "-2900.00",
        "covered": False,
    }  # fmt: skip
    assert [t["balance"] for t in totals[2:]] == ["2684.75", "2750.00"]
    year = report["wholeYear"]
    assert (year["period"], year["from"], year["to"]) == ("year", "2025-01-01", "2025-12-31")
    assert scheme_of(year, "T-BUDGET")["expected"] == "10350.00"
    assert spent(year)["staff"] == "900.00"
    assert year["totals"] == {
        "expected": "10350.00", "expectedCertainty": "known", "claimed": "4880.00",
        "received": "2200.00",
        "expenses": "4235.75", "balance": "6114.25", "receivedBalance": "-2035.75",
        "covered": True,
    }  # fmt: skip


async def test_unpriced_days_make_expected_unknown(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    """2026 has no BooO rates: BOO-GOO and BOO-POO are unpriced all year. A scheme with a
    gap in February is unpriced in Q1 only."""
    await budget.scheme(
        db,
        code="T-GAP",
        rates=[(date(2026, 1, 1), date(2026, 2, 14), "1.00"), (date(2026, 3, 1), None, "1.00")],
    )
    await budget.expense(db, on=date(2026, 5, 1), amount="40.00")
    r = await client.get(f"{URL}?year=2026", headers=build.headers_for(Role.viewer))
    assert r.status_code == 200, r.text
    report = r.json()
    quarters, year = report["quarters"], report["wholeYear"]
    for number, q in enumerate(quarters):
        goo = scheme_of(q, "BOO-GOO")
        assert goo["expected"] is None
        assert goo["unpricedRanges"] == [{"from": q["from"], "to": q["to"]}]
        assert scheme_of(q, "SPW-DUURZAAM")["expected"] == "0.00"
        gap = scheme_of(q, "T-GAP")
        if number == 0:
            assert gap["expected"] is None
            assert gap["unpricedRanges"] == [{"from": "2026-02-15", "to": "2026-02-28"}]
        else:
            assert (gap["expected"], gap["unpricedRanges"]) == ("0.00", [])
        assert q["totals"]["expected"] is None
        assert q["totals"]["balance"] is None and q["totals"]["covered"] is None
    assert quarters[1]["totals"]["receivedBalance"] == "-40.00"
    for code in ("BOO-GOO", "BOO-POO"):  # joined across the quarters
        assert scheme_of(year, code)["unpricedRanges"] == [
            {"from": "2026-01-01", "to": "2026-12-31"}
        ]
    assert scheme_of(year, "T-GAP")["expected"] is None
    assert scheme_of(year, "T-GAP")["unpricedRanges"] == [
        {"from": "2026-02-15", "to": "2026-02-28"}
    ]
    assert year["totals"] == {
        "expected": None, "expectedCertainty": None, "claimed": "0.00", "received": "0.00",
        "expenses": "40.00",
        "balance": None, "receivedBalance": "-40.00", "covered": None,
    }  # fmt: skip


async def test_roles_and_bad_input(client: httpx.AsyncClient, build: Builder) -> None:
    partner = await build.partner()
    assert problem(await client.get(f"{URL}?year=2025"))["status"] == 401
    for headers in (build.headers_for(Role.coordinator), build.headers_for(Role.partner, partner)):
        r = await client.get(f"{URL}?year=2025", headers=headers)
        assert problem(r)["status"] == 403
    for role in (Role.admin, Role.finance, Role.viewer):
        r = await client.get(f"{URL}?year=2025", headers=build.headers_for(role))
        assert r.status_code == 200, role
    h = build.headers_for(Role.finance)
    for query in ("", "?year=1999", "?year=2101", "?year=twenty"):
        r = await client.get(f"{URL}{query}", headers=h)
        assert [e["name"] for e in problem(r)["errors"]] == ["year"], query
    r = await client.get(f"{URL}?year=2025&quarter=1", headers=h)
    assert [e["name"] for e in problem(r)["errors"]] == ["quarter"]


async def test_statement_count_does_not_grow_with_the_data(
    client: httpx.AsyncClient,
    build: Builder,
    db: Database,
    engine: AsyncEngine,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Three statements of its own (schemes, claims, expenses) and one engine computation
    per scheme and quarter, whatever the number of claims and expenses."""
    calls: list[tuple[Any, date, date]] = []

    async def compute(
        session: Any, *, scheme_id: Any, first: date, last: date, provisional: bool = False
    ) -> Any:
        assert provisional  # the budget prices with provisional rates, and says so
        calls.append((scheme_id, first, last))
        return claim_engine.Computation(
            lines=[], total=Decimal("1.00"), rates_used=[], inputs_hash=""
        )

    monkeypatch.setattr(claim_engine, "compute", compute)
    h = build.headers_for(Role.finance)
    # The first request of a caller also reads its token generation: not counted here.
    assert (await client.get(f"{URL}?year=2024", headers=h)).status_code == 200
    calls.clear()
    with count_statements(engine) as small:
        assert (await client.get(f"{URL}?year=2025", headers=h)).status_code == 200
    await known_2025(db, build)
    for day in range(1, 29):
        await budget.expense(db, on=date(2025, 2, day), amount="1.00")
    with count_statements(engine) as large:
        r = await client.get(f"{URL}?year=2025", headers=h)
    assert r.status_code == 200
    assert r.json()["wholeYear"]["totals"]["expected"] == "20.00"  # 5 schemes x 4 x 1.00
    selects = [s for s in large if s.lstrip().upper().startswith("SELECT")]
    assert len(selects) == 3
    assert len(small) == len(large)
    assert len(calls) == 4 * 4 + 5 * 4  # 4 seeded schemes x 4 quarters, then 5 x 4
