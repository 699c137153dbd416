"""Demo steering data: the begroting of 2025 and 2026 (a primitive each, and a wijziging
in 2026), the earmarked reserve opened by a council decision, a capacity plan for 2027
and one occupancy assumption.

The amounts are invented, in the proportions of the demo's expenses (``api.demo.finance``:
four quarters of its midpoints, rounded), so the begroting report shows a plausible
picture. The decision references are made up for the demo (marked "demo"); the real
council decisions are not in the data set.
"""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from api.models import (
    BudgetLine,
    BudgetLineKind,
    BudgetVersion,
    ExpenseCategory,
    Location,
    OccupancyAssumption,
    PlannedCapacityChange,
    PlannedChangeKind,
    ReimbursementScheme,
    ReserveMutation,
)

C = ExpenseCategory
# The primitive begroting 2025, per category and per scheme (euros a year).
EXPENSES_2025 = {
    C.staff: 168_000, C.living_allowance: 400_000, C.location: 800_000, C.activities: 34_000,
    C.health: 14_000, C.transport: 10_000, C.communication: 4_000, C.volunteers: 7_000,
    C.other: 5_000,
}  # fmt: skip
INCOME_2025 = {"BOO-GOO": 1_150_000, "BOO-POO": 180_000, "SPW-DUURZAAM": 40_000}
GROWTH_2026 = Decimal("1.03")  # the primitive 2026: 2025's plus 3 % (wages and prices)
WIJZIGING_2026 = {C.location: 40_000, C.activities: 6_000, "BOO-GOO": 60_000}
# (location name, kind, day, capacity, reference, note)
PLAN = [
    ("GOO Kohnstammlaan (tijdelijke woningen)", PlannedChangeKind.capacity, date(2027, 3, 1),
     36, "Collegebesluit uitbreiding Kohnstammlaan (demo)", "Tweede fase tijdelijke woningen"),
    ("GOO Princehof", PlannedChangeKind.closing, date(2027, 10, 1), None,
     "Collegebesluit afbouw Princehof (demo)", "Huurcontract loopt af; bewoners verhuizen"),
]  # fmt: skip


def _line(
    version: BudgetVersion,
    key: ExpenseCategory | str,
    amount: Decimal,
    schemes: dict[str, uuid.UUID],
) -> BudgetLine:
    if isinstance(key, ExpenseCategory):
        return BudgetLine(version_id=version.id, kind=BudgetLineKind.expense, category=key,
                          amount=amount)  # fmt: skip
    return BudgetLine(version_id=version.id, kind=BudgetLineKind.income, scheme_id=schemes[key],
                      amount=amount)  # fmt: skip


async def seed_plan(session: AsyncSession, today: date) -> list[str]:
    if await session.scalar(select(BudgetVersion.id).limit(1)) is not None:
        return ["demo begroting already present; steering data not added again"]
    rows = await session.execute(select(ReimbursementScheme.code, ReimbursementScheme.id))
    schemes: dict[str, uuid.UUID] = dict(rows.all())
    versions = [
        BudgetVersion(year=2025, number=0, decided_on=date(2024, 11, 7),
                      decision_reference="Raadsbesluit Programmabegroting 2025 (demo)",
                      description="Primitieve begroting 2025"),
        BudgetVersion(year=2026, number=0, decided_on=date(2025, 11, 6),
                      decision_reference="Raadsbesluit Programmabegroting 2026 (demo)",
                      description="Primitieve begroting 2026"),
        BudgetVersion(year=2026, number=1, decided_on=date(2026, 7, 9),
                      decision_reference="Raadsbesluit 1e begrotingswijziging 2026 (demo)",
                      description="Voorjaarsnota 2026: uitbreiding Kohnstammlaan en activiteiten"),
    ]  # fmt: skip
    session.add_all(versions)
    await session.flush()
    first_2025, first_2026, change_2026 = versions
    lines = []
    planned: list[tuple[ExpenseCategory | str, int]] = [
        *EXPENSES_2025.items(),
        *INCOME_2025.items(),
    ]
    for key, amount in planned:
        if not isinstance(key, ExpenseCategory) and key not in schemes:
            continue
        lines.append(_line(first_2025, key, Decimal(amount), schemes))
        grown = (Decimal(amount) * GROWTH_2026).quantize(Decimal(1000))
        lines.append(_line(first_2026, key, grown, schemes))
    for key, amount in WIJZIGING_2026.items():
        if not isinstance(key, ExpenseCategory) and key not in schemes:
            continue
        lines.append(_line(change_2026, key, Decimal(amount), schemes))
    session.add_all(lines)
    session.add(
        ReserveMutation(
            booked_on=date(2025, 1, 30),
            amount=Decimal("250000.00"),
            description="Instelling bestemmingsreserve opvang vluchtelingen",
            decision_reference="Raadsbesluit instelling bestemmingsreserve (demo)",
        )
    )
    located = await session.execute(select(Location.name, Location.id))
    names: dict[str, uuid.UUID] = dict(located.all())
    planned_changes = 0
    for name, kind, day, places, reference, note in PLAN:
        if name in names and day > today:
            session.add(PlannedCapacityChange(
                location_id=names[name], kind=kind, takes_effect_on=day, capacity=places,
                decision_reference=reference, note=note,
            ))  # fmt: skip
            planned_changes += 1
    amv = next((i for n, i in names.items() if n.startswith("AMV Heemsteedse Dreef")), None)
    if amv is not None:
        note = "Nidos verwacht een vrijwel volle bezetting"
        session.add(OccupancyAssumption(location_id=amv, rate_bp=9500, note=note))
    await session.flush()
    return [
        f"demo begroting: 2025 and 2026 ({len(lines)} lines, a wijziging in 2026); reserve "
        f"opened with 250000.00 on 2025-01-30; capacity plan: {planned_changes} change(s)"
    ]
