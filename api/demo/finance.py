"""Demo finance: claims for the last year the published rates cover, moved through the
status flow by the finance demo user, and a year and a bit of expenses.

Claims go through the claim service (the engine computes them from the demo stays and
capacity, the submit freezes them), so the budget report and the dashboard show figures
that add up. Expenses are plain rows: invented amounts in the proportions of a municipal
programme of this size (staff, living allowance, locations, activities ...).
"""

from __future__ import annotations

import itertools
import random
import uuid
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from api.auth.principal import Principal
from api.models import (
    Expense,
    ExpenseCategory,
    LivingAllowance,
    Location,
    RateCertainty,
    ReimbursementClaim,
    ReimbursementRate,
    ReimbursementScheme,
    Role,
    User,
    utcnow,
)
from api.reimbursements.claims import service as claims
from api.reimbursements.claims.engine import UncoveredDays
from api.reimbursements.claims.schemas import ClaimCreate, ClaimPayment

SEED = 2028
CLAIMED_SCHEMES = ("BOO-GOO", "BOO-POO")
# Leefgeld per recipient per month, in euros: an assumed round figure for the demo (the
# municipal amounts differ by household and year); booked per month as recipients x this.
ALLOWANCE_PER_MONTH = 300
# Per quarter, in euros: (low, high) of the amount booked per category.
QUARTERLY_SPEND: dict[ExpenseCategory, tuple[int, int]] = {
    ExpenseCategory.staff: (38_000, 46_000),
    ExpenseCategory.location: (180_000, 220_000),
    ExpenseCategory.activities: (6_000, 11_000),
    ExpenseCategory.health: (2_000, 5_000),
    ExpenseCategory.transport: (1_500, 3_500),
    ExpenseCategory.communication: (500, 1_500),
    ExpenseCategory.volunteers: (1_000, 2_500),
    ExpenseCategory.other: (500, 2_000),
}
# The GOO places grew by about a third from 2025 to 2026 (Kohnstammlaan's second phase,
# Kerklaan): the rent and running costs of the locations grow with them.
LOCATION_GROWTH = {2026: Decimal("1.3")}
DESCRIPTIONS = {
    ExpenseCategory.staff: "Begeleiding en coördinatie",
    ExpenseCategory.living_allowance: "Leefgeld",
    ExpenseCategory.location: "Huur en exploitatie opvanglocaties",
    ExpenseCategory.activities: "Taalcafé, sport en activiteiten",
    ExpenseCategory.health: "Vervoer naar zorg en eigen bijdragen",
    ExpenseCategory.transport: "OV-kaarten",
    ExpenseCategory.communication: "Tolken en vertalingen",
    ExpenseCategory.volunteers: "Vrijwilligersvergoedingen",
    ExpenseCategory.other: "Overige kosten",
}


def quarters(year: int) -> list[tuple[date, date]]:
    starts = [date(year, m, 1) for m in (1, 4, 7, 10)] + [date(year + 1, 1, 1)]
    return [(a, b - timedelta(days=1)) for a, b in itertools.pairwise(starts)]


async def _last_rated_year(session: AsyncSession, today: date) -> int | None:
    """The last full year before ``today`` that the BOO rates cover."""
    last = await session.scalar(
        select(func.max(ReimbursementRate.valid_to))
        .join(ReimbursementScheme, ReimbursementScheme.id == ReimbursementRate.scheme_id)
        .where(
            ReimbursementScheme.code.in_(CLAIMED_SCHEMES),
            ReimbursementRate.certainty == RateCertainty.published,  # claims need these
        )
    )
    if last is None:
        return None
    full_year = last.year if (last.month, last.day) == (12, 31) else last.year - 1
    return min(full_year, today.year - 1)


async def seed_finance(session: AsyncSession, today: date) -> list[str]:
    if await session.scalar(select(ReimbursementClaim.id).limit(1)) is not None:
        return ["demo claims already present; finance data not added again"]
    finance_id = await session.scalar(select(User.id).where(User.role == Role.finance).limit(1))
    if finance_id is None:
        return ["no finance user; finance data not added"]
    actor = Principal(kind="user", id=finance_id, role=Role.finance)
    lines: list[str] = []
    year = await _last_rated_year(session, today)
    filed = 0
    if year is not None:
        for code in CLAIMED_SCHEMES:
            for n, (first, last) in enumerate(quarters(year)):
                filed += await _claim(session, actor, code, first, last, n)
        lines.append(f"demo claims: {filed} for {year} ({', '.join(CLAIMED_SCHEMES)})")
    first_year = year or today.year - 1
    expenses = await _expenses(session, today, first_year)
    await (await session.connection()).execute(insert(Expense), expenses)
    lines.append(f"demo expenses: {len(expenses)} bookings from {first_year} to today")
    return lines


async def _claim(
    session: AsyncSession, actor: Principal, code: str, first: date, last: date, n: int
) -> int:
    """One claim per quarter; the older the quarter, the further along the flow."""
    body = {"schemeCode": code, "periodStart": first.isoformat(), "periodEnd": last.isoformat()}
    try:
        claim_id = await claims.create(session, data=ClaimCreate.model_validate(body), actor=actor)
    except UncoveredDays:
        return 0
    moves = ["submit", "approve", "pay"][: max(0, 3 - n)] if n < 3 else ["submit"]
    for name in moves:
        payment = None
        if name == "pay":
            total = await session.scalar(
                select(ReimbursementClaim.total_amount).where(ReimbursementClaim.id == claim_id)
            )
            paid_on = last + timedelta(days=75)
            payment = ClaimPayment.model_validate(
                {"receivedAmount": str(total), "receivedOn": paid_on.isoformat()}
            )
        await claims.move(
            session,
            claim_id=claim_id,
            name=name,
            actor=actor,
            note=None,
            if_match=None,
            payment=payment,
        )
    return 1


async def _expenses(session: AsyncSession, today: date, first_year: int) -> list[dict[str, Any]]:
    rng = random.Random(SEED)  # noqa: S311 - reproducible demo data, not secrets
    location_ids = list((await session.scalars(select(Location.id).order_by(Location.name))).all())
    # The demo's few hundred allowance ranges, counted per month in Python (demo seeding,
    # not a report).
    ranges = (
        await session.execute(select(LivingAllowance.starts_on, LivingAllowance.ends_on))
    ).all()
    now = utcnow()
    rows: list[dict[str, Any]] = []
    for year in range(first_year, today.year + 1):
        for first, last in quarters(year):
            if first > today:
                break
            for month in range(3):
                day = date(first.year, first.month + month, 1)
                if day > min(last, today):
                    break
                # Leefgeld: the recipients on the first of the month, in line with the
                # living-allowance status that the POO claim counts.
                recipients = sum(1 for a, b in ranges if a <= day and (b is None or b >= day))
                if recipients:
                    rows.append(
                        _expense(
                            day,
                            ExpenseCategory.living_allowance,
                            Decimal(recipients * ALLOWANCE_PER_MONTH),
                            f"{DESCRIPTIONS[ExpenseCategory.living_allowance]}: "
                            f"{recipients} ontvangers",
                            None,
                            now,
                        )
                    )
            for category, (low, high) in QUARTERLY_SPEND.items():
                # A month's spending in a few bookings (invoices, declarations), as a
                # ledger has them: 2 to 4 a month, on the 1st, 8th, 15th and 22nd, up to
                # today. Enough bookings per quarter for the public page to show the
                # category on its own (api/public/disclosure.py needs at least 5).
                for month in range(3):
                    month_cents = rng.randint(low * 100, high * 100) // 3
                    if category is ExpenseCategory.location and year in LOCATION_GROWTH:
                        month_cents = int(month_cents * LOCATION_GROWTH[year])
                    parts = rng.randint(2, 4)
                    for part in range(parts):
                        day = date(first.year, first.month + month, 1 + 7 * part)
                        if day > min(last, today):
                            break
                        cents = month_cents // parts
                        location = (
                            rng.choice(location_ids)
                            if category is ExpenseCategory.location and location_ids
                            else None
                        )
                        rows.append(
                            _expense(
                                day, category, Decimal(cents) / 100, DESCRIPTIONS[category],
                                location, now,
                            )
                        )  # fmt: skip
    return rows


def _expense(
    day: date,
    category: ExpenseCategory,
    amount: Decimal,
    description: str,
    location: uuid.UUID | None,
    now: Any,
) -> dict[str, Any]:
    return {
        "id": uuid.uuid4(),
        "spent_on": day,
        "category": category,
        "amount": amount,
        "description": description,
        "location_id": location,
        "version": 1,
        "created_at": now,
        "updated_at": now,
    }
