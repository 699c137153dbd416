"""Partner events: intake, transfer, departure and update pushed by partner systems."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

import httpx
from sqlalchemy import event, func, select

from api.db import Database
from api.models import (
    AppliedPartnerEvent,
    Change,
    ChangeAudience,
    ExternalRef,
    Group,
    Participant,
    ParticipantProgress,
    Partner,
    PartnerKind,
    Placement,
    Role,
    Signal,
)
from api.partner_events.rules import NO_INTAKE
from tests.support import records
from tests.support.builders import Builder, problem
from tests.support.partner_events import (
    URL,
    departure,
    intake,
    post,
    problems,
    statuses,
    transfer,
    update,
)


async def _setup(
    build: Builder, db: Database, **location: Any
) -> tuple[Partner, Any, dict[str, str]]:
    coa = await build.partner(kind=PartnerKind.coa)
    loc = await records.location(db, coa, external_code="AZC-1", **location)
    client = await build.api_client(coa)
    return coa, loc, build.client_headers(client)


async def _count(db: Database, column: Any, *where: Any) -> int:
    async with db.sessionmaker() as session:
        return int(await session.scalar(select(func.count(column)).where(*where)) or 0)


async def _person(db: Database, partner: Partner, ref: str) -> Participant:
    async with db.sessionmaker() as session:
        person = await session.scalar(
            select(Participant)
            .join(ExternalRef, ExternalRef.participant_id == Participant.id)
            .where(ExternalRef.partner_id == partner.id, ExternalRef.external_ref == ref)
        )
        assert person is not None
        return person


async def _stays(db: Database, person: Participant) -> list[Placement]:
    async with db.sessionmaker() as session:
        rows = await session.scalars(
            select(Placement)
            .where(Placement.participant_id == person.id)
            .order_by(Placement.start_date)
        )
        return list(rows)


async def test_intake_creates_the_participant_and_opens_a_stay(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    coa, loc, h = await _setup(build, db)
    r = await post(
        client,
        h,
        [intake("e1", "V123", code="AZC-1", vNumber="V123", languages=["ar"], dutchLevel="A1")],
    )
    assert r.status_code == 200, r.text
    assert r.json() == {"results": [{"eventId": "e1", "status": "applied", "problems": []}]}
    assert r.headers["content-type"] == "application/json" and "api-version" in r.headers
    person = await _person(db, coa, "V123")
    assert (person.given_name, person.family_name, person.group) == (
        "Amina",
        "Testdottir",
        Group.asylum_seeker,
    )
    assert person.v_number == "V123" and person.languages == ["ar"] and person.version == 1
    assert person.reference.startswith("EXT-")
    [stay] = await _stays(db, person)
    assert (stay.location_id, stay.start_date, stay.end_date) == (loc.id, date(2024, 3, 1), None)
    assert (
        await _count(db, ParticipantProgress.id, ParticipantProgress.participant_id == person.id)
        == 1
    )
    assert await _count(db, AppliedPartnerEvent.id, AppliedPartnerEvent.partner_id == coa.id) == 1
    # The change feed holds both records (written without the ORM).
    for entity, entity_id in (("participants", person.id), ("placements", stay.id)):
        assert (
            await _count(
                db, Change.position, Change.entity == entity, Change.entity_id == str(entity_id)
            )
            == 1
        )
    # Each change is visible to the partners whose scope holds the record.
    async with db.sessionmaker() as session:
        audience = set(
            (
                await session.scalars(
                    select(ChangeAudience.partner_id)
                    .join(Change, Change.position == ChangeAudience.position)
                    .where(Change.entity_id.in_([str(person.id), str(stay.id)]))
                )
            ).all()
        )
    assert audience == {coa.id}
    # The partner reads what it wrote through the normal endpoints.
    r = await client.get(f"/api/v1/participants/{person.id}", headers=h)
    assert r.status_code == 200 and "bsn" not in r.json()


async def test_an_event_is_applied_once_ever(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    coa, _loc, h = await _setup(build, db)
    batch = [intake("e1", "V1", code="AZC-1"), departure("e2", "V1", "2024-04-01")]
    r = await post(client, h, batch)
    assert statuses(r) == ["applied", "applied"]
    for extra in ({"Idempotency-Key": "another-key"}, {}):
        r = await post(client, {**h, **extra}, batch)
        assert r.status_code == 200, r.text
        assert statuses(r) == ["duplicate", "duplicate"]
    assert await _count(db, ExternalRef.id, ExternalRef.partner_id == coa.id) == 1
    person = await _person(db, coa, "V1")
    assert len(await _stays(db, person)) == 1
    # Another partner's event ids are its own.
    other = await build.partner(kind=PartnerKind.coa)
    await records.location(db, other, external_code="AZC-1")
    h2 = build.client_headers(await build.api_client(other))
    assert statuses(await post(client, h2, [intake("e1", "V1", code="AZC-1")])) == ["applied"]


async def test_events_apply_in_order_within_a_batch(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    coa, loc, h = await _setup(build, db)
    loc2 = await records.location(db, coa, external_code="AZC-2")
    r = await post(
        client,
        h,
        [
            intake("e1", "V7", "2024-03-01", code="AZC-1"),
            transfer("e2", "V7", "2024-03-10", code="AZC-2"),
            update("e3", "V7", "2024-03-11", givenName="Amira", employmentStatus="volunteering"),
            departure("e4", "V7", "2024-04-01", "returned"),
        ],
    )
    assert r.status_code == 200, r.text
    assert statuses(r) == ["applied"] * 4
    person = await _person(db, coa, "V7")
    first, second = await _stays(db, person)
    assert (first.location_id, first.end_date, first.end_reason) == (
        loc.id,
        date(2024, 3, 10),
        "transfer",
    )
    # A same-day transfer: the departure day of one stay is the first night of the next.
    assert (second.location_id, second.start_date) == (loc2.id, first.end_date)
    assert (second.end_date, second.end_reason) == (date(2024, 4, 1), "returned")
    assert person.given_name == "Amira" and person.employment_status == "volunteering"

    # Across batches: a transfer closes the stored stay (an update of its version).
    await post(client, h, [intake("e5", "V8", "2024-03-01", code="AZC-1")])
    r = await post(client, h, [transfer("e6", "V8", "2024-03-05", location_id=loc2.id)])
    assert statuses(r) == ["applied"], r.text
    first, second = await _stays(db, await _person(db, coa, "V8"))
    assert first.version == 2 and first.end_date == date(2024, 3, 5) == second.start_date
    updated = await _count(
        db, Change.position, Change.entity_id == str(first.id), Change.operation == "update"
    )
    assert updated == 1


async def test_atomic_batch_rejects_as_a_whole(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    coa, _loc, h = await _setup(build, db)
    batch = [intake("e1", "V1", code="AZC-1"), intake("e2", "V2", code="NOPE")]
    r = await post(client, h, batch)
    assert r.status_code == 409
    body = problem(r)
    assert body["type"] == "urn:opvang:problem:partner-events-rejected"
    assert [x["status"] for x in body["results"]] == ["not_applied", "rejected"]
    assert body["results"][1]["problems"][0]["name"] == "events[1].locationCode"
    assert await _count(db, ExternalRef.id, ExternalRef.partner_id == coa.id) == 0
    assert await _count(db, AppliedPartnerEvent.id, AppliedPartnerEvent.partner_id == coa.id) == 0

    r = await post(client, {**h, "Idempotency-Key": "k2"}, batch, atomic=False)
    assert r.status_code == 200, r.text
    assert statuses(r) == ["applied", "rejected"]
    assert await _count(db, ExternalRef.id, ExternalRef.partner_id == coa.id) == 1
    # The rejected one was not recorded: fixed and resent, it applies.
    r = await post(client, h, [intake("e1", "V1", code="AZC-1"), intake("e2", "V2", code="AZC-1")])
    assert statuses(r) == ["duplicate", "applied"]


async def test_out_of_order_events_wait_for_their_intake(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    coa, _loc, h = await _setup(build, db)
    early = [update("u1", "V9", givenName="Mo"), departure("d1", "V9", "2024-05-01")]
    r = await post(client, h, early, atomic=False)
    assert statuses(r) == ["rejected", "rejected"]
    for i in (0, 1):
        assert problems(r, i) == {f"events[{i}].participant.externalRef": NO_INTAKE}
    assert statuses(await post(client, h, [intake("i1", "V9", code="AZC-1")])) == ["applied"]
    r = await post(client, h, early)
    assert r.status_code == 200 and statuses(r) == ["applied", "applied"]
    person = await _person(db, coa, "V9")
    assert person.given_name == "Mo"
    [stay] = await _stays(db, person)
    assert (stay.end_date, stay.end_reason) == (date(2024, 5, 1), "housing")


async def test_each_bad_event_is_answered_on_its_own(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    _coa, _loc, h = await _setup(build, db)
    other = await build.partner()
    foreign = await records.location(db, other, external_code="AZC-1")
    # Well-formed events that break a rule: with atomic=false each is rejected on its
    # own and the valid one is applied.
    events: list[Any] = [
        intake("x1", "V1", code="AZC-1"),
        intake("x1", "V2", code="AZC-1"),
        intake("x3", "V3", location_id=foreign.id),
        intake("x4", "V4", code="AZC-1", location_id=foreign.id),
        departure("x5", "V9", "2024-03-05"),
        update("x6", "V1", dateOfBirth="2999-01-01"),
    ]
    r = await post(client, h, events, atomic=False)
    assert r.status_code == 200, r.text
    assert statuses(r) == ["applied"] + ["rejected"] * 5
    assert "earlier in the batch" in problems(r, 1)["events[1].eventId"]
    assert "None of the locations you operate" in problems(r, 2)["events[2].locationId"]
    assert problems(r, 3).keys() == {"events[3].locationId"}
    assert problems(r, 4) == {"events[4].participant.externalRef": NO_INTAKE}
    assert "future" in problems(r, 5)["events[5].participant.dateOfBirth"]
    # Nothing leaks about the foreign location, and nothing landed there.
    assert await _count(db, Placement.id, Placement.location_id == foreign.id) == 0


async def test_identifiers_are_trimmed_after_their_length_is_checked(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    """The schema says at most 100 characters and not blank: a 101-character eventId
    ending in a space and a blank one are malformed, not trimmed into shape."""
    _coa, _loc, h = await _setup(build, db)
    bad = [intake("a" * 100 + " ", "V1", code="AZC-1"), intake("   ", "V2", code="AZC-1")]
    r = await post(client, h, bad, atomic=False)
    assert r.status_code == 400, r.text
    assert statuses(r) == ["rejected", "rejected"]
    assert problems(r, 0).keys() == {"events[0].eventId"}
    assert "blank" in problems(r, 1)["events[1].eventId"]
    r = await post(client, h, [intake(" ok-1 ", " V1 ", code=" AZC-1 ")], atomic=False)
    assert statuses(r) == ["applied"], r.text
    r = await post(client, h, [intake("ok-1", "V1", code="AZC-1")], atomic=False)
    assert statuses(r) == ["duplicate"], r.text


async def test_a_malformed_event_refuses_the_batch_also_when_not_atomic(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    """An event that breaks the published schema is a broken request, not a rule: a 400
    with every problem per event, nothing applied, whatever ``atomic`` says."""
    coa, _loc, h = await _setup(build, db)
    events: list[Any] = [
        {"eventId": "x1", "type": "arrival", "occurredOn": "2024-03-01"},
        {"type": "intake", "occurredOn": "2024-03-01", "locationCode": "AZC-1"},
        intake("x3", "V3", code="AZC-1"),
        intake("x3", "V4", code="AZC-1"),
        intake("x5", "V5", code="AZC-1", location_id=uuid.uuid4()),
        42,
        {**intake("x7", "V7", "2024-02-30", code="AZC-1"), "colour": "red"},
        departure("x8", "V3", "2024-03-05", reason="vanished"),
        intake("x9", "V9", code="AZC-1", nationality="dutch", bsn="111222333"),
        {"eventId": "x10", "type": "transfer", "occurredOn": "2024-03-01", "participant": {}},
        {**update("x11", "V3"), "eventId": None},
    ]
    for atomic in (False, True):
        r = await post(client, h, events, atomic=atomic)
        assert r.status_code == (409 if atomic else 400), r.text
        body = problem(r)
        assert body["type"] == "urn:opvang:problem:partner-events-" + (
            "rejected" if atomic else "malformed"
        )
        assert statuses(r) == ["rejected"] * 2 + ["not_applied"] + ["rejected"] * 8
        assert "Unknown event type 'arrival'" in problems(r, 0)["events[0].type"]
        assert {"events[1].eventId", "events[1].participant"} <= problems(r, 1).keys()
        assert "earlier in the batch" in problems(r, 3)["events[3].eventId"]
        assert problems(r, 4).keys() == {"events[4].locationId"}
        assert problems(r, 5) == {"events[5]": "Must be an object."}
        assert problems(r, 6).keys() == {"events[6].occurredOn", "events[6].colour"}
        assert problems(r, 7).keys() == {"events[7].endReason"}
        assert problems(r, 8).keys() == {
            "events[8].participant.nationality",
            "events[8].participant.bsn",
        }
        assert problems(r, 9).keys() == {
            "events[9].participant.externalRef",
            "events[9].locationId",
        }
        assert problems(r, 10).keys() == {"events[10].eventId"}
        assert body["results"][1]["eventId"] is None
        if not atomic:  # the 400 lists every problem in `errors` too
            assert len(body["errors"]) == sum(len(x["problems"]) for x in body["results"])
        assert await _count(db, ExternalRef.id, ExternalRef.partner_id == coa.id) == 0
        assert await _count(db, AppliedPartnerEvent.id) == 0


async def test_no_input_gives_a_500(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    _coa, _loc, h = await _setup(build, db)
    bodies: list[Any] = [
        None,
        [],
        {"events": []},
        {"events": "intake"},
        {"events": [None, [], "x", {"type": None}, {"type": ["intake"]}]},
        {"events": [{"eventId": 7, "type": "update", "occurredOn": 1, "participant": "V1"}]},
        {"events": [intake("e" * 101, "V" * 65, "9999-99-99", code="")]},
        {"events": [update("u", "V1", group=None, languages=None)]},
        {"events": [{"eventId": "z", "type": "intake", "participant": {"externalRef": "V"}}]},
        {"events": [intake("big", "V1", code="AZC-1", languages=["xx"] * 50)]},
    ]
    for body in bodies:
        r = await client.post(f"{URL}?atomic=false", json=body, headers=h)
        assert r.status_code in (200, 400), (body, r.status_code, r.text)
    r = await client.post(f"{URL}?atomic=maybe", json={"events": []}, headers=h)
    assert r.status_code == 400
    r = await client.post(
        URL, content=b"{not json", headers={**h, "Content-Type": "application/json"}
    )
    assert r.status_code == 400
    r = await post(client, h, [intake(f"e{i}", f"V{i}", code="AZC-1") for i in range(1001)])
    assert r.status_code == 400
    assert problem(r)["errors"][0]["name"] == "events"


async def test_roles(client: httpx.AsyncClient, build: Builder, db: Database) -> None:
    coa, _loc, _h = await _setup(build, db)
    batch = {"events": [intake("e1", "V1", code="AZC-1")]}
    assert (await client.post(URL, json=batch)).status_code == 401
    for role in (Role.admin, Role.coordinator, Role.finance, Role.viewer):
        r = await client.post(URL, json=batch, headers=build.headers_for(role))
        assert r.status_code == 403
        problem(r)
    user = build.headers_for(Role.partner, coa)  # a partner's own staff may post too
    r = await client.post(URL, json=batch, headers=user)
    assert r.status_code == 200 and statuses(r) == ["applied"]


async def test_placement_rules_apply(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    coa, loc, h = await _setup(build, db, opened_on=date(2024, 2, 1))
    await records.location(db, coa, external_code="OLD", closed_on=date(2024, 6, 1))
    await post(client, h, [intake("e1", "V1", "2024-03-01", code="AZC-1")])
    r = await post(
        client,
        h,
        [
            intake("e2", "V1", "2024-04-01", code="AZC-1"),  # overlaps the open stay
            intake("e3", "V3", "2024-01-15", code="AZC-1"),  # before the location opens
            intake("e4", "V4", "2024-03-01", code="OLD"),  # open-ended at a closing location
            transfer("e5", "V1", "2024-03-01", code="OLD"),  # not after the stay's start
            transfer("e6", "V1", "2024-03-05", code="AZC-1"),  # to where the person is
            departure("e7", "V1", "2024-02-20"),
        ],
        atomic=False,
    )
    assert statuses(r) == ["rejected"] * 6
    assert "already has stay" in problems(r, 0)["events[0].occurredOn"]
    assert "opens on 2024-02-01" in problems(r, 1)["events[1].occurredOn"]
    assert "closes on 2024-06-01" in problems(r, 2)["events[2].occurredOn"]
    # The current stay ends on occurredOn: after its first day, as any stay's end.
    assert "Must be after startDate" in problems(r, 3)["events[3].occurredOn"]
    assert "already stays at this location" in problems(r, 4)["events[4].locationCode"]
    assert "events[5].occurredOn" in problems(r, 5)
    # A person without an open stay has nothing to end; an anonymised one is frozen.
    await post(client, h, [departure("e8", "V1", "2024-04-01")])
    r = await post(client, h, [departure("e9", "V1", "2024-05-01")])
    assert "no open stay" in problems(r, 0)["events[0].participant.externalRef"]
    person = await _person(db, coa, "V1")
    admin = build.headers_for(Role.admin)
    r = await client.delete(
        f"/api/v1/participants/{person.id}", headers={**admin, "If-Match": f'"{person.version}"'}
    )
    assert r.status_code == 204, r.text
    # Anonymising forgets the partner's reference: the person is unknown under it now.
    r = await post(client, h, [update("e11", "V1", givenName="X")])
    assert problems(r, 0) == {"events[0].participant.externalRef": NO_INTAKE}
    assert await _count(db, Placement.id, Placement.location_id == loc.id) == 1
    # A new intake under the same reference is a new person, never linked to the old one.
    r = await post(client, h, [intake("e10", "V1", "2024-06-01", code="AZC-1")])
    assert statuses(r) == ["applied"]
    assert (await _person(db, coa, "V1")).id != person.id


async def test_capacity_overrun_is_applied_and_signalled(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    coa, loc, h = await _setup(build, db, capacity=2, name=f"Dreef {uuid.uuid4().hex[:6]}")
    r = await post(
        client, h, [intake(f"e{i}", f"V{i}", "2024-03-01", code="AZC-1") for i in range(3)]
    )
    assert r.status_code == 200 and statuses(r) == ["applied"] * 3
    assert await _count(db, Placement.id, Placement.location_id == loc.id) == 3
    async with db.sessionmaker() as session:
        [signal] = (await session.scalars(select(Signal).where(Signal.location_id == loc.id))).all()
    assert (signal.category, signal.severity, signal.source, signal.status) == (
        "capacity",
        "high",
        "partner",
        "open",
    )
    assert loc.name in signal.summary and "3 people for 2 places" in signal.summary
    assert "Amina" not in signal.summary and "Testdottir" not in signal.summary
    assert signal.due_at == signal.reported_at + timedelta(days=7)  # high: due in 7 days
    # A capacity that drops later counts too: the first night over is named.
    shrinking = await records.location(
        db, coa, external_code="SHRINK", capacity={date(2024, 1, 1): 5, date(2024, 6, 1): 1}
    )
    r = await post(
        client, h, [intake(f"s{i}", f"S{i}", "2024-03-01", code="SHRINK") for i in range(2)]
    )
    assert statuses(r) == ["applied", "applied"]
    async with db.sessionmaker() as session:
        summary = await session.scalar(
            select(Signal.summary).where(Signal.location_id == shrinking.id)
        )
    assert summary is not None and "2 people for 1 places on 2024-06-01" in summary
    # Within capacity: no signal.
    roomy = await records.location(db, coa, external_code="ROOMY", capacity=5)
    await post(client, h, [intake("e9", "V9", code="ROOMY")])
    assert await _count(db, Signal.id, Signal.location_id == roomy.id) == 0


async def test_minors_and_their_guardian(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    coa, loc, h = await _setup(build, db, capacity=20)
    other_loc = await records.location(db, coa, external_code="AMV-2")
    nidos = await build.partner(kind=PartnerKind.nidos)
    hn = build.client_headers(await build.api_client(nidos))
    minor = {"group": "unaccompanied_minor", "dateOfBirth": "2009-06-01"}
    r = await post(
        client,
        h,
        [
            intake("m1", "V1", code="AZC-1", **minor),  # no guardian
            intake(
                "m2",
                "V2",
                code="AZC-1",
                group="unaccompanied_minor",
                dateOfBirth=None,
                guardianPartnerId=str(nidos.id),
            ),
            intake(
                "m3", "V3", "2027-06-01", code="AZC-1", guardianPartnerId=str(nidos.id), **minor
            ),
            intake("m4", "V4", code="AZC-1", guardianPartnerId=str(uuid.uuid4()), **minor),
            intake("m5", "V5", code="AZC-1", guardianPartnerId=str(nidos.id), **minor),
        ],
        atomic=False,
    )
    assert statuses(r) == ["rejected", "rejected", "rejected", "rejected", "applied"], r.text
    assert "requires a guardian" in problems(r, 0)["events[0].participant.guardianPartnerId"]
    assert "date of birth" in problems(r, 1)["events[1].participant.dateOfBirth"]
    assert "under 18" in problems(r, 2)["events[2].occurredOn"]  # the stay's first night
    # An id no partner has reads as a partner of another kind: nothing leaks.
    assert "guardianship organisation" in problems(r, 3)["events[3].participant.guardianPartnerId"]
    # A guardian reads its wards; it does not place them, not even at a location by id...
    ward = intake("n1", "N-1", location_id=loc.id, guardianPartnerId=str(nidos.id), **minor)
    r = await post(
        client,
        hn,
        [
            ward,
            intake("n3", "N-3", location_id=loc.id),
            intake("n4", "N-4", location_id=loc.id, guardianPartnerId=str(coa.id), **minor),
            intake("n5", "N-5", code="AZC-1", guardianPartnerId=str(nidos.id), **minor),
        ],
        atomic=False,
    )
    assert statuses(r) == ["rejected"] * 4
    assert problems(r, 0).keys() == {"events[0].locationId"}
    assert problems(r, 3).keys() == {"events[3].locationCode"}
    # ...nor moves them from where the COA placed them (it has no reference of its own).
    r = await post(client, hn, [transfer("n6", "N-1", "2024-04-01", location_id=other_loc.id)])
    assert statuses(r) == ["rejected"]
    person = await _person(db, coa, "V5")
    assert person.guardian_partner_id == nidos.id
    assert [s.location_id for s in await _stays(db, person)] == [loc.id]
    async with db.sessionmaker() as session:
        audience = (
            await session.scalars(
                select(ChangeAudience.partner_id)
                .join(Change, Change.position == ChangeAudience.position)
                .where(Change.entity_id == str(person.id), Change.operation == "create")
            )
        ).all()
    assert sorted(map(str, audience)) == sorted([str(coa.id), str(nidos.id)])


async def test_update_rules(client: httpx.AsyncClient, build: Builder, db: Database) -> None:
    coa, _loc, h = await _setup(build, db)
    await records.participant(db, v_number="VTAKEN1")
    await post(client, h, [intake("e1", "V1", code="AZC-1")])
    r = await post(
        client,
        h,
        [
            update("u1", "V1", vNumber="VTAKEN1"),
            update("u2", "V1", group=None),
            update("u3", "V1", group="unaccompanied_minor"),
            update("u4", "V1", nationality=None, householdRef="H-1", dutchLevel="B1"),
            update("u5", "V1", dateOfBirth="2999-01-01"),
        ],
        atomic=False,
    )
    assert statuses(r) == ["rejected", "rejected", "rejected", "applied", "rejected"], r.text
    assert "future" in problems(r, 4)["events[4].participant.dateOfBirth"]
    assert problems(r, 0).keys() == {"events[0].participant.vNumber"}
    assert problems(r, 1) == {"events[1].participant.group": "This field cannot be cleared."}
    # The group decides whose world a person is in: not a partner event's to change.
    assert problems(r, 2).keys() == {"events[2].participant.group"}
    person = await _person(db, coa, "V1")
    assert (person.household_ref, person.dutch_level, person.version) == ("H-1", "B1", 2)
    async with db.sessionmaker() as session:
        level = await session.scalar(
            select(ParticipantProgress.valid_from).where(
                ParticipantProgress.participant_id == person.id
            )
        )
    assert level == date(2024, 4, 1)


async def test_a_batch_costs_a_fixed_number_of_statements(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    coa, _loc, h = await _setup(build, db, capacity=1000)
    await records.location(db, coa, external_code="AZC-2", capacity=1000)

    async def statements(events: list[Any]) -> int:
        seen: list[str] = []

        def count(*args: Any) -> None:
            seen.append(str(args[2]))

        event.listen(db.engine.sync_engine, "before_cursor_execute", count)
        try:
            r = await post(client, h, events)
        finally:
            event.remove(db.engine.sync_engine, "before_cursor_execute", count)
        assert r.status_code == 200, r.text
        return len(seen)

    def batch(prefix: str, n: int) -> list[Any]:
        return [
            e
            for i in range(n)
            for e in (
                intake(
                    f"{prefix}i{i}", f"{prefix}{i}", "2024-03-01", code="AZC-1", dutchLevel="A2"
                ),
                transfer(f"{prefix}t{i}", f"{prefix}{i}", "2024-03-10", code="AZC-2"),
            )
        ]

    # The first request of a caller also reads its token generation: not counted here.
    assert (await client.get("/api/v1/partners", headers=h)).status_code == 200
    small = await statements(batch("a", 2))
    large = await statements(batch("b", 50))
    assert large == small, (small, large)


async def test_anonymising_forgets_the_partners_reference(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    """The COA's reference is the V-number: it goes with the rest of the identity; a
    later event under it finds no intake, the stay itself is kept."""
    coa, _loc, h = await _setup(build, db)
    assert statuses(await post(client, h, [intake("i1", "V77", code="AZC-1")])) == ["applied"]
    person = await _person(db, coa, "V77")
    r = await client.delete(
        f"/api/v1/participants/{person.id}", headers=build.headers_for(Role.admin)
    )
    assert r.status_code == 204
    assert await _count(db, ExternalRef.id, ExternalRef.participant_id == person.id) == 0
    assert await _count(db, Placement.id, Placement.participant_id == person.id) == 1
    r = await post(client, h, [departure("d1", "V77", "2024-05-01")])
    assert r.status_code == 409
    assert problems(r, 0) == {"events[0].participant.externalRef": NO_INTAKE}
