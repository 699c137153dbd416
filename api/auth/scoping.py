"""Partner scoping: the one query helper every domain reads through.

Each model says which of its rows belong to a partner (``partner_scope``; the default
on ``Entity`` is *none*), and ``scoped`` applies that to any statement when the caller is
a partner. Another partner's object is then simply not found (404), so its existence
does not leak.
"""

from __future__ import annotations

import uuid
from typing import Any, Protocol, TypeVar, TypeVarTuple

from sqlalchemy import ColumnElement, Select, select
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
