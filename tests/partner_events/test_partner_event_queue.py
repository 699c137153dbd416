"""A partner's batches queue without holding database connections (``api.partner_events.queue``).

Real committed transactions on the app's own small pool: while the partner's row (on
SQLite the write lock) is held elsewhere, more batches of that partner than the pool has
connections wait, and a staff read is answered meanwhile; then every batch completes.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable

import httpx
from sqlalchemy import delete, insert, select

from api.auth.principal import Principal
from api.auth.tokens import create_access_token
from api.config import Settings
from api.db import Database, build_engine
from api.main import create_app
from api.models import ApiClient, Partner, PartnerKind, Role
from api.partner_events import queue
from tests.support import subjects
from tests.support.builders import auth_headers
from tests.support.partner_events import URL, transfer

POOL = 2
BATCHES = POOL + 3


async def _until(condition: Callable[[], bool], what: str) -> None:
    """Wait for ``condition`` (a state of the app, not a duration); fail after long."""
    for _ in range(3000):
        if condition():
            return
        await asyncio.sleep(0.01)
    raise AssertionError(f"never happened: {what}")


async def test_waiting_batches_hold_no_connection_and_reads_pass(migrated: Settings) -> None:
    settings = migrated.model_copy(
        update={
            "db_pool_size": POOL,
            "db_pool_max_overflow": 0,
            "db_pool_timeout_seconds": 3.0,
            "sqlite_busy_timeout_ms": 60_000,
        }
    )
    setup = Database(build_engine(migrated))
    app = create_app(settings)
    tag = uuid.uuid4().hex[:8]
    # Written with Core: committed rows the ORM's audit hook does not see, as audit
    # events cannot be removed again and other tests count them.
    coa = uuid.uuid4()
    client_id = uuid.uuid4()
    async with setup.sessionmaker() as session, session.begin():
        await session.execute(
            insert(Partner).values(id=coa, name=f"Queue {tag}", kind=PartnerKind.coa, version=1)
        )
        await session.execute(
            insert(ApiClient).values(
                id=client_id,
                client_id=f"opv_{tag}",
                secret_hash="unused",
                name="Queue test",
                partner_id=coa,
                version=1,
            )
        )
    principal = Principal(kind="client", id=client_id, role=Role.partner, partner_id=coa)
    partner = {"Authorization": f"Bearer {create_access_token(migrated, principal)[0]}"}
    staff = auth_headers(migrated, Role.coordinator)
    try:
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with (
            subjects.made_up_callers(setup) as hooks,
            httpx.AsyncClient(transport=transport, base_url="http://t", event_hooks=hooks) as c,
        ):
            # The staff caller is written now, before the write lock is held below.
            assert (await c.get("/api/v1/locations?pageSize=5", headers=staff)).status_code == 200

            def batch(n: int) -> dict[str, object]:
                # Transfers of people the partner never took in: each batch is played
                # against the database under the partner's lock, and rejected.
                return {"events": [transfer(f"{tag}-{n}", f"NOBODY-{tag}-{n}", "2024-05-01")]}

            async with setup.sessionmaker() as holder:
                # Another process's batch of this partner, in the middle of its work.
                await holder.execute(select(Partner.id).where(Partner.id == coa).with_for_update())
                posts = [
                    asyncio.create_task(
                        c.post(URL, params={"atomic": "false"}, json=batch(n), headers=partner)
                    )
                    for n in range(BATCHES)
                ]
                await _until(lambda: queue.waiting(coa) == BATCHES, "all batches queued")
                # More batches wait than the pool has connections; a read is answered.
                read = await c.get("/api/v1/locations?pageSize=5", headers=staff)
                assert read.status_code == 200, read.text
                assert not any(p.done() for p in posts)
                await holder.commit()
            answers = await asyncio.gather(*posts)
        for answer in answers:
            assert answer.status_code == 200, answer.text
            assert [r["status"] for r in answer.json()["results"]] == ["rejected"]
        assert queue.waiting(coa) == 0
    finally:
        async with setup.sessionmaker() as session, session.begin():
            await session.execute(delete(ApiClient).where(ApiClient.id == client_id))
            await session.execute(delete(Partner).where(Partner.id == coa))
        await setup.dispose()
        await app.state.db.dispose()
