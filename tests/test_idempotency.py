"""Idempotency-Key on every POST: replay, mismatch, in flight, scoping, failures."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import httpx
from fastapi import APIRouter
from sqlalchemy import func, select

from api.db import Database
from api.main import Site
from api.models import AuditEvent, IdempotencyKey, Participant, Partner, Role, utcnow
from tests.support.builders import Builder, problem


async def _count(db: Database, model: type) -> int:
    async with db.sessionmaker() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def test_replay_returns_first_response_and_writes_nothing(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    headers = build.headers_for(Role.admin, **{"Idempotency-Key": "create-coa-1"})
    body = {"name": "COA Idem", "kind": "coa"}
    first = await client.post("/api/v1/partners", json=body, headers=headers)
    assert first.status_code == 201
    assert "idempotent-replayed" not in first.headers
    partners, events = await _count(db, Partner), await _count(db, AuditEvent)

    again = await client.post("/api/v1/partners", json=body, headers=headers)
    assert again.status_code == 201
    assert again.headers["idempotent-replayed"] == "true"
    assert again.json() == first.json()
    assert again.headers["location"] == first.headers["location"]
    assert again.headers["etag"] == first.headers["etag"]
    assert again.headers["api-version"]
    assert await _count(db, Partner) == partners
    assert await _count(db, AuditEvent) == events


async def test_same_key_other_body_is_422(client: httpx.AsyncClient, build: Builder) -> None:
    headers = build.headers_for(Role.admin, **{"Idempotency-Key": "k-mismatch"})
    r = await client.post("/api/v1/partners", json={"name": "One", "kind": "coa"}, headers=headers)
    assert r.status_code == 201
    r = await client.post("/api/v1/partners", json={"name": "Two", "kind": "coa"}, headers=headers)
    assert r.status_code == 422
    assert problem(r)["type"] == "urn:opvang:problem:idempotency-mismatch"


async def test_repeat_while_in_flight_is_409(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    """A first request still running holds the key; its repeat must not run beside it."""
    headers = build.headers_for(Role.admin, **{"Idempotency-Key": "k-busy"})
    first = await client.post(
        "/api/v1/partners", json={"name": "Busy", "kind": "coa"}, headers=headers
    )
    assert first.status_code == 201
    # Put the stored key back into the state a running request leaves it in.
    async with db.sessionmaker() as session, session.begin():
        row = await session.scalar(select(IdempotencyKey).where(IdempotencyKey.key == "k-busy"))
        assert row is not None
        row.state = "in_flight"
    r = await client.post("/api/v1/partners", json={"name": "Busy", "kind": "coa"}, headers=headers)
    assert r.status_code == 409
    assert problem(r)["type"] == "urn:opvang:problem:idempotency-in-flight"


async def test_abandoned_and_expired_keys_are_taken_over(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    headers = build.headers_for(Role.admin, **{"Idempotency-Key": "k-old"})
    body = {"name": "Old key", "kind": "coa"}
    assert (await client.post("/api/v1/partners", json=body, headers=headers)).status_code == 201
    async with db.sessionmaker() as session, session.begin():
        row = await session.scalar(select(IdempotencyKey).where(IdempotencyKey.key == "k-old"))
        assert row is not None
        row.created_at = utcnow() - timedelta(hours=25)
    # Past the retention the key is new again: the request runs (and meets the rule).
    r = await client.post("/api/v1/partners", json=body, headers=headers)
    assert r.status_code == 409
    assert "idempotent-replayed" not in r.headers


async def test_keys_are_scoped_to_the_caller(client: httpx.AsyncClient, build: Builder) -> None:
    one = build.headers_for(Role.admin, **{"Idempotency-Key": "shared"})
    two = build.headers_for(Role.coordinator, **{"Idempotency-Key": "shared"})
    r1 = await client.post("/api/v1/partners", json={"name": "Mine", "kind": "coa"}, headers=one)
    r2 = await client.post("/api/v1/partners", json={"name": "Yours", "kind": "coa"}, headers=two)
    assert (r1.status_code, r2.status_code) == (201, 201)
    assert r1.json()["id"] != r2.json()["id"]


async def test_business_errors_are_replayed(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    await build.partner("Taken name")
    headers = build.headers_for(Role.admin, **{"Idempotency-Key": "k-409"})
    body = {"name": "Taken name", "kind": "coa"}
    r = await client.post("/api/v1/partners", json=body, headers=headers)
    assert r.status_code == 409
    r = await client.post("/api/v1/partners", json=body, headers=headers)
    assert r.status_code == 409
    assert r.headers["idempotent-replayed"] == "true"


async def test_client_secret_is_never_replayed(client: httpx.AsyncClient, build: Builder) -> None:
    partner = await build.partner()
    headers = build.headers_for(Role.admin, **{"Idempotency-Key": "new-client"})
    body = {"partnerId": str(partner.id), "name": "COA koppeling"}
    first = await client.post("/api/v1/clients", json=body, headers=headers)
    assert first.status_code == 201
    assert len(first.json()["clientSecret"]) > 20
    again = await client.post("/api/v1/clients", json=body, headers=headers)
    assert again.status_code == 201
    assert again.headers["idempotent-replayed"] == "true"
    assert again.json()["clientSecret"] is None
    assert again.json()["clientId"] == first.json()["clientId"]
    assert first.json()["clientSecret"] not in again.text


async def test_invalid_key_is_400(client: httpx.AsyncClient, build: Builder) -> None:
    headers = build.headers_for(Role.admin, **{"Idempotency-Key": "x" * 256})
    r = await client.post("/api/v1/partners", json={"name": "Long", "kind": "coa"}, headers=headers)
    assert r.status_code == 400
    assert problem(r)["errors"][0] == {
        "in": "header",
        "name": "Idempotency-Key",
        "detail": "1 to 255 printable characters.",
        "code": "invalid",
    }


async def test_unauthenticated_post_with_key_is_401_and_remembers_nothing(
    client: httpx.AsyncClient, db: Database
) -> None:
    r = await client.post(
        "/api/v1/partners", json={"name": "Anon", "kind": "coa"}, headers={"Idempotency-Key": "a"}
    )
    assert r.status_code == 401
    assert await _count(db, IdempotencyKey) == 0


async def test_server_error_releases_the_key(
    app: Site, client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    flaky = APIRouter()
    calls: list[int] = []

    @flaky.post("/flaky", status_code=201)
    async def flaky_create() -> dict[str, int]:
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("first attempt fails")
        return {"attempt": len(calls)}

    app.state.api.include_router(flaky)
    headers = build.headers_for(Role.admin, **{"Idempotency-Key": "k-flaky"})
    assert (await client.post("/api/v1/flaky", json={}, headers=headers)).status_code == 500
    assert await _count(db, IdempotencyKey) == 0
    retry = await client.post("/api/v1/flaky", json={}, headers=headers)
    assert retry.status_code == 201
    assert retry.json() == {"attempt": 2}
    replay = await client.post("/api/v1/flaky", json={}, headers=headers)
    assert replay.json() == {"attempt": 2}
    assert replay.headers["idempotent-replayed"] == "true"


async def test_expired_answers_are_purged(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    """Stored answers can hold personal data: they go once past their retention."""
    admin = build.headers_for(Role.admin, **{"Idempotency-Key": "old-one"})
    r = await client.post("/api/v1/partners", json={"name": "Purged", "kind": "coa"}, headers=admin)
    assert r.status_code == 201
    async with db.sessionmaker() as session, session.begin():
        row = await session.scalar(select(IdempotencyKey).where(IdempotencyKey.key == "old-one"))
        assert row is not None
        row.created_at = utcnow() - timedelta(hours=25)
    other = build.headers_for(Role.admin, **{"Idempotency-Key": "new-one"})
    r = await client.post("/api/v1/partners", json={"name": "Fresh", "kind": "coa"}, headers=other)
    assert r.status_code == 201
    async with db.sessionmaker() as session:
        keys = set(await session.scalars(select(IdempotencyKey.key)))
    assert keys == {"new-one"}


async def test_answers_naming_an_erased_person_are_not_replayed(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    """Creating a person and searching them by BSN store answers with their data; once the
    person is anonymised, a retry of either key gets a 410 problem without it, and the
    person is not created again. Answers about someone else are still replayed."""
    admin = build.headers_for(Role.admin)
    person = {
        "reference": "IDEM-ERASE-1",
        "givenName": "Oksanavergeten",
        "familyName": "Wisdata",
        "group": "ukrainian_displaced",
        "bsn": "204958337",
        "dateOfBirth": "1984-03-02",
    }
    other = {**person, "reference": "IDEM-KEEP-1", "bsn": "316243905", "givenName": "Blijft"}
    created = await client.post(
        "/api/v1/participants", json=person, headers={**admin, "Idempotency-Key": "erase-create"}
    )
    assert created.status_code == 201, created.text
    kept = await client.post(
        "/api/v1/participants", json=other, headers={**admin, "Idempotency-Key": "keep-create"}
    )
    assert kept.status_code == 201, kept.text
    search = {"bsn": "204958337"}
    found = await client.post(
        "/api/v1/participants/_search",
        json=search,
        headers={**admin, "Idempotency-Key": "erase-search"},
    )
    assert found.status_code == 200 and found.json()["items"], found.text

    r = await client.delete(f"/api/v1/participants/{created.json()['id']}", headers=admin)
    assert r.status_code == 204, r.text
    people = await _count(db, Participant)

    for path, body, key in (
        ("/api/v1/participants", person, "erase-create"),
        ("/api/v1/participants/_search", search, "erase-search"),
    ):
        again = await client.post(path, json=body, headers={**admin, "Idempotency-Key": key})
        assert again.status_code == 410, again.text
        assert problem(again)["type"] == "urn:opvang:problem:answer-erased"
        assert "Oksanavergeten" not in again.text and "204958337" not in again.text
    assert await _count(db, Participant) == people
    again = await client.post(
        "/api/v1/participants", json=other, headers={**admin, "Idempotency-Key": "keep-create"}
    )
    assert again.status_code == 201 and again.json() == kept.json()


async def test_a_large_body_streams_through_and_replays(
    client: httpx.AsyncClient, build: Builder, db: Database, app: Site, tmp_path: Path
) -> None:
    """A body above the in-memory spool (an import file of some MiB) is hashed as it
    comes, handed on in pieces, and replayed; beyond the upload limit it is a 413."""
    from tests.support.import_files import PARTICIPANT_HEADER, csv_file, participant_rows

    path = csv_file(tmp_path / "p.csv", PARTICIPANT_HEADER, participant_rows(25_000, "IDEM"))
    assert path.stat().st_size > 1024 * 1024
    headers = build.headers_for(Role.coordinator, **{"Idempotency-Key": "import-big-1"})

    # The same bytes each time (a client's random boundary would make another body).
    body = (
        b'--xyz\r\nContent-Disposition: form-data; name="file"; filename="p.csv"\r\n'
        b"Content-Type: text/csv\r\n\r\n" + path.read_bytes() + b"\r\n--xyz--\r\n"
    )

    async def post() -> httpx.Response:
        return await client.post(
            "/api/v1/imports/participants",
            content=body,
            headers={**headers, "content-type": "multipart/form-data; boundary=xyz"},
        )

    first = await post()
    assert first.status_code == 200, first.text
    assert first.json()["created"] == 25_000
    people = await _count(db, Participant)
    again = await post()
    assert again.status_code == 200 and again.headers["idempotent-replayed"] == "true"
    assert again.json() == first.json()
    assert await _count(db, Participant) == people

    settings = app.state.api.state.settings
    app.state.api.state.settings = settings.model_copy(update={"import_max_bytes": 1024})
    headers["Idempotency-Key"] = "import-big-2"
    r = await post()
    assert r.status_code == 413, r.text
    # Refused by the request guard in front (import-too-large) or by this layer.
    assert problem(r)["type"] in (
        "urn:opvang:problem:import-too-large",
        "urn:opvang:problem:request-too-large",
    )
