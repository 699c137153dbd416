"""Demo steering data: the begroting of 2025 and 2026 (a primitive each, and a wijziging
in 2026), the earmarked reserve opened by a council decision, a capacity plan for 2027
and one occupancy assumption.

The story a council member reads (demo today 2026-12-03):

- 2025. The primitive begroting (November 2024) planned the Rijk's BooO income for the
  places then open (about 90), the costs at the 2024 level and the one-off Spreidingswet
  incentive for the AMV location's places (not durable: ``api.demo.rates``). Places grew
  during 2025 (Kerklaan, Princehof, Glipperweg, the first homes at Kohnstammlaan), so the
  BOO-GOO income came out some 5 % above plan and the year closed with a surplus of about
  € 110,000; costs stayed within 2-3 % of the begroting, leefgeld a little higher.
- 2026. The primitive (November 2025) counts the places open then (about 110 GOO); the
  1st wijziging (Voorjaarsnota, July 2026) adds the second phase at Kohnstammlaan and the
  extra places at Kerklaan: more BOO-GOO income, more leefgeld and the rent of the new
  homes. Expected result about € 200,000, close to the amended plan. The 2026 BooO rates
  are not published (assumed equal to 2025), so the year's income is "assumed" everywhere.
- The reserve. The council opened the bestemmingsreserve in January 2025 with € 250,000,
  the BooO surpluses of 2022-2024; each year's result moves into it. It is meant for the
  costs that go on after the Rijk stops paying (the temporary protection of Ukrainians runs
  to 4 March 2027; leases and staff do not stop on that day).
- 2027. The capacity plan: Kohnstammlaan grows to 36 places in March, Princehof closes in
  October (the lease ends). The AMV location is assumed 95 % occupied (Nidos).

The amounts are invented, close to what the demo's stays, rates and expenses give
(``api.demo.finance``), so plan and actual differ by plausible margins. The decision
references are made up for the demo (marked "demo"); the real council decisions are not
in the data set.
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
# The primitive begroting per year, per category and per scheme (euros a year). 2025:
# about 90 GOO places at the BooO's € 44 a day, the POO for the few hosted persons with
# leefgeld, the Spreidingswet incentive for the AMV's 20 places (€ 500 a place, once).
# 2026: about 110 GOO places, the leefgeld of more residents, wages and prices up ~3 %.
EXPENSES = {
    2025: {C.staff: 170_000, C.living_allowance: 330_000, C.location: 800_000,
           C.activities: 34_000, C.health: 14_000, C.transport: 10_000, C.communication: 4_000,
           C.volunteers: 7_000, C.other: 5_000},
    2026: {C.staff: 172_000, C.living_allowance: 420_000, C.location: 820_000,
           C.activities: 36_000, C.health: 14_000, C.transport: 10_000, C.communication: 4_000,
           C.volunteers: 7_000, C.other: 5_000},
}  # fmt: skip
INCOME = {
    2025: {"BOO-GOO": 1_420_000, "BOO-POO": 7_000, "SPW-OVERIG": 10_000},
    2026: {"BOO-GOO": 1_770_000, "BOO-POO": 8_000},
}
# The 1st wijziging 2026: Kohnstammlaan from 16 to 28 places (27 January) and Kerklaan from
# 38 to 42 (17 May): about 16 places x € 44 x 230 nights more BOO-GOO, their leefgeld, and
# the rent and running costs of the new homes.
WIJZIGING_2026 = {"BOO-GOO": 160_000, C.living_allowance: 45_000, C.location: 200_000}
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
                      description="Voorjaarsnota 2026: meer plaatsen Kohnstammlaan en Kerklaan"),
    ]  # fmt: skip
    session.add_all(versions)
    await session.flush()
    first_2025, first_2026, change_2026 = versions
    lines = []
    for version in (first_2025, first_2026):
        planned: list[tuple[ExpenseCategory | str, int]] = [
            *EXPENSES[version.year].items(),
            *INCOME[version.year].items(),
        ]
        for key, amount in planned:
            if isinstance(key, ExpenseCategory) or key in schemes:
                lines.append(_line(version, key, Decimal(amount), schemes))
    for key, amount in WIJZIGING_2026.items():
        if not isinstance(key, ExpenseCategory) and key not in schemes:
            continue
        lines.append(_line(change_2026, key, Decimal(amount), schemes))
    session.add_all(lines)
    session.add(
        ReserveMutation(
            booked_on=date(2025, 1, 30),
            amount=Decimal("250000.00"),
            description="Instelling bestemmingsreserve opvang vluchtelingen: overschotten "
            "BooO 2022-2024",
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
