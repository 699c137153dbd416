"""Partner scoping: the one query helper every domain reads through.

Each model says which of its rows belong to a partner (``partner_scope``; the default
on ``Entity`` is *none*), and ``scoped`` applies that to any statement when the caller is
a partner. Another partner's object is then simply not found (404), so its existence
does not leak.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any, Protocol, TypeVar, TypeVarTuple, cast

from sqlalchemy import ColumnElement, Row, Select, bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession

from api.auth.principal import Principal
from api.errors import NotFound

Ts = TypeVarTuple("Ts")
M = TypeVar("M", bound="ScopedModel")


class ScopedModel(Protocol):
    id: Any

    @classmethod
    def partner_scope(cls, partner_id: uuid.UUID) -> ColumnElement[bool]: ...


def scoped(stmt: Select[*Ts], model: type[ScopedModel], principal: Principal) -> Select[*Ts]:
    """Restrict ``stmt`` to the rows of ``model`` the caller may see."""
    if principal.is_partner:
        if principal.partner_id is None:  # a token like that is refused at decode time
            raise NotFound("Not found.")
        return stmt.where(model.partner_scope(principal.partner_id))
    return stmt


async def get_scoped(
    session: AsyncSession, model: type[M], object_id: uuid.UUID, principal: Principal, what: str
) -> M:
    """Load one object for writing, within the caller's scope, or answer 404."""
    stmt = scoped(select(model).where(model.id == object_id), model, principal)
    obj: M | None = (await session.execute(stmt)).scalar_one_or_none()
    if obj is None:
        raise NotFound(f"There is no {what} with id {object_id}.")
    return obj


# Statements for reading one row by id, built once per model, columns and kind of caller:
# building a SELECT costs more than running it on a hot read.
_BY_ID: dict[tuple[type[Any], tuple[str, ...], bool], Select[Any]] = {}


async def read_scoped(
    session: AsyncSession,
    model: type[ScopedModel],
    columns: Sequence[Any],
    object_id: uuid.UUID,
    principal: Principal,
    what: str,
) -> Row[Any]:
    """One row of ``columns`` by id, within the caller's scope, or 404. Runs as Core on
    the session's connection: no ORM objects for a read."""
    key = (model, tuple(str(c) for c in columns), principal.is_partner)
    stmt = _BY_ID.get(key)
    if stmt is None:
        stmt = cast(Select[Any], select(*columns).where(model.id == bindparam("object_id")))
        if principal.is_partner:
            stmt = stmt.where(model.partner_scope(cast(uuid.UUID, bindparam("scope_partner"))))
        _BY_ID[key] = stmt
    params: dict[str, Any] = {"object_id": object_id}
    if principal.is_partner:
        params["scope_partner"] = principal.partner_id
    connection = await session.connection()
    row: Row[Any] | None = (await connection.execute(stmt, params)).one_or_none()
    if row is None:
        raise NotFound(f"There is no {what} with id {object_id}.")
    return row
