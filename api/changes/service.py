"""Reading the change feed.

Who sees which change: a partner (its people and its systems) the changes with an
audience row for it (``change_audiences``, written with the change from each model's
``partner_scope``); staff by kind of resource (``STAFF_ENTITIES``); viewers nothing.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from api.auth.principal import Principal
from api.changes.recorder import entity_name
from api.changes.schemas import ChangeQuery, ChangeRead, decode_cursor, encode_cursor
from api.errors import BadRequest, Forbidden, ProblemType, field_problem
from api.models import Base, Change, ChangeAudience, Entity, Role

# Every kind of resource the feed can carry (each ``Entity`` model's table).
ENTITIES: frozenset[str] = frozenset(
    entity_name(mapper.class_)
    for mapper in Base.registry.mappers
    if issubclass(mapper.class_, Entity)
)
# Staff see the feed by kind of resource, following the roles table; a kind not listed
# (including one added later) is shown to admins only. Admins see every change.
STAFF_ENTITIES: dict[Role, frozenset[str]] = {
    Role.coordinator: frozenset(
        {
            "partners",
            "locations",
            "capacity_changes",
            "participants",
            "placements",
            "activities",
            "enrollments",
            "signals",
        }
    ),
    Role.finance: frozenset(
        {
            "locations",
            "capacity_changes",
            "reimbursement_schemes",
            "reimbursement_rates",
            "reimbursement_claims",
            "expenses",
        }
    ),
}
_CHANGE_COLUMNS = (
    Change.position,
    Change.entity,
    Change.entity_id,
    Change.operation,
    Change.version,
    Change.changed_at,
)


def start_position(after: str | None) -> int:
    if after is None:
        return 0
    position = decode_cursor(after)
    if position is None:
        raise BadRequest(
            "The cursor is not one this API handed out.",
            type_=ProblemType.INVALID_INPUT,
            errors=[
                field_problem(
                    "query", "after", "Not a valid cursor: pass a nextCursor or an item's cursor."
                )
            ],
        )
    return position


def feed_statement(principal: Principal, after: int, limit: int) -> Any:
    """The next ``limit`` changes after ``after`` the caller may see, in position order."""
    if principal.is_partner:
        if principal.partner_id is None:
            raise Forbidden("The token names no partner.")
        # Walks the (partner_id, position) index.
        return (
            select(*_CHANGE_COLUMNS)
            .select_from(ChangeAudience)
            .join(Change, Change.position == ChangeAudience.position)
            .where(ChangeAudience.partner_id == principal.partner_id)
            .where(ChangeAudience.position > after)
            .order_by(ChangeAudience.position)
            .limit(limit)
        )
    stmt = select(*_CHANGE_COLUMNS).where(Change.position > after)
    if principal.role is not Role.admin:
        kinds = STAFF_ENTITIES.get(principal.role)
        if kinds is None:
            raise Forbidden(f"The role '{principal.role.value}' may not read the change feed.")
        stmt = stmt.where(Change.entity.in_(sorted(kinds)))
    return stmt.order_by(Change.position).limit(limit)


def change_read(row: Any) -> ChangeRead:
    return ChangeRead(
        cursor=encode_cursor(row.position),
        entity=row.entity,
        id=row.entity_id,
        operation=row.operation,
        version=row.version,
        changed_at=row.changed_at,
    )


async def read_feed(
    session: AsyncSession, principal: Principal, query: ChangeQuery
) -> dict[str, Any]:
    after = start_position(query.after)
    rows = (await session.execute(feed_statement(principal, after, query.limit))).all()
    items = [change_read(row) for row in rows]
    return {
        "items": items,
        "next_cursor": items[-1].cursor if items else encode_cursor(after),
    }
