"""The small world of the Spreidingswet report tests, with its figures computed by hand.

Task A 2025-01-01..2026-12-31, 200 places; task B 2027-01-01..2027-12-31, 50 places.
The report is read on 2026-06-01 (task A).

Locations (capacity history; availableUntil)
- AZC (asylum_center) from 2024-06-01: 30; 50 from 2025-03-01; 40 from 2025-09-01; 45
  from 2026-02-01; until 2035-12-31 (durable).
- AMV (amv_small_scale) from 2025-05-01: 10; until 2027-05-01 (not durable).
- NOOD (emergency) 2025-01-10..2026-03-31: 8 (closed on the day; no end date: not durable).
- OUD (emergency) from 2024-01-01: 5 (before the task).
- GOO (municipal_ukrainian) from 2025-02-01: 50: never counts (another law).
- NIEUW (asylum_center) opens 2026-10-01, no capacity yet.
Realised on 2026-06-01: AZC 45 + AMV 10 + OUD 5 = 60 (NOOD closed, NIEUW not open).

Plan (not realised, up to 2026-12-31)
- AZC 60 on 2026-09-01, 70 on 2026-11-01 -> 70 - 45 = +25;
- NIEUW opening 2026-10-01 with 30 -> +30;
- OUD closing 2026-08-01 -> -5;
- left out: AMV 20 on 2027-03-01 (after the task), AZC 45 on 2026-02-01 (realised), GOO 80.
Planned: 25 + 30 - 5 = 50.

Candidates: decided asylum_center 40 without a location (decided 40); decided with a
location (NIEUW): left out; investigation amv 12 + proposed emergency 20 (preparation 32);
left out: investigation municipal_ukrainian 15, idea asylum_center 99.
Phases: realised 60 (gap 140), planned 50 (110, gap 90), decided 40 (150, gap 50),
preparation 32 (182, gap 18).

Incentive (rates from the migrations: durable € 5,000, other € 2,500 from 2024-02-01)
- earned (rises 2025-01-01..2026-06-01): AZC +20 on 2025-03-01 (durable); AMV +10 and
  NOOD +8 (not durable); AZC's 45 in 2026 stays below its 50 -> durable 20, other 18:
  100,000 + 45,000 = 145,000.00.
- expected (plan to 2026-12-31): AZC 60 (+10 above 50) and 70 (+10), durable; NIEUW +30,
  not durable -> 100,000 + 75,000 = 175,000.00.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from api.db import Database
from api.models import (
    CandidateLocation,
    CandidateStage,
    Location,
    LocationKind,
    Partner,
    PlannedCapacityChange,
    PlannedChangeKind,
    SpreidingTask,
)
from tests.support import records

K = LocationKind
P = PlannedChangeKind
S = CandidateStage


async def build(db: Database, partner: Partner) -> dict[str, Location]:
    locs = {
        "AZC": await records.location(
            db, partner, name="AZC", kind=K.asylum_center, opened_on=date(2024, 6, 1),
            capacity={date(2024, 6, 1): 30, date(2025, 3, 1): 50, date(2025, 9, 1): 40,
                      date(2026, 2, 1): 45},
        ),
        "AMV": await records.location(
            db, partner, name="AMV", kind=K.amv_small_scale, opened_on=date(2025, 5, 1),
            capacity=10,
        ),
        "NOOD": await records.location(
            db, partner, name="NOOD", kind=K.emergency, opened_on=date(2025, 1, 10),
            closed_on=date(2026, 3, 31), capacity=8,
        ),
        "OUD": await records.location(
            db, partner, name="OUD", kind=K.emergency, opened_on=date(2024, 1, 1), capacity=5
        ),
        "GOO": await records.location(
            db, partner, name="GOO", kind=K.municipal_ukrainian, opened_on=date(2025, 2, 1),
            capacity=50,
        ),
        "NIEUW": await records.location(
            db, partner, name="NIEUW", kind=K.asylum_center, opened_on=date(2026, 10, 1),
            capacity={},
        ),
    }  # fmt: skip
    plan = [
        ("AZC", P.capacity, date(2026, 9, 1), 60, None),
        ("AZC", P.capacity, date(2026, 11, 1), 70, None),
        ("AZC", P.capacity, date(2026, 2, 1), 45, datetime(2026, 2, 1, 1, tzinfo=UTC)),
        ("NIEUW", P.opening, date(2026, 10, 1), 30, None),
        ("OUD", P.closing, date(2026, 8, 1), None, None),
        ("AMV", P.capacity, date(2027, 3, 1), 20, None),
        ("GOO", P.capacity, date(2026, 9, 1), 80, None),
    ]
    candidates = [
        ("Besloten", K.asylum_center, 40, S.decided, None),
        ("Al locatie", K.asylum_center, 30, S.decided, locs["NIEUW"].id),
        ("Onderzoek AMV", K.amv_small_scale, 12, S.investigation, None),
        ("Voorstel nood", K.emergency, 20, S.proposed, None),
        ("Onderzoek GOO", K.municipal_ukrainian, 15, S.investigation, None),
        ("Idee", K.asylum_center, 99, S.idea, None),
    ]
    async with db.sessionmaker() as session, session.begin():
        for name, until in (("AZC", date(2035, 12, 31)), ("AMV", date(2027, 5, 1))):
            loc = await session.get(Location, locs[name].id)
            assert loc is not None
            loc.available_until = until
        session.add_all(
            PlannedCapacityChange(
                location_id=locs[n].id, kind=k, takes_effect_on=d, capacity=c, realised_at=r
            )
            for n, k, d, c, r in plan
        )
        session.add_all(
            CandidateLocation(
                name=n, proposed_kind=k, proposed_places=p, stage=s, location_id=loc_id
            )
            for n, k, p, s, loc_id in candidates
        )
        session.add_all(
            [
                SpreidingTask(
                    starts_on=date(2025, 1, 1), ends_on=date(2026, 12, 31), places=200,
                    source="Verdeelbesluit provincie Noord-Holland, 2024",
                ),
                SpreidingTask(
                    starts_on=date(2027, 1, 1), ends_on=date(2027, 12, 31), places=50,
                    source="Verdeelbesluit 2026",
                ),
            ]
        )  # fmt: skip
    return locs
