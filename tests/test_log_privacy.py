"""No BSN, V-number, name or date of birth in any log line: realistic traffic about
participants (create, read, list, search by BSN and V-number, change, refused input,
duplicates, subject access, anonymise, partner events) with every logger captured at
DEBUG, the app's own JSON logs included.

The database drivers' statement echo (``sqlalchemy.engine``, ``aiosqlite``, ``asyncpg``)
logs bound parameters by design; it is a developer's switch the app never turns on (the
engine is built without ``echo`` and the root logger stays at WARNING), so those loggers
keep their production level here, as does ``httpx``: here that is the test's own client,
whose request lines carry the query string (the server's access log never does).
Everything else, uvicorn and the rest of SQLAlchemy included, is captured at DEBUG.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from api.config import Settings
from api.db import Database
from api.main import create_app
from api.models import PartnerKind, Role
from tests.support import records, subjects
from tests.support.builders import Builder
from tests.support.partner_events import URL as EVENTS
from tests.support.partner_events import intake, update
from tests.support.privacy import LogCapture, forms, leaks

BSN, BSN_2, BAD_BSN = "204958337", "316243905", "204958338"
V_NUMBER, V_NUMBER_2 = "V8812734650", "V8812734651"
GIVEN, FAMILY = "Zhannalogga", "Kovalogenko"
GIVEN_2, FAMILY_2 = "Bohdanlogga", "Petrologenko"
BORN, BORN_2 = "1983-11-27", "2011-02-09"
EXT_REF = "V8812730000"
# The statement echo of the drivers, and this test's own HTTP client (its request line
# carries the query string the server never logs).
QUIET = ("sqlalchemy.engine", "aiosqlite", "asyncpg", "httpx", "httpcore")
WATCHED = ("", "opvang", "uvicorn", "uvicorn.error", "uvicorn.access", "sqlalchemy")


@pytest.fixture
def capture() -> Iterator[LogCapture]:
    handler = LogCapture()
    saved = {
        name: (logging.getLogger(name).level, logging.getLogger(name).handlers[:])
        for name in {*WATCHED, *QUIET}
    }
    for name in WATCHED:
        logger = logging.getLogger(name)
        logger.addHandler(handler)
        logger.setLevel(logging.DEBUG)
    for name in QUIET:
        logging.getLogger(name).setLevel(logging.WARNING)
    try:
        yield handler
    finally:
        for name, (level, handlers) in saved.items():
            logger = logging.getLogger(name)
            logger.setLevel(level)
            logger.handlers[:] = handlers


def person(**extra: Any) -> dict[str, Any]:
    return {
        "reference": f"HS-{uuid.uuid4().hex[:8]}",
        "givenName": GIVEN,
        "familyName": FAMILY,
        "dateOfBirth": BORN,
        "nationality": "UKR",
        "group": "ukrainian_displaced",
        "languages": ["uk"],
        **extra,
    }


async def test_no_personal_data_in_any_log_line(
    settings: Settings, db: Database, build: Builder, capture: LogCapture
) -> None:
    app = create_app(settings.model_copy(update={"log_level": "DEBUG"}), db)
    # create_app configures the opvang logger afresh: watch it again.
    logging.getLogger("opvang").addHandler(capture)
    admin = build.headers_for(Role.admin)
    coordinator = build.headers_for(Role.coordinator)
    coa = await build.partner(kind=PartnerKind.coa)
    await records.location(db, coa, external_code="AZC-LOG")
    partner_client = build.client_headers(await build.api_client(coa))
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    hooks = subjects.materialize(db)  # the made-up callers become users
    async with httpx.AsyncClient(
        transport=transport, base_url="http://testserver", event_hooks=hooks
    ) as c:
        api = "/api/v1/participants"
        r = await c.post(api, json=person(bsn=BSN, vNumber=V_NUMBER), headers=admin)
        assert r.status_code == 201, r.text
        made = r.json()
        pid = made["id"]
        # Reads, lists and searches: a list's q goes in the query string, never logged.
        assert (await c.get(f"{api}/{pid}", headers=coordinator)).status_code == 200
        r = await c.get(api, params={"q": FAMILY}, headers=coordinator)
        assert r.status_code == 200 and r.json()["items"]
        for query in ({"bsn": BSN}, {"vNumber": V_NUMBER}, {"bsn": BSN_2}):
            r = await c.post(f"{api}/_search", json=query, headers=admin)
            assert r.status_code == 200, r.text
        # Refused input: the problem details may be logged, their values never.
        for bad in (
            person(bsn=BAD_BSN),
            person(bsn=BSN),  # duplicate
            person(vNumber=V_NUMBER),  # duplicate
            person(dateOfBirth="2099-01-01"),
            person(dateOfBirth="27-11-1983"),
            person(givenName=GIVEN * 20),
            person(group="unaccompanied_minor", dateOfBirth=BORN_2),  # no guardian
        ):
            r = await c.post(api, json=bad, headers=admin)
            assert r.status_code in (400, 409), r.text
        r = await c.post(f"{api}/_search", json={"bsn": BAD_BSN}, headers=admin)
        assert r.status_code == 400
        r = await c.post(f"{api}/_search", json={"bsn": BSN, "vNumber": V_NUMBER}, headers=admin)
        assert r.status_code == 400
        # Unauthenticated and forbidden callers with personal data in the body.
        assert (await c.post(api, json=person(bsn=BSN_2))).status_code == 401
        viewer = build.headers_for(Role.viewer)
        assert (await c.post(api, json=person(bsn=BSN_2), headers=viewer)).status_code == 403
        # A replayed idempotent create, a change, the subject-access export, anonymising.
        key = {"Idempotency-Key": str(uuid.uuid4())}
        other = person(bsn=BSN_2, vNumber=V_NUMBER_2, givenName=GIVEN_2, familyName=FAMILY_2)
        for _ in range(2):
            r = await c.post(api, json=other, headers={**admin, **key})
            assert r.status_code == 201, r.text
        r = await c.patch(
            f"{api}/{pid}",
            json={"familyName": FAMILY_2, "dateOfBirth": BORN_2},
            headers={**admin, "If-Match": f'"{made["version"]}"'},
        )
        assert r.status_code == 200, r.text
        assert (await c.get(f"{api}/{pid}/data-export", headers=admin)).status_code == 200
        r = await c.delete(f"{api}/{pid}", headers={**admin, "If-Match": '"2"'})
        assert r.status_code == 204, r.text
        # Partner events: an intake, an update, and refused ones.
        events = [
            intake(
                "log-1",
                EXT_REF,
                code="AZC-LOG",
                givenName=GIVEN,
                familyName=FAMILY,
                dateOfBirth=BORN,
            ),
            update("log-2", EXT_REF, givenName=GIVEN_2, dateOfBirth=BORN_2),
        ]
        r = await c.post(EVENTS, json={"events": events}, headers=partner_client)
        assert [x["status"] for x in r.json()["results"]] == ["applied", "applied"], r.text
        bad_events = [
            intake("log-3", V_NUMBER, code="NOWHERE", dateOfBirth="1983-13-45", bsn=BAD_BSN),
            update("log-4", "V-unknown-" + FAMILY, givenName=GIVEN),
        ]
        r = await c.post(
            f"{EVENTS}?atomic=false", json={"events": bad_events}, headers=partner_client
        )
        assert r.status_code == 400, r.text
        assert [x["status"] for x in r.json()["results"]] == ["rejected", "not_applied"], r.text
        r = await c.post(
            f"{EVENTS}?atomic=false", json={"events": bad_events[1:]}, headers=partner_client
        )
        assert [x["status"] for x in r.json()["results"]] == ["rejected"], r.text
        # Personal data typed into a URL by mistake: the access log masks the segment.
        for wrong in (BSN, V_NUMBER, FAMILY, f"{GIVEN}%20{FAMILY}"):
            r = await c.get(f"{api}/{wrong}", headers=coordinator)
            assert r.status_code in (400, 404), r.text
            r = await c.get(f"{api}/{wrong}/data-export", headers=admin)
            assert r.status_code in (400, 404), r.text

    assert any('"opvang.access"' in line for line in capture.lines)  # the capture works
    values = {
        *forms(BSN),
        *forms(BSN_2),
        *forms(BAD_BSN),
        *forms(V_NUMBER),
        *forms(V_NUMBER_2),
        *forms(EXT_REF),
        GIVEN,
        FAMILY,
        GIVEN_2,
        FAMILY_2,
        BORN,
        BORN_2,
        "27-11-1983",
        "09-02-2011",
    }
    assert leaks(capture.lines, values) == []


def test_the_scanner_finds_what_it_must() -> None:
    lines = [
        '{"message": "x", "bsn": "204958337"}',
        "V-number V8812734650 seen",
        "name Zhannalogga",
        "a request id 2049583370abc and a count 123456789",
    ]
    found = leaks(lines, {"Zhannalogga"})
    assert len(found) == 3
    assert leaks(["durationMs 12.5, id 5a31d108-d3b4-4c6d"], {"Zhannalogga"}) == []


async def test_database_errors_carry_no_parameters(db: Database) -> None:
    """A statement that fails names its SQL, never its bound values: the text of a driver
    error ends up in log lines and problem details' logs (engine built with
    hide_parameters)."""
    async with db.sessionmaker() as session:
        with pytest.raises(DBAPIError) as caught:
            await session.execute(
                text("INSERT INTO no_such_table_for_privacy (bsn) VALUES (:bsn)"), {"bsn": BSN}
            )
    assert BSN not in str(caught.value)
    assert "hidden due to hide_parameters" in str(caught.value)
