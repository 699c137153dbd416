"""One rulebook, three writers (issue 15): each case of the table -- a rule's edge -- is
written through the API (``POST /placements``), the bulk import (``POST
/imports/placements``) and a partner's events (an intake, and a departure for a stay
that ends), and each writer must accept or refuse it as the table says, with the same
problem type and field (in the writer's own naming of that field).

Two differences are the contract's, not the writers': a partner's intake is a fact,
applied above capacity (with a signal for the coordinators) where staff get the 409;
and an event cannot express a stay's end up front (an intake is open-ended until its
departure), so the cases about an end reason, or an end set before a closing day or a
later stay, are not the events' to answer (``events=SKIP``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import update

from api.db import Database
from api.models import ExternalRef, Group, Participant, PartnerKind, Role, utcnow
from api.partner_events.rules import EVENT_FIELDS
from tests.support import records
from tests.support.builders import Builder
from tests.support.import_files import csv_file
from tests.support.partner_events import departure, intake, post

D = date.fromisoformat
ACCEPT = "accept"
SKIP = "skip"
OPEN_DATES = ("outside-open-dates", "startDate")
CLOSES = ("outside-open-dates", "endDate")
OVERLAP = ("placement-overlap", "startDate")
AGE = ("minor-age", "startDate")
NO_BIRTH = ("minor-age", "participantId")
ANONYMISED = ("participant-anonymised", "participantId")
FULL = ("over-capacity", "startDate")
BAD_END = ("invalid-input", "endDate")
BAD_REASON = ("invalid-input", "endReason")

Outcome = str | tuple[str, str]


@dataclass(frozen=True)
class Case:
    id: str
    start: str
    end: str | None = None
    reason: str | None = None
    expect: Outcome = ACCEPT
    events: Outcome | None = None  # when the events' answer differs (see the docstring)
    opened: str = "2024-01-01"
    closed: str | None = None
    capacity: int = 10
    occupants: int = 0  # other people staying at the location from its opening
    group: Group = Group.asylum_seeker
    born: str | None = "1990-05-17"
    anonymised: bool = False
    # The person's other stays: (here: at this location, else elsewhere), start, end.
    stays: list[tuple[bool, str, str | None]] = field(default_factory=list)

    def reason_or_default(self) -> str | None:
        return self.reason if self.reason is not None or self.end is None else "left"


UAM = Group.unaccompanied_minor
CASES = [
    Case("an open stay", "2024-03-01"),
    Case("a stay with an end", "2024-03-01", "2024-04-01"),
    Case("a one-night stay", "2024-03-01", "2024-03-02"),
    Case("the leap day", "2024-02-29", "2024-03-01"),
    Case("ending on its first day", "2024-03-01", "2024-03-01", expect=BAD_END),
    Case("ending before it starts", "2024-03-01", "2024-02-20", expect=BAD_END),
    Case(
        "an end without a reason",
        "2024-03-01",
        "2024-04-01",
        reason="",
        expect=BAD_REASON,
        events=SKIP,
    ),
    Case("starting the day before opening", "2023-12-31", expect=OPEN_DATES),
    Case("starting on the opening day", "2024-01-01"),
    Case(
        "starting long before a late opening", "2024-03-01", opened="2024-07-14", expect=OPEN_DATES
    ),
    Case("open-ended at a location that closes", "2024-03-01", closed="2024-06-01", expect=CLOSES),
    Case(
        "ending on the closing day",
        "2024-03-01",
        "2024-06-01",
        closed="2024-06-01",
        events=SKIP,
    ),
    Case(
        "ending the day after closing",
        "2024-03-01",
        "2024-06-02",
        closed="2024-06-01",
        expect=CLOSES,
    ),
    Case(
        "starting at a closed location",
        "2024-07-01",
        "2024-07-10",
        closed="2024-06-01",
        expect=CLOSES,
    ),
    Case(
        "the last stay ended the day this begins",
        "2024-04-01",
        stays=[(True, "2024-03-01", "2024-04-01")],
    ),
    Case(
        "the last stay ends the day after this begins",
        "2024-03-31",
        stays=[(True, "2024-03-01", "2024-04-01")],
        expect=OVERLAP,
    ),
    Case(
        "an open stay elsewhere", "2024-05-01", stays=[(False, "2024-03-01", None)], expect=OVERLAP
    ),
    Case(
        "a later stay elsewhere",
        "2024-02-01",
        stays=[(False, "2024-05-01", "2024-06-01")],
        expect=OVERLAP,
    ),
    Case(
        "ending the day a later stay begins",
        "2024-02-01",
        "2024-05-01",
        stays=[(False, "2024-05-01", "2024-06-01")],
        events=SKIP,
    ),
    Case(
        "inside a longer stay",
        "2024-03-10",
        "2024-03-20",
        stays=[(False, "2024-03-01", "2024-04-01")],
        expect=OVERLAP,
    ),
    Case(
        "a stay long ago is no obstacle", "2024-06-01", stays=[(True, "2024-01-01", "2024-02-01")]
    ),
    Case("an anonymised person", "2024-03-01", anonymised=True, expect=ANONYMISED),
    Case(
        "an anonymised person, a stay with an end",
        "2024-03-01",
        "2024-04-01",
        anonymised=True,
        expect=ANONYMISED,
    ),
    Case("a minor", "2024-03-01", group=UAM, born="2010-06-01"),
    Case(
        "a minor turning 18 the day before", "2024-03-02", group=UAM, born="2006-03-01", expect=AGE
    ),
    Case("a minor turning 18 that day", "2024-03-01", group=UAM, born="2006-03-01", expect=AGE),
    Case("a minor turning 18 the day after", "2024-03-01", group=UAM, born="2006-03-02"),
    Case("born on a leap day: the day before 1 March", "2026-02-28", group=UAM, born="2008-02-29"),
    Case("born on a leap day: 1 March", "2026-03-01", group=UAM, born="2008-02-29", expect=AGE),
    Case("a minor without a date of birth", "2024-03-01", group=UAM, born=None, expect=NO_BIRTH),
    Case("an adult asylum seeker", "2024-03-01", group=Group.asylum_seeker, born="1960-01-01"),
    Case(
        "a Ukrainian under 18 (not an unaccompanied minor)",
        "2024-03-01",
        group=Group.ukrainian_displaced,
        born="2012-01-01",
    ),
    Case("capacity exactly full", "2024-03-01", capacity=2, occupants=1),
    Case("one above capacity", "2024-03-01", capacity=1, occupants=1, expect=FULL, events=ACCEPT),
    Case("no places at all", "2024-03-01", capacity=0, expect=FULL, events=ACCEPT),
    Case(
        "full only after the stay ends",
        "2024-02-01",
        "2024-03-01",
        capacity={"2024-01-01": 1, "2024-03-01": 0},  # type: ignore[arg-type]
        events=SKIP,
    ),
]
WRITERS = ("api", "import", "events")


@dataclass
class World:
    person: Participant
    location: Any
    headers: dict[str, str]
    staff: dict[str, str]


async def _world(case: Case, build: Builder, db: Database) -> World:
    coa = await build.partner(kind=PartnerKind.coa)
    nidos = await build.partner(kind=PartnerKind.nidos)
    capacity: Any = case.capacity
    if isinstance(capacity, dict):
        capacity = {D(k): v for k, v in capacity.items()}
    loc = await records.location(
        db,
        coa,
        opened_on=D(case.opened),
        closed_on=D(case.closed) if case.closed else None,
        capacity=capacity,
        external_code="HERE",
    )
    elsewhere = await records.location(db, coa, opened_on=D("2020-01-01"), capacity=100)
    person = await records.participant(
        db,
        group=case.group,
        date_of_birth=D(case.born) if case.born else None,
        guardian=nidos if case.group is UAM else None,
    )
    for here, start, end in case.stays:
        await records.placement(
            db, person, loc if here else elsewhere, start=D(start), end=D(end) if end else None
        )
    for _ in range(case.occupants):
        other = await records.participant(db)
        await records.placement(db, other, loc, start=D(case.opened))
    async with db.sessionmaker() as session, session.begin():
        session.add(ExternalRef(partner_id=coa.id, external_ref="P-1", participant_id=person.id))
        if case.anonymised:
            await session.execute(
                update(Participant)
                .where(Participant.id == person.id)
                .values(anonymised_at=utcnow(), given_name=None, family_name=None)
            )
    headers = build.client_headers(await build.api_client(coa))
    return World(person, loc, headers, build.headers_for(Role.coordinator))


def _slug(problem_type: str | None) -> str:
    return (problem_type or "").removeprefix("urn:opvang:problem:")


async def _by_api(client: httpx.AsyncClient, case: Case, w: World, tmp: Path) -> Outcome:
    body = {
        "participantId": str(w.person.id),
        "locationId": str(w.location.id),
        "startDate": case.start,
        "endDate": case.end,
        "endReason": case.reason_or_default() or None,
    }
    r = await client.post("/api/v1/placements", json=body, headers=w.staff)
    if r.status_code == 201:
        return ACCEPT
    assert r.status_code in (400, 409), r.text
    problem = r.json()
    if r.status_code == 400:
        return _slug(problem["type"]), problem["errors"][0]["name"]
    return _slug(problem["type"]), problem["field"]


async def _by_import(client: httpx.AsyncClient, case: Case, w: World, tmp: Path) -> Outcome:
    header = ["participantId", "locationId", "startDate", "endDate", "endReason"]
    row = [w.person.id, w.location.id, case.start, case.end or "", case.reason_or_default() or ""]
    path = csv_file(tmp / "stays.csv", header, [row])
    r = await client.post(
        "/api/v1/imports/placements",
        files={"file": (path.name, path.read_bytes(), "text/csv")},
        headers=w.staff,
    )
    if r.status_code == 200:
        return ACCEPT
    assert r.status_code == 400, r.text
    first = r.json()["errors"][0]
    return _slug(first["type"]), first["column"]


async def _by_events(client: httpx.AsyncClient, case: Case, w: World, tmp: Path) -> Outcome:
    person = {"givenName": "Olena", "familyName": "Testenko", "group": case.group.value}
    events = [intake("e1", "P-1", case.start, location_id=w.location.id, **person)]
    # The person's own date of birth (or none sent: the builder's default is an adult's).
    events[0]["participant"].pop("dateOfBirth")
    if case.born is not None:
        events[0]["participant"]["dateOfBirth"] = case.born
    if case.end is not None:
        events.append(departure("e2", "P-1", case.end, case.reason_or_default() or "left"))
    r = await post(client, w.headers, events)
    if r.status_code == 200:
        return ACCEPT
    assert r.status_code == 409, r.text
    rejected = [x for x in r.json()["results"] if x["status"] == "rejected"]
    first = rejected[0]["problems"][0]
    name = first["name"].split(".", 1)[1]
    return _slug(first.get("type")), name


RUN = {"api": _by_api, "import": _by_import, "events": _by_events}


def _in_writer_terms(writer: str, expected: Outcome) -> Outcome:
    if writer != "events" or isinstance(expected, str):
        return expected
    problem_type, name = expected
    return problem_type, EVENT_FIELDS.get(name, name)


@pytest.mark.parametrize("writer", WRITERS)
@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
async def test_every_writer_applies_the_same_rule(
    case: Case,
    writer: str,
    client: httpx.AsyncClient,
    build: Builder,
    db: Database,
    tmp_path: Path,
) -> None:
    expected = case.events if writer == "events" and case.events is not None else case.expect
    if expected == SKIP:
        pytest.skip("an event cannot express this stay (see the module's docstring)")
    w = await _world(case, build, db)
    got = await RUN[writer](client, case, w, tmp_path)
    assert got == _in_writer_terms(writer, expected)


def test_the_table_covers_every_rule() -> None:
    outcomes = {c.expect for c in CASES}
    for rule in (OPEN_DATES, CLOSES, OVERLAP, AGE, NO_BIRTH, ANONYMISED, FULL, BAD_END):
        assert rule in outcomes, rule
    assert len(CASES) >= 30
    assert len({c.id for c in CASES}) == len(CASES)
