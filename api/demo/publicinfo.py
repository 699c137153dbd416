"""Demo public information per location (issue 18 §7): three demo locations are shown on
/publiek with a contact line and a note for residents. The contact is the municipality's
general number (14 023, the number of Dutch municipalities, public) and a synthetic
``@heemstede.example`` address: a role, never a person.

The AMV location at Heemsteedse Dreef 156 was added by the council on 13 July 2023
(Raadsbesluit "Toevoegen locatie Heemsteedse Dreef ten behoeve van alleenstaande
minderjarige vluchtelingen"), together with the Motie Draagvlak that asks to inform
residents (the council decision in ``/work/shared/seed``).

Meetings and agreements are seeded by the draagvlak demo; only when that location has no
meeting yet is one information evening with two agreements added here, so that the
public card is not empty on a demo of this module alone. Idempotent."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from api.models import Location
from api.models.support import Agreement, AgreementStatus, Meeting, MeetingKind

CONTACT = "Team opvang van de gemeente, 14 023, opvang@heemstede.example"
# name -> (contact, note)
PUBLIC: dict[str, tuple[str, str]] = {
    "AMV Heemsteedse Dreef 156": (
        "Wijkcoördinator van de gemeente, 14 023, buurt@heemstede.example",
        "Hier wonen jongeren die zonder ouders naar Nederland kwamen. Zij zijn 15 tot 18 "
        "jaar. Er is dag en nacht begeleiding. De jongeren gaan naar school en sporten in "
        "de buurt. Heeft u een vraag of last van iets? Bel of mail ons gerust.",
    ),
    "GOO Kerklaan": (
        CONTACT,
        "Hier wonen mensen uit Oekraïne. Het zijn vooral gezinnen. Veel volwassenen "
        "werken of leren Nederlands. De gemeente beheert het gebouw.",
    ),
    "GOO Kohnstammlaan (tijdelijke woningen)": (
        CONTACT,
        "Tijdelijke woningen voor mensen uit Oekraïne. Elke woning heeft een eigen "
        "voordeur. Er is een vast aanspreekpunt voor de buurt.",
    ),
}
AMV = "AMV Heemsteedse Dreef 156"


async def seed_publicinfo(session: AsyncSession, on: date) -> list[str]:
    rows = (
        await session.execute(
            select(Location).where(Location.name.in_(list(PUBLIC)), Location.public.is_(False))
        )
    ).scalars()
    marked = 0
    for location in rows:
        location.public = True
        location.public_contact, location.public_note = PUBLIC[location.name]
        marked += 1
    await session.flush()
    amv = await session.scalar(select(Location.id).where(Location.name == AMV))
    if amv is None:
        return [f"public information on {marked} location(s)"]
    if await session.scalar(select(Meeting.id).where(Meeting.location_id == amv).limit(1)):
        return [f"public information on {marked} location(s)"]
    meeting = Meeting(
        location_id=amv,
        held_on=on - timedelta(days=120),
        kind=MeetingKind.information_evening,
        residents_present=38,
        summary="Informatieavond over de jongeren, de begeleiding en het buurtcontact.",
    )
    session.add(meeting)
    await session.flush()
    session.add_all(
        [
            Agreement(
                location_id=amv,
                meeting_id=meeting.id,
                description="Extra verlichting op het pad langs de Dreef",
                due_on=on - timedelta(days=60),
                status=AgreementStatus.done,
                done_on=on - timedelta(days=70),
            ),
            Agreement(
                location_id=amv,
                meeting_id=meeting.id,
                description="Elk kwartaal een koffie-uur voor de buurt",
                due_on=on + timedelta(days=30),
                status=AgreementStatus.in_progress,
            ),
        ]
    )
    session.add(
        Meeting(
            location_id=amv,
            held_on=on - timedelta(days=30),
            kind=MeetingKind.sounding_board,
            residents_present=3,
            summary="Klankbordgroep: het gaat rustig.",
        )
    )
    await session.flush()
    return [f"public information on {marked} location(s), a meeting and two agreements"]
