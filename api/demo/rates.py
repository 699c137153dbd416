"""Demo corrections of issue 17: provisional 2026 rates, the living-allowance status and
the AMV location's planned availability.

- 2026 rates. No 2026 normbedrag of the BooO was found in the sources searched
  (Rijksoverheid news, officielebekendmakingen.nl, the Kamerbrieven with the 2025 amounts:
  Verzamelbrief opvang Oekraïne 13-11-2024, TK 2024D43792/2024D43796), so both 2026
  rates are entered as ``assumed`` equal to 2025: BOO-GOO € 44.00 per place per day,
  BOO-POO € 48.00 per person per month. The budget report and forecasts use them and say
  "assumed"; claims for 2026 are refused until finance enters the published amounts.
- Living allowance (leefgeld). Every Ukrainian in a GOO location or with a host family
  receives it from the first night of their first stay to the last night of their last
  stay, and stops the day before they start working full time (then they support
  themselves). The BooO pays BOO-POO only for these persons (per month).
- The AMV location (20 places, COA) is planned for five years from its opening in
  September 2024 minus a month (until 2029-07-31): its places are not durable in the
  Spreidingswet's sense (Besluit gemeentelijke taak mogelijk maken
  asielopvangvoorzieningen art. 1.1: available at least five years).
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from api.models import (
    Group,
    LivingAllowance,
    Location,
    LocationKind,
    Participant,
    ParticipantProgress,
    Placement,
    ProgressField,
    RateCertainty,
    ReimbursementRate,
    ReimbursementScheme,
    utcnow,
)

ASSUMED_2026 = {
    "BOO-GOO": Decimal("44.00"),
    "BOO-POO": Decimal("48.00"),
}
BASIS_2026 = (
    "Assumed equal to 2025: no 2026 normbedrag found (Rijksoverheid, Staatscourant, "
    "Verzamelbrief opvang Oekraïne 13-11-2024 searched)"
)
AMV_NAME = "AMV Heemsteedse Dreef 156"
AMV_AVAILABLE_UNTIL = date(2029, 7, 31)


async def seed_rates(session: AsyncSession, today: date) -> list[str]:
    """Idempotent, like the rest of the demo: what is there already is left alone."""
    lines = [await _provisional_rates(session, today.year)]
    lines.append(await _allowances(session))
    await session.execute(
        update(Location)
        .where(Location.name == AMV_NAME, Location.available_until.is_(None))
        .values(available_until=AMV_AVAILABLE_UNTIL)
    )
    return lines


async def _provisional_rates(session: AsyncSession, year: int) -> str:
    first, last = date(year, 1, 1), date(year, 12, 31)
    added = []
    for code, amount in ASSUMED_2026.items():
        scheme_id = await session.scalar(
            select(ReimbursementScheme.id).where(ReimbursementScheme.code == code)
        )
        covered = await session.scalar(
            select(func.count(ReimbursementRate.id)).where(
                ReimbursementRate.scheme_id == scheme_id,
                ReimbursementRate.valid_from <= last,
                (ReimbursementRate.valid_to.is_(None)) | (ReimbursementRate.valid_to >= first),
            )
        )
        if scheme_id is None or covered:
            continue
        session.add(
            ReimbursementRate(
                scheme_id=scheme_id,
                valid_from=first,
                valid_to=last,
                amount=amount,
                source=BASIS_2026,
                certainty=RateCertainty.assumed,
            )
        )
        added.append(f"{code} {amount}")
    await session.flush()
    listed = ", ".join(added) or "none (already present)"
    return f"demo provisional {year} rates (assumed equal to {year - 1}): {listed}"


async def _allowances(session: AsyncSession) -> str:
    if await session.scalar(select(LivingAllowance.id).limit(1)) is not None:
        return "demo living allowances already present"
    kinds = [LocationKind.private_hosting, LocationKind.municipal_ukrainian]
    # One row per Ukrainian at a GOO location or a host family: their first and last night
    # there (stays are contiguous: transfers) and their first full-time work day.
    working = (
        select(
            ParticipantProgress.participant_id.label("pid"),
            func.min(ParticipantProgress.valid_from).label("from_"),
        )
        .where(
            ParticipantProgress.field == ProgressField.employment_status,
            ParticipantProgress.value == "full_time",
        )
        .group_by(ParticipantProgress.participant_id)
        .subquery()
    )
    stays = (
        select(
            Placement.participant_id,
            func.min(Placement.start_date),
            func.max(func.coalesce(Placement.end_date, date(9999, 12, 31))),
            func.min(working.c.from_),
        )
        .join(Participant, Participant.id == Placement.participant_id)
        .join(Location, Location.id == Placement.location_id)
        .outerjoin(working, working.c.pid == Placement.participant_id)
        .where(Participant.group == Group.ukrainian_displaced, Location.kind.in_(kinds))
        .group_by(Placement.participant_id)
    )
    now = utcnow()
    rows: list[dict[str, Any]] = []
    for pid, start, end, works in (await session.execute(stays)).all():
        last_night = None if end == date(9999, 12, 31) else end - timedelta(days=1)
        if works is not None and works > start:
            stop = works - timedelta(days=1)
            last_night = stop if last_night is None else min(last_night, stop)
        elif works is not None:
            continue  # working full time from the start: no allowance
        rows.append(
            {
                "id": uuid.uuid4(),
                "participant_id": pid,
                "starts_on": start,
                "ends_on": last_night,
                "version": 1,
                "created_at": now,
                "updated_at": now,
            }
        )
    if rows:
        await (await session.connection()).execute(insert(LivingAllowance), rows)
    ongoing = sum(1 for r in rows if r["ends_on"] is None)
    return f"demo living allowances: {len(rows)} persons ({ongoing} receive it today)"
