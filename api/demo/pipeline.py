"""Demo location pipeline: the council's housing criteria and five candidate locations.

The criteria. The council decision (Sociaal programma opvang vluchtelingen) cites the
"Motie Criteria Huisvesting d.d. 26 januari 2023"; its text was not found. The
municipality publishes the criteria it weighs reception locations against on
https://www.heemstede.nl/meedenken-en-meedoen/tijdelijke-en-permanente-huisvesting-urgente-woningzoekenden/criteria-opvanglocaties-heemstede
("spreiding over Heemstede", "locaties die passen bij de maat van Heemstede",
"kleinschalige locaties", "op korte termijn beschikbaar / geschikt te maken", "op loop- of
fietsafstand van voorzieningen", "goed bereikbaar", "veiligheid", "zoveel mogelijk
structurele woonoplossingen", "eigendom van de gemeente of van een eigenaar die voor
opvang openstaat", "haalbaarheid voor het COA / voor de gemeente"); the page adds that
"de ideale locatie bestaat niet": it is about the sum of the criteria. The criteria below
follow that list, grouped into nine; ASSUMPTION: that this list is the motie's, and the
weights (the page gives none) are invented for the demo.

The candidates. Heemsteedse Dreef 156 is the real story: the council decided on 13 July
2023 (11 votes to 10) to buy the house and let it to the COA for 16 unaccompanied minors,
growing to at most 20 after ten months if the neighbourhood experiences little nuisance
(NH Nieuws, 14 July 2023; the council decision, /work/shared/seed). Its earlier dates
(idea, investigation, proposal) are invented but fit that calendar. The other four
candidates, their owners, stages and scores are invented.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from api.models import (
    CandidateLocation,
    CandidateScore,
    CandidateStage,
    CandidateStageChange,
    HousingCriterion,
    Location,
    LocationKind,
    Partner,
)

_ASSUMED = " (Aanname voor de demo: gewicht niet door de raad vastgesteld.)"
# (name, weight, description)
CRITERIA: list[tuple[str, int, str]] = [
    ("Spreiding over Heemstede", 3, "Niet alle opvang in één wijk."),
    ("Past bij de maat van Heemstede", 3, "Kleinschalig; satellietlocaties zijn mogelijk."),
    ("Snel beschikbaar en geschikt te maken", 2, "Op korte termijn te gebruiken."),
    ("Dicht bij voorzieningen", 2, "Op loop- of fietsafstand van school, winkels en zorg."),
    ("Goed bereikbaar", 1, "Met het openbaar vervoer en de fiets."),
    ("Veiligheid", 3, "Veilig voor bewoners en buurt; beheer is te regelen."),
    ("Structurele woonoplossing", 2, "Liever blijvend dan tijdelijk."),
    (
        "Eigenaar staat open voor opvang",
        1,
        "Eigendom van de gemeente of een bereidwillige eigenaar.",
    ),
    ("Haalbaar voor COA en gemeente", 2, "Aankoop of huur is betaalbaar en uitvoerbaar."),
]

S = CandidateStage
DREEF = "Heemsteedse Dreef 156"
DREEF_LOCATION = "AMV Heemsteedse Dreef 156"  # in api.demo.data


# name, address or area, kind, places, months, owner, operator, public, note,
# [(stage, day, note)], scores per criterion in CRITERIA's order (None: not scored)
Candidate = tuple[
    str,
    str,
    LocationKind,
    int | None,
    int | None,
    str | None,
    str | None,
    bool,
    str | None,
    list[tuple[CandidateStage, date, str | None]],
    list[int | None] | None,
]
CANDIDATES: list[Candidate] = [
    (
        DREEF,
        "Heemsteedse Dreef 156",
        LocationKind.amv_small_scale,
        16,
        120,
        "Gemeente Heemstede (aankoop)",
        "COA",
        True,
        "16 plaatsen; bij weinig overlast na tien maanden groei tot ten hoogste 20.",
        [
            (S.idea, date(2023, 1, 16), "Pand te koop; past bij de vraag naar AMV-plekken."),
            (S.investigation, date(2023, 2, 14), "Gesprek met het COA en bouwkundige keuring."),
            (S.proposed, date(2023, 6, 6), "Raadsvoorstel: aankoop en verhuur aan het COA."),
            (S.decided, date(2023, 7, 13), "Raad stemt in (11 voor, 10 tegen), 16 plaatsen."),
        ],
        [4, 4, 3, 4, 4, 4, 4, 5, 3],
    ),
    (
        "Kantoorpand Cruquiusweg",
        "Bedrijventerrein Cruquius",
        LocationKind.asylum_center,
        120,
        60,
        "Particuliere belegger",
        "COA",
        False,
        "Afgewezen: te groot voor Heemstede, ver van school en winkels, geen woonfunctie.",
        [
            (S.idea, date(2023, 3, 1), None),
            (S.investigation, date(2023, 4, 3), "Verkenning met de eigenaar."),
            (S.rejected, date(2023, 9, 12), "Te groot en te ver van voorzieningen."),
        ],
        [2, 0, 2, 1, 2, 2, 1, 3, 1],
    ),
    (
        "Villa Van Merlenlaan",
        "Van Merlenlaan (Merlenhoven)",
        LocationKind.amv_small_scale,
        12,
        36,
        "Particuliere eigenaar",
        "COA",
        False,
        "De eigenaar heeft het pand aan een andere huurder gegeven.",
        [
            (S.idea, date(2023, 10, 2), None),
            (S.investigation, date(2023, 11, 6), "Bezichtiging met het COA."),
            (S.withdrawn, date(2024, 2, 19), "Ingetrokken door de eigenaar."),
        ],
        [4, 4, 2, 4, 3, 4, 2, 1, 3],
    ),
    (
        "Voormalig schoolgebouw Glipper Dreef",
        "Glipper Dreef (Glip)",
        LocationKind.municipal_ukrainian,
        30,
        60,
        "Gemeente Heemstede",
        None,
        True,
        "Onderzoek naar verbouw tot woonunits; buurt wordt op de hoogte gehouden.",
        [
            (S.idea, date(2025, 9, 1), None),
            (S.investigation, date(2025, 11, 17), "Haalbaarheidsonderzoek gestart."),
        ],
        [4, 3, 2, 3, 3, 4, 4, 5, 3],
    ),
    (
        "Woonunits bij sportpark",
        "Omgeving sportpark Groenendaal",
        LocationKind.municipal_ukrainian,
        24,
        120,
        "Gemeente Heemstede",
        None,
        False,
        "Idee uit de buurt; nog niet onderzocht.",
        [(S.idea, date(2026, 10, 5), None)],
        None,
    ),
]


async def seed_pipeline(session: AsyncSession) -> list[str]:
    """Idempotent: nothing is added when the first criterion exists."""
    first = select(HousingCriterion.id).where(HousingCriterion.name == CRITERIA[0][0])
    if await session.scalar(first) is not None:
        return []
    criteria = []
    for position, (name, weight, description) in enumerate(CRITERIA):
        criterion = HousingCriterion(
            name=name, weight=weight, position=position, description=description + _ASSUMED
        )
        session.add(criterion)
        criteria.append(criterion)
    await session.flush()
    partners = {p.name: p.id for p in (await session.scalars(select(Partner))).all()}
    dreef = await session.scalar(select(Location.id).where(Location.name == DREEF_LOCATION))
    for (
        name,
        address,
        kind,
        places,
        months,
        owner,
        operator,
        public,
        note,
        stages,
        scores,
    ) in CANDIDATES:
        candidate = CandidateLocation(
            name=name,
            address=address,
            proposed_kind=kind,
            proposed_places=places,
            planned_months=months,
            owner=owner,
            operator_partner_id=partners.get(operator) if operator else None,
            stage=stages[-1][0],
            public=public,
            note=note,
            location_id=dreef if name == DREEF else None,
        )
        session.add(candidate)
        await session.flush()
        session.add_all(
            CandidateStageChange(candidate_id=candidate.id, stage=stage, changed_on=day, note=why)
            for stage, day, why in stages
        )
        session.add_all(
            CandidateScore(candidate_id=candidate.id, criterion_id=c.id, score=score)
            for c, score in zip(criteria, scores or [], strict=False)
            if score is not None
        )
    await session.flush()
    return [f"demo pipeline: {len(CRITERIA)} housing criteria, {len(CANDIDATES)} candidates"]
