"""Signal rules: a partner works only on the signals about the locations it operates
(and names one of them), `reportedAt` is never in the future, the status flow
``open -> in_progress -> resolved`` (a resolved signal may be reopened to in_progress),
`resolvedAt` kept by the service, and `overdue` computed in SQL so lists can filter on it.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, false, not_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from api.audit.service import record
from api.auth.principal import Principal
from api.auth.scoping import get_scoped, scoped
from api.common.etag import check_if_match
from api.config import get_settings
from api.errors import (
    BadRequest,
    Conflict,
    FieldProblem,
    Forbidden,
    NotFound,
    ProblemType,
    field_problem,
)
from api.models import (
    Location,
    Role,
    Severity,
    Signal,
    SignalAction,
    SignalStatus,
    User,
    utcnow,
)
from api.signals.schemas import (
    SignalActionCreate,
    SignalActionRead,
    SignalCreate,
    SignalOwnerRead,
    SignalQuery,
    SignalSummary,
    SignalUpdate,
)

# Partner systems' clocks may run a little ahead; a report "from the future" beyond this
# is a mistake.
CLOCK_SKEW = timedelta(minutes=2)
FLOW: dict[SignalStatus, frozenset[SignalStatus]] = {
    SignalStatus.open: frozenset({SignalStatus.in_progress}),
    SignalStatus.in_progress: frozenset({SignalStatus.resolved}),
    SignalStatus.resolved: frozenset({SignalStatus.in_progress}),  # reopened
}
SORTABLE = {
    "reportedAt": Signal.reported_at,
    "severity": Signal.severity,
    "status": Signal.status,
    "createdAt": Signal.created_at,
    "category": Signal.category,
    "ownerEmail": User.email,
}
DEFAULT_ORDER = [Signal.reported_at.desc(), Signal.id]
_OWN = [
    getattr(Signal, n) for n in SignalSummary.model_fields if n not in ("overdue", "owner_email")
]
# Who may own a signal: the staff who work on them (partners' users are not staff).
OWNER_ROLES = (Role.admin, Role.coordinator)
_ACTION_COLUMNS = [getattr(SignalAction, n) for n in SignalActionRead.model_fields]


def now() -> datetime:
    """The service's clock (a function, so tests can stop it at a boundary)."""
    return utcnow()


def due_at(reported_at: datetime, severity: Severity) -> datetime:
    """When a signal should be resolved: ``reported_at`` plus the days its severity allows
    (settings ``OPVANG_SIGNAL_DUE_DAYS_HIGH/MEDIUM/LOW``, 7/14/28 by default). Every way
    in (dashboard, partner events, imports) sets it through here."""
    settings = get_settings()
    days = {
        Severity.high: settings.signal_due_days_high,
        Severity.medium: settings.signal_due_days_medium,
        Severity.low: settings.signal_due_days_low,
    }[severity]
    return reported_at + timedelta(days=days)


def is_overdue(at: datetime, overdue_days: int) -> ColumnElement[bool]:
    """Not resolved and past its due date (issue 18). A row without a due date (written
    around the service) falls back to the older rule: high severity, reported more than
    ``overdue_days`` (``OPVANG_SIGNAL_OVERDUE_DAYS``) days before ``at``. Cut-offs are
    computed here and compared in SQL: no date arithmetic in the database, so both engines
    agree to the microsecond."""
    return overdue_at(at, at - timedelta(days=overdue_days))


def overdue_at(at: Any, high_before: Any) -> ColumnElement[bool]:
    """``is_overdue`` with its two moments as values or bind parameters: ``at``, and
    ``high_before`` for the older rule (``at`` less the overdue days)."""
    return and_(
        Signal.status != SignalStatus.resolved,
        or_(
            and_(Signal.due_at.is_not(None), Signal.due_at < at),
            and_(
                Signal.due_at.is_(None),
                Signal.severity == Severity.high,
                Signal.reported_at < high_before,
            ),
        ),
    )


def read_statement(overdue_days: int) -> Select[Any]:
    """The signal's own columns, `overdue`, and the owner's e-mail address (outer join)."""
    return select_with(is_overdue(now(), overdue_days))


def select_with(overdue: ColumnElement[bool]) -> Select[Any]:
    """``read_statement`` for an ``overdue`` condition."""
    flag = case((overdue, True), else_=False)
    return (
        select(*_OWN, User.email.label("owner_email"), flag.label("overdue"))
        .select_from(Signal)
        .outerjoin(User, User.id == Signal.owner_user_id)
    )


def _owner_filter(owner: str, principal: Principal) -> ColumnElement[bool]:
    if owner == "none":
        return Signal.owner_user_id.is_(None)
    if owner == "me":
        # An API client is no user: it owns nothing.
        if principal.kind != "user" or principal.id is None:
            return false()
        return Signal.owner_user_id == principal.id
    return Signal.owner_user_id == uuid.UUID(owner)


def list_statement(query: SignalQuery, principal: Principal, overdue_days: int) -> Any:
    stmt = scoped(read_statement(overdue_days), Signal, principal)
    if query.owner is not None:
        stmt = stmt.where(_owner_filter(query.owner, principal))
    for column, value in (
        (Signal.status, query.status),
        (Signal.severity, query.severity),
        (Signal.category, query.category),
        (Signal.location_id, query.location_id),
    ):
        if value is not None:
            stmt = stmt.where(column == value)
    if query.overdue is not None:
        overdue = is_overdue(now(), overdue_days)
        stmt = stmt.where(overdue if query.overdue else not_(overdue))
    if query.due_before is not None:
        stmt = stmt.where(Signal.due_at < query.due_before)
    if query.from_ is not None:
        stmt = stmt.where(Signal.reported_at >= query.from_)
    if query.to is not None:
        stmt = stmt.where(Signal.reported_at <= query.to)
    return stmt


def check_query(query: SignalQuery) -> None:
    if query.from_ is not None and query.to is not None and query.to < query.from_:
        raise BadRequest(
            "The period is empty.",
            type_=ProblemType.INVALID_INPUT,
            errors=[field_problem("query", "to", "Must be on or after from.", code="before_start")],
        )


async def read(
    session: AsyncSession, *, signal_id: uuid.UUID, principal: Principal, overdue_days: int
) -> tuple[Any, list[Any]]:
    """The signal's row and its actions, oldest first: two statements, no ORM objects."""
    stmt = scoped(read_statement(overdue_days).where(Signal.id == signal_id), Signal, principal)
    row = (await session.execute(stmt)).one_or_none()
    if row is None:
        raise NotFound(f"There is no signal with id {signal_id}.")
    actions = await session.execute(
        select(*_ACTION_COLUMNS)
        .where(SignalAction.signal_id == signal_id)
        .order_by(SignalAction.created_at, SignalAction.id)
    )
    return row, list(actions.all())


async def _location_problems(
    session: AsyncSession, location_id: uuid.UUID | None, principal: Principal
) -> list[FieldProblem]:
    if location_id is None:
        if principal.is_partner:
            return [
                field_problem(
                    "body",
                    "locationId",
                    "Required for a partner: one of the locations it operates.",
                )
            ]
        return []
    # Another partner's location is answered like a missing one: its existence does not leak.
    found = scoped(select(Location.id).where(Location.id == location_id), Location, principal)
    if (await session.execute(found)).first() is None:
        return [field_problem("body", "locationId", "There is no such location.", code="not_found")]
    return []


async def _owner_problems(
    session: AsyncSession, owner_id: uuid.UUID | None, principal: Principal
) -> list[FieldProblem]:
    if principal.is_partner:
        raise Forbidden("Only staff (admin, coordinator) choose a signal's owner (ownerUserId).")
    if owner_id is None:
        return []
    found = select(User.id).where(User.id == owner_id, User.role.in_(OWNER_ROLES))
    if (await session.execute(found)).first() is None:
        return [
            field_problem(
                "body", "ownerUserId", "There is no staff user (admin, coordinator) with this id."
            )
        ]
    return []


def owners_statement() -> Select[Any]:
    """The staff users who may own a signal, by e-mail address."""
    columns = [getattr(User, n) for n in SignalOwnerRead.model_fields]
    return select(*columns).where(User.role.in_(OWNER_ROLES))


def _reported_problems(reported_at: datetime | None) -> list[FieldProblem]:
    if reported_at is not None and reported_at > now() + CLOCK_SKEW:
        return [
            field_problem(
                "body", "reportedAt", "Must not lie in the future.", code="date_in_future"
            )
        ]
    return []


def _bad(problems: list[FieldProblem]) -> BadRequest:
    return BadRequest(
        f"The signal has {len(problems)} invalid value(s); see errors.",
        type_=ProblemType.INVALID_INPUT,
        errors=problems,
    )


async def create(session: AsyncSession, *, data: SignalCreate, actor: Principal) -> Signal:
    problems = _reported_problems(data.reported_at)
    problems += await _location_problems(session, data.location_id, actor)
    if "owner_user_id" in data.model_fields_set:
        problems += await _owner_problems(session, data.owner_user_id, actor)
    if problems:
        raise _bad(problems)
    signal = Signal(
        **data.model_dump(by_alias=False),
        status=SignalStatus.open,
        due_at=due_at(data.reported_at, data.severity),
    )
    session.add(signal)
    await session.flush()
    return signal


def check_move(before: SignalStatus, after: SignalStatus) -> None:
    if after is before or after in FLOW[before]:
        return
    allowed = ", ".join(sorted(s.value for s in FLOW[before]))
    raise Conflict(
        f"A signal cannot move from '{before.value}' to '{after.value}' "
        f"(from '{before.value}' only to: {allowed}).",
        type_=ProblemType.STATUS_FLOW,
        extra={"field": "status", "from": before.value, "to": after.value},
    )


def _move(signal: Signal, after: SignalStatus, *, pick_up: bool = False) -> None:
    """Set the status by the flow; with ``pick_up``, an open signal may be resolved at once
    (it passes through in_progress, so the flow holds)."""
    before = signal.status
    if pick_up and before is SignalStatus.open and after is SignalStatus.resolved:
        before = SignalStatus.in_progress
    check_move(before, after)
    if after is not signal.status:
        signal.status = after
        signal.resolved_at = now() if after is SignalStatus.resolved else None


async def update(
    session: AsyncSession,
    *,
    signal_id: uuid.UUID,
    data: SignalUpdate,
    actor: Principal,
    if_match: str | None,
) -> Signal:
    signal = await get_scoped(session, Signal, signal_id, actor, "signal")
    check_if_match(if_match, signal.version)
    changes = data.model_dump(exclude_unset=True, by_alias=False)
    problems = [
        field_problem("body", name, "Cannot be cleared.", code="cannot_clear")
        for key, name in (
            ("reported_at", "reportedAt"),
            ("source", "source"),
            ("category", "category"),
            ("severity", "severity"),
            ("summary", "summary"),
            ("status", "status"),
        )
        if key in changes and changes[key] is None
    ]
    problems += _reported_problems(changes.get("reported_at"))
    if "location_id" in changes:
        problems += await _location_problems(session, changes["location_id"], actor)
    if "owner_user_id" in changes:
        problems += await _owner_problems(session, changes["owner_user_id"], actor)
    if problems:
        raise _bad(problems)
    _move(signal, changes.pop("status", None) or signal.status)
    for field, value in changes.items():
        setattr(signal, field, value)
    if "reported_at" in changes or "severity" in changes:
        signal.due_at = due_at(signal.reported_at, signal.severity)
    await session.flush()
    return signal


async def add_action(
    session: AsyncSession, *, signal_id: uuid.UUID, data: SignalActionCreate, actor: Principal
) -> SignalAction:
    signal = await get_scoped(session, Signal, signal_id, actor, "signal")
    if data.status is not None:
        _move(signal, data.status, pick_up=True)
    at = now()
    action = SignalAction(
        signal_id=signal.id,
        note=data.note,
        author_type=actor.kind,
        author_id=str(actor.id) if actor.id is not None else None,
        author_role=actor.role.value,
        created_at=at,
    )
    session.add(action)
    # The signal's answer lists its actions, so a new one is a new version of it (ETag).
    signal.updated_at = at
    await session.flush()
    # An action is not an Entity, so the ORM hook does not see it; the note stays out of
    # the log (free text).
    record(
        session,
        action="action_added",
        entity="signals",
        entity_id=signal.id,
        details={"actionId": str(action.id), "status": signal.status.value},
    )
    return action
