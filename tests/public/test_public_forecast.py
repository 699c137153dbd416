"""The public page's money by the forecast: budget neutral to the end of next year (and
from which quarter not), and the quarters' income marked when a rate the Rijk has not
published took part. Figures on the forecast's small world (``tests.forecast``)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import httpx

from api.common.calendar import today
from api.db import Database
from api.models import (
    BudgetLine,
    BudgetLineKind,
    BudgetVersion,
    ExpenseCategory,
    LocationKind,
    RateCertainty,
    ReimbursementRate,
    ReserveMutation,
)
from api.public.money import neutral_by_forecast
from tests.forecast.world import TODAY, small_world, without_seeded_schemes
from tests.support import budget, records
from tests.support.builders import Builder

URL = "/api/v1/public/summary"


async def test_neutral_by_the_forecast_on_the_small_world(db: Database, build: Builder) -> None:
    """tests.forecast.test_forecast: the reserve starts 2027 at 66020.00 and rises every
    quarter (income near 24000.00 against costs of 1000.00; in 2028 against the run-rate
    of 600.00): neutral to 2028-12-31. T-MONTH's 2027 rate is assumed: assumed."""
    await small_world(db, build)
    async with db.sessionmaker() as session:
        n = await neutral_by_forecast(session, on=TODAY)
    assert n.made_on == TODAY and n.to == date(2028, 12, 31)
    assert n.neutral is True and n.short_from is None
    assert n.certainty is not None and n.certainty.value == "assumed"


async def test_short_by_the_forecast_from_a_quarter(db: Database) -> None:
    """No schemes, no locations: the 2027 begroting spends 32000.00 / 4 = 8000.00 a quarter
    from a reserve of 10000.00: 2000.00 after 2027Q1, -6000.00 after Q2: short from
    2027Q2."""
    await without_seeded_schemes(db)
    async with db.sessionmaker() as session, session.begin():
        version = BudgetVersion(year=2027, number=0, decided_on=date(2026, 11, 5), description="P")
        session.add(version)
        session.add(
            ReserveMutation(
                booked_on=date(2026, 12, 1), amount=Decimal("10000.00"), description="Opening"
            )
        )
        await session.flush()
        session.add(
            BudgetLine(
                version_id=version.id,
                kind=BudgetLineKind.expense,
                category=ExpenseCategory.staff,
                amount=Decimal("32000.00"),
            )
        )
    async with db.sessionmaker() as session:
        n = await neutral_by_forecast(session, on=TODAY)
    assert n.neutral is False and n.short_from == "2027Q2"


async def test_the_summary_tells_it_and_marks_provisional_income(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    """Last year (every quarter ended): an asylum centre of 10 places from 1 January;
    T-NEW pays 2.00 a place-day (published) to 30 June, 3.00 (announced) from 1 July:
    Q3 10 x 92 x 3.00 = 2760.00, provisional; Q1 and Q2 known."""
    y = today().year - 1
    await without_seeded_schemes(db)
    row = await budget.scheme(db, code="T-NEW")
    async with db.sessionmaker() as session, session.begin():
        session.add_all(
            [
                ReimbursementRate(scheme_id=row.id, valid_from=date(y, 1, 1),
                                  valid_to=date(y, 6, 30), amount=Decimal("2.00"), source="t",
                                  certainty=RateCertainty.published),
                ReimbursementRate(scheme_id=row.id, valid_from=date(y, 7, 1),
                                  valid_to=date(y, 12, 31), amount=Decimal("3.00"), source="t",
                                  certainty=RateCertainty.announced),
            ]
        )  # fmt: skip
    partner = await build.partner()
    await records.location(
        db, partner, kind=LocationKind.asylum_center, opened_on=date(y, 1, 1), capacity=10
    )
    r = await client.get(URL)  # anonymous
    assert r.status_code == 200, r.text
    body = r.json()
    last = next(m for m in body["money"] if m["year"] == y)
    assert [q["incomeCertainty"] for q in last["quarters"]] == [
        "known", "known", "provisional", "provisional",
    ]  # fmt: skip
    assert last["quarters"][2]["incomeTotal"] == "2760.00"
    n = body["neutralByForecast"]
    assert set(n) == {"madeOn", "to", "neutral", "shortFrom", "certainty"}
    assert n["madeOn"] == today().isoformat() and n["to"] == f"{today().year + 1}-12-31"
