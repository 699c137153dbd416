"""The council report's forecast section on the forecast's small world
(``tests.forecast.world``, today 2027-01-10), computed by hand: the quarters left in the
report's year, the reserve at the year's end, budget neutrality, each amount's certainty."""

from __future__ import annotations

from datetime import date
from typing import Any

import httpx

from api.council_report.content import context, council_report
from api.db import Database
from api.models import Role
from tests.forecast.world import TODAY, small_world
from tests.support.builders import Builder


async def _section(db: Database, quarter: str, lang: str = "nl") -> Any:
    async with db.sessionmaker() as session:
        report = await council_report(context(session, quarter, lang, on=TODAY))  # type: ignore[arg-type]
    return next(s for s in report.sections if s.key == "forecast")


async def test_forecast_section_by_hand(db: Database, build: Builder) -> None:
    """2027Q1..Q4 (tests.forecast.test_forecast for Q1 and Q3):
    - Q1: income 2250 + 16200 + 5400 + 0 = 23850 (T-MONTH's rate assumed: assumed);
      costs: begroting staff 4000 / 4 = 1000 (known); balance 22850; reserve 66020 + 22850
      = 88870.
    - Q2, 91 days: T-PLACE 10 x 91 x 3.00 = 2730 (provisional), T-PERSON 18 x 91 x 10.00
      = 16380, T-MONTH 18 x 3 x 100.00 = 5400 (assumed): 24510; balance 23510; reserve
      112380.
    - Q3, 92 days: 3864 + 16560 + 5400 + 2000 (T-ONCE, 4 more places) = 27824; balance
      26824; reserve 139204.
    - Q4, 92 days: 14 x 92 x 3.00 = 3864, 16560, 5400, 0: 25824; balance 24824; reserve
      164028.
    The year: income 23850 + 24510 + 27824 + 25824 = 102008, costs 4000, balance 98008.
    2028: income well above the run-rate costs (600 a quarter): budget neutral."""
    await small_world(db, build)
    s = await _section(db, "2027Q1")
    assert s.heading == "Prognose tot het eind van het jaar"
    assert s.sentences == [
        "Prognose van 10 januari 2027. Die gaat uit van wat we vandaag weten en van de "
        "plannen voor de opvang.",
        "Van Q1 2027 tot en met Q4 2027 verwachten we € 102.008,00 (aangenomen) aan "
        "inkomsten van het Rijk en € 4.000,00 aan kosten.",
        "We houden dan € 98.008,00 over.",
        "Aan het eind van 2027 staat er naar verwachting € 164.028,00 (aangenomen) in de "
        "bestemmingsreserve.",
        "Volgens de prognose blijft het programma budgetneutraal tot het eind van 2028: de "
        "reserve blijft boven nul.",
        "Een bedrag met (voorlopig) rust op een tarief dat het Rijk heeft aangekondigd. Een "
        "bedrag met (aangenomen) rust op een aanname, bijvoorbeeld het tarief van vorig jaar.",
    ]
    table = s.tables[0]
    assert table.columns == [
        "Kwartaal", "Inkomsten van het Rijk", "Kosten", "Saldo", "Reserve aan het eind",
    ]  # fmt: skip
    a = "(aangenomen)"
    assert table.rows == [
        ["Q1 2027", f"€ 23.850,00 {a}", "€ 1.000,00", f"€ 22.850,00 {a}", f"€ 88.870,00 {a}"],
        ["Q2 2027", f"€ 24.510,00 {a}", "€ 1.000,00", f"€ 23.510,00 {a}", f"€ 112.380,00 {a}"],
        ["Q3 2027", f"€ 27.824,00 {a}", "€ 1.000,00", f"€ 26.824,00 {a}", f"€ 139.204,00 {a}"],
        ["Q4 2027", f"€ 25.824,00 {a}", "€ 1.000,00", f"€ 24.824,00 {a}", f"€ 164.028,00 {a}"],
    ]
    chart = s.charts[0]
    assert chart.table == 0 and chart.labels == ["Q1 2027", "Q2 2027", "Q3 2027", "Q4 2027"]
    assert chart.series[2].values == [88870.0, 112380.0, 139204.0, 164028.0]
    english = await _section(db, "2027Q1", "en")
    assert english.sentences[0].startswith("Forecast of 10 January 2027.")
    assert english.tables[0].rows[0][1] == "€23,850.00 (assumed)"


async def test_a_year_that_is_over_has_no_quarters_left(db: Database, build: Builder) -> None:
    """The report for 2026Q4, made on 2027-01-10: 2026 is over; the forecast still says
    whether the programme stays budget neutral to the end of 2028."""
    await small_world(db, build)
    s = await _section(db, "2026Q4")
    assert s.sentences[1:] == [
        "Het jaar 2026 is voorbij. Daarom staat hier geen prognose voor dit jaar.",
        "Volgens de prognose blijft het programma budgetneutraal tot het eind van 2028: de "
        "reserve blijft boven nul.",
    ]
    assert s.tables == [] and s.charts == []


async def test_through_the_endpoint_the_forecast_is_made_today(
    client: httpx.AsyncClient, build: Builder
) -> None:
    """Heemstede's real today: only that the section follows the begroting and names it."""
    r = await client.get(
        "/api/v1/reports/council?quarter=2026Q1", headers=build.headers_for(Role.viewer)
    )
    assert r.status_code == 200, r.text
    keys = [s["key"] for s in r.json()["sections"]]
    assert keys[keys.index("begroting") + 1] == "forecast"
    forecast = r.json()["sections"][keys.index("forecast")]
    assert forecast["sentences"][0].startswith("Prognose van ")


async def test_one_quarter_left_is_named_once(db: Database, build: Builder) -> None:
    """Made on 2027-10-05 for 2027Q3: only 2027Q4 is left of the year."""
    await small_world(db, build)
    async with db.sessionmaker() as session:
        report = await council_report(context(session, "2027Q3", "nl", on=date(2027, 10, 5)))
    s = next(s for s in report.sections if s.key == "forecast")
    assert s.sentences[0].startswith("Prognose van 5 oktober 2027.")
    assert s.sentences[1].startswith("In Q4 2027 verwachten we ")
    assert [row[0] for row in s.tables[0].rows] == ["Q4 2027"]
