"""The reserve walk of the council report's fourth quarter.

Each year of the walk costs a budget report (four claim-engine runs per scheme), so the
report walks once from the reserve's first year, and no further than the first year whose
result is unknown. A mutation booked centuries back (0225 for 2025) made the report of a
year walk every year in between, twice: the docx timed out under the fuzzer."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import event

from api.council_report.context import Ctx
from api.council_report.steering import _reserve
from api.db import Database
from api.models import ReserveMutation
from tests.support import budget
from tests.support.builders import Builder


async def _world(db: Database, build: Builder, *, booked: list[tuple[date, str]]) -> None:
    """``budget.paying_2025`` (the 2025 result is 6300.00) and the reserve's mutations."""
    await budget.paying_2025(db, await build.partner())
    async with db.sessionmaker() as session, session.begin():
        for day, amount in booked:
            session.add(ReserveMutation(booked_on=day, amount=Decimal(amount), description="R"))


@asynccontextmanager
async def _budget_reports(db: Database) -> AsyncIterator[list[str]]:
    """The statements that read the filed claims: one for each budget report computed."""
    seen: list[str] = []

    def count(*args: Any) -> None:
        if "FROM reimbursement_claims" in str(args[2]):
            seen.append(str(args[2]))

    event.listen(db.engine.sync_engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(db.engine.sync_engine, "before_cursor_execute", count)


def _q4(session: Any, year: int) -> Ctx:
    last = date(year, 12, 31)
    return Ctx(session, year, 4, date(year, 10, 1), last, last, "nl", date(year + 1, 2, 1))


async def test_the_fourth_quarter_closes_the_reserve_in_one_walk(
    db: Database, build: Builder
) -> None:
    """Opened with 10,000.00 on 2025-02-01: 2025 opens at 0 and closes at
    0 + 10,000.00 + 6,300.00 = 16,300.00; one budget report (2025) for both sentences."""
    await _world(db, build, booked=[(date(2025, 2, 1), "10000.00")])
    async with db.sessionmaker() as session, _budget_reports(db) as reports:
        sentences = await _reserve(_q4(session, 2025))
    assert sentences == [
        "De bestemmingsreserve stond op 1 januari 2025 op € 0,00.",
        "De raad besloot dit jaar tot € 10.000,00 aan stortingen en onttrekkingen.",
        "Het resultaat van 2025 is € 6.300,00. Daarmee sluit de reserve op € 16.300,00.",
    ]
    assert len(reports) == 1


async def test_an_unknown_early_year_ends_the_walk(db: Database, build: Builder) -> None:
    """A deposit on 2016-02-01: no rate covers 2016, so its result, and every balance
    after it, is unknown. The walk stops there: one budget report, not one for each of
    the ten years up to 2025 (and not twice, as before)."""
    await _world(db, build, booked=[(date(2016, 2, 1), "500.00"), (date(2025, 2, 1), "10000.00")])
    async with db.sessionmaker() as session, _budget_reports(db) as reports:
        sentences = await _reserve(_q4(session, 2025))
    assert sentences == [
        "Hoeveel er op 1 januari 2025 in de bestemmingsreserve zat, weten we nog niet "
        "precies: voor een eerder jaar staat een bedrag van het Rijk nog niet vast.",
        "De raad besloot dit jaar tot € 10.000,00 aan stortingen en onttrekkingen.",
    ]
    assert len(reports) == 1
