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
``UncoveredDays`` (a 400) names the missing ranges. A claim is priced by published rates
only: a day covered only by a provisional rate (announced or assumed) is refused the same
way with its own problem code (``rate_provisional``), unless the caller asks for
``provisional=True`` (the budget report and forecasts), which prices it and says how sure
the result is (``Computation.certainty``: the least sure rate that priced a line).
Which nights and places count beyond the basis (living allowance, durable places) is in
``units``. Each line's amount is
``units x rate`` rounded once to cents, half up; the total is the sum of the lines.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from api.db.dialect import sql_of
from api.errors import BadRequest, ProblemType, field_problem
from api.models.base import CENT
from api.models.reimbursement import (
    Basis,
    PlaceCondition,
    RateCertainty,
    ReimbursementRate,
    ReimbursementScheme,
)
from api.reimbursements.claims import units as unit_sql
from api.reimbursements.claims.units import Filters, Segment

# Least sure last: the certainty of a sum is that of its least sure part.
CERTAINTY_ORDER = (RateCertainty.published, RateCertainty.announced, RateCertainty.assumed)


def least_sure(values: Sequence[RateCertainty]) -> RateCertainty:
    return max(values, key=CERTAINTY_ORDER.index, default=RateCertainty.published)


@dataclass(frozen=True)
class Line:
    location_id: uuid.UUID
    rate_from: date  # the rate's range clipped to the period
    rate_to: date
    units: int
    rate: Decimal
    amount: Decimal
    certainty: RateCertainty = RateCertainty.published


@dataclass(frozen=True)
class RateUsed:
    valid_from: date
    valid_to: date | None
    amount: Decimal
    certainty: RateCertainty = RateCertainty.published


@dataclass(frozen=True)
class Computation:
    lines: list[Line]  # by location name, then rate_from; only lines with units > 0
    total: Decimal  # the sum of the lines' amounts
    rates_used: list[RateUsed]  # the scheme's rates that overlap the period
    inputs_hash: str  # sha256 hex of scheme, period, rates and per-line units
    # The least sure rate that priced a line (published when there are no lines): only
    # ever not published with ``compute(provisional=True)``.
    certainty: RateCertainty = RateCertainty.published


ProvisionalRange = tuple[date, date, RateCertainty]


class UncoveredDays(BadRequest):
    """Days of the period that no rate of the scheme covers (never priced as zero), and
    days that only a provisional rate covers (never claimed). ``ranges``: the uncovered
    ones; ``provisional``: the provisional ones with their certainty. The type says
    ``uncovered-days`` when any day has no rate at all, else ``provisional-rate``."""

    def __init__(
        self,
        scheme_code: str,
        ranges: list[tuple[date, date]],
        provisional: list[ProvisionalRange] | None = None,
    ) -> None:
        self.ranges = ranges
        self.provisional = provisional or []
        listed = ", ".join(f"{a}..{b}" if a != b else f"{a}" for a, b in ranges)
        pending = ", ".join(f"{a}..{b} ({c.value})" for a, b, c in self.provisional)
        parts = []
        if ranges:
            parts.append(f"No rate of scheme {scheme_code} covers {listed}.")
        if self.provisional:
            parts.append(
                f"Only a provisional rate of scheme {scheme_code} covers {pending}; a claim "
                "needs the published rate."
            )
        super().__init__(
            " ".join(parts),
            type_=ProblemType.UNCOVERED_DAYS if ranges else ProblemType.PROVISIONAL_RATE,
            errors=[
                field_problem(
                    "body",
                    "periodStart",
                    f"No rate covers {a}..{b}.",
                    code="no_rate",
                    params={"from": a.isoformat(), "to": b.isoformat()},
                )
                for a, b in ranges
            ]
            + [
                field_problem(
                    "body",
                    "periodStart",
                    f"Only a provisional ({c.value}) rate covers {a}..{b}.",
                    code="rate_provisional",
                    params={"from": a.isoformat(), "to": b.isoformat(), "certainty": c.value},
                )
                for a, b, c in self.provisional
            ],
            # For a client to say it in its own words, with a way to add the rate.
            extra={
                "schemeCode": scheme_code,
                "uncoveredRanges": [
                    {"from": a.isoformat(), "to": b.isoformat()} for a, b in ranges
                ],
                "provisionalRanges": [
                    {"from": a.isoformat(), "to": b.isoformat(), "certainty": c.value}
                    for a, b, c in self.provisional
                ],
            },
        )


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


async def compute(
    session: AsyncSession,
    *,
    scheme_id: uuid.UUID,
    first: date,
    last: date,
    provisional: bool = False,
) -> Computation:
    """The lines and total of the scheme over ``first..last``; raises ``UncoveredDays``
    (also for days only a provisional rate covers, unless ``provisional``). The scheme
    must exist (callers look it up by code first)."""
    scheme = (
        await session.execute(
            select(
                ReimbursementScheme.code,
                ReimbursementScheme.basis,
                ReimbursementScheme.location_kinds,
                ReimbursementScheme.groups,
                ReimbursementScheme.requires_living_allowance,
                ReimbursementScheme.place_condition,
            ).where(ReimbursementScheme.id == scheme_id)
        )
    ).one()
    code: str = scheme.code
    basis = Basis(scheme.basis)
    rate_rows = (
        await session.execute(
            select(
                ReimbursementRate.valid_from,
                ReimbursementRate.valid_to,
                ReimbursementRate.amount,
                ReimbursementRate.certainty,
            )
            .where(
                ReimbursementRate.scheme_id == scheme_id,
                ReimbursementRate.valid_from <= last,
                or_(ReimbursementRate.valid_to.is_(None), ReimbursementRate.valid_to >= first),
            )
            .order_by(ReimbursementRate.valid_from)
        )
    ).all()
    rates_used = [
        RateUsed(r.valid_from, r.valid_to, r.amount, RateCertainty(r.certainty)) for r in rate_rows
    ]
    gaps = uncovered([(r.valid_from, r.valid_to) for r in rates_used], first, last)
    pending: list[ProvisionalRange] = (
        []
        if provisional
        else [
            (max(r.valid_from, first), _clip_end(r.valid_to, last), r.certainty)
            for r in rates_used
            if r.certainty is not RateCertainty.published
        ]
    )
    if gaps or pending:
        raise UncoveredDays(code, gaps, pending)
    segments = [
        Segment(max(r.valid_from, first), _clip_end(r.valid_to, last), r.amount, r.certainty)
        for r in rates_used
    ]

    sql = sql_of(session)
    filters = Filters(
        kinds=[str(k) for k in (scheme.location_kinds or [])],
        groups=None if scheme.groups is None else [str(g) for g in scheme.groups],
        allowance=bool(scheme.requires_living_allowance),
        place_condition=(
            None if scheme.place_condition is None else PlaceCondition(scheme.place_condition)
        ),
    )
    # (location id, location name, segment index) -> units
    units: dict[tuple[uuid.UUID, str, int], int] = {}
    if filters.kinds:
        if basis is Basis.per_person_day:
            rows = await unit_sql.per_person_day(session, sql, filters, segments, first, last)
        elif basis is Basis.per_place_day:
            rows = await unit_sql.per_place_day(session, sql, filters, segments, first, last)
        elif basis is Basis.per_place_once:
            rows = await unit_sql.per_place_once(session, sql, filters, segments)
        else:
            rows = await unit_sql.per_person_month(session, sql, filters, segments, first, last)
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
        s = segments[index]
        amount = (count * s.rate).quantize(CENT, rounding=ROUND_HALF_UP)
        lines.append(Line(location_id, s.first, s.last, count, s.rate, amount, s.certainty))
    total = sum((line.amount for line in lines), Decimal("0.00"))
    return Computation(
        lines=lines,
        total=total,
        rates_used=rates_used,
        inputs_hash=_inputs_hash(code, basis, first, last, rates_used, lines),
        certainty=least_sure([line.certainty for line in lines]),
    )


def _clip_end(valid_to: date | None, last: date) -> date:
    return last if valid_to is None else min(valid_to, last)


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
            # A provisional rate's certainty is hashed too; published rates hash as they
            # always did, so the hashes of frozen claims stay valid.
            + ([] if r.certainty is RateCertainty.published else [r.certainty.value])
            for r in rates
        ],
        "lines": [
            [str(x.location_id), x.rate_from.isoformat(), x.rate_to.isoformat(), x.units]
            for x in lines
        ],
    }
    text = json.dumps(canonical, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256(text.encode()).hexdigest()
