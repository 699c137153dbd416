"""Attendance per session: the whole list replaced at once, validated against the
enrollments open on that date; every role, on both engines."""

from __future__ import annotations

from datetime import date
from typing import Any

import httpx
from sqlalchemy import func, select

from api.db import Database
from api.models import AttendanceStatus, AuditEvent, EnrollmentStatus, Role
from tests.support import programme, records
from tests.support.builders import Builder, problem

URL = "/api/v1/activities"


def entries(*pairs: tuple[Any, str]) -> list[dict[str, str]]:
    return [{"participantId": str(p.id), "status": s} for p, s in pairs]


def sorted_by_id(items: list[dict[str, str]]) -> list[dict[str, str]]:
    return sorted(items, key=lambda e: e["participantId"])


async def test_replace_and_read_a_session(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    provider = await build.partner()
    act = await programme.activity(db, provider)
    a, b, c = [await records.participant(db) for _ in range(3)]
    for person in (a, b, c):
        await programme.enrollment(db, act, person, on=date(2024, 2, 1))
    h = build.headers_for(Role.coordinator)
    url = f"{URL}/{act.id}/attendance/2024-02-06"
    assert (await client.get(url, headers=h)).json() == []
    first = entries((a, "present"), (b, "absent"), (c, "excused"))
    r = await client.put(url, json=first, headers=h)
    assert r.status_code == 200, r.text
    assert r.json() == sorted_by_id(first)
    r = await client.get(url, headers=h)
    assert r.status_code == 200 and r.json() == sorted_by_id(first)
    # The whole list replaces the session's: b is no longer listed, a changed.
    second = entries((a, "excused"), (c, "present"))
    assert (await client.put(url, json=second, headers=h)).status_code == 200
    assert (await client.get(url, headers=h)).json() == sorted_by_id(second)
    # Another session is untouched; an empty list clears one.
    other = f"{URL}/{act.id}/attendance/2024-02-13"
    assert (await client.put(other, json=entries((b, "present")), headers=h)).status_code == 200
    assert (await client.put(url, json=[], headers=h)).json() == []
    assert (await client.get(url, headers=h)).json() == []
    assert (await client.get(other, headers=h)).json() == entries((b, "present"))
    async with db.sessionmaker() as session:
        events = await session.scalar(
            select(func.count(AuditEvent.id)).where(
                AuditEvent.action == "attendance_replaced", AuditEvent.entity_id == str(act.id)
            )
        )
    assert events == 4


async def test_roles_and_scope(client: httpx.AsyncClient, build: Builder, db: Database) -> None:
    club, other = await build.partner(), await build.partner()
    act = await programme.activity(db, club)
    person = await records.participant(db)
    await programme.enrollment(db, act, person)
    url = f"{URL}/{act.id}/attendance/2024-03-05"
    listed = entries((person, "present"))
    assert (await client.get(url)).status_code == 401
    assert (await client.put(url, json=listed)).status_code == 401
    for role in (Role.finance, Role.viewer):
        h = build.headers_for(role)
        assert (await client.get(url, headers=h)).status_code == 403
        r = await client.put(url, json=listed, headers=h)
        assert r.status_code == 403
        problem(r)
    h = build.headers_for(Role.partner, other)
    for method in ("GET", "PUT"):
        r = await client.request(method, url, headers=h, json=listed)
        assert r.status_code == 404, method
        problem(r)
    h = build.headers_for(Role.partner, club)
    assert (await client.put(url, json=listed, headers=h)).status_code == 200
    assert (await client.get(url, headers=h)).json() == listed
    admin = build.headers_for(Role.admin)
    assert (await client.get(url, headers=admin)).json() == listed
    r = await client.get(
        f"{URL}/6f1c6a9e-7d5e-4a50-8d2c-3f4b5a6c7d8e/attendance/2024-03-05", headers=admin
    )
    assert r.status_code == 404


async def test_bad_input(client: httpx.AsyncClient, build: Builder, db: Database) -> None:
    provider = await build.partner()
    act = await programme.activity(db, provider)
    a, b = await records.participant(db), await records.participant(db)
    for person in (a, b):
        await programme.enrollment(db, act, person)
    h = build.headers_for(Role.coordinator)
    url = f"{URL}/{act.id}/attendance/2024-03-05"
    await client.put(url, json=entries((a, "present")), headers=h)
    r = await client.put(f"{URL}/{act.id}/attendance/2024-02-30", json=[], headers=h)
    assert r.status_code == 400
    assert [e["name"] for e in problem(r)["errors"]] == ["date"]
    r = await client.put(
        url,
        json=[
            {"participantId": "x", "status": "present"},
            {"participantId": str(a.id), "status": "late"},
            {"participantId": str(b.id)},
            {"participantId": str(b.id), "status": "present", "note": "hi"},
        ],
        headers=h,
    )
    assert r.status_code == 400
    names = {e["name"] for e in problem(r)["errors"]}
    assert names == {"0.participantId", "1.status", "2.status", "3.note"}
    r = await client.put(url, json={"participantId": str(a.id)}, headers=h)
    assert r.status_code == 400
    r = await client.put(
        url, json=entries((a, "present"), (b, "absent"), (a, "excused")), headers=h
    )
    assert r.status_code == 400
    assert [e["name"] for e in problem(r)["errors"]] == ["[0].participantId", "[2].participantId"]
    # Nothing changed by the refused writes.
    assert (await client.get(url, headers=h)).json() == entries((a, "present"))


async def test_only_enrollments_open_on_the_date(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    provider = await build.partner()
    act = await programme.activity(
        db, provider, starts_on=date(2024, 1, 1), ends_on=date(2024, 6, 30)
    )
    early, late, gone, outsider = [await records.participant(db) for _ in range(4)]
    await programme.enrollment(db, act, early, on=date(2024, 1, 10))
    await programme.enrollment(db, act, late, on=date(2024, 3, 1), status=EnrollmentStatus.active)
    await programme.enrollment(
        db,
        act,
        gone,
        on=date(2024, 1, 10),
        status=EnrollmentStatus.dropped_out,
        ended_on=date(2024, 2, 15),
    )
    h = build.headers_for(Role.coordinator)

    async def put(day: str, *people: Any) -> httpx.Response:
        listed = [{"participantId": str(p.id), "status": "present"} for p in people]
        return await client.put(f"{URL}/{act.id}/attendance/{day}", json=listed, headers=h)

    assert (await put("2024-02-15", early, gone)).status_code == 200  # endedOn inclusive
    r = await put("2024-02-16", early, gone, late, outsider)
    assert r.status_code == 409
    p = problem(r)
    assert p["type"] == "urn:opvang:problem:not-enrolled"
    assert sorted(p["participantIds"]) == sorted(str(x.id) for x in (gone, late, outsider))
    assert str(outsider.id) in p["detail"] and p["day"] == "2024-02-16"
    assert (await put("2024-03-01", early, late)).status_code == 200  # enrolledOn inclusive
    for day in ("2023-12-31", "2024-07-01"):
        r = await put(day)
        assert r.status_code == 409
        p = problem(r)
        assert p["type"] == "urn:opvang:problem:outside-activity-dates" and p["day"] == day
    # Nothing half-written: the refused session holds nothing.
    r = await client.get(f"{URL}/{act.id}/attendance/2024-02-16", headers=h)
    assert r.json() == []


async def test_a_day_ending_one_enrollment_and_starting_the_next(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    provider = await build.partner()
    act = await programme.activity(db, provider)
    person = await records.participant(db)
    await programme.enrollment(
        db,
        act,
        person,
        on=date(2024, 2, 1),
        status=EnrollmentStatus.completed,
        ended_on=date(2024, 3, 1),
    )
    again = await programme.enrollment(db, act, person, on=date(2024, 3, 1))
    h = build.headers_for(Role.coordinator)
    url = f"{URL}/{act.id}/attendance/2024-03-01"
    r = await client.put(url, json=entries((person, AttendanceStatus.present.value)), headers=h)
    assert r.status_code == 200, r.text
    # Recorded on the enrollment that starts that day, so the later one cannot be deleted.
    r = await client.delete(f"/api/v1/enrollments/{again.id}", headers=h)
    assert r.status_code == 409


async def test_recorded_sessions_stay_within_the_dates(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    """Changing an enrollment's or an activity's dates never strands recorded attendance."""
    provider = await build.partner()
    act = await programme.activity(db, provider)
    person = await records.participant(db)
    row = await programme.enrollment(
        db, act, person, on=date(2024, 2, 1), status=EnrollmentStatus.active
    )
    await programme.attended(db, row, date(2024, 2, 6))
    h = build.headers_for(Role.coordinator)
    enrollment = f"/api/v1/enrollments/{row.id}"
    r = await client.patch(enrollment, json={"enrolledOn": "2024-02-07"}, headers=h)
    assert r.status_code == 409
    p = problem(r)
    assert p["type"] == "urn:opvang:problem:attendance-outside-enrollment"
    assert p["day"] == "2024-02-06"
    r = await client.patch(
        enrollment, json={"status": "dropped_out", "endedOn": "2024-02-05"}, headers=h
    )
    assert r.status_code == 409
    assert problem(r)["type"] == "urn:opvang:problem:attendance-outside-enrollment"
    r = await client.patch(
        enrollment, json={"status": "dropped_out", "endedOn": "2024-02-06"}, headers=h
    )
    assert r.status_code == 200
    r = await client.patch(f"{URL}/{act.id}", json={"endsOn": "2024-02-05"}, headers=h)
    assert r.status_code == 409
    p = problem(r)
    assert p["type"] == "urn:opvang:problem:attendance-outside-dates" and p["day"] == "2024-02-06"
    r = await client.patch(f"{URL}/{act.id}", json={"endsOn": "2024-02-06"}, headers=h)
    assert r.status_code == 200
