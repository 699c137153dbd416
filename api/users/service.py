"""User rules: unique e-mail; a partner user belongs to a partner and only they do;
the last admin cannot be removed or demoted; a password must not be easy to guess; a
change of role, partner or password (or the removal) ends the user's tokens."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from api.auth import generations
from api.auth.passwords import hash_secret, password_problem
from api.auth.principal import Principal
from api.auth.scoping import get_scoped
from api.common.etag import check_if_match
from api.common.pagination import read_columns
from api.config import Settings
from api.errors import BadRequest, Conflict, field_problem
from api.models import Partner, Role, User
from api.users.schemas import UserCreate, UserQuery, UserRead, UserUpdate

SORTABLE = {"email": User.email, "role": User.role, "createdAt": User.created_at}


def list_statement(query: UserQuery) -> Any:
    stmt = select(*read_columns(User, UserRead))
    if query.role is not None:
        stmt = stmt.where(User.role == query.role)
    if query.partner_id is not None:
        stmt = stmt.where(User.partner_id == query.partner_id)
    if query.q:
        stmt = stmt.where(User.email.contains(query.q.lower(), autoescape=True))
    return stmt


async def _check_partner(session: AsyncSession, role: Role, partner_id: uuid.UUID | None) -> None:
    if role is Role.partner and partner_id is None:
        raise BadRequest(
            "A partner user needs a partner.",
            errors=[field_problem("body", "partnerId", "Required for the role 'partner'.")],
        )
    if role is not Role.partner and partner_id is not None:
        raise BadRequest(
            "Only partner users belong to a partner.",
            errors=[field_problem("body", "partnerId", f"Not allowed for the role '{role}'.")],
        )
    if partner_id is not None and await session.get(Partner, partner_id) is None:
        raise BadRequest(
            "The partner does not exist.",
            errors=[
                field_problem("body", "partnerId", "No partner with this id.", code="not_found")
            ],
        )


async def _check_email(session: AsyncSession, email: str, exclude: uuid.UUID | None) -> None:
    stmt = select(User.id).where(User.email == email)
    if exclude is not None:
        stmt = stmt.where(User.id != exclude)
    if (await session.execute(stmt)).first() is not None:
        raise Conflict("A user with this e-mail address already exists.")


def _check_password(settings: Settings, password: str, email: str) -> None:
    problem = password_problem(settings, password, email=email)
    if problem is not None:
        raise BadRequest(
            "The password is too easy to guess.",
            errors=[field_problem("body", "password", problem)],
        )


async def _admins_left_without(session: AsyncSession, user_id: uuid.UUID) -> int:
    stmt = select(func.count()).where(User.role == Role.admin, User.id != user_id)
    return int(await session.scalar(stmt) or 0)


async def create(
    session: AsyncSession, *, data: UserCreate, actor: Principal, settings: Settings
) -> User:
    await _check_partner(session, data.role, data.partner_id)
    await _check_email(session, data.email, None)
    _check_password(settings, data.password, data.email)
    user = User(
        email=data.email,
        password_hash=hash_secret(settings, data.password),
        role=data.role,
        partner_id=data.partner_id,
    )
    session.add(user)
    await session.flush()
    return user


async def update(
    session: AsyncSession,
    *,
    user_id: uuid.UUID,
    data: UserUpdate,
    actor: Principal,
    settings: Settings,
    if_match: str | None,
) -> User:
    user = await get_scoped(session, User, user_id, actor, "user")
    check_if_match(if_match, user.version)
    changes = data.model_dump(exclude_unset=True, by_alias=False)
    for field in ("email", "password", "role"):
        if field in changes and changes[field] is None:
            raise BadRequest(
                f"'{field}' cannot be cleared.",
                errors=[field_problem("body", field, "Must not be null.")],
            )
    role = changes.get("role", user.role)
    partner_id = changes.get("partner_id", user.partner_id)
    if "role" in changes and role is not Role.partner and "partner_id" not in changes:
        partner_id = None
    await _check_partner(session, role, partner_id)
    demoting = user.role is Role.admin and role is not Role.admin
    if demoting and await _admins_left_without(session, user.id) == 0:
        raise Conflict("This is the last admin; make another admin first.")
    if "email" in changes:
        await _check_email(session, changes["email"], user.id)
        user.email = changes["email"]
    if "password" in changes:
        _check_password(settings, changes["password"], user.email)
        user.password_hash = hash_secret(settings, changes["password"])
    if "password" in changes or role is not user.role or partner_id != user.partner_id:
        # What the user's tokens grant changed: they stop working (api.auth.generations).
        user.token_generation += 1
        generations.forget(session, "user", user.id)
    user.role = role
    user.partner_id = partner_id
    await session.flush()
    return user


async def delete(
    session: AsyncSession, *, user_id: uuid.UUID, actor: Principal, if_match: str | None
) -> None:
    user = await get_scoped(session, User, user_id, actor, "user")
    check_if_match(if_match, user.version)
    if user.role is Role.admin and await _admins_left_without(session, user.id) == 0:
        raise Conflict("This is the last admin; make another admin first.")
    await session.delete(user)
    await session.flush()
    generations.forget(session, "user", user.id)  # no row, no generation: tokens refused
