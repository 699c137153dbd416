"""Builders for the budget: schemes with rates, claims and expenses, written straight
through the ORM (the claims API is tested on its own), so the budget report and its
exports can be tested on a small data set computed by hand."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from api.db import Database
from api.models import (
    Basis,
    ClaimStatus,
    Expense,
    ExpenseCategory,
    LocationKind,
    Partner,
    ReimbursementClaim,
    ReimbursementRate,
    ReimbursementScheme,
)
from tests.support import records

RateSpec = tuple[date, date | None, str]


async def scheme(
    db: Database,
    *,
    code: str | None = None,
    basis: Basis = Basis.per_place_day,
    kinds: list[str] | None = None,
    rates: Sequence[RateSpec] = (),
) -> ReimbursementScheme:
    """A scheme with its rates ``(valid_from, valid_to, "amount")``."""
    async with db.sessionmaker() as session, session.begin():
        row = ReimbursementScheme(
            code=code or f"T-{uuid.uuid4().hex[:8].upper()}",
            name=f"Test scheme {code or ''}".strip(),
            basis=basis,
            location_kinds=kinds if kinds is not None else ["asylum_center"],
            groups=None,
        )
        session.add(row)
        await session.flush()
        for valid_from, valid_to, amount in rates:
            session.add(
                ReimbursementRate(
                    scheme_id=row.id, valid_from=valid_from, valid_to=valid_to,
                    amount=Decimal(amount), source="test",
                )
            )  # fmt: skip
    return row


async def claim(
    db: Database,
    of: ReimbursementScheme,
    *,
    start: date,
    end: date,
    status: ClaimStatus = ClaimStatus.submitted,
    total: str = "0.00",
    claimed: str | None = None,
    received: str | None = None,
    received_on: date | None = None,
    corrects: ReimbursementClaim | None = None,
) -> ReimbursementClaim:
    async with db.sessionmaker() as session, session.begin():
        row = ReimbursementClaim(
            scheme_id=of.id,
            period_start=start,
            period_end=end,
            status=status,
            total_amount=Decimal(total),
            claimed_amount=None if claimed is None else Decimal(claimed),
            received_amount=None if received is None else Decimal(received),
            received_on=received_on,
            corrects_claim_id=corrects.id if corrects else None,
        )
        session.add(row)
    return row


async def expense(
    db: Database,
    *,
    on: date,
    amount: str,
    category: ExpenseCategory = ExpenseCategory.staff,
    description: str = "Test booking",
    scheme_id: uuid.UUID | None = None,
    location_id: uuid.UUID | None = None,
) -> Expense:
    async with db.sessionmaker() as session, session.begin():
        row = Expense(
            spent_on=on,
            category=category,
            amount=Decimal(amount),
            description=description,
            scheme_id=scheme_id,
            location_id=location_id,
        )
        session.add(row)
    return row


async def paying_2025(db: Database, operator: Partner) -> None:
    """A year whose result is known by hand: T-RES pays 2.00 per place-day at emergency
    locations from 2025 (the seeded BOO schemes do not); one with 10 places since
    2024-06-01 (so no place is added in 2025: the Spreidingswet scheme pays nothing):
    365 x 10 x 2.00 = 7300.00 in 2025. Expenses 1000.00: result 6300.00."""
    await scheme(db, code="T-RES", kinds=["emergency"], rates=[(date(2025, 1, 1), None, "2.00")])
    await records.location(
        db, operator, kind=LocationKind.emergency, opened_on=date(2024, 6, 1), capacity=10
    )
    await expense(db, on=date(2025, 3, 1), amount="1000.00")
