"""Demo decisions with conditions (issue 18 §1).

- The council's decision of 13 July 2023 to add the location at Heemsteedse Dreef 156
  for unaccompanied minors (AMV): 16 places, and possibly 4 more later if the
  neighbourhood experiences little nuisance (source: the council decision "Sociaal
  programma opvang vluchtelingen Heemstede", list of decisions it rests on:
  "Raadsbesluit Toevoegen locatie Heemsteedse Dreef ten behoeve van alleenstaande
  minderjarige vluchtelingen d.d. 13 juli 2023"). Its growth condition was evaluated
  *met* shortly before the demo's step from 16 to 20 places (3 July 2025), with the
  signal count of the first months as evidence; that capacity change points at it.
- A college decision on GOO Princehof with an open condition due within 60 days of
  today, so the coordinator's card "Voorwaarden om te toetsen" shows something.

The evidence and the sounding board's view are invented for the demo."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from api.models import (
    CandidateLocation,
    CapacityChange,
    ConditionStatus,
    DecisionBody,
    DecisionCondition,
    Location,
    LocationDecision,
    Signal,
    User,
)

AMV = "AMV Heemsteedse Dreef 156"
COUNCIL_REFERENCE = "Raadsbesluit Toevoegen locatie Heemsteedse Dreef (13-07-2023)"
EVALUATE_ON = date(2025, 6, 1)
EVALUATED_ON = date(2025, 6, 16)
EVALUATED_AT = datetime.combine(EVALUATED_ON, time(), UTC)
GROWTH_PLACES = 20
PRINCEHOF = "GOO Princehof"


async def seed_decisions(session: AsyncSession, today: date) -> list[str]:
    """Idempotent: nothing is added when the council decision exists."""
    found = select(LocationDecision.id).where(LocationDecision.reference == COUNCIL_REFERENCE)
    if await session.scalar(found) is not None:
        return []
    names = dict((await session.execute(select(Location.name, Location.id))).tuples().all())
    amv = names.get(AMV)
    if amv is None:
        return ["demo decisions: no AMV location, none added"]
    owner = await session.scalar(
        select(User.id).where(User.email == "coordinator@heemstede.example")
    )
    # The Dreef's story runs from candidate to decision to condition to growth: the
    # pipeline's demo (seeded first) holds the candidate that became this location.
    candidate = await session.scalar(
        select(CandidateLocation.id).where(CandidateLocation.location_id == amv)
    )
    council = LocationDecision(
        location_id=amv,
        candidate_id=candidate,
        decided_on=date(2023, 7, 13),
        body=DecisionBody.council,
        reference=COUNCIL_REFERENCE,
        summary=(
            "De raad stemt in met opvang van alleenstaande minderjarige vluchtelingen aan de "
            "Heemsteedse Dreef 156: 16 plaatsen. Later kunnen er 4 plaatsen bij, als de buurt "
            "weinig overlast ervaart. Met de motie Draagvlak vraagt de raad het college om "
            "draagvlak mee te nemen bij nieuwe locaties."
        ),
    )
    session.add(council)
    await session.flush()
    # The evidence rests on the demo's own signals about the location up to the evaluation.
    signals = await session.scalar(
        select(func.count(Signal.id)).where(
            Signal.location_id == amv, Signal.reported_at < EVALUATED_AT
        )
    )
    count = signals or 0
    session.add(
        DecisionCondition(
            decision_id=council.id,
            description=(
                "Groei van 16 naar 20 plaatsen alleen als de buurt weinig overlast ervaart. "
                "Toetsen met de meldingen en de klankbordgroep."
            ),
            evaluate_on=EVALUATE_ON,
            owner_user_id=owner,
            status=ConditionStatus.met,
            evaluated_on=EVALUATED_ON,
            evidence=(
                f"{count} {'melding' if count == 1 else 'meldingen'} over de locatie sinds de "
                "opening in september 2024. De klankbordgroep ziet weinig overlast en steunt "
                "de groei naar 20 plaatsen."
            ),
        )
    )
    growth = await session.scalar(
        select(CapacityChange)
        .where(
            CapacityChange.location_id == amv,
            CapacityChange.capacity == GROWTH_PLACES,
            CapacityChange.valid_from > EVALUATED_ON,
        )
        .order_by(CapacityChange.valid_from)
        .limit(1)
    )
    if growth is not None:
        growth.decision_id = council.id
    lines = [f"demo decisions: {COUNCIL_REFERENCE}, growth condition met"]
    princehof = names.get(PRINCEHOF)
    if princehof is not None:
        college = LocationDecision(
            location_id=princehof,
            decided_on=today - timedelta(days=300),
            body=DecisionBody.college,
            reference="Collegebesluit verlenging GOO Princehof",
            summary=(
                "Het college verlengt de opvang in Princehof met een jaar. Voorwaarde: de "
                "beheerder houdt elk kwartaal een buurtoverleg."
            ),
        )
        session.add(college)
        await session.flush()
        session.add(
            DecisionCondition(
                decision_id=college.id,
                description="Elk kwartaal een buurtoverleg; verslag naar de gemeente.",
                evaluate_on=today + timedelta(days=21),
                owner_user_id=owner,
                status=ConditionStatus.open,
            )
        )
        lines.append("demo decisions: a college decision on Princehof, condition due in 21 days")
    await session.flush()
    return lines
