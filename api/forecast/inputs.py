"""What the forecast reads: one statement per table it needs, whatever the number of
locations, stays or expenses. The one over the stays (the trailing nights per location)
is an aggregate of clipped interval lengths; the others read rows that grow with the
locations and their changes, not with the stays."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from api.db.dialect import sql_of
from api.models import (
    CapacityChange,
    Expense,
    Location,
    OccupancyAssumption,
    Placement,
    PlannedCapacityChange,
    ReimbursementRate,
    ReimbursementScheme,
    ReserveMutation,
)

TRAILING_DAYS = 90


@dataclass(frozen=True)
class Inputs:
    schemes: list[Any]  # id, code, name, basis, location_kinds
    rates: list[Any]  # scheme_id, valid_from, valid_to, amount, certainty
    locations: list[Any]  # id, kind, opened_on, closed_on
    changes: dict[uuid.UUID, list[tuple[date, int]]]  # facts, by day
    plan: list[Any]  # location_id, kind, takes_effect_on, capacity
    assumptions: dict[uuid.UUID, int]  # basis points
    nights: dict[uuid.UUID, int]  # nights in the trailing window
    expenses: dict[tuple[int, int, str], Decimal]  # (year, month, category) -> amount
    mutations: dict[tuple[int, int], Decimal]  # (year, month) -> reserve mutations


def trailing_window(today: date) -> tuple[date, date]:
    """The 90 nights before today (first day, exclusive end): tonight is not over yet."""
    return today - timedelta(days=TRAILING_DAYS), today


async def _trailing_nights(session: AsyncSession, today: date) -> dict[uuid.UUID, int]:
    sql = sql_of(session)
    lo, hi = trailing_window(today)
    p = Placement
    end = func.coalesce(sql.dayno(p.end_date), sql.day(hi))
    nights = sql.greatest(sql.least(end, sql.day(hi)) - sql.greatest(sql.dayno(p.start_date),
                                                                       sql.day(lo)), 0)  # fmt: skip
    stmt = (
        select(p.location_id, func.sum(nights))
        .where(p.start_date < hi, or_(p.end_date.is_(None), p.end_date > lo))
        .group_by(p.location_id)
    )
    return {loc: int(n or 0) for loc, n in (await session.execute(stmt)).all()}


async def read(session: AsyncSession, *, today: date, first: date, last: date) -> Inputs:
    """Everything the forecast from ``first`` to ``last`` needs (costs look one year
    back from the current quarter for the run-rate)."""

    async def rows(stmt: Any) -> list[Any]:
        return list((await session.execute(stmt)).all())

    s = ReimbursementScheme
    schemes = await rows(select(s.id, s.code, s.name, s.basis, s.location_kinds).order_by(s.code))
    r = ReimbursementRate
    rates = await rows(
        select(r.scheme_id, r.valid_from, r.valid_to, r.amount, r.certainty).order_by(
            r.scheme_id, r.valid_from
        )
    )
    loc = Location
    locations = await rows(
        select(loc.id, loc.kind, loc.opened_on, loc.closed_on).order_by(loc.name)
    )
    changes: dict[uuid.UUID, list[tuple[date, int]]] = {}
    c = CapacityChange
    for location_id, valid_from, capacity in await rows(
        select(c.location_id, c.valid_from, c.capacity).order_by(c.location_id, c.valid_from)
    ):
        changes.setdefault(location_id, []).append((valid_from, int(capacity)))
    pc = PlannedCapacityChange
    plan = await rows(
        select(pc.location_id, pc.kind, pc.takes_effect_on, pc.capacity)
        .where(pc.realised_at.is_(None))
        .order_by(pc.location_id, pc.takes_effect_on)
    )
    oa = OccupancyAssumption
    assumptions = {a: int(bp) for a, bp in await rows(select(oa.location_id, oa.rate_bp))}
    nights = await _trailing_nights(session, today)
    year, month = func.extract("year", Expense.spent_on), func.extract("month", Expense.spent_on)
    spent = await rows(
        select(year, month, Expense.category, func.sum(Expense.amount))
        .where(and_(Expense.spent_on >= first, Expense.spent_on <= last))
        .group_by(year, month, Expense.category)
    )
    expenses = {(int(y), int(m), str(cat)): Decimal(a) for y, m, cat, a in spent}
    rm = ReserveMutation
    ryear, rmonth = func.extract("year", rm.booked_on), func.extract("month", rm.booked_on)
    moved = await rows(
        select(ryear, rmonth, func.sum(rm.amount))
        .where(and_(rm.booked_on >= date(today.year, 1, 1), rm.booked_on <= last))
        .group_by(ryear, rmonth)
    )
    mutations = {(int(y), int(m)): Decimal(a) for y, m, a in moved}
    return Inputs(
        schemes, rates, locations, changes, plan, assumptions, nights, expenses, mutations
    )
