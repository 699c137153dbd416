"""The claim engine: a scheme's billable units for a period, per location and rate
segment, priced with the rates in force, in set-based SQL (cost grows with the number of
placements and capacity changes, never with placements x days).

Units per basis (domain.md, "Reimbursements"), at the locations whose kind the scheme
covers, over ``first..last`` inclusive:

- ``per_place_day``: capacity-days, the sum over the location's open days
  (``opened_on <= d <= closed_on``) of its capacity that day (capacity history);
- ``per_person_day``: nights ``start_date <= d < end_date`` of placements of participants
  in the scheme's groups (all groups when NULL);
- ``per_person_month``: per calendar month, the participants with at least one night at
  the scheme's locations, counted once on the line of the location of their first night
  that month and priced at the rate of that night; a month cut by the period counts only
  if that first night lies inside the period;
- ``per_place_once``: each rise of a location's capacity above the highest it ever had
  before (its first capacity included), counted on the day it takes effect.

Every day of the period must be covered by a rate of the scheme, otherwise
``UncoveredDays`` (a 400) names the missing ranges. Each line's amount is
``units x rate`` rounded once to cents, half up; the total is the sum of the lines.
"""

from __future__ import annotations

import calendar
import hashlib
import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    and_,
    case,
    func,
    literal_column,
    or_,
    select,
    union_all,
)
from sqlalchemy.ext.asyncio import AsyncSession

from api.db.dialect import Sql, sql_of
from api.errors import BadRequest, ProblemType, field_problem
from api.models import CapacityChange, Location, Participant, Placement
from api.models.base import CENT
from api.models.reimbursement import Basis, ReimbursementRate, ReimbursementScheme


@dataclass(frozen=True)
class Line:
    location_id: uuid.UUID
    rate_from: date  # the rate's range clipped to the period
    rate_to: date
    units: int
    rate: Decimal
    amount: Decimal


@dataclass(frozen=True)
class RateUsed:
    valid_from: date
    valid_to: date | None
    amount: Decimal


@dataclass(frozen=True)
class Computation:
    lines: list[Line]  # by location name, then rate_from; only lines with units > 0
    total: Decimal  # the sum of the lines' amounts
    rates_used: list[RateUsed]  # the scheme's rates that overlap the period
    inputs_hash: str  # sha256 hex of scheme, period, rates and per-line units


class UncoveredDays(BadRequest):
    """Days of the period that no rate of the scheme covers (never priced as zero)."""

    def __init__(self, scheme_code: str, ranges: list[tuple[date, date]]) -> None:
        self.ranges = ranges
        listed = ", ".join(f"{a}..{b}" if a != b else f"{a}" for a, b in ranges)
        super().__init__(
            f"No rate of scheme {scheme_code} covers {listed}.",
            type_=ProblemType.UNCOVERED_DAYS,
            errors=[
                field_problem(
                    "body",
                    "periodStart",
                    f"No rate covers {a}..{b}.",
                    code="no_rate",
                    params={"from": a.isoformat(), "to": b.isoformat()},
                )
                for a, b in ranges
            ],
            # For a client to say it in its own words, with a way to add the rate.
            extra={
                "schemeCode": scheme_code,
                "uncoveredRanges": [
                    {"from": a.isoformat(), "to": b.isoformat()} for a, b in ranges
                ],
            },
        )


@dataclass(frozen=True)
class _Segment:
    first: date
    last: date
    rate: Decimal

    @property
    def lo(self) -> date:
        return self.first

    @property
    def hi(self) -> date:  # exclusive
        return self.last + timedelta(days=1)


def _overlap(sql: Sql, lo: Any, hi: Any, segment: _Segment) -> ColumnElement[int]:
    """Length of ``[lo, hi) ∩ segment`` (0 when they do not meet)."""
    return sql.greatest(
        sql.least(hi, sql.day(segment.hi)) - sql.greatest(lo, sql.day(segment.lo)),
        _int(0),
    )


def _int(value: int) -> ColumnElement[int]:
    # Inlined, not bound: asyncpg cannot type a bare parameter in some positions.
    return literal_column(str(int(value)), Integer)


def _segment_of(
    sql: Sql, day: ColumnElement[Any], segments: Sequence[_Segment]
) -> ColumnElement[int]:
    """The index of the segment holding ``day`` (a day number within the period)."""
    if len(segments) == 1:
        return _int(0)
    return case(
        *[(day < sql.day(s.hi), _int(i)) for i, s in enumerate(segments[:-1])],
        else_=_int(len(segments) - 1),
    )


def _by_segment(segment: ColumnElement[int], segments: Sequence[_Segment]) -> list[Any]:
    """``segment`` as a GROUP BY key, unless it is the constant 0 of a single segment:
    SQLite reads an integer constant in GROUP BY as a column position."""
    return [segment] if len(segments) > 1 else []


def uncovered(
    rates: Sequence[tuple[date, date | None]], first: date, last: date
) -> list[tuple[date, date]]:
    """The ranges of ``first..last`` that none of ``rates`` (from, to or open) covers."""
    gaps: list[tuple[date, date]] = []
    cursor = first
    for valid_from, valid_to in sorted(rates):
        if valid_from > cursor:
            gaps.append((cursor, min(valid_from - timedelta(days=1), last)))
        end = last if valid_to is None else min(valid_to, last)
        cursor = max(cursor, end + timedelta(days=1))
        if cursor > last:
            break
    if cursor <= last:
        gaps.append((cursor, last))
    return gaps


def _months(first: date, last: date) -> list[tuple[date, date]]:
    """The calendar months that overlap ``first..last``, whole."""
    out = []
    year, month = first.year, first.month
    while date(year, month, 1) <= last:
        out.append((date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


async def compute(
    session: AsyncSession, *, scheme_id: uuid.UUID, first: date, last: date
) -> Computation:
    """The lines and total of the scheme over ``first..last``; raises ``UncoveredDays``.
    The scheme must exist (callers look it up by code first)."""
    scheme = (
        await session.execute(
            select(
                ReimbursementScheme.code,
                ReimbursementScheme.basis,
                ReimbursementScheme.location_kinds,
                ReimbursementScheme.groups,
            ).where(ReimbursementScheme.id == scheme_id)
        )
    ).one()
    code: str = scheme.code
    basis = Basis(scheme.basis)
    rate_rows = (
        await session.execute(
            select(
                ReimbursementRate.valid_from, ReimbursementRate.valid_to, ReimbursementRate.amount
            )
            .where(
                ReimbursementRate.scheme_id == scheme_id,
                ReimbursementRate.valid_from <= last,
                or_(ReimbursementRate.valid_to.is_(None), ReimbursementRate.valid_to >= first),
            )
            .order_by(ReimbursementRate.valid_from)
        )
    ).all()
    rates_used = [RateUsed(r.valid_from, r.valid_to, r.amount) for r in rate_rows]
    gaps = uncovered([(r.valid_from, r.valid_to) for r in rates_used], first, last)
    if gaps:
        raise UncoveredDays(code, gaps)
    segments = [
        _Segment(
            max(r.valid_from, first),
            last if r.valid_to is None else min(r.valid_to, last),
            r.amount,
        )
        for r in rates_used
    ]

    sql = sql_of(session)
    kinds = [str(k) for k in (scheme.location_kinds or [])]
    groups = None if scheme.groups is None else [str(g) for g in scheme.groups]
    # (location id, location name, segment index) -> units
    units: dict[tuple[uuid.UUID, str, int], int] = {}
    if kinds:
        if basis is Basis.per_person_day:
            rows = await _per_person_day(session, sql, kinds, groups, segments, first, last)
        elif basis is Basis.per_place_day:
            rows = await _per_place_day(session, sql, kinds, segments, first, last)
        elif basis is Basis.per_place_once:
            rows = await _per_place_once(session, sql, kinds, segments)
        else:
            rows = await _per_person_month(session, sql, kinds, groups, segments, first, last)
        for location_id, name, index, count in rows:
            if count:
                key = (location_id, name, index)
                units[key] = units.get(key, 0) + int(count)

    lines = []
    for (location_id, _name, index), count in sorted(
        units.items(), key=lambda item: (item[0][1], segments[item[0][2]].first, item[0][0])
    ):
        if count <= 0:
            continue
        segment = segments[index]
        amount = (count * segment.rate).quantize(CENT, rounding=ROUND_HALF_UP)
        lines.append(Line(location_id, segment.first, segment.last, count, segment.rate, amount))
    total = sum((line.amount for line in lines), Decimal("0.00"))
    return Computation(
        lines=lines,
        total=total,
        rates_used=rates_used,
        inputs_hash=_inputs_hash(code, basis, first, last, rates_used, lines),
    )


def _inputs_hash(
    code: str,
    basis: Basis,
    first: date,
    last: date,
    rates: Sequence[RateUsed],
    lines: Sequence[Line],
) -> str:
    canonical = {
        "scheme": code,
        "basis": basis.value,
        "period": [first.isoformat(), last.isoformat()],
        "rates": [
            [
                r.valid_from.isoformat(),
                None if r.valid_to is None else r.valid_to.isoformat(),
                str(r.amount.quantize(CENT)),
            ]
            for r in rates
        ],
        "lines": [
            [str(x.location_id), x.rate_from.isoformat(), x.rate_to.isoformat(), x.units]
            for x in lines
        ],
    }
    text = json.dumps(canonical, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256(text.encode()).hexdigest()


Rows = list[tuple[uuid.UUID, str, int, int]]


def _split(rows: Sequence[Any], count: int) -> Rows:
    """Rows of ``(id, name, units per segment...)`` as one row per segment."""
    return [(r[0], r[1], i, r[2 + i]) for r in rows for i in range(count)]


def _at_scheme_locations(
    stmt: Any, kinds: list[str], groups: list[str] | None, first: date, last: date
) -> Select[Any]:
    """``stmt`` over the placements at the scheme's kinds of location (and of its groups)
    with a night in ``first..last``. The locations are a semi-join, so the aggregate
    groups by ``placements.location_id`` alone; names are joined to its few rows."""
    out: Select[Any] = stmt.select_from(Placement)
    if groups is not None:
        out = out.join(Participant, Participant.id == Placement.participant_id).where(
            Participant.group.in_(groups)
        )
    return out.where(
        Placement.location_id.in_(select(Location.id).where(Location.kind.in_(kinds))),
        Placement.start_date <= last,
        or_(Placement.end_date.is_(None), Placement.end_date > first),
    )


async def _per_person_day(
    session: AsyncSession,
    sql: Sql,
    kinds: list[str],
    groups: list[str] | None,
    segments: Sequence[_Segment],
    first: date,
    last: date,
) -> Rows:
    """Nights per location and segment: one pass over the placements, each night count a
    clipped interval length (never a row per night)."""
    lo = sql.dayno(Placement.start_date)
    hi = func.coalesce(sql.dayno(Placement.end_date), sql.day(last + timedelta(days=1)))
    per_segment = [
        func.sum(_overlap(sql, lo, hi, s)).label(f"n{i}") for i, s in enumerate(segments)
    ]
    nights = (
        _at_scheme_locations(
            select(Placement.location_id.label("location_id"), *per_segment),
            kinds,
            groups,
            first,
            last,
        )
        .group_by(Placement.location_id)
        .subquery("nights")
    )
    stmt = select(
        Location.id, Location.name, *[nights.c[f"n{i}"] for i in range(len(segments))]
    ).join(nights, nights.c.location_id == Location.id)
    return _split((await session.execute(stmt)).all(), len(segments))


def _capacity_history(sql: Sql, kinds: list[str]) -> Any:
    """The capacity changes of the scheme's locations, each with the day number it takes
    effect, the next change's (NULL: none) and the highest capacity before it."""
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
        )
        .join(Location, Location.id == CapacityChange.location_id)
        .where(Location.kind.in_(kinds))
        .subquery("history")
    )


async def _per_place_day(
    session: AsyncSession,
    sql: Sql,
    kinds: list[str],
    segments: Sequence[_Segment],
    first: date,
    last: date,
) -> Rows:
    """Capacity-days: each capacity interval ``[change, next change)`` clipped to the
    location's open days and to each segment, times its capacity."""
    h = _capacity_history(sql, kinds)
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


async def _per_place_once(
    session: AsyncSession, sql: Sql, kinds: list[str], segments: Sequence[_Segment]
) -> Rows:
    """Places added: each rise above the highest capacity before (the first capacity
    counts whole), on the day it takes effect, priced at that day's rate."""
    h = _capacity_history(sql, kinds)
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
    return [(r[0], r[1], int(r[2]), r[3]) for r in (await session.execute(stmt)).all()]


async def _per_person_month(
    session: AsyncSession,
    sql: Sql,
    kinds: list[str],
    groups: list[str] | None,
    segments: Sequence[_Segment],
    first: date,
    last: date,
) -> Rows:
    """Persons per month: each placement meets the (few) months it overlaps; a person's
    first night of a month picks the line (location and rate); months cut by the period
    count only when that night lies inside it."""
    months = _months(first, last)
    month_rows = [
        select(sql.day(a).label("lo"), sql.day(b + timedelta(days=1)).label("hi"))
        for a, b in months
    ]
    month = (union_all(*month_rows) if len(month_rows) > 1 else month_rows[0]).subquery("months")
    lo = sql.dayno(Placement.start_date)
    hi = func.coalesce(sql.dayno(Placement.end_date), sql.day(months[-1][1] + timedelta(days=1)))
    night = sql.greatest(lo, month.c.lo)
    nights = (
        _at_scheme_locations(
            select(
                Placement.participant_id.label("person"),
                Placement.location_id.label("location_id"),
                night.label("night"),
                func.row_number()
                .over(
                    partition_by=(Placement.participant_id, month.c.lo),
                    order_by=(night, Placement.location_id),
                )
                .label("rank"),
            ),
            kinds,
            groups,
            months[0][0],
            months[-1][1],
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
