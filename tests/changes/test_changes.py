"""The change feed: commit order, opaque cursors, what each caller may see, rolled-back
writes never shown, and no change skipped when transactions commit out of start order
(PostgreSQL, real concurrent transactions)."""

from __future__ import annotations

import asyncio
import base64
import uuid
from datetime import date
from decimal import Decimal
from typing import Any

import httpx
import pytest
from sqlalchemy import delete, func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from api.changes.recorder import record_changes
from api.changes.schemas import decode_cursor, encode_cursor
from api.config import Settings
from api.db import Database, build_engine
from api.main import create_app
from api.models import (
    CapacityChange,
    Change,
    Expense,
    ExpenseCategory,
    Location,
    Partner,
    PartnerKind,
    Role,
)
from tests.support import records, subjects
from tests.support.builders import Builder, auth_headers, problem

URL = "/api/v1/changes"


async def feed_end(db: Database) -> str:
    """A cursor at the current end of the feed (tests look only at what they write)."""
    async with db.sessionmaker() as session:
        end = (await session.execute(select(func.max(Change.position)))).scalar_one()
    return encode_cursor(end or 0)


async def read_all(
    client: httpx.AsyncClient, headers: dict[str, str], after: str, limit: int = 2
) -> tuple[list[dict[str, Any]], str]:
    """Every item after ``after``, page by page; and the final cursor."""
    items: list[dict[str, Any]] = []
    while True:
        r = await client.get(URL, params={"after": after, "limit": limit}, headers=headers)
        assert r.status_code == 200, r.text
        body = r.json()
        assert set(body) == {"items", "nextCursor"}
        items += body["items"]
        if not body["items"]:
            assert body["nextCursor"] == after  # keeps the place
            return items, after
        assert body["nextCursor"] == body["items"][-1]["cursor"]
        after = body["nextCursor"]


def position(cursor: str) -> int:
    found = decode_cursor(cursor)
    assert found is not None, cursor
    return found


async def insert_partner(session: AsyncSession, label: str) -> uuid.UUID:
    """A partner written without the ORM (as set-based writers do), so no audit event
    outlives the test: these tests commit for real, and audit events cannot be removed."""
    partner_id = uuid.uuid4()
    name = f"{label} {partner_id.hex[:8]}"
    await session.execute(
        insert(Partner).values(id=partner_id, name=name, kind=PartnerKind.coa, version=1)
    )
    record_changes(session.sync_session, Partner, [(partner_id, "create", 1)])
    return partner_id


async def expense(db: Database) -> Expense:
    async with db.sessionmaker() as session, session.begin():
        spent = Expense(
            spent_on=date(2024, 3, 1),
            category=ExpenseCategory.staff,
            amount=Decimal("12.50"),
            description="Tolk",
        )
        session.add(spent)
    return spent


def test_cursors_are_opaque_round_trips() -> None:
    for position in (0, 1, 42, 10**15):
        cursor = encode_cursor(position)
        assert str(position) not in cursor or (position == 0 and "0" not in cursor)
        assert decode_cursor(cursor) == position
    b64 = base64.urlsafe_b64encode
    for bad in ("", "x", "12", b64(b"c1.-1").decode(), b64(b"c1.01").decode(), "YzEuMQ=="):
        assert decode_cursor(bad) is None, bad


async def test_feed_in_commit_order_paged_with_cursors(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    admin = build.headers_for(Role.admin)
    start = await feed_end(db)
    partner = await build.partner()
    loc = await records.location(db, partner, capacity=4)
    async with db.sessionmaker() as session, session.begin():
        row = await session.get(Location, loc.id)
        assert row is not None
        row.name = "Renamed"
    async with db.sessionmaker() as session, session.begin():
        caps = (
            await session.execute(
                select(CapacityChange).where(CapacityChange.location_id == loc.id)
            )
        ).scalars()
        for cap in caps:
            await session.delete(cap)
    items, end = await read_all(client, admin, start)
    got = [(i["entity"], i["id"], i["operation"], i["version"]) for i in items]
    cap_id = next(i["id"] for i in items if i["entity"] == "capacity_changes")
    assert got == [
        ("partners", str(partner.id), "create", 1),
        ("locations", str(loc.id), "create", 1),
        ("capacity_changes", cap_id, "create", 1),
        ("locations", str(loc.id), "update", 2),
        ("capacity_changes", cap_id, "delete", 1),
    ]
    assert all(
        set(i) == {"cursor", "entity", "id", "operation", "version", "changedAt"} for i in items
    )
    assert all(i["changedAt"].endswith("Z") or "+00:00" in i["changedAt"] for i in items)
    positions = [position(i["cursor"]) for i in items]
    assert positions == sorted(positions)
    # An item's cursor continues after that item.
    r = await client.get(URL, params={"after": items[2]["cursor"]}, headers=admin)
    assert [i["cursor"] for i in r.json()["items"]] == [i["cursor"] for i in items[3:]]
    # Polling at the end answers nothing and keeps the place.
    r = await client.get(URL, params={"after": end, "limit": 1}, headers=admin)
    assert r.json() == {"items": [], "nextCursor": end}
    # Without `after` the feed starts at the beginning.
    r = await client.get(URL, params={"limit": 1}, headers=admin)
    first = r.json()["items"]
    assert len(first) == 1 and position(first[0]["cursor"]) == 1


async def test_bad_cursor_and_limit(client: httpx.AsyncClient, build: Builder) -> None:
    admin = build.headers_for(Role.admin)
    for after in ("nonsense", "MTI", base64.urlsafe_b64encode(b"c1.-5").decode(), "c1.5"):
        r = await client.get(URL, params={"after": after}, headers=admin)
        assert r.status_code == 400, after
        assert [e["name"] for e in problem(r)["errors"]] == ["after"]
    for limit in ("0", "1001", "many"):
        r = await client.get(URL, params={"limit": limit}, headers=admin)
        assert r.status_code == 400, limit
        assert [e["name"] for e in problem(r)["errors"]] == ["limit"]


async def test_staff_see_by_kind_of_resource(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    start = await feed_end(db)
    partner = await build.partner()
    loc = await records.location(db, partner)
    person = await records.participant(db)
    user = await build.user(Role.coordinator)
    spent = await expense(db)
    mine = {str(x.id) for x in (partner, loc, person, user, spent)}

    async def kinds(role: Role) -> set[str]:
        items, _ = await read_all(client, build.headers_for(role), start, limit=50)
        return {i["entity"] for i in items if i["id"] in mine or i["entity"] == "capacity_changes"}

    assert await kinds(Role.admin) == {
        "partners",
        "locations",
        "capacity_changes",
        "participants",
        "users",
        "expenses",
    }
    assert await kinds(Role.coordinator) == {
        "partners",
        "locations",
        "capacity_changes",
        "participants",
    }
    assert await kinds(Role.finance) == {"locations", "capacity_changes", "expenses"}
    r = await client.get(URL, headers=build.headers_for(Role.viewer))
    assert r.status_code == 403
    problem(r)
    assert (await client.get(URL)).status_code == 401


async def test_partners_see_only_their_own(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    start = await feed_end(db)
    ours, theirs = await build.partner(), await build.partner()
    our_loc = await records.location(db, ours)
    their_loc = await records.location(db, theirs)
    guarded = await records.participant(db, guardian=ours)
    await records.participant(db)  # nobody's
    await expense(db)
    await build.user(Role.partner, partner=ours)  # users are never in a partner's feed
    api_client = await build.api_client(ours)
    for headers in (build.headers_for(Role.partner, ours), build.client_headers(api_client)):
        items, _ = await read_all(client, headers, start, limit=3)
        assert [(i["entity"], i["id"]) for i in items if i["entity"] != "capacity_changes"] == [
            ("partners", str(ours.id)),
            ("locations", str(our_loc.id)),
            ("participants", str(guarded.id)),
        ]
        assert sum(i["entity"] == "capacity_changes" for i in items) == 1
    items, _ = await read_all(client, build.headers_for(Role.partner, theirs), start)
    assert [(i["entity"], i["id"]) for i in items if i["entity"] != "capacity_changes"] == [
        ("partners", str(theirs.id)),
        ("locations", str(their_loc.id)),
    ]


async def test_rolled_back_writes_never_appear(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    admin = build.headers_for(Role.admin)
    start = await feed_end(db)
    lost = Partner(name=f"Rolled back {uuid.uuid4().hex[:8]}", kind=PartnerKind.coa)

    async def fail_after_writing() -> None:
        async with db.sessionmaker() as session, session.begin():
            session.add(lost)
            await session.flush()
            raise RuntimeError("the request fails after the write")

    with pytest.raises(RuntimeError):
        await fail_after_writing()
    kept = Partner(name=f"Kept {uuid.uuid4().hex[:8]}", kind=PartnerKind.coa)
    dropped = Partner(name=f"Savepoint {uuid.uuid4().hex[:8]}", kind=PartnerKind.coa)
    async with db.sessionmaker() as session, session.begin():
        session.add(kept)
        await session.flush()
        nested = await session.begin_nested()
        session.add(dropped)
        await session.flush()
        await nested.rollback()
    # A request that fails validation after nothing was written leaves no trace either.
    r = await client.post("/api/v1/partners", json={"name": ""}, headers=admin)
    assert r.status_code == 400
    items, _ = await read_all(client, admin, start)
    assert [(i["entity"], i["id"]) for i in items] == [("partners", str(kept.id))]


@pytest.mark.postgres
async def test_out_of_order_commits_are_never_skipped(migrated: Settings) -> None:
    """Writer A starts first and commits last, writer B commits in between; a reader
    pages through the feed before, between and after: it sees each change exactly once,
    in commit order (B's, then A's), although A wrote first."""
    if migrated.is_sqlite:
        pytest.skip("needs PostgreSQL: real concurrent transactions")
    db = Database(build_engine(migrated))
    app = create_app(migrated, db)
    headers = auth_headers(migrated, Role.admin)
    made: list[uuid.UUID] = []
    try:
        start = await feed_end(db)
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with (
            subjects.made_up_callers(db) as hooks,  # the reader becomes a user
            httpx.AsyncClient(
                transport=transport, base_url="http://reader", event_hooks=hooks
            ) as reader,
            db.sessionmaker() as first,
            db.sessionmaker() as second,
        ):
            seen: list[dict[str, Any]] = []
            cursor = start

            async def page() -> None:
                nonlocal cursor
                items, cursor = await read_all(reader, headers, cursor, limit=1)
                seen.extend(items)

            await first.begin()
            a = [await insert_partner(first, "A1"), await insert_partner(first, "A2")]
            made += a  # A has written, not committed
            await page()
            async with second.begin():
                b = await insert_partner(second, "B")
            made.append(b)
            await page()  # B's change is visible, A's not yet
            assert [i["id"] for i in seen] == [str(b)]
            # A commits while the reader is paging (one request at a time, concurrently).
            reading = asyncio.create_task(page())
            await first.commit()
            await reading
            await page()
            ours = [i["id"] for i in seen if uuid.UUID(i["id"]) in made]
            assert ours == [str(b), str(a[0]), str(a[1])]
            assert len({i["cursor"] for i in seen}) == len(seen)
    finally:
        async with db.sessionmaker() as session, session.begin():
            await session.execute(delete(Partner).where(Partner.id.in_(made)))
        await db.dispose()


@pytest.mark.postgres
async def test_many_concurrent_writers_no_gaps_seen(migrated: Settings) -> None:
    """Twenty writers commit in random interleavings while a reader polls: the positions
    it sees are exactly the ones committed, each once, ascending."""
    if migrated.is_sqlite:
        pytest.skip("needs PostgreSQL: real concurrent transactions")
    db = Database(build_engine(migrated))
    app = create_app(migrated, db)
    headers = auth_headers(migrated, Role.admin)
    made: list[uuid.UUID] = []
    try:
        start = await feed_end(db)

        async def write(n: int) -> None:
            async with db.sessionmaker() as session, session.begin():
                made.append(await insert_partner(session, f"W{n}"))
                await asyncio.sleep(0.001 * ((n * 7) % 5))

        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with (
            subjects.made_up_callers(db) as hooks,  # the reader becomes a user
            httpx.AsyncClient(
                transport=transport, base_url="http://reader", event_hooks=hooks
            ) as reader,
        ):
            seen: list[dict[str, Any]] = []
            cursor = start
            writers = asyncio.gather(*(write(n) for n in range(20)))
            while not writers.done():
                items, cursor = await read_all(reader, headers, cursor, limit=3)
                seen += items
                await asyncio.sleep(0)
            await writers
            items, cursor = await read_all(reader, headers, cursor, limit=3)
            seen += items
        ours = [uuid.UUID(i["id"]) for i in seen if uuid.UUID(i["id"]) in made]
        assert sorted(ours) == sorted(made) and len(ours) == 20
        positions = [position(i["cursor"]) for i in seen]
        assert positions == sorted(set(positions))
    finally:
        async with db.sessionmaker() as session, session.begin():
            await session.execute(delete(Partner).where(Partner.id.in_(made)))
        await db.dispose()
