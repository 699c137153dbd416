"""The billable units of a scheme per location and rate segment, one statement per basis
(set-based: cost grows with the placements, allowance ranges and capacity changes, never
with placements x days). ``engine.compute`` prices them.

Two corrections from review (issue 17) live here as data-driven filters:

- ``requires_living_allowance`` (BOO-POO): a night counts only inside one of the person's
  living-allowance ranges; the placement's interval is intersected with each range
  (``_stays``), so per_person_month counts a person in a month only when a night of the
  month is both a stay at the scheme's locations and an allowance night.
- ``place_condition`` (Spreidingswet): per_place_once counts a place added on day d as
  durable when its location's ``available_until`` is at least five years after d (Besluit
  gemeentelijke taak mogelijk maken asielopvangvoorzieningen art. 1.1: "opvangplaatsen die
  voor minimaal vijf jaar beschikbaar zijn"), else as not durable.
"""

from __future__ import annotations

import calendar
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    and_,
    case,
    cast,
    func,
    literal_column,
    or_,
    select,
    union_all,
)
from sqlalchemy.ext.asyncio import AsyncSession

from api.db.dialect import Sql
from api.models import CapacityChange, LivingAllowance, Location, Participant, Placement
from api.models.reimbursement import PlaceCondition, RateCertainty


@dataclass(frozen=True)
class Filters:
    """What of the programme's facts a scheme pays for, beyond its basis."""

    kinds: list[str]
    groups: list[str] | None  # NULL: all groups
    allowance: bool  # only nights with a living allowance
    place_condition: PlaceCondition | None  # per_place_once: durable, not durable or all


@dataclass(frozen=True)
class Segment:
    """One rate's days within the period."""

    first: date
    last: date
    rate: Decimal
    certainty: RateCertainty

    @property
    def lo(self) -> date:
        return self.first

    @property
    def hi(self) -> date:  # exclusive
        return self.last + timedelta(days=1)


def _overlap(sql: Sql, lo: Any, hi: Any, segment: Segment) -> ColumnElement[int]:
    """Length of ``[lo, hi) ∩ segment`` (0 when they do not meet)."""
    return sql.greatest(
        sql.least(hi, sql.day(segment.hi)) - sql.greatest(lo, sql.day(segment.lo)),
        _int(0),
    )


def _int(value: int) -> ColumnElement[int]:
    # Inlined, not bound: asyncpg cannot type a bare parameter in some positions.
    return literal_column(str(int(value)), Integer)


def _segment_of(
    sql: Sql, day: ColumnElement[Any], segments: Sequence[Segment]
) -> ColumnElement[int]:
    """The index of the segment holding ``day`` (a day number within the period)."""
    if len(segments) == 1:
        return _int(0)
    return case(
        *[(day < sql.day(s.hi), _int(i)) for i, s in enumerate(segments[:-1])],
        else_=_int(len(segments) - 1),
    )


def _by_segment(segment: ColumnElement[int], segments: Sequence[Segment]) -> list[Any]:
    """``segment`` as a GROUP BY key, unless it is the constant 0 of a single segment:
    SQLite reads an integer constant in GROUP BY as a column position."""
    return [segment] if len(segments) > 1 else []


Rows = list[tuple[uuid.UUID, str, int, int]]


def _split(rows: Sequence[Any], count: int) -> Rows:
    """Rows of ``(id, name, units per segment...)`` as one row per segment."""
    return [(r[0], r[1], i, r[2 + i]) for r in rows for i in range(count)]


def _stays(
    sql: Sql, stmt: Any, filters: Filters, first: date, last: date, open_end: date
) -> tuple[Select[Any], ColumnElement[Any], ColumnElement[Any]]:
    """``stmt`` over the stays at the scheme's kinds of location (and of its groups) with
    a night in ``first..last``, and the day numbers ``[lo, hi)`` of the nights that count:
    the placement's, intersected with a living-allowance range when the scheme requires
    one (a stay meets each of the person's few ranges once; the ranges never overlap, so
    no night counts twice). Open ends run to ``open_end`` (exclusive). The locations are
    a semi-join, so the aggregate groups by ``placements.location_id`` alone."""
    end = sql.day(open_end)
    lo: ColumnElement[Any] = sql.dayno(Placement.start_date)
    hi: ColumnElement[Any] = func.coalesce(sql.dayno(Placement.end_date), end)
    out: Select[Any] = stmt.select_from(Placement)
    if filters.groups is not None:
        out = out.join(Participant, Participant.id == Placement.participant_id).where(
            Participant.group.in_(filters.groups)
        )
    if filters.allowance:
        a = LivingAllowance
        out = out.join(
            a,
            and_(
                a.participant_id == Placement.participant_id,
                a.starts_on <= last,
                or_(a.ends_on.is_(None), a.ends_on >= first),
            ),
        )
        lo = sql.greatest(lo, sql.dayno(a.starts_on))
        hi = sql.least(hi, func.coalesce(sql.dayno(a.ends_on) + _int(1), end))
        out = out.where(lo < hi)
    out = out.where(
        Placement.location_id.in_(select(Location.id).where(Location.kind.in_(filters.kinds))),
        Placement.start_date <= last,
        or_(Placement.end_date.is_(None), Placement.end_date > first),
    )
    return out, lo, hi


async def per_person_day(
    session: AsyncSession,
    sql: Sql,
    filters: Filters,
    segments: Sequence[Segment],
    first: date,
    last: date,
) -> Rows:
    """Nights per location and segment: one pass over the stays, each night count a
    clipped interval length (never a row per night)."""
    inner, lo, hi = _stays(
        sql, select(Placement.location_id.label("location_id")), filters, first, last,
        last + timedelta(days=1),
    )  # fmt: skip
    per_segment = [
        func.sum(_overlap(sql, lo, hi, s)).label(f"n{i}") for i, s in enumerate(segments)
    ]
    nights = inner.add_columns(*per_segment).group_by(Placement.location_id).subquery("nights")
    stmt = select(
        Location.id, Location.name, *[nights.c[f"n{i}"] for i in range(len(segments))]
    ).join(nights, nights.c.location_id == Location.id)
    return _split((await session.execute(stmt)).all(), len(segments))


def _capacity_history(sql: Sql, kinds: list[str]) -> Any:
    """The capacity changes of the scheme's locations, each with the day number it takes
    effect, the next change's (NULL: none), the highest capacity before it, and whether
    the places it adds are durable (its location available at least five years on)."""
    frm = sql.dayno(CapacityChange.valid_from)
    window: dict[str, Any] = {
        "partition_by": CapacityChange.location_id,
        "order_by": CapacityChange.valid_from,
    }
    return (
        select(
            CapacityChange.location_id.label("location_id"),
            frm.label("frm"),
            func.lead(frm).over(**window).label("nxt"),
            CapacityChange.capacity.label("capacity"),
            func.max(CapacityChange.capacity).over(**window, rows=(None, -1)).label("before"),
            _durable(sql, CapacityChange.valid_from, Location.available_until).label("durable"),
        )
        .join(Location, Location.id == CapacityChange.location_id)
        .where(Location.kind.in_(kinds))
        .subquery("history")
    )


def _durable(sql: Sql, added: Any, until: Any) -> ColumnElement[Any]:
    """1 when a place added on ``added`` stays available at least five years: the day
    after ``until`` is on or after the same calendar day five years on (compared as
    YYYYMMDD numbers, so 29 February needs until 28 February five years on), else 0."""
    after = sql.yyyymmdd(until, plus_days=1)
    start = sql.yyyymmdd(added)
    return case(
        (
            and_(until.is_not(None), cast(after, Integer) >= cast(start, Integer) + _int(50000)),
            _int(1),
        ),
        else_=_int(0),
    )


async def per_place_day(
    session: AsyncSession,
    sql: Sql,
    filters: Filters,
    segments: Sequence[Segment],
    first: date,
    last: date,
) -> Rows:
    """Capacity-days: each capacity interval ``[change, next change)`` clipped to the
    location's open days and to each segment, times its capacity."""
    h = _capacity_history(sql, filters.kinds)
    end = sql.day(last + timedelta(days=1))
    lo = sql.greatest(h.c.frm, sql.dayno(Location.opened_on))
    hi = sql.least(
        func.coalesce(h.c.nxt, end),
        func.coalesce(sql.dayno(Location.closed_on) + _int(1), end),
    )
    per_segment = [func.sum(h.c.capacity * _overlap(sql, lo, hi, s)) for s in segments]
    stmt = (
        select(Location.id, Location.name, *per_segment)
        .select_from(h)
        .join(Location, Location.id == h.c.location_id)
        .where(
            h.c.frm <= sql.day(last),
            or_(h.c.nxt.is_(None), h.c.nxt > sql.day(first)),
            Location.opened_on <= last,
            or_(Location.closed_on.is_(None), Location.closed_on >= first),
        )
        .group_by(Location.id, Location.name)
    )
    return _split((await session.execute(stmt)).all(), len(segments))


async def per_place_once(
    session: AsyncSession, sql: Sql, filters: Filters, segments: Sequence[Segment]
) -> Rows:
    """Places added: each rise above the highest capacity before (the first capacity
    counts whole), on the day it takes effect, priced at that day's rate; with a place
    condition, only the rises whose places are (or are not) durable."""
    h = _capacity_history(sql, filters.kinds)
    before = func.coalesce(h.c.before, _int(0))
    segment = _segment_of(sql, h.c.frm, segments).label("segment")
    stmt = (
        select(Location.id, Location.name, segment, func.sum(h.c.capacity - before))
        .select_from(h)
        .join(Location, Location.id == h.c.location_id)
        .where(
            h.c.frm >= sql.day(segments[0].lo),
            h.c.frm < sql.day(segments[-1].hi),
            h.c.capacity > before,
        )
        .group_by(Location.id, Location.name, *_by_segment(segment, segments))
    )
    if filters.place_condition is not None:
        wanted = 1 if filters.place_condition is PlaceCondition.durable else 0
        stmt = stmt.where(h.c.durable == _int(wanted))
    return [(r[0], r[1], int(r[2]), r[3]) for r in (await session.execute(stmt)).all()]


async def per_person_month(
    session: AsyncSession,
    sql: Sql,
    filters: Filters,
    segments: Sequence[Segment],
    first: date,
    last: date,
) -> Rows:
    """Persons per month: each stay meets the (few) months it overlaps; a person's first
    night of a month picks the line (location and rate); months cut by the period count
    only when that night lies inside it."""
    whole = months(first, last)
    month_rows = [
        select(sql.day(a).label("lo"), sql.day(b + timedelta(days=1)).label("hi")) for a, b in whole
    ]
    month = (union_all(*month_rows) if len(month_rows) > 1 else month_rows[0]).subquery("months")
    inner, lo, hi = _stays(
        sql, select(), filters, whole[0][0], whole[-1][1], whole[-1][1] + timedelta(days=1)
    )
    night = sql.greatest(lo, month.c.lo)
    nights = (
        inner.add_columns(
            Placement.participant_id.label("person"),
            Placement.location_id.label("location_id"),
            night.label("night"),
            func.row_number()
            .over(
                partition_by=(Placement.participant_id, month.c.lo),
                order_by=(night, Placement.location_id),
            )
            .label("rank"),
        )
        .join(month, and_(lo < month.c.hi, hi > month.c.lo))
        .subquery("nights")
    )
    segment = _segment_of(sql, nights.c.night, segments).label("segment")
    counted = (
        select(nights.c.location_id, segment, func.count().label("persons"))
        .where(
            nights.c.rank == 1,
            nights.c.night >= sql.day(first),
            nights.c.night <= sql.day(last),
        )
        .group_by(nights.c.location_id, *_by_segment(segment, segments))
        .subquery("counted")
    )
    stmt = select(Location.id, Location.name, counted.c.segment, counted.c.persons).join(
        counted, counted.c.location_id == Location.id
    )
    return [(r[0], r[1], int(r[2]), r[3]) for r in (await session.execute(stmt)).all()]


def months(first: date, last: date) -> list[tuple[date, date]]:
    """The calendar months that overlap ``first..last``, whole."""
    out = []
    year, month = first.year, first.month
    while date(year, month, 1) <= last:
        out.append((date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out
