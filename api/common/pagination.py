"""Paged lists: ``?page&pageSize&sort``, the ``{items, page, pageSize, total}`` envelope
and RFC 8288 ``Link`` headers."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Generic, TypeVar

from fastapi import Request, Response
from pydantic import BaseModel, Field
from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from api.common.schemas import ApiModel, QueryModel
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
) -> dict[str, Any]:
    """One count and one page query; the page envelope and the ``Link`` header."""
    order = order_by(params.sort, sortable, default_order)
    total = (await session.execute(select(func.count()).select_from(stmt.subquery()))).scalar_one()
    page_stmt = stmt.order_by(*order).limit(params.page_size)
    page_stmt = page_stmt.offset((params.page - 1) * params.page_size)
    rows = (await session.execute(page_stmt)).all()
    link = _link_header(request, params, total)
    if link:
        response.headers["Link"] = link
    return {
        "items": [read.model_validate(row) for row in rows],
        "page": params.page,
        "pageSize": params.page_size,
        "total": total,
    }
