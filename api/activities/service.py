"""Activities: reads within the caller's scope (a partner sees what it provides) and the
rules for writes: a partner manages only its own activities; dates and capacity never
strand the enrollments already made; an activity with enrollments is not deleted."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from sqlalchemy import case, exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from api.activities.schemas import ActivityCreate, ActivityQuery, ActivityRead, ActivityUpdate
from api.auth.principal import Principal
from api.auth.scoping import FastRead, read_scoped, scoped
from api.common.etag import check_if_match
from api.common.pagination import read_columns
from api.db import take_write_lock
from api.errors import (
    BadRequest,
    Conflict,
    FieldProblem,
    Forbidden,
    NotFound,
    ProblemType,
    field_problem,
)
from api.models import Activity, Attendance, Enrollment, EnrollmentStatus, Location, Partner

OPEN = (EnrollmentStatus.enrolled, EnrollmentStatus.active)
READ_COLUMNS = read_columns(Activity, ActivityRead)
BY_ID = FastRead(Activity, ActivityRead, "activity")
SORTABLE = {
    "title": Activity.title,
    "kind": Activity.kind,
    "startsOn": Activity.starts_on,
    "endsOn": Activity.ends_on,
    "createdAt": Activity.created_at,
}
# Fields a PATCH may not set to null (the others are optional on the resource).
REQUIRED = {
    "title": "title",
    "kind": "kind",
    "provider_partner_id": "providerPartnerId",
    "starts_on": "startsOn",
    "target_groups": "targetGroups",
    "weekdays": "weekdays",
}


def _fullness() -> list[Any]:
    """`enrolled` and `free` of each listed activity: one grouped count of the open
    enrollments, joined to the page (not a count per activity)."""
    taken = (
        select(Enrollment.activity_id, func.count(Enrollment.id).label("n"))
        .where(Enrollment.status.in_(OPEN))
        .group_by(Enrollment.activity_id)
        .subquery("taken")
    )
    enrolled = func.coalesce(taken.c.n, 0)
    free = case(
        (Activity.capacity.is_(None), None),
        (enrolled >= Activity.capacity, 0),
        else_=Activity.capacity - enrolled,
    )
    return [taken, enrolled.label("enrolled"), free.label("free")]


def list_statement(query: ActivityQuery, principal: Principal) -> Any:
    taken, enrolled, free = _fullness()
    stmt = scoped(
        select(*READ_COLUMNS, enrolled, free).outerjoin(taken, taken.c.activity_id == Activity.id),
        Activity,
        principal,
    )
    if query.kind is not None:
        stmt = stmt.where(Activity.kind == query.kind)
    if query.provider_partner_id is not None:
        stmt = stmt.where(Activity.provider_partner_id == query.provider_partner_id)
    if query.location_id is not None:
        stmt = stmt.where(Activity.location_id == query.location_id)
    if query.active_on is not None:
        stmt = stmt.where(
            Activity.starts_on <= query.active_on,
            or_(Activity.ends_on.is_(None), Activity.ends_on >= query.active_on),
        )
    if query.q:
        stmt = stmt.where(func.lower(Activity.title).contains(query.q.lower(), autoescape=True))
    return stmt


async def read(session: AsyncSession, *, activity_id: uuid.UUID, principal: Principal) -> Any:
    return await read_scoped(session, Activity, READ_COLUMNS, activity_id, principal, "activity")


async def lock(session: AsyncSession, activity_id: uuid.UUID, principal: Principal) -> Activity:
    """Load an activity for a write, in the caller's scope (else 404), holding its row
    lock until commit so enrollments and capacity changes of one activity are serialised
    (``FOR UPDATE`` on PostgreSQL, the database write lock on SQLite)."""
    await take_write_lock(session)
    stmt = scoped(select(Activity).where(Activity.id == activity_id), Activity, principal)
    activity = (await session.execute(stmt.with_for_update())).scalar_one_or_none()
    if activity is None:
        raise NotFound(f"There is no activity with id {activity_id}.")
    return activity


def _check_provider(principal: Principal, provider_id: uuid.UUID) -> None:
    if principal.is_partner and provider_id != principal.partner_id:
        raise Forbidden(
            "A partner manages only the activities it provides: providerPartnerId must be "
            "its own partner id.",
            type_=ProblemType.NOT_THE_PROVIDER,
        )


async def _reference_problems(
    session: AsyncSession,
    values: dict[str, Any],
    actor: Principal,
    *,
    starts_on: date,
    ends_on: date | None,
) -> list[FieldProblem]:
    problems = []
    if ends_on is not None and ends_on < starts_on:
        problems.append(
            field_problem("body", "endsOn", "Must be on or after startsOn.", code="before_start")
        )
    provider = values.get("provider_partner_id")
    if provider is not None and await session.get(Partner, provider) is None:
        problems.append(
            field_problem(
                "body", "providerPartnerId", "There is no such partner.", code="not_found"
            )
        )
    venue = values.get("location_id")
    # A partner holds its activities at its own locations (or names none): another
    # partner's location reads as unknown, so whether an id exists does not leak.
    if venue is not None:
        found = scoped(select(Location.id).where(Location.id == venue), Location, actor)
        if await session.scalar(found) is None:
            problems.append(
                field_problem("body", "locationId", "There is no such location.", code="not_found")
            )
    return problems


def _invalid(problems: list[FieldProblem]) -> BadRequest:
    return BadRequest(
        f"The activity has {len(problems)} invalid value(s); see errors.",
        type_=ProblemType.INVALID_INPUT,
        errors=problems,
    )


async def create(session: AsyncSession, *, data: ActivityCreate, actor: Principal) -> Activity:
    _check_provider(actor, data.provider_partner_id)
    values = data.model_dump(by_alias=False)
    problems = await _reference_problems(
        session, values, actor, starts_on=data.starts_on, ends_on=data.ends_on
    )
    if problems:
        raise _invalid(problems)
    values["target_groups"] = [g.value for g in data.target_groups]
    activity = Activity(**values)
    session.add(activity)
    await session.flush()
    return activity


async def _check_enrollments_still_fit(session: AsyncSession, activity: Activity) -> None:
    """A change of dates or capacity must leave every enrollment and session valid."""
    before_or_after = [Enrollment.enrolled_on < activity.starts_on]
    if activity.ends_on is not None:
        before_or_after.append(Enrollment.enrolled_on > activity.ends_on)
    outside = select(Enrollment.id, Enrollment.enrolled_on).where(
        Enrollment.activity_id == activity.id, or_(*before_or_after)
    )
    stray = (await session.execute(outside.limit(1))).first()
    if stray is not None:
        raise Conflict(
            f"Enrollment {stray.id} starts on {stray.enrolled_on}, outside the new dates.",
            type_=ProblemType.ENROLLMENTS_OUTSIDE_DATES,
            extra={"enrollmentId": str(stray.id), "day": stray.enrolled_on.isoformat()},
        )
    session_outside = [Attendance.session_date < activity.starts_on]
    if activity.ends_on is not None:
        session_outside.append(Attendance.session_date > activity.ends_on)
    day = await session.scalar(
        select(func.min(Attendance.session_date)).where(
            Attendance.activity_id == activity.id, or_(*session_outside)
        )
    )
    if day is not None:
        raise Conflict(
            f"Attendance is recorded for the session of {day}, outside the new dates.",
            type_=ProblemType.ATTENDANCE_OUTSIDE_DATES,
            extra={"day": day.isoformat()},
        )
    if activity.capacity is None:
        return
    open_count = await session.scalar(
        select(func.count(Enrollment.id)).where(
            Enrollment.activity_id == activity.id, Enrollment.status.in_(OPEN)
        )
    )
    if (open_count or 0) > activity.capacity:
        raise Conflict(
            f"The activity has {open_count} open enrollments; capacity {activity.capacity} "
            "would be below that.",
            type_=ProblemType.ACTIVITY_OVER_CAPACITY,
            extra={"field": "capacity", "open": open_count, "capacity": activity.capacity},
        )


async def update(
    session: AsyncSession,
    *,
    activity_id: uuid.UUID,
    data: ActivityUpdate,
    actor: Principal,
    if_match: str | None,
) -> Activity:
    activity = await lock(session, activity_id, actor)
    check_if_match(if_match, activity.version)
    changes = data.model_dump(exclude_unset=True, by_alias=False)
    problems = [
        field_problem("body", REQUIRED[name], "Cannot be cleared.", code="cannot_clear")
        for name, value in changes.items()
        if value is None and name in REQUIRED
    ]
    if changes.get("provider_partner_id") is not None:
        _check_provider(actor, changes["provider_partner_id"])
    starts_on = changes.get("starts_on") or activity.starts_on
    ends_on = changes.get("ends_on", activity.ends_on)
    problems += await _reference_problems(
        session, changes, actor, starts_on=starts_on, ends_on=ends_on
    )
    if problems:
        raise _invalid(problems)
    if "target_groups" in changes:
        # Narrowing the groups keeps the enrollments already made; it applies to new ones.
        changes["target_groups"] = [g.value for g in changes["target_groups"]]
    for name, value in changes.items():
        setattr(activity, name, value)
    await _check_enrollments_still_fit(session, activity)
    await session.flush()
    return activity


async def delete(
    session: AsyncSession, *, activity_id: uuid.UUID, actor: Principal, if_match: str | None
) -> None:
    activity = await lock(session, activity_id, actor)
    check_if_match(if_match, activity.version)
    if await session.scalar(select(exists().where(Enrollment.activity_id == activity.id))):
        raise Conflict(
            "The activity has enrollments; end them (status completed or dropped_out) "
            "instead of deleting the activity.",
            type_=ProblemType.ACTIVITY_HAS_ENROLLMENTS,
        )
    await session.delete(activity)
    await session.flush()
