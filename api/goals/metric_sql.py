"""The statements behind the metrics: each computes every requested quarter at once,
joining the quarter table (``quarters.quarter_table``) to the dated history, and answers
``{quarter index: (numerator, denominator)}`` (money numerators in cents).

"As of the quarter end" is valid time: a fact counts for a quarter when the date it is
true from (``valid_from``, ``start_date``, ``enrolled_on``, ``reported_at``,
``spent_on``, a capacity change's ``valid_from``) lies on or before the quarter's end,
whenever it was entered. So a record entered later with an earlier date (a late
correction) restates the past quarter -- the series shows the best knowledge of each
quarter, not what was known at the time; records dated after a quarter never change it.

Conventions (those of the overview and the claim engine):
- *present at the quarter end*: placed on its last day (``start_date <= end <
  end_date``; ``end_date`` is the departure day);
- *open enrollment at the quarter end*: ``enrolled_on <= end`` and ``ended_on``
  (inclusive) on or after it; without an ``ended_on`` it is open while its status is
  ``enrolled`` or ``active`` (closing always sets ``ended_on``);
- nights ``start_date <= d < end_date``; capacity-days over a location's open days.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Integer,
    and_,
    case,
    exists,
    func,
    literal_column,
    or_,
    select,
    type_coerce,
    union_all,
)
from sqlalchemy.ext.asyncio import AsyncSession

from api.db.dialect import Sql
from api.models import (
    Activity,
    Attendance,
    AttendanceStatus,
    CapacityChange,
    Enrollment,
    EnrollmentStatus,
    Expense,
    Location,
    Participant,
    ParticipantProgress,
    Placement,
    ProgressField,
    Signal,
)

Figures = dict[int, tuple[int, int]]
OPEN = (EnrollmentStatus.enrolled, EnrollmentStatus.active)


def _int(value: int) -> ColumnElement[int]:
    # Inlined: asyncpg cannot type a bare parameter in a UNION branch.
    return literal_column(str(int(value)), Integer)


def _count_if(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


async def _figures(session: AsyncSession, stmt: Any) -> Figures:
    return {int(qi): (int(n or 0), int(d or 0)) for qi, n, d in (await session.execute(stmt)).all()}


def _present(q: Any, group: str | None) -> Any:
    """``(qi, hi, pid)``: each participant placed on each quarter's last day."""
    stmt = (
        select(q.c.qi, q.c.hi, Placement.participant_id.label("pid"))
        .select_from(q)
        .join(
            Placement,
            and_(
                Placement.start_date <= q.c.hi,
                or_(Placement.end_date.is_(None), Placement.end_date > q.c.hi),
            ),
        )
    )
    if group is not None:
        stmt = stmt.join(Participant, Participant.id == Placement.participant_id).where(
            Participant.group == group
        )
    return stmt.distinct().subquery("present")


async def progress_share(
    session: AsyncSession, q: Any, *, field: ProgressField, values: list[str], group: str | None
) -> Figures:
    """Of the participants present at the quarter end, those whose latest ``field`` entry
    on or before it is one of ``values`` (no entry: ``none`` / ``not_working``)."""
    p = _present(q, group)
    h = ParticipantProgress
    latest = (
        select(h.value)
        .where(h.participant_id == p.c.pid, h.field == field, h.valid_from <= p.c.hi)
        .order_by(h.valid_from.desc(), h.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    per_person = select(p.c.qi, latest.label("value")).subquery("per_person")
    stmt = select(
        per_person.c.qi, _count_if(per_person.c.value.in_(values)), func.count()
    ).group_by(per_person.c.qi)
    return await _figures(session, stmt)


async def participation(
    session: AsyncSession, q: Any, *, activity_kind: str, group: str | None
) -> Figures:
    """Of the participants present at the quarter end, those with an enrollment open
    then in an activity of ``activity_kind``."""
    p = _present(q, group)
    e = Enrollment
    still_open = or_(e.ended_on >= p.c.hi, and_(e.ended_on.is_(None), e.status.in_(OPEN)))
    enrolled = exists(
        select(e.id)
        .join(Activity, Activity.id == e.activity_id)
        .where(
            e.participant_id == p.c.pid,
            Activity.kind == activity_kind,
            e.enrolled_on <= p.c.hi,
            still_open,
        )
    )
    per_person = select(p.c.qi, case((enrolled, 1), else_=0).label("taking_part")).subquery(
        "per_person"
    )
    stmt = select(per_person.c.qi, func.sum(per_person.c.taking_part), func.count()).group_by(
        per_person.c.qi
    )
    return await _figures(session, stmt)


async def attendance(session: AsyncSession, q: Any, *, activity_kind: str | None) -> Figures:
    """Sessions in the quarter: present / recorded (present, absent, excused)."""
    stmt = (
        select(
            q.c.qi,
            _count_if(Attendance.status == AttendanceStatus.present),
            func.count(Attendance.id),
        )
        .select_from(q)
        .join(
            Attendance, and_(Attendance.session_date >= q.c.lo, Attendance.session_date <= q.c.hi)
        )
    )
    if activity_kind is not None:
        stmt = stmt.join(Activity, Activity.id == Attendance.activity_id).where(
            Activity.kind == activity_kind
        )
    return await _figures(session, stmt.group_by(q.c.qi))


def _of_kind(column: Any, location_kind: str | None) -> ColumnElement[bool]:
    if location_kind is None:
        return literal_column("1", Integer) == 1
    return column.in_(select(Location.id).where(Location.kind == location_kind))  # type: ignore[no-any-return]


def person_nights(sql: Sql, q: Any, location_kind: str | None) -> Any:
    """``(qi, nights)`` per quarter: clipped interval lengths, no row per night."""
    lo = sql.greatest(sql.dayno(Placement.start_date), q.c.lo_n)
    hi = sql.least(func.coalesce(sql.dayno(Placement.end_date), q.c.end_n), q.c.end_n)
    return (
        select(q.c.qi, func.sum(hi - lo).label("n"))
        .select_from(q)
        .join(
            Placement,
            and_(
                Placement.start_date <= q.c.hi,
                or_(Placement.end_date.is_(None), Placement.end_date > q.c.lo),
            ),
        )
        .where(_of_kind(Placement.location_id, location_kind))
        .group_by(q.c.qi)
    )


def capacity_days(sql: Sql, q: Any, location_kind: str | None) -> Any:
    """``(qi, days)``: each capacity interval ``[change, next change)`` clipped to the
    location's open days and to the quarter, times its capacity (as the claim engine)."""
    frm = sql.dayno(CapacityChange.valid_from)
    history = (
        select(
            CapacityChange.location_id.label("location_id"),
            frm.label("frm"),
            func.lead(frm)
            .over(partition_by=CapacityChange.location_id, order_by=CapacityChange.valid_from)
            .label("nxt"),
            CapacityChange.capacity.label("capacity"),
        )
        .where(_of_kind(CapacityChange.location_id, location_kind))
        .subquery("history")
    )
    h = history.c
    lo = sql.greatest(h.frm, sql.dayno(Location.opened_on), q.c.lo_n)
    hi = sql.least(
        func.coalesce(h.nxt, q.c.end_n),
        func.coalesce(sql.dayno(Location.closed_on) + _int(1), q.c.end_n),
        q.c.end_n,
    )
    return (
        select(q.c.qi, func.sum(h.capacity * sql.greatest(hi - lo, _int(0))).label("n"))
        .select_from(history)
        .join(Location, Location.id == h.location_id)
        .join(q, and_(h.frm < q.c.end_n, or_(h.nxt.is_(None), h.nxt > q.c.lo_n)))
        .group_by(q.c.qi)
    )


def _expenses(q: Any, category: str | None, location_kind: str | None) -> Any:
    """``(qi, cents)`` of the expenses booked in each quarter."""
    raw = type_coerce(Expense.amount, BigInteger)  # cents, as stored
    stmt = (
        select(q.c.qi, func.sum(raw).label("n"))
        .select_from(q)
        .join(Expense, and_(Expense.spent_on >= q.c.lo, Expense.spent_on <= q.c.hi))
    )
    if category is not None:
        stmt = stmt.where(Expense.category == category)
    if location_kind is not None:
        stmt = stmt.where(_of_kind(Expense.location_id, location_kind))
    return stmt.group_by(q.c.qi)


async def _ratio(session: AsyncSession, top: Any, bottom: Any) -> Figures:
    """One statement: the numerator's and the denominator's rows side by side."""
    a, b = top.subquery("top"), bottom.subquery("bottom")
    both = union_all(
        select(a.c.qi, a.c.n.label("n"), _int(0).label("d")),
        select(b.c.qi, _int(0), b.c.n),
    ).subquery("both")
    stmt = select(both.c.qi, func.sum(both.c.n), func.sum(both.c.d)).group_by(both.c.qi)
    return await _figures(session, stmt)


async def occupancy(
    session: AsyncSession, sql: Sql, q: Any, *, location_kind: str | None
) -> Figures:
    """Person-nights / capacity-days in the quarter."""
    return await _ratio(
        session, person_nights(sql, q, location_kind), capacity_days(sql, q, location_kind)
    )


async def cost_per_place_day(
    session: AsyncSession, sql: Sql, q: Any, *, category: str | None, location_kind: str | None
) -> Figures:
    """Expenses in the quarter (cents) / capacity-days."""
    return await _ratio(
        session, _expenses(q, category, location_kind), capacity_days(sql, q, location_kind)
    )


async def cost_per_participant(
    session: AsyncSession, q: Any, *, category: str | None, location_kind: str | None
) -> Figures:
    """Expenses in the quarter (cents) / distinct participants placed at least one night
    in it."""
    present = (
        select(q.c.qi, func.count(func.distinct(Placement.participant_id)).label("n"))
        .select_from(q)
        .join(
            Placement,
            and_(
                Placement.start_date <= q.c.hi,
                or_(Placement.end_date.is_(None), Placement.end_date > q.c.lo),
            ),
        )
        .where(_of_kind(Placement.location_id, location_kind))
        .group_by(q.c.qi)
    )
    return await _ratio(session, _expenses(q, category, location_kind), present)


def _within(sql: Sql, days: int) -> ColumnElement[bool]:
    """Resolved at most ``days`` days after it was reported (interval arithmetic)."""
    return sql.within_days(Signal.reported_at, Signal.resolved_at, days)


async def signals_resolved(
    session: AsyncSession,
    sql: Sql,
    q: Any,
    *,
    days: int,
    category: str | None,
    severity: str | None,
) -> Figures:
    """Of the signals reported in the quarter, those resolved within ``days`` days of
    their report AND before the quarter ended (a resolution after the quarter end is a
    later fact: it does not count, even when it came within ``days``)."""
    resolved = and_(
        Signal.resolved_at.is_not(None), Signal.resolved_at < q.c.ts_end, _within(sql, days)
    )
    stmt = (
        select(q.c.qi, _count_if(resolved), func.count(Signal.id))
        .select_from(q)
        .join(Signal, and_(Signal.reported_at >= q.c.ts_lo, Signal.reported_at < q.c.ts_end))
    )
    if category is not None:
        stmt = stmt.where(Signal.category == category)
    if severity is not None:
        stmt = stmt.where(Signal.severity == severity)
    return await _figures(session, stmt.group_by(q.c.qi))
