"""Enrollments: every rule, every role, on both engines, and the race for the last place."""

from __future__ import annotations

import asyncio
import uuid
from datetime import date
from typing import Any

import httpx
from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError

from api.common.calendar import today
from api.config import Settings
from api.db import Database, build_engine
from api.main import create_app
from api.models import (
    Activity,
    Enrollment,
    EnrollmentStatus,
    Group,
    Participant,
    Partner,
    PartnerKind,
    Role,
)
from api.models.base import utcnow
from tests.support import programme, records, subjects
from tests.support.builders import Builder, auth_headers, problem

URL = "/api/v1/enrollments"
NOWHERE = "6f1c6a9e-7d5e-4a50-8d2c-3f4b5a6c7d8e"


def body(act: Any, person: Any, on: str | None = "2024-03-01", **extra: Any) -> dict[str, Any]:
    data = {"activityId": str(act.id), "participantId": str(person.id), **extra}
    if on is not None:
        data["enrolledOn"] = on
    return data


async def count_enrollments(db: Database) -> int:
    async with db.sessionmaker() as session:
        return int(await session.scalar(select(func.count(Enrollment.id))) or 0)


async def test_create_read_list_and_filter(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    provider = await build.partner()
    act = await programme.activity(db, provider, ends_on=None)
    a, b = await records.participant(db), await records.participant(db)
    h = build.headers_for(Role.coordinator)
    r = await client.post(URL, json=body(act, a), headers=h)
    assert r.status_code == 201, r.text
    created = r.json()
    assert created["status"] == "enrolled" and created["endedOn"] is None
    assert created["enrolledOn"] == "2024-03-01"
    assert r.headers["etag"] == '"1"'
    assert r.headers["location"] == f"{URL}/{created['id']}"
    r = await client.get(f"{URL}/{created['id']}", headers=h)
    assert r.status_code == 200 and r.json() == created
    # enrolledOn defaults to today; a new enrollment may start active.
    r = await client.post(URL, json=body(act, b, None, status="active"), headers=h)
    assert r.status_code == 201, r.text
    assert r.json()["enrolledOn"] == today().isoformat()
    assert r.json()["status"] == "active"
    for query, found in [
        (f"activityId={act.id}", 2),
        (f"participantId={a.id}", 1),
        (f"activityId={act.id}&status=active", 1),
        (f"activityId={act.id}&status=completed", 0),
    ]:
        r = await client.get(f"{URL}?{query}", headers=h)
        assert r.status_code == 200, r.text
        assert r.json()["total"] == found, query
    r = await client.get(f"{URL}?activityId={act.id}&sort=-enrolledOn", headers=h)
    assert [e["participantId"] for e in r.json()["items"]] == [str(b.id), str(a.id)]


async def test_roles_and_scope(client: httpx.AsyncClient, build: Builder, db: Database) -> None:
    club, other = await build.partner(), await build.partner()
    mine = await programme.activity(db, club)
    theirs = await programme.activity(db, other)
    person = await records.participant(db)  # not placed with the club, nor guarded by it
    row = await programme.enrollment(db, theirs, person)
    assert (await client.get(URL)).status_code == 401
    assert (await client.post(URL, json=body(mine, person))).status_code == 401
    assert (await client.get(f"{URL}/{row.id}")).status_code == 401
    for role in (Role.finance, Role.viewer):  # participant-level data
        h = build.headers_for(role)
        for method, url in [("GET", URL), ("GET", f"{URL}/{row.id}"), ("POST", URL)]:
            kw: dict[str, Any] = {"json": body(mine, person)} if method == "POST" else {}
            r = await client.request(method, url, headers=h, **kw)
            assert r.status_code == 403, (role, method, url)
            problem(r)
        assert (await client.delete(f"{URL}/{row.id}", headers=h)).status_code == 403
    h = build.headers_for(Role.partner, club)
    # The provider does not enroll a person it may not see: the answer is that of an id
    # nobody has, so it learns nothing about them (issue 14, item 5)...
    unseen = await client.post(URL, json=body(mine, person), headers=h)
    nobody = await client.post(
        URL, json={"activityId": str(mine.id), "participantId": NOWHERE}, headers=h
    )
    assert unseen.status_code == nobody.status_code == 400
    assert problem(unseen)["errors"] == problem(nobody)["errors"]
    assert [e["name"] for e in problem(unseen)["errors"]] == ["participantId"]
    gone = await records.participant(db)
    async with db.sessionmaker() as session, session.begin():
        anonymised = await session.get(Participant, gone.id)
        assert anonymised is not None
        anonymised.anonymised_at = utcnow()
    home = await records.location(db, club)
    await records.placement(db, gone, home)
    r = await client.post(URL, json=body(mine, gone), headers=h)
    assert problem(r)["errors"] == problem(nobody)["errors"]
    # ...but one placed at a location it runs.
    await records.placement(db, person, home)
    r = await client.post(URL, json=body(mine, person), headers=h)
    assert r.status_code == 201, r.text
    own = r.json()
    assert set(own) == {
        "id", "version", "createdAt", "updatedAt", "activityId", "participantId",
        "enrolledOn", "status", "endedOn",
    }  # fmt: skip
    # ...and sees only the enrollments in its own activities.
    r = await client.get(URL, headers=h)
    assert [e["id"] for e in r.json()["items"]] == [own["id"]]
    assert (await client.get(f"{URL}/{own['id']}", headers=h)).status_code == 200
    for method in ("GET", "PATCH", "DELETE"):
        kw = {"json": {"status": "active"}} if method == "PATCH" else {}
        r = await client.request(method, f"{URL}/{row.id}", headers=h, **kw)
        assert r.status_code == 404, method
        problem(r)
    # Another partner's activity is not found for it: a 400 naming activityId.
    r = await client.post(URL, json=body(theirs, person), headers=h)
    assert r.status_code == 400
    assert [e["name"] for e in problem(r)["errors"]] == ["activityId"]
    r = await client.patch(f"{URL}/{own['id']}", json={"status": "active"}, headers=h)
    assert r.status_code == 200 and r.json()["status"] == "active"
    assert (await client.delete(f"{URL}/{own['id']}", headers=h)).status_code == 204
    assert await count_enrollments(db) == 1


async def test_bad_input_lists_every_problem(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    h = build.headers_for(Role.admin)
    r = await client.post(
        URL,
        json={"participantId": "x", "enrolledOn": "2024-13-01", "status": "completed", "a": 1},
        headers=h,
    )
    assert r.status_code == 400
    names = {e["name"] for e in problem(r)["errors"]}
    assert names == {"activityId", "participantId", "enrolledOn", "status", "a"}
    r = await client.post(URL, json={"activityId": NOWHERE, "participantId": NOWHERE}, headers=h)
    assert r.status_code == 400
    assert sorted(e["name"] for e in problem(r)["errors"]) == ["activityId", "participantId"]
    r = await client.get(f"{URL}?status=lost&activityId=x&pageSize=501", headers=h)
    assert r.status_code == 400
    assert {e["name"] for e in problem(r)["errors"]} == {"status", "activityId", "pageSize"}
    assert await count_enrollments(db) == 0


async def test_rules_on_create(client: httpx.AsyncClient, build: Builder, db: Database) -> None:
    provider = await build.partner()
    act = await programme.activity(
        db,
        provider,
        starts_on=date(2024, 2, 1),
        ends_on=date(2024, 6, 30),
        capacity=2,
        groups=[Group.ukrainian_displaced, Group.unaccompanied_minor],
    )
    h = build.headers_for(Role.coordinator)
    seeker = await records.participant(db, group=Group.asylum_seeker)
    r = await client.post(URL, json=body(act, seeker), headers=h)
    assert r.status_code == 409
    p = problem(r)
    assert p["type"] == "urn:opvang:problem:target-group"
    assert p["group"] == "asylum_seeker" and "asylum_seeker" in p["detail"]
    gone = await records.participant(db)
    async with db.sessionmaker() as session, session.begin():
        await session.execute(
            update(Participant).where(Participant.id == gone.id).values(anonymised_at=utcnow())
        )
    r = await client.post(URL, json=body(act, gone), headers=h)
    assert r.status_code == 409
    assert problem(r)["type"] == "urn:opvang:problem:participant-anonymised"
    a = await records.participant(db)
    for day in ("2024-01-31", "2024-07-01"):
        r = await client.post(URL, json=body(act, a, day), headers=h)
        assert r.status_code == 409
        p = problem(r)
        assert p["type"] == "urn:opvang:problem:outside-activity-dates" and p["day"] == day
    r = await client.post(URL, json=body(act, a, "2024-02-01"), headers=h)
    assert r.status_code == 201
    first = r.json()["id"]
    r = await client.post(URL, json=body(act, a, "2024-03-01"), headers=h)
    assert r.status_code == 409
    p = problem(r)
    assert p["type"] == "urn:opvang:problem:already-enrolled" and p["enrollmentId"] == first
    # Once the first has ended, the participant may enroll again.
    r = await client.patch(
        f"{URL}/{first}", json={"status": "dropped_out", "endedOn": "2024-02-10"}, headers=h
    )
    assert r.status_code == 200, r.text
    r = await client.post(URL, json=body(act, a, "2024-03-01"), headers=h)
    assert r.status_code == 201
    b, c = await records.participant(db), await records.participant(db)
    r = await client.post(URL, json=body(act, b), headers=h)
    assert r.status_code == 201
    # Two open enrollments for two places (the dropped-out one does not count).
    r = await client.post(URL, json=body(act, c), headers=h)
    assert r.status_code == 409
    p = problem(r)
    assert p["type"] == "urn:opvang:problem:activity-full"
    assert p["open"] == 2 and p["capacity"] == 2
    assert await count_enrollments(db) == 3


async def test_status_flow(client: httpx.AsyncClient, build: Builder, db: Database) -> None:
    provider = await build.partner()
    act = await programme.activity(db, provider, ends_on=None)
    h = build.headers_for(Role.coordinator)

    async def enroll() -> str:
        person = await records.participant(db)
        r = await client.post(URL, json=body(act, person), headers=h)
        assert r.status_code == 201
        return str(r.json()["id"])

    async def move(eid: str, **change: Any) -> httpx.Response:
        return await client.patch(f"{URL}/{eid}", json=change, headers=h)

    one = await enroll()
    r = await move(one, status="completed")
    assert r.status_code == 409
    p = problem(r)
    assert p["type"] == "urn:opvang:problem:status-flow"
    assert (p["from"], p["to"]) == ("enrolled", "completed")
    r = await move(one, endedOn="2024-04-01")
    assert r.status_code == 400
    assert [e["name"] for e in problem(r)["errors"]] == ["endedOn"]
    r = await move(one, status=None, enrolledOn=None)
    assert r.status_code == 400
    assert sorted(e["name"] for e in problem(r)["errors"]) == ["enrolledOn", "status"]
    r = await move(one, enrolledOn="2023-12-31")
    assert r.status_code == 409
    assert problem(r)["type"] == "urn:opvang:problem:outside-activity-dates"
    r = await move(one, status="active", enrolledOn="2024-03-05")
    assert r.status_code == 200 and r.json()["enrolledOn"] == "2024-03-05"
    r = await move(one, status="completed", endedOn="2024-03-04")
    assert r.status_code == 400
    assert problem(r)["errors"][0]["detail"] == "Must be on or after enrolledOn."
    r = await client.patch(
        f"{URL}/{one}", json={"status": "completed"}, headers={**h, "If-Match": '"1"'}
    )
    assert r.status_code == 412
    r = await move(one, status="completed", endedOn="2024-06-01")
    assert r.status_code == 200
    assert r.json()["status"] == "completed" and r.json()["endedOn"] == "2024-06-01"
    for target in ("active", "enrolled", "dropped_out"):
        r = await move(one, status=target)
        assert r.status_code == 409
        assert (problem(r)["from"], problem(r)["to"]) == ("completed", target)
    # Correcting the end date of a closed enrollment is allowed.
    r = await move(one, endedOn="2024-06-02")
    assert r.status_code == 200 and r.json()["endedOn"] == "2024-06-02"
    two = await enroll()
    r = await move(two, status="dropped_out")  # endedOn defaults to today
    assert r.status_code == 200
    assert r.json()["endedOn"] == today().isoformat()
    r = await move(two, status="active")
    assert r.status_code == 409
    assert (problem(r)["from"], problem(r)["to"]) == ("dropped_out", "active")


async def test_delete_is_refused_once_attendance_is_recorded(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    provider = await build.partner()
    act = await programme.activity(db, provider)
    a, b = await records.participant(db), await records.participant(db)
    kept = await programme.enrollment(db, act, a)
    await programme.attended(db, kept, date(2024, 2, 6))
    mistake = await programme.enrollment(db, act, b)
    h = build.headers_for(Role.coordinator)
    r = await client.delete(f"{URL}/{kept.id}", headers=h)
    assert r.status_code == 409
    assert problem(r)["type"] == "urn:opvang:problem:enrollment-has-attendance"
    r = await client.delete(f"{URL}/{mistake.id}", headers={**h, "If-Match": '"9"'})
    assert r.status_code == 412
    assert (await client.delete(f"{URL}/{mistake.id}", headers=h)).status_code == 204
    assert (await client.get(f"{URL}/{mistake.id}", headers=h)).status_code == 404
    assert await count_enrollments(db) == 1


async def test_two_enrollments_racing_for_the_last_place(migrated: Settings) -> None:
    """Two coordinators enroll two people into the last place at the same moment, each in
    its own committed transaction: exactly one succeeds (the activity row is locked on
    PostgreSQL; on SQLite the write lock is taken before anything is read)."""
    setup = Database(build_engine(migrated))
    app = create_app(migrated)
    async with setup.sessionmaker() as session, session.begin():
        provider = Partner(name=f"Race club {uuid.uuid4().hex[:8]}", kind=PartnerKind.sports_club)
        session.add(provider)
    act = await programme.activity(setup, provider, capacity=1)
    people = [await records.participant(setup), await records.participant(setup)]
    try:
        headers = auth_headers(migrated, Role.coordinator)
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with (
            subjects.made_up_callers(setup) as hooks,  # the caller becomes a user
            httpx.AsyncClient(transport=transport, base_url="http://a", event_hooks=hooks) as one,
            httpx.AsyncClient(transport=transport, base_url="http://b", event_hooks=hooks) as two,
        ):
            answers = await asyncio.gather(
                *(
                    c.post(URL, json=body(act, p), headers=headers)
                    for c, p in zip((one, two), people, strict=True)
                )
            )
        assert sorted(a.status_code for a in answers) == [201, 409], [a.text for a in answers]
        refused = next(a for a in answers if a.status_code == 409)
        assert problem(refused)["type"] == "urn:opvang:problem:activity-full"
    finally:
        # Committed rows are ours to remove; audit events are append-only and stay.
        ids = [p.id for p in people]
        async with setup.sessionmaker() as session, session.begin():
            await session.execute(delete(Enrollment).where(Enrollment.activity_id == act.id))
            await session.execute(delete(Activity).where(Activity.id == act.id))
            await session.execute(delete(Participant).where(Participant.id.in_(ids)))
            await session.execute(delete(Partner).where(Partner.id == provider.id))
        await setup.dispose()
        await app.state.db.dispose()


async def test_the_database_holds_one_open_enrollment_per_person_and_activity(
    build: Builder, db: Database
) -> None:
    """A writer that skips the service (a script, a bug) still cannot open a second
    enrollment: the partial unique index refuses it; closed ones may repeat."""
    act = await programme.activity(db, await build.partner(), ends_on=None)
    person = await records.participant(db)

    def row(status: EnrollmentStatus, ended: date | None = None) -> Enrollment:
        return Enrollment(
            activity_id=act.id,
            participant_id=person.id,
            enrolled_on=date(2024, 2, 1),
            status=status,
            ended_on=ended,
        )

    async with db.sessionmaker() as session:
        session.add_all(
            [
                row(EnrollmentStatus.completed, date(2024, 2, 5)),
                row(EnrollmentStatus.dropped_out, date(2024, 2, 6)),
                row(EnrollmentStatus.active),
            ]
        )
        await session.commit()
    for status in (EnrollmentStatus.enrolled, EnrollmentStatus.active):
        async with db.sessionmaker() as session:
            session.add(row(status))
            try:
                await session.commit()
            except IntegrityError:
                await session.rollback()
            else:
                raise AssertionError(f"a second open enrollment ({status}) was stored")
    assert await count_enrollments(db) == 3
