"""Public information per location (issue 18 §7): the location's public fields, set by
staff only, and the anonymous GET /public/locations and /public/candidate-locations."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

import httpx
import pytest

from api.common.calendar import today
from api.db import Database
from api.models import CapacityChange, Location, LocationKind, Partner, Role
from api.models.support import (
    Agreement,
    AgreementStatus,
    CandidateLocation,
    CandidateScore,
    CandidateStage,
    CandidateStageChange,
    Communication,
    CommunicationAudience,
    CommunicationChannel,
    HousingCriterion,
    Meeting,
    MeetingKind,
)
from api.public.location_schemas import PlacesBand, places_band
from tests.locations.test_locations import URL, new
from tests.support.builders import Builder, problem

PUBLIC_URL = "/api/v1/public/locations"
CANDIDATES_URL = "/api/v1/public/candidate-locations"
HIDDEN = {"count": None, "suppressed": True}
BSN = "123456782"  # passes the 11-test


# -- the location's public fields --------------------------------------------------------


@pytest.mark.parametrize("role", [Role.admin, Role.coordinator])
async def test_staff_set_the_public_fields(
    client: httpx.AsyncClient, build: Builder, role: Role
) -> None:
    op = await build.partner()
    h = build.headers_for(role)
    r = await client.post(URL, json=new(op), headers=h)
    assert r.status_code == 201, r.text
    body = r.json()
    assert (body["public"], body["publicContact"], body["publicNote"]) == (False, None, None)
    url = f"{URL}/{body['id']}"
    contact = "Wijkcoördinator, 14 023, buurt@heemstede.example"
    r = await client.patch(
        url,
        json={"public": True, "publicContact": f"  {contact} ", "publicNote": "Rustig huis."},
        headers=h,
    )
    assert r.status_code == 200, r.text
    assert r.json()["public"] is True and r.json()["publicContact"] == contact
    r = await client.get(url, headers=h)
    assert r.json()["publicNote"] == "Rustig huis."
    r = await client.patch(url, json={"publicNote": None}, headers=h)
    assert r.status_code == 200 and r.json()["publicNote"] is None
    r = await client.post(
        URL,
        json=new(op, name="Tweede", externalCode="X-2", public=True, publicContact="14 023"),
        headers=h,
    )
    assert r.status_code == 201 and r.json()["public"] is True


async def test_a_partner_and_a_viewer_may_not_set_them(
    client: httpx.AsyncClient, build: Builder
) -> None:
    op = await build.partner()
    r = await client.post(URL, json=new(op), headers=build.headers_for(Role.admin))
    url = f"{URL}/{r.json()['id']}"
    r = await client.patch(url, json={"public": True}, headers=build.headers_for(Role.partner, op))
    assert r.status_code == 403
    r = await client.patch(url, json={"public": True}, headers=build.headers_for(Role.viewer))
    assert r.status_code == 403
    r = await client.patch(url, json={"public": True})
    assert r.status_code == 401
    r = await client.get(url, headers=build.headers_for(Role.admin))
    assert r.json()["public"] is False


async def test_bad_public_fields_are_named(client: httpx.AsyncClient, build: Builder) -> None:
    op = await build.partner()
    h = build.headers_for(Role.coordinator)
    r = await client.post(URL, json=new(op), headers=h)
    url = f"{URL}/{r.json()['id']}"
    r = await client.patch(
        url,
        json={
            "public": None,
            "publicContact": f"Bel 14 023 (BSN {BSN})",
            "publicNote": f"Bewoner {BSN[:4]} {BSN[4:]}",
        },
        headers=h,
    )
    assert r.status_code == 400
    errors = problem(r)["errors"]
    assert {e["name"] for e in errors} == {"public", "publicContact", "publicNote"}
    assert BSN not in r.text
    r = await client.patch(url, json={"publicContact": "x" * 301, "public": "ja"}, headers=h)
    assert {e["name"] for e in problem(r)["errors"]} == {"public", "publicContact"}
    r = await client.post(URL, json=new(op, name="Derde", publicNote=BSN), headers=h)
    assert r.status_code == 400
    assert [e["name"] for e in problem(r)["errors"]] == ["publicNote"]


# -- the bands ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("places", "band"),
    [
        (None, None),
        (0, None),
        (1, PlacesBand.under_25),
        (24, PlacesBand.under_25),
        (25, PlacesBand.from_25_to_50),
        (49, PlacesBand.from_25_to_50),
        (50, PlacesBand.from_50_to_100),
        (99, PlacesBand.from_50_to_100),
        (100, PlacesBand.over_100),
        (1500, PlacesBand.over_100),
    ],
)
def test_places_bands_at_their_edges(places: int | None, band: PlacesBand | None) -> None:
    assert places_band(places) == band


# -- GET /public/locations ---------------------------------------------------------------


async def _location(
    db: Database,
    operator: Partner,
    name: str,
    *,
    places: list[tuple[date, int]],
    public: bool = True,
    opened: date,
    closed: date | None = None,
    **extra: Any,
) -> uuid.UUID:
    async with db.sessionmaker() as session, session.begin():
        location = Location(
            name=name,
            address=f"{name}, Heemstede",
            postcode="2101 AA",
            kind=LocationKind.amv_small_scale,
            operator_partner_id=operator.id,
            opened_on=opened,
            closed_on=closed,
            public=public,
            **extra,
        )
        session.add(location)
        await session.flush()
        for valid_from, capacity in places:
            session.add(
                CapacityChange(location_id=location.id, valid_from=valid_from, capacity=capacity)
            )
        return location.id


async def _add(db: Database, *rows: Any) -> None:
    async with db.sessionmaker() as session, session.begin():
        session.add_all(rows)


async def test_public_locations_anonymously(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    on = today()
    op = await build.partner(name="Stichting Buurtwerk")
    owner = await build.user(Role.coordinator, email="eigenaar.geheim@heemstede.example")
    opened = on - timedelta(days=400)
    shown = await _location(
        db,
        op,
        "Dreef",
        places=[(opened, 30), (on - timedelta(days=10), 24)],
        opened=opened,
        available_until=date(on.year + 3, 12, 31),
        public_contact="Wijkcoördinator, 14 023",
        public_note="Wat u kunt verwachten.",
    )
    await _location(db, op, "Verborgen", places=[(opened, 40)], public=False, opened=opened)
    await _location(
        db, op, "Lang dicht", places=[(opened, 40)], opened=opened, closed=on - timedelta(days=370)
    )
    closed = await _location(
        db, op, "Net dicht", places=[(opened, 100)], opened=opened, closed=on - timedelta(days=30)
    )
    coming = await _location(
        db, op, "Komt nog", places=[(on + timedelta(days=60), 50)], opened=on + timedelta(days=60)
    )
    big, small, future = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    await _add(
        db,
        Meeting(
            id=big,
            location_id=shown,
            held_on=on - timedelta(days=100),
            kind=MeetingKind.information_evening,
            residents_present=5,
            summary="Geheime samenvatting",
        ),
        Meeting(
            id=small,
            location_id=shown,
            held_on=on - timedelta(days=50),
            kind=MeetingKind.sounding_board,
            residents_present=4,
            summary="Geheime samenvatting",
        ),
        Meeting(
            id=future,
            location_id=shown,
            held_on=on + timedelta(days=5),
            kind=MeetingKind.neighbourhood_meeting,
            residents_present=0,
            summary="Nog niet",
        ),
    )
    await _add(
        db,
        Agreement(
            location_id=shown,
            description="Verlichting in het park",
            partner_id=op.id,
            due_on=date(on.year, 1, 15),
            status=AgreementStatus.done,
            done_on=date(on.year, 1, 10),
        ),
        Agreement(
            meeting_id=small,  # made at a meeting about the location
            description="Buurtapp opzetten",
            owner_user_id=owner.id,
            status=AgreementStatus.in_progress,
        ),
        *[
            Communication(
                location_id=shown,
                sent_on=on - timedelta(days=i),
                channel=CommunicationChannel.letter,
                audience=CommunicationAudience.street,
                summary=f"Brief {i}",
            )
            for i in range(7)
        ],
    )
    r = await client.get(PUBLIC_URL)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["on"] == on.isoformat()
    items = {i["name"]: i for i in body["items"]}
    assert set(items) == {"Dreef", "Net dicht", "Komt nog"}
    dreef = items["Dreef"]
    assert dreef["id"] == str(shown) and dreef["kind"] == "amv_small_scale"
    assert dreef["placesBand"] == "under_25"  # 24 today, 30 before
    assert dreef["availableUntil"] == f"{on.year + 3}-12-31"
    assert dreef["contact"] == "Wijkcoördinator, 14 023"
    assert dreef["note"] == "Wat u kunt verwachten."
    assert [m["residentsPresent"] for m in dreef["meetings"]] == [
        HIDDEN,
        {"count": 5, "suppressed": False},
    ]
    assert [m["kind"] for m in dreef["meetings"]] == ["sounding_board", "information_evening"]
    assert dreef["agreements"] == [
        {
            "description": "Verlichting in het park",
            "status": "done",
            "dueMonth": f"{on.year}-01",
            "doneOn": f"{on.year}-01-10",
            "partnerName": "Stichting Buurtwerk",
        },
        {
            "description": "Buurtapp opzetten",
            "status": "in_progress",
            "dueMonth": None,
            "doneOn": None,
            "partnerName": None,
        },
    ]
    assert [c["summary"] for c in dreef["communications"]] == [f"Brief {i}" for i in range(5)]
    assert items["Net dicht"]["placesBand"] == "over_100"
    assert items["Net dicht"]["closedOn"] == (on - timedelta(days=30)).isoformat()
    assert items["Komt nog"]["placesBand"] == "from_50_to_100"  # its opening places
    assert items["Komt nog"]["id"] == str(coming) and items["Net dicht"]["id"] == str(closed)
    for secret in ("eigenaar.geheim", "Geheime samenvatting", "Heemstede", "2101", "occupied"):
        assert secret not in r.text
    # A bearer header is no key: the answer is the same.
    r2 = await client.get(PUBLIC_URL, headers=build.headers_for(Role.partner, op))
    assert r2.status_code == 200 and r2.json() == body


async def test_no_public_locations_is_an_empty_list(client: httpx.AsyncClient) -> None:
    r = await client.get(PUBLIC_URL)
    assert r.status_code == 200 and r.json()["items"] == []
    r = await client.get(f"{PUBLIC_URL}?page=x")  # unknown query keys are ignored
    assert r.status_code in (200, 400)


# -- GET /public/candidate-locations -----------------------------------------------------


async def test_public_candidates(client: httpx.AsyncClient, build: Builder, db: Database) -> None:
    on = today()
    shown_id, hidden_id = uuid.uuid4(), uuid.uuid4()
    criterion = HousingCriterion(name=f"Bereikbaarheid {uuid.uuid4().hex[:6]}", weight=3)
    await _add(
        db,
        criterion,
        CandidateLocation(
            id=shown_id,
            name="Oud kantoor Kerklaan",
            address="Kerklaan, Heemstede-Noord",
            proposed_kind=LocationKind.asylum_center,
            proposed_places=25,
            planned_months=60,
            owner="Vastgoed BV Geheim",
            stage=CandidateStage.investigation,
            public=True,
            note="Interne notitie",
        ),
        CandidateLocation(
            id=hidden_id,
            name="Niet publiek",
            proposed_kind=LocationKind.emergency,
            stage=CandidateStage.idea,
            public=False,
        ),
    )
    await _add(
        db,
        CandidateStageChange(
            candidate_id=shown_id,
            stage=CandidateStage.idea,
            changed_on=on - timedelta(days=90),
            note="Notitie bij de fase",
            author_id="someone",
        ),
        CandidateStageChange(
            candidate_id=shown_id,
            stage=CandidateStage.investigation,
            changed_on=on - timedelta(days=30),
        ),
        CandidateScore(
            candidate_id=shown_id, criterion_id=criterion.id, score=2, note="Scorenotitie"
        ),
        Meeting(
            candidate_id=shown_id,
            held_on=on - timedelta(days=20),
            kind=MeetingKind.information_evening,
            residents_present=2,
            summary="Geheime samenvatting",
        ),
        Communication(
            candidate_id=shown_id,
            sent_on=on - timedelta(days=25),
            channel=CommunicationChannel.website,
            audience=CommunicationAudience.municipality,
            summary="Onderzoek gestart",
            link="https://www.heemstede.nl/opvang",
        ),
    )
    r = await client.get(CANDIDATES_URL)
    assert r.status_code == 200, r.text
    [item] = r.json()["items"]
    assert item["id"] == str(shown_id)
    assert item["area"] == "Kerklaan, Heemstede-Noord"
    assert (item["proposedKind"], item["placesBand"], item["plannedMonths"]) == (
        "asylum_center",
        "from_25_to_50",
        60,
    )
    assert item["stage"] == "investigation"
    assert item["history"] == [
        {"stage": "idea", "changedOn": (on - timedelta(days=90)).isoformat()},
        {"stage": "investigation", "changedOn": (on - timedelta(days=30)).isoformat()},
    ]
    assert item["meetings"][0]["residentsPresent"] == HIDDEN
    assert item["communications"][0]["link"] == "https://www.heemstede.nl/opvang"
    for secret in ("Geheim", "notitie", "Notitie", "someone", "score"):
        assert secret not in r.text
