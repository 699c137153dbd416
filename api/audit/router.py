from __future__ import annotations

from typing import Annotated

from fastapi import Query, Request, Response
from sqlalchemy import select

from api.audit.schemas import AuditEventRead, AuditQuery
from api.auth.roles import AdminOnly
from api.common.pagination import Page, paginate, read_columns
from api.db import SessionDep
from api.models import AuditEvent
from api.openapi import api_router

router = api_router("audit", prefix="/audit-events")

_SORT = {"at": AuditEvent.at, "id": AuditEvent.id}


@router.get("", response_model=Page[AuditEventRead], summary="List audit events (admin)")
async def list_audit_events(
    session: SessionDep,
    _admin: AdminOnly,
    query: Annotated[AuditQuery, Query()],
    request: Request,
    response: Response,
) -> Response:
    """Who did what and when. Filter on `entity`, `entityId` and `action=read` to see who
    saw a person's record."""
    stmt = select(*read_columns(AuditEvent, AuditEventRead))
    for column, value in (
        (AuditEvent.entity, query.entity),
        (AuditEvent.entity_id, query.entity_id),
        (AuditEvent.actor_id, query.actor_id),
        (AuditEvent.action, query.action),
    ):
        if value is not None:
            stmt = stmt.where(column == value)
    if query.from_ is not None:
        stmt = stmt.where(AuditEvent.at >= query.from_)
    if query.to is not None:
        stmt = stmt.where(AuditEvent.at <= query.to)
    return await paginate(
        session,
        stmt,
        params=query,
        request=request,
        response=response,
        sortable=_SORT,
        default_order=[AuditEvent.id.desc()],
        read=AuditEventRead,
    )
