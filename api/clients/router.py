from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Path, Query, Request, Response, status

from api.auth.deps import SettingsDep
from api.auth.roles import AdminOnly
from api.auth.scoping import FastRead
from api.clients import service
from api.clients.schemas import ClientCreate, ClientCreated, ClientQuery, ClientRead
from api.common.created import set_location
from api.common.etag import IfMatchHeader, set_etag
from api.common.pagination import Page, paginate
from api.db import SessionDep
from api.idempotency import redact_on_replay
from api.models import ApiClient
from api.openapi import api_router, responses

router = api_router("clients", prefix="/clients")
BY_ID = FastRead(ApiClient, ClientRead, "client")

ClientId = Annotated[uuid.UUID, Path(alias="id", description="The client's id.")]


@router.get("", response_model=Page[ClientRead], summary="List API clients (admin)")
async def list_clients(
    session: SessionDep,
    _admin: AdminOnly,
    query: Annotated[ClientQuery, Query()],
    request: Request,
    response: Response,
) -> Response:
    return await paginate(
        session,
        service.list_statement(query),
        params=query,
        request=request,
        response=response,
        sortable=service.SORTABLE,
        default_order=[ApiClient.name, ApiClient.id],
        read=ClientRead,
    )


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=ClientCreated,
    summary="Add an API client (admin); the secret is shown once",
)
async def create_client(
    session: SessionDep,
    admin: AdminOnly,
    settings: SettingsDep,
    data: ClientCreate,
    request: Request,
    response: Response,
) -> ClientCreated:
    client, secret = await service.create(session, data=data, actor=admin, settings=settings)
    redact_on_replay(request, "clientSecret")
    set_etag(response, client.version)
    set_location(response, "clients", client.id)
    read = ClientRead.model_validate(client).model_dump(by_alias=False)
    return ClientCreated.model_validate({**read, "client_secret": secret})


@router.get("/{id}", response_model=ClientRead, summary="Read an API client")
async def read_client(request: Request, admin: AdminOnly, client_id: ClientId) -> Response:
    return await BY_ID.response(request, client_id, admin)


@router.delete(
    "/{id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=responses(412),
    summary="Revoke an API client",
)
async def delete_client(
    session: SessionDep, admin: AdminOnly, client_id: ClientId, if_match: IfMatchHeader = None
) -> None:
    """Its secret and the tokens already issued to it stop working at once (on every
    worker within `OPVANG_TOKEN_GENERATION_CACHE_SECONDS`)."""
    await service.delete(session, client_id=client_id, actor=admin, if_match=if_match)
