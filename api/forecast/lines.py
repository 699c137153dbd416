"""The locations as the forecast sees them: facts (capacity history, opening and closing
days), then the capacity plan, then a scenario's changes on top; and each location's
occupancy: its set assumption, else its trailing 90-day rate, else (no capacity in the
window: not open yet) the capacity-weighted trailing rate of its kind, assumed."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from api.forecast.changes import (
    ScenarioCapacity,
    ScenarioLocationClose,
    ScenarioLocationOpen,
    ScenarioOccupancy,
)
from api.forecast.inputs import Inputs
from api.forecast.timeline import LocationLine, Override
from api.models import PlannedChangeKind

FAR = date(9999, 12, 31).toordinal()


def _end(day: date | None) -> int:
    return FAR if day is None else day.toordinal() + 1


def base_lines(inputs: Inputs) -> dict[uuid.UUID, LocationLine]:
    plan: dict[uuid.UUID, list[Any]] = defaultdict(list)
    for row in inputs.plan:
        plan[row.location_id].append(row)
    lines: dict[uuid.UUID, LocationLine] = {}
    for loc in inputs.locations:
        changes = [(d.toordinal(), cap) for d, cap in inputs.changes.get(loc.id, [])]
        open_hi = _end(loc.closed_on)
        planned = []
        for item in plan.get(loc.id, []):
            if PlannedChangeKind(item.kind) is PlannedChangeKind.closing:
                open_hi = min(open_hi, item.takes_effect_on.toordinal())
            else:
                planned.append((item.takes_effect_on.toordinal(), int(item.capacity)))
        if planned:  # the plan wins over a fact of the same day; both kept in day order
            merged = dict(changes)
            merged.update(planned)
            changes = sorted(merged.items())
        lines[loc.id] = LocationLine(
            kind=str(loc.kind),
            open_lo=loc.opened_on.toordinal(),
            open_hi=open_hi,
            changes=changes,  # the facts come in day order
            occupancy=0.0,
            occupancy_assumed=False,
        )
    _set_occupancy(lines, inputs)
    return lines


def _set_occupancy(lines: dict[uuid.UUID, LocationLine], inputs: Inputs) -> None:
    per_kind: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])  # nights, cap-days
    own: dict[uuid.UUID, float] = {}
    for location_id, line in lines.items():
        days = inputs.window_days.get(location_id, 0)
        if days:
            nights = float(inputs.nights.get(location_id, 0))
            own[location_id] = min(nights / days, 1.0)
            per_kind[line.kind][0] += nights
            per_kind[line.kind][1] += days
    for location_id, line in lines.items():
        if location_id in inputs.assumptions:
            line.occupancy, line.occupancy_assumed = inputs.assumptions[location_id] / 1e4, True
        elif location_id in own:
            line.occupancy = own[location_id]
        else:
            kind_nights, kind_days = per_kind.get(line.kind, [0.0, 0.0])
            line.occupancy, line.occupancy_assumed = (
                (min(kind_nights / kind_days, 1.0) if kind_days else 0.0),
                True,
            )


@dataclass
class Changed:
    """A scenario's location changes applied, in their order: the base locations it
    changes one by one (as changed), the locations it imagines, and by kind the
    occupancy it sets for every location of that kind (in order; the base locations of
    the kind no change names take them all at once, ``timeline.kind_occupancy``; those
    in ``touched`` hold them among their own)."""

    touched: dict[uuid.UUID, LocationLine]
    extra: list[LocationLine]
    kind_occupancy: dict[str, list[Override]]


def with_changes(base: dict[uuid.UUID, LocationLine], changes: Sequence[Any]) -> Changed:
    lines = dict(base)
    touched: set[uuid.UUID] = set()
    extra: list[LocationLine] = []
    by_kind: dict[str, list[Override]] = defaultdict(list)

    def own(location_id: uuid.UUID) -> LocationLine | None:
        if location_id not in lines:
            return None  # a location removed since: the change no longer applies
        if location_id not in touched:
            old = lines[location_id]
            lines[location_id] = replace(
                old,
                capacity_overrides=list(old.capacity_overrides),
                # The kind's occupancy set before this change, then its own in order.
                occupancy_overrides=[*old.occupancy_overrides, *by_kind.get(old.kind, ())],
            )
            touched.add(location_id)
        return lines[location_id]

    for c in changes:
        lo, hi = c.starts_on.toordinal(), _end(c.ends_on)
        if isinstance(c, ScenarioCapacity | ScenarioLocationClose):
            line = own(c.location_id)
            if line is not None:
                value = c.capacity if isinstance(c, ScenarioCapacity) else 0
                line.capacity_overrides.append(Override(lo, hi, value))
        elif isinstance(c, ScenarioOccupancy):
            override = Override(lo, hi, c.rate_bp / 1e4)
            if c.location_id is not None:
                line = own(c.location_id)
                if line is not None:
                    line.occupancy_overrides.append(override)
            else:
                kind = str(c.location_kind)
                by_kind[kind].append(override)
                for location_id in touched:
                    if lines[location_id].kind == kind:
                        lines[location_id].occupancy_overrides.append(override)
        elif isinstance(c, ScenarioLocationOpen):
            extra.append(
                LocationLine(
                    kind=str(c.location_kind),
                    open_lo=lo,
                    open_hi=hi,
                    changes=[(lo, c.capacity)],
                    occupancy=c.rate_bp / 1e4,
                    occupancy_assumed=True,
                )
            )
    return Changed({i: lines[i] for i in touched}, extra, dict(by_kind))
