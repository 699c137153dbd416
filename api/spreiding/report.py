"""GET /reports/spreiding: the task whose period holds a day against the places of the
asylum kinds, by phase, and the Spreidingswet incentive. Set-based SQL, the same on SQLite
and PostgreSQL; a fixed number of statements whatever the number of locations.

- realised: the capacity on the day of the open locations of the asylum kinds
  (``asylum_center``, ``amv_small_scale``, ``emergency``: the kinds the Spreidingswet
  schemes pay for, migration 2026_12_03). Ukrainian reception (GOO, POO) falls under
  another law and does not count.
- planned: the capacity plan (``planned_capacity_changes`` not realised, dated up to the
  task's end): per location, the places after its last planned change minus those on the
  day (a closing is 0 places).
- decided: candidates of an asylum kind decided but not yet a location (their proposed
  places); preparation: such candidates under investigation or proposed to the council.
- incentive: the claim engine's rule (``per_place_once``): each rise of a location's
  capacity above the highest it had before counts once, on its day; durable when the
  location's ``available_until`` lies at least five years on (``units._durable``). Priced
  with the rates of the schemes with that place condition in force on the day (data, not
  amounts written here). Earned: realised rises from the task's start up to the day;
  expected: the plan's rises (history and plan in one window) up to the task's end.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    Integer,
    and_,
    case,
    false,
    func,
    literal_column,
    or_,
    select,
    union_all,
)
from sqlalchemy.ext.asyncio import AsyncSession

from api.db.dialect import sql_of
from api.models import (
    CandidateLocation,
    CandidateStage,
    CapacityChange,
    Location,
    LocationKind,
    PlannedCapacityChange,
    PlannedChangeKind,
    RateCertainty,
    ReimbursementRate,
    ReimbursementScheme,
)
from api.models.reimbursement import Basis, PlaceCondition
from api.reimbursements.claims.engine import least_sure
from api.reimbursements.claims.units import _durable
from api.spreiding.schemas import Incentive, IncentivePart, Phase, PhaseItem

ASYLUM_KINDS = [LocationKind.asylum_center, LocationKind.amv_small_scale, LocationKind.emergency]
PREPARATION = (CandidateStage.investigation, CandidateStage.proposed)


def _int(value: int) -> Any:
    return literal_column(str(int(value)), Integer)


def _capacity_on(on: date) -> Any:
    """Per location of the asylum kinds open on ``on``: its capacity that day."""
    latest = (
        select(
            CapacityChange.location_id.label("location_id"),
            func.max(CapacityChange.valid_from).label("valid_from"),
        )
        .where(CapacityChange.valid_from <= on)
        .group_by(CapacityChange.location_id)
        .subquery("latest")
    )
    return (
        select(
            Location.id.label("id"),
            Location.name.label("name"),
            Location.kind.label("kind"),
            CapacityChange.capacity.label("capacity"),
        )
        .join(latest, latest.c.location_id == Location.id)
        .join(
            CapacityChange,
            and_(
                CapacityChange.location_id == Location.id,
                CapacityChange.valid_from == latest.c.valid_from,
            ),
        )
        .where(
            Location.kind.in_(ASYLUM_KINDS),
            Location.opened_on <= on,
            or_(Location.closed_on.is_(None), Location.closed_on >= on),
        )
    )


async def realised(session: AsyncSession, on: date) -> list[PhaseItem]:
    stmt = _capacity_on(on).order_by(Location.name)
    return [
        PhaseItem(id=r.id, name=r.name, kind=r.kind, places=r.capacity, day=None, stage=None)
        for r in (await session.execute(stmt)).all()
    ]


async def planned(session: AsyncSession, on: date, until: date) -> list[PhaseItem]:
    """Per location with plan up to ``until``: places after its last planned change minus
    the places on ``on`` (0 when not open then)."""
    p = PlannedCapacityChange
    ranked = (
        select(
            p.location_id.label("location_id"),
            p.takes_effect_on.label("day"),
            case((p.kind == PlannedChangeKind.closing, _int(0)), else_=p.capacity).label("after"),
            func.row_number()
            .over(partition_by=p.location_id, order_by=p.takes_effect_on.desc())
            .label("rank"),
        )
        .where(p.realised_at.is_(None), p.takes_effect_on <= until)
        .subquery("ranked")
    )
    now = _capacity_on(on).subquery("now")
    stmt = (
        select(
            Location.id,
            Location.name,
            Location.kind,
            (ranked.c.after - func.coalesce(now.c.capacity, _int(0))).label("places"),
            ranked.c.day,
        )
        .join(ranked, ranked.c.location_id == Location.id)
        .outerjoin(now, now.c.id == Location.id)
        .where(ranked.c.rank == 1, Location.kind.in_(ASYLUM_KINDS))
        .order_by(ranked.c.day, Location.name)
    )
    return [
        PhaseItem(id=r.id, name=r.name, kind=r.kind, places=r.places, day=r.day, stage=None)
        for r in (await session.execute(stmt)).all()
        if r.places != 0
    ]


async def candidates(session: AsyncSession) -> dict[Phase, list[PhaseItem]]:
    c = CandidateLocation
    decided = and_(c.stage == CandidateStage.decided, c.location_id.is_(None))
    stmt = (
        select(c.id, c.name, c.proposed_kind, c.proposed_places, c.stage)
        .where(c.proposed_kind.in_(ASYLUM_KINDS), or_(decided, c.stage.in_(PREPARATION)))
        .order_by(c.name)
    )
    out: dict[Phase, list[PhaseItem]] = {Phase.decided: [], Phase.preparation: []}
    for r in (await session.execute(stmt)).all():
        phase = Phase.decided if r.stage == CandidateStage.decided else Phase.preparation
        item = PhaseItem(
            id=r.id,
            name=r.name,
            kind=r.proposed_kind,
            places=r.proposed_places or 0,
            day=None,
            stage=r.stage,
        )
        out[phase].append(item)
    return out


@dataclass
class _Tally:
    durable: int = 0
    other: int = 0
    unpriced: int = 0
    amount: Decimal = Decimal("0.00")
    certainties: list[RateCertainty] | None = None

    def part(self) -> IncentivePart:
        return IncentivePart(
            durable_places=self.durable,
            other_places=self.other,
            amount=str(self.amount.quantize(Decimal("0.01"))),
            unpriced_places=self.unpriced,
            certainty=least_sure(self.certainties or []),
        )


async def _schemes(session: AsyncSession) -> dict[int, uuid.UUID]:
    """durable flag (1/0) -> the per_place_once scheme with that place condition."""
    rows = await session.execute(
        select(ReimbursementScheme.place_condition, ReimbursementScheme.id)
        .where(
            ReimbursementScheme.basis == Basis.per_place_once,
            ReimbursementScheme.place_condition.is_not(None),
        )
        .order_by(ReimbursementScheme.code)
    )
    out: dict[int, uuid.UUID] = {}
    for condition, scheme_id in rows.all():
        out.setdefault(1 if condition == PlaceCondition.durable else 0, scheme_id)
    return out


async def incentive(session: AsyncSession, *, on: date, first: date, last: date) -> Incentive:
    """Rises over ``first..last``: earned when realised on or before ``on``, else expected."""
    sql = sql_of(session)
    kinds = select(Location.id).where(Location.kind.in_(ASYLUM_KINDS))
    p = PlannedCapacityChange
    history = union_all(
        select(
            CapacityChange.location_id.label("location_id"),
            CapacityChange.valid_from.label("day"),
            CapacityChange.capacity.label("capacity"),
            _int(0).label("planned"),
        ).where(CapacityChange.location_id.in_(kinds)),
        select(
            p.location_id,
            p.takes_effect_on,
            case((p.kind == PlannedChangeKind.closing, _int(0)), else_=p.capacity),
            _int(1),
        ).where(p.location_id.in_(kinds), p.realised_at.is_(None)),
    ).subquery("history")
    window: dict[str, Any] = {
        "partition_by": history.c.location_id,
        "order_by": (history.c.day, history.c.planned),
    }
    ordered = select(
        history.c.location_id,
        history.c.day,
        history.c.planned,
        (
            history.c.capacity
            - func.coalesce(func.max(history.c.capacity).over(**window, rows=(None, -1)), _int(0))
        ).label("places"),
    ).subquery("ordered")
    rises = (
        select(
            ordered.c.day.label("day"),
            ordered.c.places.label("places"),
            case(
                (and_(ordered.c.planned == _int(0), ordered.c.day <= on), _int(1)), else_=_int(0)
            ).label("earned"),
            _durable(sql, ordered.c.day, Location.available_until).label("durable"),
        )
        .join(Location, Location.id == ordered.c.location_id)
        .where(ordered.c.places > _int(0), ordered.c.day >= first, ordered.c.day <= last)
        .subquery("rises")
    )
    schemes = await _schemes(session)
    r = ReimbursementRate
    on_rate = and_(
        or_(
            *[
                and_(rises.c.durable == _int(flag), r.scheme_id == scheme_id)
                for flag, scheme_id in schemes.items()
            ]
        )
        if schemes
        else false(),
        r.valid_from <= rises.c.day,
        or_(r.valid_to.is_(None), r.valid_to >= rises.c.day),
    )
    stmt = (
        select(rises.c.earned, rises.c.durable, r.amount, r.certainty, func.sum(rises.c.places))
        .select_from(rises)
        .outerjoin(r, on_rate)
        .group_by(rises.c.earned, rises.c.durable, r.amount, r.certainty)
    )
    tallies = {1: _Tally(certainties=[]), 0: _Tally(certainties=[])}
    for earned, durable, amount, certainty, places in (await session.execute(stmt)).all():
        tally = tallies[int(earned)]
        if int(durable):
            tally.durable += int(places)
        else:
            tally.other += int(places)
        if amount is None:
            tally.unpriced += int(places)
            continue
        tally.amount += amount * int(places)
        assert tally.certainties is not None
        tally.certainties.append(RateCertainty(certainty))
    return Incentive(earned=tallies[1].part(), expected=tallies[0].part())


def phase_rows(
    task_places: int | None, items: dict[Phase, Sequence[PhaseItem]]
) -> list[dict[str, Any]]:
    rows = []
    cumulative = 0
    for phase in Phase:
        places = sum(i.places for i in items[phase])
        cumulative += places
        gap = None if task_places is None else task_places - cumulative
        rows.append(
            {
                "phase": phase,
                "places": places,
                "cumulative": cumulative,
                "gap": gap,
                "items": list(items[phase]),
            }
        )
    return rows
