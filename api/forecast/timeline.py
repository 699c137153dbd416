"""Interval arithmetic for the forecast, in day numbers (``date.toordinal()``): a
location's capacity and occupancy as steps over the horizon, their sum per location kind,
and integrals of that sum over windows (quarter x rate segment x month). Nothing walks the
days: a location has as many steps as it has changes, and the sums are taken once per
kind by sorting the step boundaries (linearity: the integral of a sum is the sum of the
integrals), so a window costs two binary searches whatever the number of locations."""

from __future__ import annotations

import itertools
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

INF = 1 << 62


@dataclass(frozen=True)
class Override:
    """A value set over ``lo..hi`` (exclusive); later overrides win."""

    lo: int
    hi: int
    value: float


@dataclass
class LocationLine:
    """What the forecast knows of one location (real or imagined by a scenario)."""

    kind: str
    open_lo: int  # first open day
    open_hi: int  # first day closed again (exclusive end)
    changes: list[tuple[int, int]]  # (day, capacity) facts then plan, by day
    occupancy: float  # the base rate (assumption or trailing)
    occupancy_assumed: bool
    capacity_overrides: list[Override] = field(default_factory=list)
    occupancy_overrides: list[Override] = field(default_factory=list)  # always assumed


@dataclass(frozen=True)
class Step:
    lo: int
    hi: int
    capacity: int  # 0 while closed
    occupancy: float
    assumed: bool


def _capacity_on(changes: Sequence[tuple[int, int]], days: Sequence[int], day: int) -> int:
    i = bisect_right(days, day) - 1
    return changes[i][1] if i >= 0 else 0


def _override_on(overrides: Sequence[Override], day: int) -> Override | None:
    found = None
    for o in overrides:  # a scenario holds a handful of changes
        if o.lo <= day < o.hi:
            found = o
    return found


def _plain_steps(line: LocationLine, lo: int, hi: int) -> list[Step]:
    """``steps`` of a location no scenario changes (most of them): its open days cut at
    its own changes only, walked from the one in force on the first day."""
    a, b = max(lo, line.open_lo), min(hi, line.open_hi)
    if a >= b:
        return []
    changes = line.changes
    i = bisect_right(changes, (a, INF)) - 1
    out: list[Step] = []
    start, cap = a, changes[i][1] if i >= 0 else 0
    for day, capacity in changes[i + 1 :]:
        if day >= b:
            break
        out.append(Step(start, day, cap, line.occupancy, line.occupancy_assumed))
        start, cap = day, capacity
    out.append(Step(start, b, cap, line.occupancy, line.occupancy_assumed))
    return out


def _with_occupancy(line: LocationLine, plain: list[Step]) -> list[Step]:
    """Plain steps cut where a scenario sets the occupancy (a kind's, most often)."""
    bounds = {b for o in line.occupancy_overrides for b in (o.lo, o.hi)}
    out: list[Step] = []
    for s in plain:
        cuts = sorted({s.lo, s.hi} | {b for b in bounds if s.lo < b < s.hi})
        for a, b in itertools.pairwise(cuts):
            occ = _override_on(line.occupancy_overrides, a)
            rate, assumed = (occ.value, True) if occ else (line.occupancy, line.occupancy_assumed)
            out.append(Step(a, b, s.capacity, rate, assumed))
    return out


def steps(line: LocationLine, lo: int, hi: int) -> list[Step]:
    """The location's steps over ``lo..hi`` (exclusive), cut at every change (none where
    it is closed)."""
    if not line.capacity_overrides:
        plain = _plain_steps(line, lo, hi)
        return _with_occupancy(line, plain) if line.occupancy_overrides else plain
    points = {lo, hi, line.open_lo, line.open_hi}
    points.update(day for day, _ in line.changes)
    for o in (*line.capacity_overrides, *line.occupancy_overrides):
        points.update((o.lo, o.hi))
    cuts = sorted(p for p in points if lo <= p <= hi)
    days = [day for day, _ in line.changes]
    out: list[Step] = []
    for a, b in itertools.pairwise(cuts):
        if a >= b:
            continue
        capacity = 0
        if line.open_lo <= a < line.open_hi:
            cap = _override_on(line.capacity_overrides, a)
            capacity = int(cap.value) if cap else _capacity_on(line.changes, days, a)
        occ = _override_on(line.occupancy_overrides, a)
        rate, assumed = (occ.value, True) if occ else (line.occupancy, line.occupancy_assumed)
        out.append(Step(a, b, capacity, rate, assumed))
    return out


def capacity_days(line: LocationLine, lo: int, hi: int) -> int:
    return sum((s.hi - s.lo) * s.capacity for s in steps(line, lo, hi))


def rises(
    line: LocationLine, lo: int, hi: int, found: Sequence[Step] | None = None
) -> list[tuple[int, int]]:
    """(day, places) of each rise above the highest capacity the location had before
    (its first capacity included): the units of ``per_place_once``."""
    history = [cap for day, cap in line.changes if day < lo and day < line.open_hi]
    highest = max(history, default=0)
    out = []
    for s in steps(line, lo, hi) if found is None else found:
        if s.capacity > highest:
            out.append((s.lo, s.capacity - highest))
            highest = s.capacity
    return out


class Sum:
    """A piecewise constant function of the day (the sum of many steps), integrated."""

    def __init__(self, deltas: dict[int, float]) -> None:
        self.days = sorted(deltas)
        self.prefix: list[float] = []  # integral from the first point to days[i]
        self.values: list[float] = []  # value on days[i]..days[i+1]
        total = value = 0.0
        last = self.days[0] if self.days else 0
        for day in self.days:
            total += value * (day - last)
            value += deltas[day]
            self.prefix.append(total)
            self.values.append(value)
            last = day

    def integral(self, lo: int, hi: int) -> float:
        return self._upto(hi) - self._upto(lo)

    def _upto(self, x: int) -> float:
        i = bisect_right(self.days, x) - 1
        if i < 0:
            return 0.0
        return self.prefix[i] + self.values[i] * (x - self.days[i])


@dataclass
class KindSums:
    """Per location kind: capacity, capacity x occupancy (split by whether the occupancy
    was assumed) and the rises, summed over its locations."""

    capacity: dict[str, Sum]
    occupied: dict[tuple[str, bool], Sum]
    rises: dict[str, list[tuple[int, int]]]


@dataclass(frozen=True)
class Contribution:
    """One location's part of the sums: the changes of its steps, and its rises."""

    kind: str
    capacity: list[tuple[int, float]]
    occupied: list[tuple[bool, int, float]]
    rises: list[tuple[int, int]]


def contribution(line: LocationLine, lo: int, hi: int) -> Contribution:
    found = steps(line, lo, hi)
    cap: list[tuple[int, float]] = []
    occ: list[tuple[bool, int, float]] = []
    for s in found:
        if s.capacity:
            cap += [(s.lo, s.capacity), (s.hi, -s.capacity)]
            value = s.capacity * s.occupancy
            occ += [(s.assumed, s.lo, value), (s.assumed, s.hi, -value)]
    return Contribution(line.kind, cap, occ, rises(line, lo, hi, found))


class Totals:
    """The sums being built: contributions added (or taken away again, for a scenario
    that changes a location of the base) before they are integrated."""

    def __init__(self) -> None:
        self.cap: dict[str, dict[int, float]] = defaultdict(lambda: defaultdict(float))
        self.occ: dict[tuple[str, bool], dict[int, float]] = defaultdict(lambda: defaultdict(float))
        self.up: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))

    def copy(self) -> Totals:
        out = Totals()
        for k, v in self.cap.items():
            out.cap[k].update(v)
        for kf, w in self.occ.items():
            out.occ[kf].update(w)
        for k, u in self.up.items():
            out.up[k].update(u)
        return out

    def of_kind(self, kind: str) -> Totals:
        """A copy of one kind's sums."""
        out = Totals()
        if kind in self.cap:
            out.cap[kind].update(self.cap[kind])
        for key in ((kind, False), (kind, True)):
            if key in self.occ:
                out.occ[key].update(self.occ[key])
        if kind in self.up:
            out.up[kind].update(self.up[kind])
        return out

    def add(self, c: Contribution, sign: int = 1) -> None:
        cap, up = self.cap[c.kind], self.up[c.kind]
        for day, delta in c.capacity:
            cap[day] += sign * delta
        for flag, day, delta in c.occupied:
            self.occ[c.kind, flag][day] += sign * delta
        for day, n in c.rises:
            up[day] += sign * n

    def sums(self) -> KindSums:
        return KindSums(
            capacity={k: Sum(v) for k, v in self.cap.items()},
            occupied={k: Sum(v) for k, v in self.occ.items()},
            rises={k: sorted((d, n) for d, n in v.items() if n) for k, v in self.up.items()},
        )


def _window(deltas: dict[int, float], a: int, b: int) -> list[tuple[int, float]]:
    """The function these deltas describe, kept on ``a..b`` only (zero elsewhere)."""
    at_a = sum(v for day, v in deltas.items() if day <= a)
    inside = sorted((day, v) for day, v in deltas.items() if a < day < b)
    at_b = at_a + sum(v for _, v in inside)
    return [(a, at_a), *inside, (b, -at_b)]


def kind_occupancy(
    totals: Totals,
    kind: str,
    overrides: Sequence[Override],
    untouched: Totals,
    lo: int,
    hi: int,
) -> None:
    """A scenario's occupancy for every location of ``kind`` (``overrides`` in order,
    later ones win), applied at once to the kind's locations no other change names, whose
    sums are ``untouched``: wherever an override covers a day, their occupied sum is its
    rate times their capacity (assumed), in place of their own occupancy. One pass over
    the kind's sums instead of one over each of its locations."""
    capacity = untouched.cap.get(kind, {})
    own = [(flag, d) for flag in (False, True) if (d := untouched.occ.get((kind, flag)))]
    bounds = {lo, hi} | {b for o in overrides for b in (o.lo, o.hi) if lo < b < hi}
    spans: list[tuple[int, int, Override]] = []
    for a, b in itertools.pairwise(sorted(bounds)):
        found = _override_on(overrides, a)
        if found is None:
            continue
        if spans and spans[-1][1] == a and spans[-1][2] is found:
            spans[-1] = (spans[-1][0], b, found)  # the same override on: one span
        else:
            spans.append((a, b, found))
    for a, b, override in spans:
        for flag, deltas in own:
            target = totals.occ[kind, flag]
            for day, v in _window(deltas, a, b):
                target[day] -= v
        if capacity:
            assumed = totals.occ[kind, True]
            for day, v in _window(capacity, a, b):
                assumed[day] += override.value * v
