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

from pydantic import BaseModel
from sqlalchemy import ColumnElement, Row, Select, bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import Request
from starlette.responses import Response

from api.auth.principal import Principal
from api.common.etag import etag_for
from api.db.fast import DriverQuery, dumps, plain_schema, reading, wire_keys
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


class FastRead:
    """``GET /<things>/{id}`` on the driver (``api.db.fast``): the same statement as
    ``read_scoped`` for the model's read schema, compiled once per kind of caller, and
    answered as the schema's JSON with the row's ETag, without a session or pydantic."""

    def __init__(
        self,
        model: type[ScopedModel],
        schema: type[BaseModel],
        what: str,
        columns: Sequence[Any] | None = None,
    ) -> None:
        """``columns``: one per field of ``schema``, in its order (default: the model's
        attributes of the fields' names)."""
        if columns is None:
            columns = [getattr(model, name) for name in schema.model_fields]
        by_id = select(*columns).where(model.id == bindparam("object_id"))
        own = by_id.where(model.partner_scope(cast(uuid.UUID, bindparam("scope_partner"))))
        self.plain = plain_schema(schema)
        keys = wire_keys(schema) if self.plain else list(schema.model_fields)
        self.staff = DriverQuery(by_id, keys)
        self.partner = DriverQuery(own, keys)
        self.schema = schema
        self.what = what

    async def response(
        self, request: Request, object_id: uuid.UUID, principal: Principal
    ) -> Response:
        if principal.is_partner:
            query, params = (
                self.partner,
                {"object_id": object_id, "scope_partner": principal.partner_id},
            )
        else:
            query, params = self.staff, {"object_id": object_id}
        async with reading(request.app.state.db) as reader:
            row = await reader.one(query, params)
        if row is None:
            raise NotFound(f"There is no {self.what} with id {object_id}.")
        body = dumps(row) if self.plain else self.schema.model_validate(row).model_dump_json()
        return Response(
            body, media_type="application/json", headers={"ETag": etag_for(row["version"])}
        )
