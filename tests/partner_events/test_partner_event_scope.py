"""Security: a partner's events stay in its own world (issue 14, item 1 and item 6).

Each attack found against a running copy, replayed as that partner: refused, and nothing
written (atomic by default, and per event with ``?atomic=false``).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from api.common.calendar import today
from api.db import Database
from api.models import (
    AppliedPartnerEvent,
    ExternalRef,
    Group,
    LocationKind,
    Participant,
    PartnerKind,
    Placement,
    Role,
)
from tests.support import records
from tests.support.builders import Builder
from tests.support.partner_events import departure, intake, post, problems, statuses, update

MINOR = {"group": "unaccompanied_minor", "dateOfBirth": "2010-06-01"}


class World:
    def __init__(self, build: Builder, db: Database) -> None:
        self.build, self.db = build, db

    async def make(self) -> World:
        build, db = self.build, self.db
        self.municipality = await build.partner(kind=PartnerKind.municipality)
        self.coa = await build.partner(kind=PartnerKind.coa)
        self.nidos = await build.partner(kind=PartnerKind.nidos)
        self.club = await build.partner(kind=PartnerKind.sports_club)
        self.amv = await records.location(
            db, self.coa, kind=LocationKind.amv_small_scale, external_code="AMV-1", capacity=16
        )
        self.goo = await records.location(db, self.municipality, external_code="GOO-1")
        self.host = await records.location(
            db, self.municipality, kind=LocationKind.private_hosting, capacity=2
        )
        self.h_coa = build.client_headers(await build.api_client(self.coa))
        self.h_nidos = build.client_headers(await build.api_client(self.nidos))
        self.h_club = build.client_headers(await build.api_client(self.club))
        return self

    async def counts(self) -> tuple[int, ...]:
        found = []
        async with self.db.sessionmaker() as session:
            for model in (Participant, Placement, ExternalRef, AppliedPartnerEvent):
                query = select(func.count()).select_from(model)
                found.append(int(await session.scalar(query) or 0))
        return tuple(found)


@pytest.fixture
async def world(build: Builder, db: Database) -> World:
    return await World(build, db).make()


async def _refused_and_nothing_written(
    client: httpx.AsyncClient, world: World, headers: dict[str, str], events: list[Any]
) -> list[dict[str, str]]:
    """Refused atomically (409, nothing written) and per event with atomic=false (every
    event rejected, nothing written): the problems of each event."""
    before = await world.counts()
    r = await post(client, headers, events)
    assert r.status_code == 409, r.text
    assert await world.counts() == before
    r = await post(client, headers, events, atomic=False)
    assert r.status_code == 200, r.text
    assert set(statuses(r)) == {"rejected"}, r.text
    assert await world.counts() == before
    return [problems(r, i) for i in range(len(events))]


async def test_a_partner_cannot_make_itself_guardian_to_place_anywhere(
    client: httpx.AsyncClient, world: World
) -> None:
    """A sports club took in invented minors 'guarded' by itself at COA's AMV location, a
    municipal location and a host family."""
    club = str(world.club.id)
    events = [
        intake("a1", "X1", location_id=world.amv.id, guardianPartnerId=club, **MINOR),
        intake("a2", "X2", location_id=world.goo.id, guardianPartnerId=club, **MINOR),
        intake("a3", "X3", location_id=world.host.id, guardianPartnerId=club, **MINOR),
    ]
    found = await _refused_and_nothing_written(client, world, world.h_club, events)
    for i, got in enumerate(found):
        assert f"events[{i}].locationId" in got
        assert "guardianship organisation" in got[f"events[{i}].participant.guardianPartnerId"]


async def test_five_intakes_do_not_overfill_a_host_family(
    client: httpx.AsyncClient, world: World
) -> None:
    coa = str(world.coa.id)
    events = [
        intake(f"h{i}", f"H{i}", location_id=world.host.id, guardianPartnerId=coa, **MINOR)
        for i in range(5)
    ]
    await _refused_and_nothing_written(client, world, world.h_coa, events)


async def test_only_a_guardianship_organisation_is_named_guardian_and_only_of_a_minor(
    client: httpx.AsyncClient, world: World
) -> None:
    coa, nidos = str(world.coa.id), str(world.nidos.id)
    found = await _refused_and_nothing_written(
        client,
        world,
        world.h_coa,
        [
            intake("g1", "G1", code="AMV-1", guardianPartnerId=coa, **MINOR),  # itself
            intake("g2", "G2", code="AMV-1", guardianPartnerId=nidos),  # an adult
        ],
    )
    assert "guardianship organisation" in found[0]["events[0].participant.guardianPartnerId"]
    assert "Only an unaccompanied minor" in found[1]["events[1].participant.guardianPartnerId"]
    # The COA's intake of an unaccompanied minor names Nidos: applied, and Nidos reads it.
    r = await post(
        client, world.h_coa, [intake("g3", "G3", code="AMV-1", guardianPartnerId=nidos, **MINOR)]
    )
    assert statuses(r) == ["applied"], r.text
    async with world.db.sessionmaker() as session:
        ward = await session.scalar(select(Participant).where(Participant.v_number.is_(None)))
    assert ward is not None and ward.guardian_partner_id == world.nidos.id
    r = await client.get(f"/api/v1/participants/{ward.id}", headers=world.h_nidos)
    assert r.status_code == 200


async def test_no_event_changes_a_guardian_or_a_group_after_the_intake(
    client: httpx.AsyncClient, world: World
) -> None:
    """The COA took guardianship of a minor away from Nidos with an update (Nidos then got
    404 on its ward), and changed a group to raise a claim."""
    nidos = str(world.nidos.id)
    r = await post(
        client, world.h_coa, [intake("w1", "W1", code="AMV-1", guardianPartnerId=nidos, **MINOR)]
    )
    assert statuses(r) == ["applied"]
    found = await _refused_and_nothing_written(
        client,
        world,
        world.h_coa,
        [
            update("w2", "W1", guardianPartnerId=str(world.coa.id)),
            update("w3", "W1", guardianPartnerId=None),
            update("w4", "W1", group="asylum_seeker"),
            intake("w5", "W1", "2024-05-01", code="AMV-1", guardianPartnerId=str(world.coa.id)),
        ],
    )
    assert "events[0].participant.guardianPartnerId" in found[0]
    assert "events[1].participant.guardianPartnerId" in found[1]
    assert "events[2].participant.group" in found[2]
    assert "events[3].participant.guardianPartnerId" in found[3]
    async with world.db.sessionmaker() as session:
        ward = await session.scalar(
            select(Participant)
            .join(ExternalRef, ExternalRef.participant_id == Participant.id)
            .where(ExternalRef.external_ref == "W1")
        )
    assert ward is not None
    assert (ward.guardian_partner_id, ward.group) == (world.nidos.id, Group.unaccompanied_minor)
    r = await client.get(f"/api/v1/participants/{ward.id}", headers=world.h_nidos)
    assert r.status_code == 200
    # Sending what is already there changes nothing and is fine (full-record senders).
    r = await post(client, world.h_coa, [update("w6", "W1", guardianPartnerId=nidos, **MINOR)])
    assert statuses(r) == ["applied"], r.text


async def test_an_operator_does_not_end_or_move_a_stay_elsewhere(
    client: httpx.AsyncClient, world: World, db: Database
) -> None:
    """With guardianship of an adult, the COA ended a municipal stay: now no guardian can be
    set that way, and a stay at another partner's location is not the COA's to end."""
    r = await post(client, world.h_coa, [intake("m1", "M1", code="AMV-1")])
    assert statuses(r) == ["applied"]
    async with db.sessionmaker() as session, session.begin():
        person = await session.scalar(
            select(Participant)
            .join(ExternalRef, ExternalRef.participant_id == Participant.id)
            .where(ExternalRef.external_ref == "M1")
        )
        assert person is not None
        stay = await session.scalar(select(Placement).where(Placement.participant_id == person.id))
        assert stay is not None
        # Staff move the person to a municipal location.
        stay.end_date = date(2024, 4, 1)
        session.add(
            Placement(
                participant_id=person.id, location_id=world.goo.id, start_date=date(2024, 4, 1)
            )
        )
    found = await _refused_and_nothing_written(
        client,
        world,
        world.h_coa,
        [
            departure("m2", "M1", "2024-06-01"),
            update("m3", "M1", guardianPartnerId=str(world.coa.id)),
        ],
    )
    assert "at a location you do not operate" in found[0]["events[0].participant.externalRef"]


async def test_a_guardian_reads_its_wards_but_does_not_place_them(
    client: httpx.AsyncClient, world: World
) -> None:
    nidos = str(world.nidos.id)
    found = await _refused_and_nothing_written(
        client,
        world,
        world.h_nidos,
        [intake("n1", "N1", location_id=world.amv.id, guardianPartnerId=nidos, **MINOR)],
    )
    assert found[0].keys() == {"events[0].locationId"}


async def test_an_update_reaches_only_people_in_the_partners_world(
    client: httpx.AsyncClient, world: World, db: Database
) -> None:
    """A person whose stay at the partner's location ended longer ago than the visibility
    window is no longer the partner's to edit."""
    long_ago = (today() - timedelta(days=400)).isoformat()
    ended = (today() - timedelta(days=200)).isoformat()
    recent = (today() - timedelta(days=10)).isoformat()
    r = await post(
        client,
        world.h_coa,
        [
            intake("o1", "OLD", long_ago, code="AMV-1"),
            departure("o2", "OLD", ended),
            intake("o3", "NEW", long_ago, code="AMV-1"),
            departure("o4", "NEW", recent),
        ],
    )
    assert statuses(r) == ["applied"] * 4, r.text
    found = await _refused_and_nothing_written(
        client, world, world.h_coa, [update("o5", "OLD", givenName="Changed")]
    )
    assert "no longer in your care" in found[0]["events[0].participant.externalRef"]
    r = await post(client, world.h_coa, [update("o6", "NEW", givenName="Changed")])
    assert statuses(r) == ["applied"], r.text


async def test_identifiers_out_of_scope_answer_as_unknown(
    client: httpx.AsyncClient, world: World, db: Database, build: Builder
) -> None:
    """No V-number existence oracle, no 'partner id does not exist', no other location's
    opening date: the answers for an identifier out of the caller's scope equal those for
    one that does not exist."""
    await records.participant(db, v_number="VHIDDEN1", group=Group.asylum_seeker)
    late = await records.location(db, world.municipality, opened_on=date(2025, 7, 14))

    async def answer(v_number: str, guardian: Any, location: Any) -> dict[str, str]:
        r = await post(
            client,
            world.h_club,
            [intake("x", "X", location_id=location, vNumber=v_number, guardianPartnerId=guardian)],
            atomic=False,
        )
        return problems(r, 0)

    nobody = "00000000-0000-4000-8000-000000000000"
    hidden = await answer("VHIDDEN1", str(world.coa.id), late.id)
    unknown = await answer("VNOBODY1", nobody, "10000000-0000-4000-8000-000000000000")
    assert hidden == unknown
    assert "2025-07-14" not in " ".join(hidden.values())
    assert "events[0].participant.vNumber" not in hidden
    # The staff API says the same for a guardian id that exists and one that does not.
    staff = build.headers_for(Role.coordinator)
    answers = []
    for guardian in (str(world.club.id), "00000000-0000-4000-8000-000000000000"):
        r = await client.post(
            "/api/v1/participants",
            json={
                "reference": f"G-{guardian[:4]}",
                "givenName": "Test",
                "familyName": "Persoon",
                "guardianPartnerId": guardian,
                **MINOR,
            },
            headers=staff,
        )
        assert r.status_code == 400, r.text
        answers.append(r.json()["errors"])
    assert answers[0] == answers[1]
    assert "guardianship organisation" in answers[0][0]["detail"]


async def test_staff_name_a_guardianship_organisation_for_a_minor_only(
    client: httpx.AsyncClient, world: World, build: Builder
) -> None:
    staff = build.headers_for(Role.coordinator)
    base = {"givenName": "Test", "familyName": "Persoon"}
    r = await client.post(
        "/api/v1/participants",
        json={
            **base,
            "reference": "S-1",
            "group": "asylum_seeker",
            "guardianPartnerId": str(world.nidos.id),
        },
        headers=staff,
    )
    assert r.status_code == 400 and r.json()["errors"][0]["name"] == "guardianPartnerId"
    r = await client.post(
        "/api/v1/participants",
        json={**base, "reference": "S-2", "guardianPartnerId": str(world.nidos.id), **MINOR},
        headers=staff,
    )
    assert r.status_code == 201, r.text
