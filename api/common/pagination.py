"""Paged lists: ``?page&pageSize&sort``, the ``{items, page, pageSize, total}`` envelope
and RFC 8288 ``Link`` headers."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Collection, Mapping
from functools import cache
from typing import Any, Generic, TypeVar

from fastapi import Request, Response
from pydantic import BaseModel, Field
from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from api.common.schemas import ApiModel, QueryModel
from api.db.fast import Reader, dumps, plain_schema, session_reader, wire_keys
from api.errors import BadRequest, field_problem

T = TypeVar("T")

MAX_PAGE_SIZE = 500


class PageParams(QueryModel):
    page: int = Field(default=1, ge=1, le=1_000_000)
    page_size: int = Field(default=50, ge=1, le=MAX_PAGE_SIZE)
    sort: str | None = Field(
        default=None,
        max_length=200,
        description="Comma-separated fields; a leading `-` sorts descending.",
    )


class Page(ApiModel, Generic[T]):
    items: list[T]
    page: int
    page_size: int
    total: int


def order_by(
    sort: str | None, allowed: Mapping[str, Any], default: list[Any]
) -> list[ColumnElement[Any]]:
    """Translate ``sort=name,-createdAt`` into ORDER BY terms; unknown fields are a 400."""
    if not sort:
        return default
    terms: list[ColumnElement[Any]] = []
    for raw in sort.split(","):
        name = raw.strip()
        descending = name.startswith("-")
        name = name.lstrip("-")
        column = allowed.get(name)
        if column is None:
            raise BadRequest(
                "The sort order names an unknown field.",
                errors=[
                    field_problem(
                        "query", "sort", f"Cannot sort by '{name}'; use one of {sorted(allowed)}."
                    )
                ],
            )
        terms.append(column.desc() if descending else column.asc())
    # A unique tie-breaker keeps pages stable.
    return terms + default[-1:]


def _link_header(request: Request, params: PageParams, total: int) -> str | None:
    last = max(1, -(-total // params.page_size))
    links = []
    # The path and query only: ``request.url`` puts the client's Host header in front,
    # which would let anyone write links (into caches, into a dashboard) to their own
    # site. Absolute links only on the configured public address.
    base = (request.app.state.settings.public_base_url or "").rstrip("/")

    def url(page: int) -> str:
        target = request.url.include_query_params(page=page, pageSize=params.page_size)
        return f"{base}{target.path}?{target.query}"

    links.append(f'<{url(1)}>; rel="first"')
    if params.page > 1:
        links.append(f'<{url(min(params.page - 1, last))}>; rel="prev"')
    if params.page < last:
        links.append(f'<{url(params.page + 1)}>; rel="next"')
    links.append(f'<{url(last)}>; rel="last"')
    return ", ".join(links)


def read_columns(model: type[Any], schema: type[BaseModel]) -> list[Any]:
    """The model's columns a read schema needs: hot reads select columns, not ORM objects."""
    return [getattr(model, name) for name in schema.model_fields]


# Fields a list answers that its statement does not select (a meeting's partners, an
# indicator's targets, a score from two sums), or work on the page (auditing the reads):
# the page's items in, changed in place. An item holds the read schema's fields by JSON
# name and the statement's other columns under their own names; the answer keeps the
# schema's fields, in the schema's order. The reader is the page's own connection.
Extend = Callable[[Reader, list[dict[str, Any]]], Awaitable[None]]


@cache
def _driver_ready(
    read: type[BaseModel], selected: frozenset[str], vouched: frozenset[str], extended: bool
) -> bool:
    """Whether a page of ``read`` can go from the driver to JSON as it is: with
    ``extend``, the fields the statement does not select are the route's to write."""
    missing = set(read.model_fields) - selected
    if missing and not extended:
        return False
    return plain_schema(read, vouched=missing | vouched)


async def paginate(
    session: AsyncSession,
    stmt: Select[Any],
    *,
    params: PageParams,
    request: Request,
    response: Response,
    sortable: Mapping[str, Any],
    default_order: list[Any],
    read: type[BaseModel],
    extend: Extend | None = None,
    vouched: Collection[str] = (),
) -> Response:
    """One count and one page query, and the page as JSON: the envelope and the ``Link``
    header. Where orjson writes ``read`` as pydantic would (``api.db.fast.plain_schema``)
    both run on the session's driver connection and the rows go to JSON as they are;
    else the rows pass the schema. ``extend`` fills in what the statement does not select
    (``Extend``), always on the driver; ``vouched`` names selected fields whose values
    orjson writes as pydantic would although their type does not say so (a JSON column of
    strings and numbers). The answer is the route's ``Page[read]``, written without
    validating it again."""
    names = [str(column.key) for column in stmt.selected_columns]
    count, page_stmt = _statements(stmt, params, sortable, default_order)
    items: list[Any]
    if _driver_ready(read, frozenset(names), frozenset(vouched), extend is not None):
        reader = await session_reader(session)
        total = int((await reader.select(count))[0][0])
        wire = dict(zip(read.model_fields, wire_keys(read), strict=True))
        rows = await reader.select(page_stmt)
        if extend is None:
            picked = [(i, wire[name]) for i, name in enumerate(names) if name in wire]
            items = [{key: row[i] for i, key in picked} for row in rows]
        else:
            keys = [wire.get(name, name) for name in names]
            items = [dict(zip(keys, row, strict=True)) for row in rows]
            await extend(reader, items)
            order = list(wire.values())
            items = [{key: item[key] for key in order} for item in items]
    elif extend is not None:
        raise TypeError(f"{read.__name__}: orjson cannot write its selected fields")
    else:
        total = (await session.execute(count)).scalar_one()
        rows = (await session.execute(page_stmt)).all()
        items = [read.model_validate(row).model_dump(mode="json") for row in rows]
    body = {"items": items, "page": params.page, "pageSize": params.page_size, "total": total}
    headers = {k: v for k, v in response.headers.items() if k != "content-length"}
    link = _link_header(request, params, total)
    if link:
        headers["Link"] = link
    return Response(dumps(body), media_type="application/json", headers=headers)


def _statements(
    stmt: Select[Any],
    params: PageParams,
    sortable: Mapping[str, Any],
    default_order: list[Any],
) -> tuple[Select[Any], Select[Any]]:
    """The count and the page of ``stmt``."""
    order = order_by(params.sort, sortable, default_order)
    count = select(func.count()).select_from(stmt.subquery())
    page_stmt = stmt.order_by(*order).limit(params.page_size)
    return count, page_stmt.offset((params.page - 1) * params.page_size)
