from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Path, Query, Request, Response, status

from api.auth.roles import AdminOnly, AdminOrCoordinator, AnyRoleButViewer
from api.common.created import set_location
from api.common.etag import IfMatchHeader, set_etag
from api.common.pagination import Page, paginate
from api.db import SessionDep
from api.models import Partner
from api.openapi import api_router, responses
from api.partners import service
from api.partners.schemas import PartnerCreate, PartnerQuery, PartnerRead, PartnerUpdate

router = api_router("partners", prefix="/partners")

PartnerId = Annotated[uuid.UUID, Path(alias="id", description="The partner's id.")]


@router.get("", response_model=Page[PartnerRead], summary="List partners")
async def list_partners(
    session: SessionDep,
    principal: AnyRoleButViewer,
    query: Annotated[PartnerQuery, Query()],
    request: Request,
    response: Response,
) -> Response:
    """A partner sees only its own record."""
    return await paginate(
        session,
        service.list_statement(query, principal),
        params=query,
        request=request,
        response=response,
        sortable=service.SORTABLE,
        default_order=[Partner.name, Partner.id],
        read=PartnerRead,
    )


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=PartnerRead,
    responses=responses(409),
    summary="Add a partner",
)
async def create_partner(
    session: SessionDep, principal: AdminOrCoordinator, data: PartnerCreate, response: Response
) -> Partner:
    partner = await service.create(session, data=data, actor=principal)
    set_etag(response, partner.version)
    set_location(response, "partners", partner.id)
    return partner


@router.get("/{id}", response_model=PartnerRead, summary="Read a partner")
async def read_partner(
    request: Request, principal: AnyRoleButViewer, partner_id: PartnerId
) -> Response:
    return await service.BY_ID.response(request, partner_id, principal)


@router.patch(
    "/{id}", response_model=PartnerRead, responses=responses(409, 412), summary="Change a partner"
)
async def update_partner(
    session: SessionDep,
    principal: AdminOrCoordinator,
    partner_id: PartnerId,
    data: PartnerUpdate,
    response: Response,
    if_match: IfMatchHeader = None,
) -> Partner:
    partner = await service.update(
        session, partner_id=partner_id, data=data, actor=principal, if_match=if_match
    )
    set_etag(response, partner.version)
    return partner


@router.delete(
    "/{id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=responses(409, 412),
    summary="Remove a partner (admin)",
)
async def delete_partner(
    session: SessionDep, principal: AdminOnly, partner_id: PartnerId, if_match: IfMatchHeader = None
) -> None:
    await service.delete(session, partner_id=partner_id, actor=principal, if_match=if_match)
