from __future__ import annotations

import secrets
import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from api.auth import generations
from api.auth.passwords import hash_secret
from api.auth.principal import Principal
from api.auth.scoping import get_scoped
from api.clients.schemas import ClientCreate, ClientQuery, ClientRead
from api.common.etag import check_if_match
from api.common.pagination import read_columns
from api.config import Settings
from api.errors import BadRequest, field_problem
from api.models import ApiClient, Partner

SORTABLE = {"name": ApiClient.name, "createdAt": ApiClient.created_at}


def list_statement(query: ClientQuery) -> Any:
    stmt = select(*read_columns(ApiClient, ClientRead))
    if query.partner_id is not None:
        stmt = stmt.where(ApiClient.partner_id == query.partner_id)
    return stmt


async def create(
    session: AsyncSession, *, data: ClientCreate, actor: Principal, settings: Settings
) -> tuple[ApiClient, str]:
    """Returns the client and its secret; only the secret's hash is stored."""
    if await session.get(Partner, data.partner_id) is None:
        raise BadRequest(
            "The partner does not exist.",
            errors=[
                field_problem("body", "partnerId", "No partner with this id.", code="not_found")
            ],
        )
    secret = secrets.token_urlsafe(32)
    client = ApiClient(
        client_id="opv_" + secrets.token_hex(12),
        secret_hash=hash_secret(settings, secret),
        name=data.name,
        partner_id=data.partner_id,
    )
    session.add(client)
    await session.flush()
    return client, secret


async def delete(
    session: AsyncSession, *, client_id: uuid.UUID, actor: Principal, if_match: str | None
) -> None:
    client = await get_scoped(session, ApiClient, client_id, actor, "client")
    check_if_match(if_match, client.version)
    await session.delete(client)
    await session.flush()
    generations.forget(session, "client", client.id)  # its tokens are refused from now on
