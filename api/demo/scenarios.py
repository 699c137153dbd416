"""Demo scenarios and occupancy assumptions for the forecast (issue 17):

- "AMV Heemsteedse Dreef van 20 naar 25 plaatsen vanaf 1-7-2027": a capacity change on the
  demo's AMV location;
- "BOO-GOO-tarief 20 % lager in 2027": the BOO-GOO rate x 0.8 over 2027.

The base's one occupancy assumption (the AMV location at 95 %) is ``api.demo.plan``'s;
every other location uses its trailing 90-day rate (a location has at most one).

Written once (skipped when any scenario exists), through the ORM so the audit hook sees it.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from api.forecast.changes import ScenarioCapacity, ScenarioRate, params_of
from api.models import (
    Location,
    ReimbursementScheme,
    Scenario,
    ScenarioChange,
)

AMV = "AMV Heemsteedse Dreef 156"


async def seed_scenarios(session: AsyncSession) -> list[str]:
    if await session.scalar(select(Scenario.id).limit(1)) is not None:
        return ["demo scenarios already present; not added again"]
    rows = (await session.execute(select(Location.name, Location.id))).all()
    locations: dict[str, Any] = {row[0]: row[1] for row in rows}
    goo = await session.scalar(
        select(ReimbursementScheme.id).where(ReimbursementScheme.code == "BOO-GOO")
    )
    if AMV not in locations or goo is None:
        return ["no demo locations or no BOO-GOO scheme; scenarios not added"]
    amv = Scenario(
        name="AMV Heemsteedse Dreef van 20 naar 25 plaatsen vanaf 1-7-2027",
        description="Uitbreiding van de kleinschalige AMV-opvang met 5 plaatsen.",
    )
    cut = Scenario(
        name="BOO-GOO-tarief 20 % lager in 2027",
        description="Wat als het Rijk het normbedrag per plaats per dag in 2027 met 20 % verlaagt?",
    )
    session.add_all([amv, cut])
    await session.flush()
    more = ScenarioCapacity.model_validate(
        {"kind": "capacity", "startsOn": "2027-07-01", "locationId": str(locations[AMV]),
         "capacity": 25}
    )  # fmt: skip
    lower = ScenarioRate.model_validate(
        {"kind": "rate", "startsOn": "2027-01-01", "endsOn": "2027-12-31",
         "schemeId": str(goo), "factor": "0.8"}
    )  # fmt: skip
    for scenario, change in ((amv, more), (cut, lower)):
        session.add(
            ScenarioChange(
                scenario_id=scenario.id,
                position=0,
                kind=change.kind,
                starts_on=change.starts_on,
                ends_on=change.ends_on,
                params=params_of(change),
            )
        )
    await session.flush()
    return [f"demo scenarios: '{amv.name}', '{cut.name}'"]
