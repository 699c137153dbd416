"""What finance has to claim: per scheme and quarter, whether a claim exists, its status,
the deadline and the days no rate covers yet. Three statements (schemes, their rates, the
claims of the quarters asked about) whatever the data size; the rest is a handful of
schemes times at most eight quarters.

Which quarters: those of ``year`` that have begun on Heemstede's calendar, and last
year's quarters that have no filed claim yet (the ones still open).

A quarter's claim is a claim whose period is exactly that quarter (corrections aside):
the filed one (submitted, approved, paid) where there is one, otherwise the newest
draft or rejected one.

Deadlines. The design gives none, so they are chosen here (and said in the contract):
- the per-day and per-month bases (the BOO for GOO and POO): the last day of the
  quarter after the quarter claimed (Q1 by 30 June), so a quarter's money is asked for
  within three months;
- ``per_place_once`` (the Spreidingswet incentive, a specific grant): 15 July of the
  next year, the SiSa accountability date of specific grants.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from pydantic import Field
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from api.common.calendar import today
from api.common.money import Money
from api.common.schemas import QueryModel, ReadModel
from api.models import (
    FILED_STATUSES,
    Basis,
    ClaimStatus,
    RateCertainty,
    ReimbursementClaim,
    ReimbursementRate,
    ReimbursementScheme,
)
from api.reimbursements.claims.engine import uncovered
from api.reports.budget.figures import quarters
from api.reports.budget.schemas import DateRange

DEADLINES = (
    "The chosen deadline (the design gives none): for the per-day and per-month bases the "
    "last day of the quarter after the one claimed; for `per_place_once` (Spreidingswet) "
    "15 July of the next year (SiSa)."
)


class ClaimableQuery(QueryModel):
    year: int | None = Field(
        default=None, ge=2000, le=2100, description="The year; by default Heemstede's current one."
    )


class ClaimableClaim(ReadModel):
    id: uuid.UUID
    status: ClaimStatus
    total_amount: Money


class ClaimableQuarter(ReadModel):
    scheme_code: str
    scheme_name: str
    basis: Basis
    year: int
    quarter: int = Field(ge=1, le=4)
    period_start: date = Field(description="First day of the quarter (inclusive).")
    period_end: date = Field(description="Last day of the quarter (inclusive).")
    deadline: date = Field(description=DEADLINES)
    overdue: bool = Field(description="The deadline has passed and nothing is filed.")
    claim: ClaimableClaim | None = Field(
        description="The filed claim for exactly this quarter, else the newest draft or "
        "rejected one; `null`: none yet."
    )
    drafts: int = Field(description="Draft claims for exactly this quarter.")
    uncovered_ranges: list[DateRange] = Field(
        description="Days of the quarter no published rate of the scheme covers (none, or "
        "only a provisional one): a claim needs a published rate for them first."
    )


class ClaimableReport(ReadModel):
    year: int
    today: date = Field(description="Heemstede's date the list was made on.")
    items: list[ClaimableQuarter] = Field(description="Oldest quarter first, then by scheme code.")


@dataclass(frozen=True)
class _Claim:
    id: uuid.UUID
    status: ClaimStatus
    total_amount: Decimal


def deadline(basis: Basis, year: int, quarter: int) -> date:
    if basis is Basis.per_place_once:
        return date(year + 1, 7, 15)
    if quarter == 4:
        return date(year + 1, 3, 31)
    return quarters(year)[quarter][1]


async def claimable(session: AsyncSession, *, year: int | None) -> ClaimableReport:
    now = today()
    year = now.year if year is None else year
    periods = [(year - 1, n + 1, a, b) for n, (a, b) in enumerate(quarters(year - 1))]
    periods += [(year, n + 1, a, b) for n, (a, b) in enumerate(quarters(year)) if a <= now]
    schemes = (
        await session.execute(
            select(
                ReimbursementScheme.id,
                ReimbursementScheme.code,
                ReimbursementScheme.name,
                ReimbursementScheme.basis,
            ).order_by(ReimbursementScheme.code)
        )
    ).all()
    rates: dict[uuid.UUID, list[tuple[date, date | None]]] = {s.id: [] for s in schemes}
    rate = ReimbursementRate
    # Only published rates let a quarter be claimed (a provisional one is refused).
    published = select(rate.scheme_id, rate.valid_from, rate.valid_to).where(
        rate.certainty == RateCertainty.published
    )
    for r in await session.execute(published):
        rates.setdefault(r.scheme_id, []).append((r.valid_from, r.valid_to))
    claims: dict[tuple[uuid.UUID, date, date], list[_Claim]] = {}
    c = ReimbursementClaim
    rows = await session.execute(
        select(c.scheme_id, c.period_start, c.period_end, c.id, c.status, c.total_amount)
        .where(
            c.corrects_claim_id.is_(None),
            c.period_start.between(periods[0][2], periods[-1][3]),
        )
        .order_by(c.created_at.desc(), c.id)
    )
    for row in rows:
        claims.setdefault((row.scheme_id, row.period_start, row.period_end), []).append(
            _Claim(row.id, ClaimStatus(row.status), row.total_amount)
        )
    items = []
    for y, q, first, last in periods:
        for s in schemes:
            found = claims.get((s.id, first, last), [])
            filed = next((x for x in found if x.status.value in FILED_STATUSES), None)
            if y < year and filed is not None:
                continue  # last year's quarter is done
            shown = filed or (found[0] if found else None)
            due = deadline(Basis(s.basis), y, q)
            items.append(
                ClaimableQuarter(
                    scheme_code=s.code,
                    scheme_name=s.name,
                    basis=s.basis,
                    year=y,
                    quarter=q,
                    period_start=first,
                    period_end=last,
                    deadline=due,
                    overdue=filed is None and due < now,
                    claim=None
                    if shown is None
                    else ClaimableClaim(
                        id=shown.id, status=shown.status, total_amount=shown.total_amount
                    ),
                    drafts=sum(1 for x in found if x.status is ClaimStatus.draft),
                    uncovered_ranges=[
                        DateRange.model_validate({"from_": a, "to": b})
                        for a, b in uncovered(rates.get(s.id, []), first, last)
                    ],
                )
            )
    return ClaimableReport(year=year, today=now, items=items)
