"""Idempotency-Key replays answer only who may still ask, leave the audit trail a fresh read
would, and the stored fingerprint gives nothing away (issue 14, items 2 and 8)."""

from __future__ import annotations

import hashlib
import hmac
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
from sqlalchemy import delete, select, update

from api.auth.principal import Principal
from api.config import Settings
from api.db import Database
from api.models import IdempotencyKey, Partner, Placement, Role, User
from tests.support import records
from tests.support.builders import Builder, problem

SEARCH = "/api/v1/participants/_search"
BSN = "204958337"
PASSWORD = "a long idempotent password"


async def _sign_in(client: httpx.AsyncClient, user: User) -> dict[str, str]:
    """A fresh token through the real sign-in: it carries the user's role of now."""
    r = await client.post(
        "/api/v1/auth/token",
        data={"grant_type": "password", "username": user.email, "password": PASSWORD},
    )
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


async def _change_user(
    client: httpx.AsyncClient, build: Builder, user: User, **change: str
) -> None:
    r = await client.patch(
        f"/api/v1/users/{user.id}", json=change, headers=build.headers_for(Role.admin)
    )
    assert r.status_code == 200, r.text


async def _reads(
    client: httpx.AsyncClient, build: Builder, person_id: object
) -> list[dict[str, Any]]:
    r = await client.get(
        "/api/v1/audit-events",
        params={"entity": "participants", "entityId": str(person_id), "action": "read"},
        headers=build.headers_for(Role.admin),
    )
    assert r.status_code == 200, r.text
    items: list[dict[str, Any]] = sorted(r.json()["items"], key=lambda i: i["id"])
    return items


async def test_a_demoted_coordinator_gets_no_bsn_from_a_replay(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    await records.participant(db, bsn=BSN, given_name="Iryna", family_name="Herhaald")
    user = await build.user(Role.coordinator, password=PASSWORD)
    key = {"Idempotency-Key": "bsn-then-demoted"}
    coordinator = await _sign_in(client, user)
    first = await client.post(SEARCH, json={"bsn": BSN}, headers={**coordinator, **key})
    assert first.status_code == 200 and first.json()["items"][0]["bsn"] == BSN, first.text

    await _change_user(client, build, user, role="viewer")
    # The old token still names the coordinator (until it expires, or is refused outright
    # once tokens carry a generation: 401); the account's role of now decides.
    stale = await client.post(SEARCH, json={"bsn": BSN}, headers={**coordinator, **key})
    assert stale.status_code in (401, 422), stale.text
    assert BSN not in stale.text and "Herhaald" not in stale.text
    viewer = await _sign_in(client, user)
    # Without a key the viewer is refused; with the old key it must be refused as well.
    assert (await client.post(SEARCH, json={"bsn": BSN}, headers=viewer)).status_code == 403
    again = await client.post(SEARCH, json={"bsn": BSN}, headers={**viewer, **key})
    assert again.status_code == 422, again.text
    assert problem(again)["type"] == "urn:opvang:problem:idempotency-access-changed"
    assert "another role" in problem(again)["detail"]
    assert BSN not in again.text and "Herhaald" not in again.text
    assert "idempotent-replayed" not in again.headers

    # Promoted back, the same key replays again (nothing was lost or overwritten).
    await _change_user(client, build, user, role="coordinator")
    back = await client.post(
        SEARCH, json={"bsn": BSN}, headers={**await _sign_in(client, user), **key}
    )
    assert back.status_code == 200 and back.headers["idempotent-replayed"] == "true"
    assert back.json() == first.json()


def test_a_rotated_secret_reads_as_another_request_not_another_role() -> None:
    from api.idempotency_access import compare, fingerprint, request_mac

    who = Principal(kind="user", id=uuid.uuid4(), role=Role.coordinator)

    def of(secret: str, principal: Principal, body: bytes) -> str:
        mac = request_mac(secret, SEARCH, "", "application/json")
        mac.update(body)
        return fingerprint(secret, principal, mac)

    old = of("a" * 40, who, b"{}")
    assert compare(old, of("a" * 40, who, b"{}")) == "same"
    assert compare(old, of("b" * 40, who, b"{}")) == "other_request"
    assert compare(old, of("a" * 40, who, b"[]")) == "other_request"
    viewer = Principal(kind="user", id=who.id, role=Role.viewer)
    assert compare(old, of("a" * 40, viewer, b"{}")) == "other_role"
    assert len(old) == 64  # the column's width


async def test_a_user_moved_to_another_partner_gets_no_replay(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    coa, club = await build.partner(), await build.partner()
    person = await records.participant(db, v_number="VIDEM0001", family_name="Verhuisd")
    await records.placement(db, person, await records.location(db, coa))
    user = await build.user(Role.partner, partner=coa, password=PASSWORD)
    key = {"Idempotency-Key": "v-number-then-moved"}
    body = {"vNumber": "VIDEM0001"}
    first = await client.post(SEARCH, json=body, headers={**await _sign_in(client, user), **key})
    assert first.status_code == 200 and first.json()["total"] == 1, first.text

    # Moved in the database: PATCH /users ignores `partnerId` (reported separately).
    async with db.sessionmaker() as session, session.begin():
        await session.execute(update(User).where(User.id == user.id).values(partner_id=club.id))
    at_club = await _sign_in(client, user)
    assert (await client.post(SEARCH, json=body, headers=at_club)).json()["total"] == 0
    again = await client.post(SEARCH, json=body, headers={**at_club, **key})
    assert again.status_code == 422, again.text
    assert problem(again)["type"] == "urn:opvang:problem:idempotency-access-changed"
    assert "another partner" in problem(again)["detail"]
    assert "Verhuisd" not in again.text and str(person.id) not in again.text


async def test_a_partner_that_no_longer_sees_the_person_gets_no_replay(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    """Same token, same role and partner, but the person left the partner's world: a fresh
    search finds nobody, so the replay of the answer that named them is refused."""
    coa = await build.partner()
    person = await records.participant(db, v_number="VIDEM0002", family_name="Vertrokken")
    stay = await records.placement(db, person, await records.location(db, coa))
    client_row = await build.api_client(coa)
    headers = build.client_headers(client_row, **{"Idempotency-Key": "v-number-then-gone"})
    body = {"vNumber": "VIDEM0002"}
    assert (await client.post(SEARCH, json=body, headers=headers)).json()["total"] == 1
    assert (await client.post(SEARCH, json=body, headers=headers)).status_code == 200

    async with db.sessionmaker() as session, session.begin():
        await session.execute(delete(Placement).where(Placement.id == stay.id))
    again = await client.post(SEARCH, json=body, headers=headers)
    assert again.status_code == 422, again.text
    assert problem(again)["type"] == "urn:opvang:problem:idempotency-access-changed"
    assert "Vertrokken" not in again.text and str(person.id) not in again.text


async def test_a_replayed_search_is_an_audited_read(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    person = await records.participant(db, bsn=BSN, family_name="Gezien")
    user = await build.user(Role.coordinator, password=PASSWORD)
    headers = {**await _sign_in(client, user), "Idempotency-Key": "audited-replay"}
    first = await client.post(SEARCH, json={"bsn": BSN}, headers=headers)
    assert first.status_code == 200, first.text
    [fresh] = await _reads(client, build, person.id)

    replay = await client.post(SEARCH, json={"bsn": BSN}, headers=headers)
    assert replay.headers["idempotent-replayed"] == "true"
    reads = await _reads(client, build, person.id)
    assert len(reads) == 2, reads
    again = reads[1]
    same = ("actorType", "actorId", "actorRole", "partnerId", "action", "entity", "entityId")
    assert {k: again[k] for k in same} == {k: fresh[k] for k in same}
    assert again["actorId"] == str(user.id)
    assert again["requestId"] == replay.headers["x-request-id"] != fresh["requestId"]
    assert again["details"] == {"replay": True}
    assert fresh["details"] is None


def _bsn_candidates(around: str, count: int) -> Iterator[str]:
    """Every BSN (11-test) from ``around`` upwards: what an attacker would try."""
    n = int(around) - count // 2
    found = 0
    while found < count:
        text = f"{n:09d}"
        if (
            sum(int(d) * w for d, w in zip(text, (9, 8, 7, 6, 5, 4, 3, 2, -1), strict=True)) % 11
            == 0
        ):
            found += 1
            yield text
        n += 1


def _framed(path: str, body: bytes) -> bytes:
    return f"{path}\0".encode() + b"\0" + b"application/json\0" + body


async def test_the_fingerprint_of_a_bsn_search_is_an_hmac_and_resists_brute_force(
    client: httpx.AsyncClient, build: Builder, db: Database, settings: Settings
) -> None:
    await records.participant(db, bsn=BSN)
    headers = build.headers_for(
        Role.coordinator, **{"Idempotency-Key": "fingerprint", "content-type": "application/json"}
    )
    r = await client.post(SEARCH, content=f'{{"bsn":"{BSN}"}}'.encode(), headers=headers)
    assert r.status_code == 200, r.text
    async with db.sessionmaker() as session:
        stored = await session.scalar(
            select(IdempotencyKey.fingerprint).where(IdempotencyKey.key == "fingerprint")
        )
    assert stored is not None

    def sha256_guesses(bsn: str) -> Iterator[str]:
        body = f'{{"bsn":"{bsn}"}}'.encode()
        for path in (SEARCH, "/participants/_search"):
            yield hashlib.sha256(_framed(path, body)).hexdigest()
        yield hashlib.sha256(body).hexdigest()

    candidates = list(_bsn_candidates(BSN, 4000))
    assert BSN in candidates
    # A plain SHA-256 of any framing of any candidate body matches no part of it.
    hits = [c for c in candidates for g in sha256_guesses(c) if g[:16] in stored]
    assert hits == []

    # With the server's derived key (never the token key itself), the same guess finds it:
    # the fingerprint is the HMAC of the request, so only the server can test a guess.
    subkey = hmac.new(
        settings.secret_key.encode(), b"opvang idempotency fingerprint v1", hashlib.sha256
    ).digest()
    assert subkey != settings.secret_key.encode()

    def hmac_of(bsn: str) -> str:
        body = f'{{"bsn":"{bsn}"}}'.encode()
        return hmac.new(subkey, _framed(SEARCH, body), hashlib.sha256).hexdigest()

    assert [c for c in candidates if hmac_of(c)[:44] in stored] == [BSN]


async def test_a_fingerprint_stored_before_the_hmac_reads_as_another_request(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    """Rows written before the change hold a plain SHA-256: their keys answer 422 "another
    request" until they expire (24 hours), never a replay."""
    headers = build.headers_for(Role.admin, **{"Idempotency-Key": "old-style"})
    body = {"name": "Oud formaat", "kind": "coa"}
    assert (await client.post("/api/v1/partners", json=body, headers=headers)).status_code == 201
    async with db.sessionmaker() as session, session.begin():
        await session.execute(
            update(IdempotencyKey)
            .where(IdempotencyKey.key == "old-style")
            .values(fingerprint=hashlib.sha256(b"whatever was hashed then").hexdigest())
        )
    r = await client.post("/api/v1/partners", json=body, headers=headers)
    assert r.status_code == 422, r.text
    assert problem(r)["type"] == "urn:opvang:problem:idempotency-mismatch"
    async with db.sessionmaker() as session:
        assert await session.scalar(select(Partner.id).where(Partner.name == "Oud formaat"))


async def test_a_replayed_create_shows_the_record_again_and_is_audited_as_a_read(
    client: httpx.AsyncClient, build: Builder
) -> None:
    """The answer to creating a person holds their data: handing it out again is a read."""
    headers = build.headers_for(Role.coordinator, **{"Idempotency-Key": "create-replayed"})
    person = {
        "reference": "IDEM-SEC-1",
        "givenName": "Halyna",
        "familyName": "Tweemaal",
        "group": "ukrainian_displaced",
    }
    first = await client.post("/api/v1/participants", json=person, headers=headers)
    assert first.status_code == 201, first.text
    assert await _reads(client, build, first.json()["id"]) == []
    again = await client.post("/api/v1/participants", json=person, headers=headers)
    assert again.headers["idempotent-replayed"] == "true" and again.json() == first.json()
    [read] = await _reads(client, build, first.json()["id"])
    assert (read["actorRole"], read["details"]) == ("coordinator", {"replay": True})
