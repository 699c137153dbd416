"""Demo Spreidingswet data: Heemstede's task, a planned growth of the AMV location and a
larger asylum location under investigation.

Sources (public):
- The indicative distribution under the Spreidingswet (Staatscourant, 31 January 2024):
  191 reception places for Heemstede, 16 of them for unaccompanied minors; "Wat houdt de
  Spreidingswet in voor Heemstede?", https://www.heemstede.nl/meedenken-en-meedoen/
  tijdelijke-en-permanente-huisvesting-urgente-woningzoekenden/spreidingswet. The task
  runs two years from 1 January 2025 (EW, "Hoe ziet de Spreidingswet er in de praktijk
  uit?", 14 February 2024); Heemstede keeps to it (Haarlem105, "Heemstede zet beleid
  spreidingswet vooralsnog door": 191 places, looking for one larger location of at
  least 100 places).
- The next period (2027-2028): no distribution decision found; the figure is ASSUMED
  equal to the first and marked so in its source.

The AMV location (Heemsteedse Dreef 156, 20 places) counts as realised; the plan adds 5
places (to 25) three weeks from the demo's today, within the task; the larger location is
a candidate under investigation (only when no asylum candidate is there already, so the
pipeline's demo is not doubled).
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from api.models import (
    CandidateLocation,
    CandidateStage,
    Location,
    LocationKind,
    PlannedCapacityChange,
    PlannedChangeKind,
    SpreidingTask,
)

AMV_NAME = "AMV Heemsteedse Dreef 156"
FIRST_SOURCE = (
    "Indicatieve verdeling Spreidingswet, Staatscourant 31-01-2024: 191 plekken voor "
    "Heemstede, waarvan 16 voor alleenstaande minderjarigen (heemstede.nl, Spreidingswet)"
)
NEXT_SOURCE = (
    "AANGENOMEN (demo): gelijk aan de eerste periode; geen verdeelbesluit 2027-2028 gevonden"
)
TASKS = [
    (date(2025, 1, 1), date(2026, 12, 31), 191, FIRST_SOURCE, date(2024, 1, 31),
     "Twee jaar vanaf 1 januari 2025 (EW, 14-02-2024)."),
    (date(2027, 1, 1), date(2028, 12, 31), 191, NEXT_SOURCE, None,
     "Aangenomen cijfer voor de demo; vervang het door het verdeelbesluit."),
]  # fmt: skip
CANDIDATE = "Grotere opvanglocatie asielzoekers (zoekgebied)"


async def seed_spreiding(session: AsyncSession, today: date) -> list[str]:
    """Idempotent: the first task marks the demo's tasks; the plan and the candidate are
    added once each."""
    lines = []
    if await session.scalar(select(SpreidingTask.id).limit(1)) is None:
        session.add_all(
            SpreidingTask(starts_on=a, ends_on=b, places=n, source=s, decided_on=d, note=note)
            for a, b, n, s, d, note in TASKS
        )
        lines.append(f"demo Spreidingswet tasks: {len(TASKS)} periods")
    amv = await session.scalar(select(Location.id).where(Location.name == AMV_NAME))
    pending = await session.scalar(
        select(PlannedCapacityChange.id).where(
            PlannedCapacityChange.location_id == amv, PlannedCapacityChange.realised_at.is_(None)
        )
    )
    if amv is not None and pending is None:
        session.add(
            PlannedCapacityChange(
                location_id=amv,
                kind=PlannedChangeKind.capacity,
                takes_effect_on=today + timedelta(days=21),
                capacity=25,
                decision_reference="Afspraak COA en gemeente (demo)",
                note="Vijf plekken erbij als het rustig blijft",
            )
        )
        lines.append("demo capacity plan: AMV Heemsteedse Dreef 156 to 25 places")
    asylum = [LocationKind.asylum_center, LocationKind.amv_small_scale, LocationKind.emergency]
    candidate = await session.scalar(
        select(CandidateLocation.id).where(
            CandidateLocation.proposed_kind.in_(asylum),
            CandidateLocation.stage.in_([CandidateStage.investigation, CandidateStage.proposed]),
        )
    )
    if (
        candidate is None
        and await session.scalar(
            select(CandidateLocation.id).where(CandidateLocation.name == CANDIDATE)
        )
        is None
    ):
        session.add(
            CandidateLocation(
                name=CANDIDATE,
                address="Heemstede (zoekgebied)",
                proposed_kind=LocationKind.asylum_center,
                proposed_places=100,
                planned_months=120,
                stage=CandidateStage.investigation,
                note="Het college zoekt een locatie voor minimaal honderd plekken.",
            )
        )
        lines.append("demo candidate under investigation: 100 places")
    await session.flush()
    return lines or ["demo Spreidingswet data already present"]
