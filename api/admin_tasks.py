"""Administrative tasks run from the command line, through the same services as the API."""

from __future__ import annotations

import uuid

from pydantic import ValidationError
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from api.auth.principal import SYSTEM
from api.clients import service as clients
from api.clients.schemas import ClientCreate
from api.config import Settings
from api.db import Database, build_engine
from api.errors import AppError
from api.models import Partner, Role
from api.users import service as users
from api.users.schemas import UserCreate


async def find_partner(session: AsyncSession, ref: str) -> Partner:
    try:
        partner = await session.get(Partner, uuid.UUID(ref))
    except ValueError:
        partner = await session.scalar(
            select(Partner).where(func.lower(Partner.name) == ref.lower())
        )
    if partner is None:
        raise ValueError(f"No partner '{ref}'.")
    return partner


def _message(exc: AppError | ValidationError) -> str:
    if isinstance(exc, ValidationError):
        return "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
    details = "; ".join(f"{e.name}: {e.detail}" for e in exc.errors or [])
    return exc.detail + (f" ({details})" if details else "")


async def create_user(
    settings: Settings, *, email: str, role: Role, partner: str | None, password: str
) -> uuid.UUID:
    db = Database(build_engine(settings))
    try:
        async with db.sessionmaker() as session, session.begin():
            session.info["actor_label"] = "cli"
            partner_id = (await find_partner(session, partner)).id if partner else None
            data = UserCreate.model_validate(
                {"email": email, "password": password, "role": role, "partnerId": partner_id}
            )
            user = await users.create(session, data=data, actor=SYSTEM, settings=settings)
            return user.id
    except (AppError, ValidationError) as exc:
        raise ValueError(_message(exc)) from exc
    finally:
        await db.dispose()


async def create_client(settings: Settings, *, partner: str, name: str) -> tuple[str, str]:
    db = Database(build_engine(settings))
    try:
        async with db.sessionmaker() as session, session.begin():
            session.info["actor_label"] = "cli"
            partner_id = (await find_partner(session, partner)).id
            data = ClientCreate.model_validate({"partnerId": partner_id, "name": name})
            client, secret = await clients.create(
                session, data=data, actor=SYSTEM, settings=settings
            )
            return client.client_id, secret
    except (AppError, ValidationError) as exc:
        raise ValueError(_message(exc)) from exc
    finally:
        await db.dispose()
