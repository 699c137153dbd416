"""The council money section marks Rijk income priced with a rate the Rijk has not set
(the budget report's ``expected_certainty``), on a small world computed by hand."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import httpx

from api.db import Database
from api.models import LocationKind, RateCertainty, ReimbursementRate, Role
from tests.forecast.world import without_seeded_schemes
from tests.support import budget, records
from tests.support.builders import Builder

URL = "/api/v1/reports/council?quarter=2026Q3"


async def _rate(db: Database, scheme_id: object, lo: date, hi: date, amount: str,
                certainty: RateCertainty) -> None:  # fmt: skip
    async with db.sessionmaker() as session, session.begin():
        session.add(
            ReimbursementRate(scheme_id=scheme_id, valid_from=lo, valid_to=hi,
                              amount=Decimal(amount), source="test", certainty=certainty)
        )  # fmt: skip


async def test_income_priced_with_an_announced_rate_is_marked(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    """One asylum centre of 10 places since 2026-01-01. T-KNOWN: 1.00 a place-day, published
    for 2026. T-NEW: 2.00 published to 30 June, 3.00 announced from 1 July.
    - Q1 (90 days): T-KNOWN 900.00, T-NEW 1800.00: 2700.00, known.
    - Q2 (91 days): 910.00 + 1820.00 = 2730.00, known.
    - Q3 (92 days): 920.00 + 10 x 92 x 3.00 = 2760.00: 3680.00, provisional.
    To 30 September: T-KNOWN 2730.00 (known), T-NEW 1800 + 1820 + 2760 = 6380.00
    (provisional), together 9110.00 (provisional)."""
    await without_seeded_schemes(db)
    known = await budget.scheme(db, code="T-KNOWN")
    new = await budget.scheme(db, code="T-NEW")
    pub, ann = RateCertainty.published, RateCertainty.announced
    await _rate(db, known.id, date(2026, 1, 1), date(2026, 12, 31), "1.00", pub)
    await _rate(db, new.id, date(2026, 1, 1), date(2026, 6, 30), "2.00", pub)
    await _rate(db, new.id, date(2026, 7, 1), date(2026, 12, 31), "3.00", ann)
    partner = await build.partner()
    await records.location(
        db, partner, kind=LocationKind.asylum_center, opened_on=date(2026, 1, 1), capacity=10
    )
    r = await client.get(URL, headers=build.headers_for(Role.finance))
    assert r.status_code == 200, r.text
    money = next(s for s in r.json()["sections"] if s["key"] == "budget")
    assert money["sentences"][:2] == [
        "Van 1 januari tot en met 30 september 2026 hebben we recht op € 9.110,00 van het "
        "Rijk. We vroegen € 0,00 aan en kregen € 0,00.",
        "Een deel van dit bedrag is een schatting: het Rijk heeft de bedragen voor 2026 nog "
        "niet vastgesteld.",
    ]
    income = {row[0]: row[1] for row in money["tables"][0]["rows"]}
    assert income["Totaal"] == "€ 9.110,00 (voorlopig)"
    assert [v for k, v in income.items() if k != "Totaal"] == [
        "€ 2.730,00", "€ 6.380,00 (voorlopig)",
    ]  # fmt: skip
    assert [row[1] for row in money["tables"][2]["rows"]] == [
        "€ 2.700,00", "€ 2.730,00", "€ 3.680,00 (voorlopig)",
    ]  # fmt: skip


async def test_published_rates_only_no_estimate_sentence(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    """The same centre with T-KNOWN only: 2730.00 to 30 September, known, unmarked."""
    await without_seeded_schemes(db)
    known = await budget.scheme(db, code="T-KNOWN")
    await _rate(db, known.id, date(2026, 1, 1), date(2026, 12, 31), "1.00",
                RateCertainty.published)  # fmt: skip
    partner = await build.partner()
    await records.location(
        db, partner, kind=LocationKind.asylum_center, opened_on=date(2026, 1, 1), capacity=10
    )
    r = await client.get(URL, headers=build.headers_for(Role.viewer))
    money = next(s for s in r.json()["sections"] if s["key"] == "budget")
    assert not any("schatting" in s for s in money["sentences"])
    assert money["tables"][0]["rows"][-1][1] == "€ 2.730,00"
