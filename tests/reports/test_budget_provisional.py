"""The budget report with provisional rates (issue 17): `expected` is priced with them where
no published rate exists and says so per scheme and in the totals (`expectedCertainty`:
known / provisional / assumed); days no rate covers stay `unpricedRanges`. The CSV export
and the public money page carry the mark too."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import httpx
from sqlalchemy import select

from api.db import Database
from api.models import (
    LocationKind,
    RateCertainty,
    ReimbursementRate,
    ReimbursementScheme,
    Role,
)
from tests.support import budget, records
from tests.support.builders import Builder

URL = "/api/v1/reports/budget"


async def rate(db: Database, code: str, start: date, amount: str, sure: RateCertainty) -> None:
    async with db.sessionmaker() as session, session.begin():
        scheme_id = (
            await session.execute(
                select(ReimbursementScheme.id).where(ReimbursementScheme.code == code)
            )
        ).scalar_one()
        session.add(
            ReimbursementRate(
                scheme_id=scheme_id, valid_from=start, valid_to=date(2026, 12, 31),
                amount=Decimal(amount), certainty=sure, source=f"{sure.value} for the test",
            )
        )  # fmt: skip


def of(period: dict[str, Any], code: str) -> dict[str, Any]:
    return next(s for s in period["schemes"] if s["schemeCode"] == code)


async def test_expected_uses_provisional_rates_and_says_so(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    """T-PROV pays per place-day at asylum centres: 1.00 published for Q1 2026, 2.00
    announced for Q2, 3.00 assumed from July. One centre of 10 places since 2025-06-01:
    Q1 90 x 10 x 1.00 = 900.00 (known); Q2 91 x 10 x 2.00 = 1820.00 (provisional);
    Q3 92 x 10 x 3.00 = 2760.00 and Q4 the same (assumed); the year 8240.00 (assumed).
    The BooO schemes get announced 2026 rates but have no places here: 0.00, known (no
    line was priced by the announced rate). The Spreidingswet schemes: no place added in
    2026, 0.00, known."""
    await budget.scheme(
        db,
        code="T-PROV",
        kinds=["asylum_center"],
        rates=[(date(2026, 1, 1), date(2026, 3, 31), "1.00")],
    )
    await rate(db, "T-PROV", date(2026, 4, 1), "2.00", RateCertainty.announced)
    async with db.sessionmaker() as session, session.begin():
        # From July: assumed, open-ended (the builder's ranges end with the year).
        row = (
            await session.execute(
                select(ReimbursementRate)
                .join(ReimbursementScheme)
                .where(ReimbursementScheme.code == "T-PROV")
                .where(ReimbursementRate.valid_from == date(2026, 4, 1))
            )
        ).scalar_one()
        row.valid_to = date(2026, 6, 30)
    await rate(db, "T-PROV", date(2026, 7, 1), "3.00", RateCertainty.assumed)
    for code in ("BOO-GOO", "BOO-POO"):
        await rate(db, code, date(2026, 1, 1), "40.00", RateCertainty.announced)
    await records.location(
        db,
        await build.partner(),
        kind=LocationKind.asylum_center,
        opened_on=date(2025, 6, 1),
        capacity=10,
    )
    r = await client.get(f"{URL}?year=2026", headers=build.headers_for(Role.viewer))
    assert r.status_code == 200, r.text
    report = r.json()
    quarters, year = report["quarters"], report["wholeYear"]
    assert [
        (of(q, "T-PROV")["expected"], of(q, "T-PROV")["expectedCertainty"]) for q in quarters
    ] == [
        ("900.00", "known"),
        ("1820.00", "provisional"),
        ("2760.00", "assumed"),
        ("2760.00", "assumed"),
    ]
    assert all(of(q, "T-PROV")["unpricedRanges"] == [] for q in quarters)
    for q in quarters:
        for code in ("BOO-GOO", "BOO-POO", "SPW-DUURZAAM", "SPW-OVERIG"):
            assert (of(q, code)["expected"], of(q, code)["expectedCertainty"]) == ("0.00", "known")
    assert [(q["totals"]["expected"], q["totals"]["expectedCertainty"]) for q in quarters] == [
        ("900.00", "known"),
        ("1820.00", "provisional"),
        ("2760.00", "assumed"),
        ("2760.00", "assumed"),
    ]
    assert (of(year, "T-PROV")["expected"], of(year, "T-PROV")["expectedCertainty"]) == (
        "8240.00",
        "assumed",
    )
    assert (year["totals"]["expected"], year["totals"]["expectedCertainty"]) == (
        "8240.00",
        "assumed",
    )
    # The CSV export marks the provisional figures in its note column.
    r = await client.get(
        "/api/v1/exports/budget",
        params={"year": 2026, "format": "csv"},
        headers=build.headers_for(Role.viewer),
    )
    assert r.status_code == 200, r.text
    assert "voorlopig: berekend met een aangekondigd tarief" in r.text
    assert "voorlopig: berekend met een aangenomen tarief" in r.text
    # The public money page: this year's income marked as assumed.
    public = (await client.get("/api/v1/public/summary")).json()
    this_year = next(m for m in public["money"] if m["year"] == 2026)
    assert this_year["incomeCertainty"] == "assumed"
    assert {s["schemeCode"]: s["expectedCertainty"] for s in this_year["income"]} == {
        "T-PROV": "assumed"
    }
