"""Privacy: anonymising a person clears the free text on their records, and on SQLite
leaves none of their old bytes in the database file or its log (issue 14, item 7)."""

from __future__ import annotations

import uuid
from datetime import date
from pathlib import Path

import httpx
import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, select

from api.config import Settings
from api.db import Database, build_engine
from api.main import create_app
from api.models import ExternalRef, Placement, Role
from api.participants.erasure import CLEARED_REASON
from api.participants.retention import run as run_retention
from tests.conftest import ROOT
from tests.support import privacy, records, subjects
from tests.support.builders import Builder

SECRET_NAME = "Qzxwvjkelmno"
SECRET_REF = "VQZXW8812345"
SECRET_REASON = f"Night for {SECRET_NAME}, BSN 123456782, agreed with the mayor"


async def _overridden_stay(
    client: httpx.AsyncClient, build: Builder, db: Database, given_name: str = "Olena"
) -> tuple[str, str]:
    op = await build.partner()
    loc = await records.location(db, op, capacity=0)
    person = await records.participant(db, given_name=given_name)
    r = await client.post(
        "/api/v1/placements",
        json={
            "participantId": str(person.id),
            "locationId": str(loc.id),
            "startDate": "2024-03-01",
            "capacityOverride": {"reason": SECRET_REASON},
        },
        headers=build.headers_for(Role.admin),
    )
    assert r.status_code == 201, r.text
    return str(person.id), r.json()["id"]


async def test_anonymising_clears_the_override_reason(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    person_id, stay_id = await _overridden_stay(client, build, db)
    admin = build.headers_for(Role.admin)
    before = (await client.get(f"/api/v1/placements/{stay_id}", headers=admin)).json()
    r = await client.delete(f"/api/v1/participants/{person_id}", headers=admin)
    assert r.status_code == 204, r.text
    after = (await client.get(f"/api/v1/placements/{stay_id}", headers=admin)).json()
    # The fact of the override stays (it was audited); the text is gone.
    assert after["capacityOverride"] == {"reason": CLEARED_REASON}
    assert after["version"] == before["version"] + 1
    assert SECRET_NAME not in r.text


async def test_the_retention_run_clears_it_too(
    client: httpx.AsyncClient, build: Builder, db: Database, settings: Settings
) -> None:
    _, stay_id = await _overridden_stay(client, build, db)
    async with db.sessionmaker() as session, session.begin():
        stay = await session.get(Placement, uuid.UUID(stay_id))
        assert stay is not None
        stay.end_date = date(2024, 4, 1)
    async with db.sessionmaker() as session, session.begin():
        report = await run_retention(
            session, settings=settings, today=date(2030, 1, 1), dry_run=False
        )
    assert report.ids
    async with db.sessionmaker() as session:
        reason = await session.scalar(
            select(Placement.capacity_override_reason).where(Placement.id == uuid.UUID(stay_id))
        )
    assert reason == CLEARED_REASON


async def test_no_old_bytes_stay_in_the_sqlite_file_or_its_log(
    settings: Settings, tmp_path: Path
) -> None:
    """A real database file, served by its own app (not the tests' rolled-back
    transaction): after the DELETE, neither the file nor the write-ahead log holds the
    name or the reason, while the app still runs and after it stops."""
    if not settings.is_sqlite:
        pytest.skip("a property of the SQLite file")
    path = tmp_path / "erasure.db"
    own = settings.model_copy(update={"database_url": f"sqlite:///{path}"})
    sync = create_engine(own.sync_url)
    cfg = Config(str(ROOT / "alembic.ini"))
    cfg.attributes["configure_logger"] = False
    with sync.begin() as connection:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, "head")
    sync.dispose()
    privacy.register(SECRET_NAME, SECRET_REF)
    db = Database(build_engine(own))
    async with db.engine.connect() as live:
        # Set by us, whatever the SQLite build's default (Debian's is on already).
        assert (await live.exec_driver_sql("PRAGMA secure_delete")).scalar() == 1
    try:
        app = create_app(own, db)
        transport = httpx.ASGITransport(app=app)
        hooks = subjects.materialize(db)  # the made-up admin becomes a user
        async with httpx.AsyncClient(
            transport=transport, base_url="http://testserver", event_hooks=hooks
        ) as client:
            build = Builder(db, own)
            person_id, _ = await _overridden_stay(client, build, db, given_name=SECRET_NAME)
            # The COA's own reference (a V-number) is deleted on anonymisation: without
            # secure_delete its bytes stay in the page's free space.
            coa = await build.partner()
            async with db.sessionmaker() as session, session.begin():
                session.add(
                    ExternalRef(
                        partner_id=coa.id,
                        external_ref=SECRET_REF,
                        participant_id=uuid.UUID(person_id),
                    )
                )

            def files() -> bytes:
                return b"".join(
                    p.read_bytes() for p in tmp_path.iterdir() if p.name.startswith(path.name)
                )

            assert SECRET_NAME.encode() in files()  # the check can see it while it is there
            r = await client.delete(
                f"/api/v1/participants/{person_id}", headers=build.headers_for(Role.admin)
            )
            assert r.status_code == 204, r.text
            held = files()
            for secret in (SECRET_NAME, SECRET_REF, "123456782"):
                assert secret.encode() not in held, secret
    finally:
        await db.dispose()
    held = files()
    for secret in (SECRET_NAME, SECRET_REF, "123456782"):
        assert secret.encode() not in held, secret
