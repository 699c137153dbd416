"""``GET /signals/{id}`` on the driver (``api.db.fast``): the signal and its actions, two
prepared statements on one pooled connection, straight to ``SignalRead``'s JSON.

The statements are ``service.read``'s (the same columns, owner join, ``overdue`` rule and
partner scope), built once with the moment of the ``overdue`` rule as bind parameters:
``service.now()`` is taken at each request, as the statement built per request took it.
Both schemas are plain (``api.db.fast.plain_schema``), so orjson writes them as pydantic
does; ``tests/signals/test_signal_detail.py`` compares the two.
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any, cast

from sqlalchemy import bindparam, select
from starlette.requests import Request
from starlette.responses import Response

from api.auth.principal import Principal
from api.common.etag import etag_for
from api.db.fast import DriverQuery, dumps, reading, wire_keys
from api.errors import NotFound
from api.models import Signal, SignalAction
from api.signals import service
from api.signals.schemas import SignalActionRead, SignalSummary


def _keys(stmt: Any) -> list[str]:
    """The wire names of the statement's columns (the owner's e-mail address and
    ``overdue`` follow the signal's own columns, not the schema's order)."""
    wire = dict(zip(SignalSummary.model_fields, wire_keys(SignalSummary), strict=True))
    return [wire[column.key] for column in stmt.selected_columns]


def _signal(partner: bool) -> DriverQuery:
    overdue = service.overdue_at(bindparam("now"), bindparam("high_before"))
    stmt = service.select_with(overdue).where(Signal.id == bindparam("signal_id"))
    if partner:
        stmt = stmt.where(Signal.partner_scope(cast(uuid.UUID, bindparam("scope_partner"))))
    return DriverQuery(stmt, _keys(stmt))


_STAFF, _PARTNER = _signal(partner=False), _signal(partner=True)
_ACTIONS = DriverQuery(
    select(*(getattr(SignalAction, name) for name in SignalActionRead.model_fields))
    .where(SignalAction.signal_id == bindparam("signal_id"))
    .order_by(SignalAction.created_at, SignalAction.id),
    wire_keys(SignalActionRead),
)


async def response(
    request: Request, signal_id: uuid.UUID, principal: Principal, overdue_days: int
) -> Response:
    """The signal with its actions (oldest first) and its ETag, or 404 outside the
    caller's scope."""
    at = service.now()
    params: dict[str, Any] = {
        "signal_id": signal_id,
        "now": at,
        "high_before": at - timedelta(days=overdue_days),
    }
    query = _STAFF
    if principal.is_partner:
        query, params["scope_partner"] = _PARTNER, principal.partner_id
    async with reading(request.app.state.db) as reader:
        row = await reader.one(query, params)
        if row is None:
            raise NotFound(f"There is no signal with id {signal_id}.")
        row["actions"] = await reader.rows(_ACTIONS, {"signal_id": signal_id})
    return Response(
        dumps(row), media_type="application/json", headers={"ETag": etag_for(row["version"])}
    )
