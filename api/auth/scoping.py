"""Partner scoping: the one query helper every domain reads through.

Each model says which of its rows belong to a partner (``partner_scope``; the default
on ``Entity`` is *none*), and ``scoped`` applies that to any statement when the caller is
a partner. Another partner's object is then simply not found (404), so its existence
does not leak.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any, Protocol, TypeVar, TypeVarTuple, cast

from pydantic import BaseModel
from sqlalchemy import ColumnElement, Row, Select, bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import Request
from starlette.responses import Response

from api.auth.principal import Principal
from api.common.etag import etag_for
from api.db.fast import AnySelect, DriverQuery, Reader, dumps, plain_schema, reading, wire_keys
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


# The scope's value for a caller, and whether it applies (a partner: its own partner).
ScopeOf = Callable[[Principal], tuple[bool, Any]]
# More fields of the answer from other statements on the same reader (a meeting's
# partners, an indicator's targets): the row so far in, its further fields by name out.
Children = Callable[[Reader, Mapping[str, Any]], Awaitable[Mapping[str, Any]]]


def pick(
    staff: DriverQuery,
    partner: DriverQuery,
    scope_of: ScopeOf,
    principal: Principal,
    params: dict[str, Any],
) -> DriverQuery:
    """The statement for ``principal``: ``partner`` (its scope bound into ``params``) when
    ``scope_of`` restricts the caller, else ``staff``."""
    restricted, value = scope_of(principal)
    if not restricted:
        return staff
    params["scope_partner"] = value
    return partner


def partner_of(principal: Principal) -> tuple[bool, Any]:
    return principal.is_partner, principal.partner_id


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
        *,
        stmt: Select[Any] | None = None,
        scope: Callable[[Any], ColumnElement[bool]] | None = None,
        scope_of: ScopeOf = partner_of,
        binds: Callable[[], Mapping[str, Any]] | None = None,
        children: Children | None = None,
    ) -> None:
        """``columns``: one per field of ``schema``, in its order (default: the model's
        attributes of the fields' names). Or ``stmt``: the service's read statement (its
        columns and joins), each column named as a field, in the schema's order; the
        fields it leaves out come from ``children``, which also read the statement's
        columns that are no field (under their own names; not answered). ``scope``
        (default: the model's partner scope) and ``scope_of`` say whose rows a caller
        reads; ``binds`` gives the values bound per request (today's date: a statement
        compiled once cannot hold it)."""
        self.plain = plain_schema(schema)
        names = dict(zip(schema.model_fields, wire_keys(schema), strict=True))
        self.key = names if self.plain else {name: name for name in names}
        if stmt is None:
            if columns is None:
                columns = [getattr(model, name) for name in schema.model_fields]
            stmt = select(*columns)
            keys = list(self.key.values())
        else:
            keys = [
                self.key.get(str(column.key), str(column.key)) for column in stmt.selected_columns
            ]
        by_id = stmt.where(model.id == bindparam("object_id"))
        where = scope or model.partner_scope
        own = by_id.where(where(cast(uuid.UUID, bindparam("scope_partner"))))
        self.staff = DriverQuery(by_id, keys)
        self.partner = DriverQuery(own, keys)
        self.scope_of = scope_of
        self.binds = binds
        self.children = children
        self.schema = schema
        self.what = what
        # Columns that are no field: the answer is rebuilt of the schema's fields.
        self.extra = not set(keys) <= set(self.key.values())

    async def response(
        self, request: Request, object_id: uuid.UUID, principal: Principal
    ) -> Response:
        params: dict[str, Any] = {"object_id": object_id}
        query = pick(self.staff, self.partner, self.scope_of, principal, params)
        if self.binds is not None:
            params.update(self.binds())
        async with reading(request.app.state.db) as reader:
            row = await reader.one(query, params)
            if row is None:
                raise NotFound(f"There is no {self.what} with id {object_id}.")
            if self.children is not None:
                for name, found in (await self.children(reader, row)).items():
                    row[self.key[name]] = found
        if self.extra:
            row = {key: row[key] for key in self.key.values()}
        body = dumps(row) if self.plain else self.schema.model_validate(row).model_dump_json()
        return Response(
            body, media_type="application/json", headers={"ETag": etag_for(row["version"])}
        )


class FastChildren:
    """``GET /<parents>/{id}/<children>`` on the driver: a parent's children, unpaged, in
    the statement's order, as ``{"items": [...]}`` (or a bare array) of the schema's JSON.

    The parent is looked up first, within the caller's scope as ``read_scoped`` does (the
    model's partner scope, or ``scope``/``scope_of``, and ``parent_where``): a parent the
    caller may not see, or that is not there, is a 404, never an empty list."""

    def __init__(
        self,
        parent: type[ScopedModel],
        what: str,
        children: AnySelect,
        schema: type[BaseModel],
        *,
        envelope: str | None = "items",
        parent_where: ColumnElement[bool] | None = None,
        scope: Callable[[Any], ColumnElement[bool]] | None = None,
        scope_of: ScopeOf = partner_of,
    ) -> None:
        """``children``: the columns of ``schema``'s fields, each named as its field and
        in its order, of the rows whose parent is ``bindparam("parent_id")`` (more named
        parameters come with each request), ordered."""
        names = [str(column.key) for column in children.selected_columns]
        if names != list(schema.model_fields):
            raise ValueError(f"{schema.__name__}: select its fields, in order: {names}")
        if not plain_schema(schema):
            raise ValueError(f"{schema.__name__}: orjson cannot write it as pydantic does")
        by_id = select(parent.id).where(parent.id == bindparam("object_id"))
        if parent_where is not None:
            by_id = by_id.where(parent_where)
        where = scope or parent.partner_scope
        own = by_id.where(where(cast(uuid.UUID, bindparam("scope_partner"))))
        self.staff = DriverQuery(by_id, ["id"])
        self.partner = DriverQuery(own, ["id"])
        self.children = DriverQuery(children, wire_keys(schema))
        self.scope_of = scope_of
        self.envelope = envelope
        self.what = what

    async def response(
        self,
        request: Request,
        parent_id: uuid.UUID,
        principal: Principal,
        params: Mapping[str, Any] | None = None,
    ) -> Response:
        found: dict[str, Any] = {"object_id": parent_id}
        query = pick(self.staff, self.partner, self.scope_of, principal, found)
        async with reading(request.app.state.db) as reader:
            if await reader.one(query, found) is None:
                raise NotFound(f"There is no {self.what} with id {parent_id}.")
            rows = await reader.rows(self.children, {"parent_id": parent_id, **(params or {})})
        body = rows if self.envelope is None else {self.envelope: rows}
        return Response(dumps(body), media_type="application/json")
