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

from sqlalchemy import Integer, and_, func, literal, literal_column, or_, select, union_all
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
    window_days: dict[uuid.UUID, int]  # capacity-days in the trailing window (facts)
    expenses: dict[tuple[int, int, str], Decimal]  # (year, month, category) -> amount
    mutations: dict[tuple[int, int], Decimal]  # (year, month) -> reserve mutations


def trailing_window(today: date) -> tuple[date, date]:
    """The 90 nights before today (first day, exclusive end): tonight is not over yet."""
    return today - timedelta(days=TRAILING_DAYS), today


async def _trailing(
    session: AsyncSession, today: date
) -> tuple[dict[uuid.UUID, int], dict[uuid.UUID, int]]:
    """Per location, its nights and its capacity-days (facts: the capacity history while
    open) in the trailing window, as one statement: two aggregates of clipped interval
    lengths, the one over the stays and the one over the capacity history."""
    sql = sql_of(session)
    lo, hi = trailing_window(today)
    wlo, whi = sql.day(lo), sql.day(hi)
    p = Placement
    end = func.coalesce(sql.dayno(p.end_date), whi)
    nights = sql.greatest(sql.least(end, whi) - sql.greatest(sql.dayno(p.start_date), wlo), 0)
    stays = (
        select(p.location_id.label("location_id"), literal(0).label("part"), func.sum(nights))
        .where(p.start_date < hi, or_(p.end_date.is_(None), p.end_date > lo))
        .group_by(p.location_id)
    )
    c = CapacityChange
    following = func.lead(c.valid_from).over(partition_by=c.location_id, order_by=c.valid_from)
    history = select(
        c.location_id, c.valid_from.label("lo"), following.label("hi"), c.capacity
    ).subquery()
    first = sql.greatest(sql.dayno(history.c.lo), sql.dayno(Location.opened_on), wlo)
    closed = sql.dayno(Location.closed_on) + literal_column("1", Integer)
    last = sql.least(func.coalesce(sql.dayno(history.c.hi), whi), func.coalesce(closed, whi), whi)
    places = (
        select(
            history.c.location_id,
            literal(1).label("part"),
            func.sum(sql.greatest(last - first, 0) * history.c.capacity),
        )
        .join(Location, Location.id == history.c.location_id)
        .group_by(history.c.location_id)
    )
    found: tuple[dict[uuid.UUID, int], dict[uuid.UUID, int]] = ({}, {})
    for location_id, part, total in (await session.execute(union_all(stays, places))).all():
        found[int(part)][location_id] = int(total or 0)
    return found


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
    nights, window_days = await _trailing(session, today)
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
        schemes,
        rates,
        locations,
        changes,
        plan,
        assumptions,
        nights,
        window_days,
        expenses,
        mutations,
    )
