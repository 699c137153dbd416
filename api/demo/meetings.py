"""Demo meetings with residents, the agreements made there, and the communication log.

Residents are never participants: the neighbours' evening at the AMV location Heemsteedse
Dreef 156 is a Meeting with a count of residents present, not an activity with enrollments.
Synthetic, like the rest of the demo (no real people). Public facts used: the council
decided on 13 July 2023 to add the Dreef for unaccompanied minors (with the Motie
draagvlak), and the college set its way of working on public support ("Werken aan
draagvlak") on 19 December 2023 (the council decision in /work/shared/seed/).
Dates follow the locations as stored, so a database seeded on another day still fits.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from api.models import (
    Agreement,
    AgreementNote,
    AgreementStatus,
    Communication,
    CommunicationAudience,
    CommunicationChannel,
    Location,
    Meeting,
    MeetingKind,
    MeetingPartner,
    User,
)

DREEF = "AMV Heemsteedse Dreef 156"
KOHNSTAMM = "GOO Kohnstammlaan (tijdelijke woningen)"
EVENING = (
    "Buurtavond over de opvang aan de Heemsteedse Dreef. Omwonenden vertelden over "
    "jongeren die 's avonds laat op het pleintje zijn. COA, Nidos en Welzijn Heemstede "
    "legden uit hoe de begeleiding werkt. Afgesproken: extra rondes, een vast "
    "telefoonnummer en elk kwartaal een klankbordgroep."
)
COA_DONE = "Jongerenwerk loopt de hele maand extra rondes."
S = AgreementStatus
C, A = CommunicationChannel, CommunicationAudience


async def seed_meetings(session: AsyncSession, today: date, partners: dict[str, Any]) -> list[str]:
    """Idempotent: nothing is added when any meeting exists."""
    if await session.scalar(select(Meeting.id).limit(1)) is not None:
        return ["demo meetings already present; not added again"]
    rows = (await session.execute(select(Location.name, Location.id, Location.opened_on))).all()
    where = {name: (loc_id, opened) for name, loc_id, opened in rows}
    if DREEF not in where:
        return []
    dreef, dreef_opened = where[DREEF]
    staff = await session.scalar(
        select(User.id).where(User.email == "coordinator@heemstede.example")
    )
    coa, nidos, welzijn = partners["COA"], partners["Nidos"], partners["Welzijn Heemstede"]
    present: list[tuple[Meeting, list[Any]]] = []

    def meeting(
        held_on: date, kind: MeetingKind, residents: int, summary: str, loc: Any, who: list[Any]
    ) -> Meeting:
        m = Meeting(
            held_on=held_on,
            kind=kind,
            residents_present=residents,
            summary=summary,
            location_id=loc,
        )
        session.add(m)
        present.append((m, who))
        return m

    # Before the Dreef opened: an information evening for the neighbourhood.
    meeting(
        dreef_opened - timedelta(days=75),
        MeetingKind.information_evening,
        64,
        "Informatieavond over de komst van de opvang voor alleenstaande minderjarigen aan de "
        "Heemsteedse Dreef. Vragen over begeleiding, veiligheid en het aantal jongeren.",
        dreef,
        [coa, nidos],
    )
    # The neighbours' evening (formerly a demo activity), 45 days ago.
    evening = meeting(
        today - timedelta(days=45),
        MeetingKind.neighbourhood_meeting,
        38,
        EVENING,
        dreef,
        [coa, nidos, welzijn],
    )
    # A sounding board (klankbordgroep) every quarter since the Dreef opened; the next planned.
    held, number = dreef_opened + timedelta(days=45), 0
    while held <= today + timedelta(days=91):
        planned = held > today
        meeting(
            held,
            MeetingKind.sounding_board,
            0 if planned else 6 + (number * 5) % 7,
            "Klankbordgroep Heemsteedse Dreef (gepland)."
            if planned
            else "Klankbordgroep Heemsteedse Dreef: ervaringen van omwonenden besproken; de "
            "meeste signalen gaan over de avonduren.",
            dreef,
            [coa, welzijn],
        )
        held, number = held + timedelta(days=91), number + 1
    if KOHNSTAMM in where:
        kohnstamm, opened = where[KOHNSTAMM]
        meeting(
            opened - timedelta(days=21),
            MeetingKind.information_evening,
            41,
            "Informatieavond over de tijdelijke woningen aan de Kohnstammlaan: wie er komt "
            "wonen, wanneer, en hoe omwonenden vragen kwijt kunnen.",
            kohnstamm,
            [partners["Gemeente Heemstede"], welzijn],
        )
    await session.flush()
    for m, who in present:
        session.add_all(MeetingPartner(meeting_id=m.id, partner_id=p) for p in who)

    agreements = [
        # (description, partner, staff owner, due in days from the evening, status, notes)
        (COA_DONE, welzijn, None, 14, S.done, ["Rondes gelopen; het is rustiger op het pleintje."]),
        (
            "Een vast telefoonnummer voor omwonenden, ook 's avonds.",
            None,
            staff,
            7,
            S.done,
            ["Nummer staat in de nieuwsbrief en op de website."],
        ),
        ("Elk kwartaal een klankbordgroep met omwonenden.", None, staff, 90, S.in_progress, []),
        ("Extra verlichting op het pleintje voor de opvang.", None, staff, 30, S.open, []),
        (
            "De huisregels over de avonduren bespreken met de jongeren.",
            nidos,
            None,
            60,
            S.in_progress,
            ["Eerste gesprekken gevoerd met de mentoren."],
        ),
        (
            "De buren informeren over de vaste contactpersoon van de locatie.",
            coa,
            None,
            35,
            S.open,
            [],
        ),
    ]
    made = []
    for description, partner, owner, due, status, notes in agreements:
        due_on = evening.held_on + timedelta(days=due)
        agreement = Agreement(
            description=description,
            meeting_id=evening.id,
            location_id=dreef,
            partner_id=partner,
            owner_user_id=owner if partner is None else None,
            due_on=due_on,
            status=status,
            done_on=min(due_on, today) if status is S.done else None,
        )
        session.add(agreement)
        made.append((agreement, notes))
    await session.flush()
    for agreement, notes in made:
        session.add_all(
            AgreementNote(agreement_id=agreement.id, note=n, author_type="system", author_role=None)
            for n in notes
        )

    comms = [
        (
            date(2023, 7, 14),
            C.website,
            A.municipality,
            None,
            "Webpagina over de opvang in Heemstede bijgewerkt na het raadsbesluit over de "
            "Heemsteedse Dreef (13 juli 2023).",
            "https://www.heemstede.nl",
        ),
        (
            date(2023, 7, 20),
            C.letter,
            A.street,
            dreef,
            "Brief aan de bewoners van de Heemsteedse Dreef en omliggende straten over het "
            "raadsbesluit en de informatieavond.",
            None,
        ),
        (
            date(2024, 1, 10),
            C.newsletter,
            A.municipality,
            None,
            "Nieuwsbrief: zo betrekt de gemeente inwoners bij de opvang (collegebesluit Werken "
            "aan draagvlak, 19 december 2023).",
            None,
        ),
        (
            today - timedelta(days=60),
            C.letter,
            A.street,
            dreef,
            "Uitnodiging voor de buurtavond over de opvang aan de Heemsteedse Dreef.",
            None,
        ),
        (
            today - timedelta(days=30),
            C.newsletter,
            A.neighbourhood,
            dreef,
            "Nieuwsbrief na de buurtavond: de afspraken en het telefoonnummer voor omwonenden.",
            None,
        ),
        (
            today - timedelta(days=10),
            C.social_media,
            A.municipality,
            None,
            "Bericht over vrijwilligerswerk bij de opvang: hoe kunt u helpen?",
            None,
        ),
    ]
    quarter = dreef_opened + timedelta(days=30)
    while quarter <= today - timedelta(days=90):
        comms.append(
            (
                quarter,
                C.newsletter,
                A.neighbourhood,
                dreef,
                "Kwartaalnieuwsbrief voor de buurt van de Heemsteedse Dreef.",
                None,
            )
        )
        quarter += timedelta(days=91)
    if KOHNSTAMM in where:
        kohnstamm, opened = where[KOHNSTAMM]
        comms.append(
            (
                opened - timedelta(days=35),
                C.letter,
                A.street,
                kohnstamm,
                "Brief aan omwonenden van de Kohnstammlaan over de tijdelijke woningen en "
                "de informatieavond.",
                None,
            )
        )
    for sent_on, channel, audience, loc, summary, link in comms:
        session.add(
            Communication(
                sent_on=sent_on,
                channel=channel,
                audience=audience,
                location_id=loc,
                summary=summary,
                link=link,
            )
        )
    await session.flush()
    return [
        f"demo meetings: {len(present)} meetings, {len(made)} agreements, "
        f"{len(comms)} communications"
    ]
