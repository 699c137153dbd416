"""Expected Rijk income per quarter and scheme: capacity (facts, plan, scenario) x
occupancy x rates, by the scheme's basis (domain.md):

- ``per_place_day``: capacity-days;
- ``per_person_day``: capacity-days x occupancy;
- ``per_person_month``: per calendar month, the places x occupancy, i.e. the month's
  capacity-days x occupancy / the month's days (the average number of people in it; the
  engine counts each person with a night in the month, which runs a little higher when
  people move in and out);
- ``per_place_once``: each rise above the highest capacity before, on its day.

Rates: a published rate is ``known``, an announced one ``provisional``; an assumed rate,
a day no rate covers (the last rate before it carried forward, else the first after) and
a scenario's rate are ``assumed``. A figure that uses a set occupancy (an assumption, a
scenario's, or a kind's average for a location without its own trailing rate) is
``assumed``; the trailing 90-day rate counts as a fact. The scheme's participant groups
are not applied: occupancy is the location's, whoever stays there.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from api.forecast.changes import ScenarioRate
from api.forecast.schemas import Certainty, IncomeFigure, worst
from api.forecast.timeline import KindSums
from api.models import Basis, RateCertainty

CENT = Decimal("0.01")
_FROM_RATE = {
    RateCertainty.published: Certainty.known,
    RateCertainty.announced: Certainty.provisional,
    RateCertainty.assumed: Certainty.assumed,
}


@dataclass(frozen=True)
class Segment:
    lo: int
    hi: int  # exclusive
    amount: float | None
    certainty: Certainty


def cents(value: float) -> Decimal:
    return Decimal(repr(round(value, 6))).quantize(CENT, rounding=ROUND_HALF_UP)


def _cover(rates: Sequence[Any], day: int) -> tuple[float | None, Certainty]:
    """The rate on ``day``: the one in force, else the last before carried forward, else
    the first after (both assumed); None when the scheme has no rate at all."""
    before = after = None
    for valid_from, valid_to, amount, certainty in rates:
        lo = valid_from.toordinal()
        hi = valid_to.toordinal() + 1 if valid_to else None
        if lo <= day and (hi is None or day < hi):
            return float(amount), _FROM_RATE[RateCertainty(certainty)]
        if hi is not None and hi <= day:
            before = float(amount)
        elif lo > day and after is None:
            after = float(amount)
    carried = before if before is not None else after
    return carried, Certainty.assumed


def segments(
    rates: Sequence[Any], changes: Sequence[ScenarioRate], lo: int, hi: int
) -> list[Segment]:
    """The scheme's rate over ``lo..hi`` in pieces of one rate each."""
    points = {lo, hi}
    for valid_from, valid_to, *_ in rates:
        points.add(valid_from.toordinal())
        if valid_to:
            points.add(valid_to.toordinal() + 1)
    for c in changes:
        points.add(c.starts_on.toordinal())
        if c.ends_on:
            points.add(c.ends_on.toordinal() + 1)
    cuts = sorted(p for p in points if lo <= p <= hi)
    out = []
    for a, b in itertools.pairwise(cuts):
        amount, certainty = _cover(rates, a)
        for c in changes:
            if c.starts_on.toordinal() <= a and (c.ends_on is None or a <= c.ends_on.toordinal()):
                if c.amount is not None:
                    amount = float(c.amount)
                elif amount is not None and c.factor is not None:
                    amount = amount * float(c.factor)
                certainty = Certainty.assumed
        out.append(Segment(a, b, amount, certainty))
    return out


def _months(lo: int, hi: int) -> list[tuple[int, int, int]]:
    """``lo..hi`` cut at month starts: (a, b, days of that month)."""
    out = []
    a = lo
    while a < hi:
        d = date.fromordinal(a)
        nxt = date(d.year + (d.month == 12), d.month % 12 + 1, 1).toordinal()
        first = date(d.year, d.month, 1).toordinal()
        out.append((a, min(nxt, hi), nxt - first))
        a = nxt
    return out


def _units(
    basis: Basis, kinds: Sequence[str], sums: KindSums, a: int, b: int
) -> tuple[float, bool]:
    """Units over ``a..b`` and whether an assumed occupancy went into them."""
    if basis is Basis.per_place_day:
        return sum(sums.capacity[k].integral(a, b) for k in kinds if k in sums.capacity), False
    if basis is Basis.per_place_once:
        return float(sum(n for k in kinds for d, n in sums.rises.get(k, []) if a <= d < b)), False
    units = 0.0
    assumed = False
    for k in kinds:
        for flag in (False, True):
            s = sums.occupied.get((k, flag))
            if s is None:
                continue
            if basis is Basis.per_person_month:
                part = sum(s.integral(x, y) / days for x, y, days in _months(a, b))
            else:
                part = s.integral(a, b)
            units += part
            assumed = assumed or (flag and part > 1e-9)
    return units, assumed


def quarter_income(
    scheme: Any, rate_pieces: Sequence[Segment], sums: KindSums, lo: int, hi: int
) -> IncomeFigure:
    basis = Basis(scheme.basis)
    kinds = [str(k) for k in (scheme.location_kinds or [])]
    total = 0.0
    unknown = False
    certainty = Certainty.known
    for piece in rate_pieces:
        a, b = max(piece.lo, lo), min(piece.hi, hi)
        if a >= b:
            continue
        units, assumed = _units(basis, kinds, sums, a, b)
        if units <= 1e-9:
            continue
        if piece.amount is None:
            unknown = True
            continue
        total += units * piece.amount
        certainty = worst(certainty, piece.certainty, Certainty.assumed if assumed else certainty)
    return IncomeFigure(
        scheme_code=scheme.code,
        scheme_name=scheme.name,
        basis=basis,
        amount=None if unknown else cents(total),
        certainty=Certainty.assumed if unknown else certainty,
    )
