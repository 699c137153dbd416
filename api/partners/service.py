"""Partner rules: unique names; a partner still referenced cannot be deleted."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import exists, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from api.auth.principal import Principal
from api.auth.scoping import FastRead, get_scoped, read_scoped, scoped
from api.common.etag import check_if_match
from api.common.pagination import read_columns
from api.errors import Conflict
from api.models import ApiClient, Partner, User
from api.partners.schemas import PartnerCreate, PartnerQuery, PartnerRead, PartnerUpdate

READ_COLUMNS = read_columns(Partner, PartnerRead)
BY_ID = FastRead(Partner, PartnerRead, "partner")
SORTABLE = {"name": Partner.name, "kind": Partner.kind, "createdAt": Partner.created_at}


def list_statement(query: PartnerQuery, principal: Principal) -> Any:
    stmt = scoped(select(*READ_COLUMNS), Partner, principal)
    if query.kind is not None:
        stmt = stmt.where(Partner.kind == query.kind)
    if query.q:
        stmt = stmt.where(func.lower(Partner.name).contains(query.q.lower(), autoescape=True))
    return stmt


async def read(session: AsyncSession, *, partner_id: uuid.UUID, principal: Principal) -> Any:
    return await read_scoped(session, Partner, READ_COLUMNS, partner_id, principal, "partner")


async def _ensure_unique_name(
    session: AsyncSession, name: str, exclude: uuid.UUID | None = None
) -> None:
    stmt = select(Partner.id).where(func.lower(Partner.name) == name.lower())
    if exclude is not None:
        stmt = stmt.where(Partner.id != exclude)
    if (await session.execute(stmt)).first() is not None:
        raise Conflict(f"A partner named '{name}' already exists.")


async def create(session: AsyncSession, *, data: PartnerCreate, actor: Principal) -> Partner:
    await _ensure_unique_name(session, data.name)
    partner = Partner(name=data.name, kind=data.kind)
    session.add(partner)
    await session.flush()
    return partner


async def update(
    session: AsyncSession,
    *,
    partner_id: uuid.UUID,
    data: PartnerUpdate,
    actor: Principal,
    if_match: str | None,
) -> Partner:
    partner = await get_scoped(session, Partner, partner_id, actor, "partner")
    check_if_match(if_match, partner.version)
    changes = data.model_dump(exclude_unset=True)
    if changes.get("name") is not None:
        await _ensure_unique_name(session, changes["name"], exclude=partner.id)
    for field, value in changes.items():
        if value is None:
            raise Conflict(f"'{field}' cannot be cleared.")
        setattr(partner, field, value)
    await session.flush()
    return partner


async def delete(
    session: AsyncSession, *, partner_id: uuid.UUID, actor: Principal, if_match: str | None
) -> None:
    partner = await get_scoped(session, Partner, partner_id, actor, "partner")
    check_if_match(if_match, partner.version)
    in_use = await session.scalar(
        select(
            exists().where(User.partner_id == partner.id)
            | exists().where(ApiClient.partner_id == partner.id)
        )
    )
    if in_use:
        raise Conflict("The partner still has users or API clients; remove those first.")
    await session.delete(partner)
    await session.flush()
