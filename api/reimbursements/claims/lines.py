"""Lines compared: what is stored or filed for a claim against what the claim engine
computes now, per location and rate segment. A correction claim's lines are the deltas."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from api.models import FILED_STATUSES, ClaimLine, Location, ReimbursementClaim
from api.reimbursements.claims import engine
from api.reimbursements.claims.engine import Line

ZERO = Decimal("0.00")
Key = tuple[uuid.UUID, date, date]


async def stored_lines(session: AsyncSession, claim_ids: list[uuid.UUID]) -> list[Line]:
    stmt = (
        select(
            ClaimLine.location_id,
            ClaimLine.rate_from,
            ClaimLine.rate_to,
            ClaimLine.units,
            ClaimLine.rate,
            ClaimLine.amount,
        )
        .where(ClaimLine.claim_id.in_(claim_ids))
        .order_by(ClaimLine.claim_id, ClaimLine.position)
    )
    return [Line(*row) for row in (await session.execute(stmt)).all()]


async def filed_lines(
    session: AsyncSession, original_id: uuid.UUID, *, exclude: uuid.UUID | None = None
) -> list[Line]:
    """What is filed for a claim: its frozen lines and those of its filed corrections."""
    corrections = select(ReimbursementClaim.id).where(
        ReimbursementClaim.corrects_claim_id == original_id,
        ReimbursementClaim.status.in_(FILED_STATUSES),
    )
    if exclude is not None:
        corrections = corrections.where(ReimbursementClaim.id != exclude)
    ids = [original_id, *(await session.execute(corrections)).scalars().all()]
    return await stored_lines(session, ids)


async def target_lines(
    session: AsyncSession, claim: ReimbursementClaim
) -> tuple[list[Line], engine.Computation]:
    """What the claim's lines should be now: the engine's lines, or for a correction
    claim the deltas against what is filed for the claim it corrects."""
    computed = await engine.compute(
        session, scheme_id=claim.scheme_id, first=claim.period_start, last=claim.period_end
    )
    if claim.corrects_claim_id is None:
        return computed.lines, computed
    base = await filed_lines(session, claim.corrects_claim_id, exclude=claim.id)
    diff = await difference(session, base, computed.lines)
    return [d.as_delta() for d in diff], computed


@dataclass(frozen=True)
class Difference:
    location_id: uuid.UUID
    location_name: str
    rate_from: date
    rate_to: date
    rate: Decimal
    stored_units: int
    stored_amount: Decimal
    current_units: int
    current_amount: Decimal

    @property
    def delta_units(self) -> int:
        return self.current_units - self.stored_units

    @property
    def delta_amount(self) -> Decimal:
        return self.current_amount - self.stored_amount

    def as_delta(self) -> Line:
        return Line(
            self.location_id,
            self.rate_from,
            self.rate_to,
            self.delta_units,
            self.rate,
            self.delta_amount,
        )


def _by_key(rows: list[Line]) -> dict[Key, tuple[int, Decimal, Decimal]]:
    sums: dict[Key, tuple[int, Decimal, Decimal]] = {}
    for line in rows:
        key = (line.location_id, line.rate_from, line.rate_to)
        units, amount, _ = sums.get(key, (0, ZERO, line.rate))
        sums[key] = (units + line.units, amount + line.amount, line.rate)
    return sums


async def difference(
    session: AsyncSession, stored: list[Line], current: list[Line]
) -> list[Difference]:
    """Per location and rate segment, the lines whose units or amount differ, by
    location name and then ``rateFrom``."""
    before, after = _by_key(stored), _by_key(current)
    keys = before.keys() | after.keys()
    ids = {k[0] for k in keys}
    rows = await session.execute(select(Location.id, Location.name).where(Location.id.in_(ids)))
    names: dict[uuid.UUID, str] = {row.id: row.name for row in rows}
    out = []
    for key in keys:
        su, sa, srate = before.get(key, (0, ZERO, None))
        cu, ca, crate = after.get(key, (0, ZERO, None))
        if su == cu and sa == ca:
            continue
        rate = crate if crate is not None else srate
        assert rate is not None
        out.append(Difference(key[0], names.get(key[0], ""), key[1], key[2], rate, su, sa, cu, ca))
    out.sort(key=lambda d: (d.location_name, d.rate_from, str(d.location_id)))
    return out
