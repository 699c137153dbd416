from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Path, Query, Request, Response, status

from api.auth.deps import SettingsDep
from api.auth.roles import AdminOnly
from api.auth.scoping import FastRead
from api.common.created import set_location
from api.common.etag import IfMatchHeader, set_etag
from api.common.pagination import Page, paginate
from api.db import SessionDep
from api.models import User
from api.openapi import api_router, responses
from api.users import service
from api.users.schemas import UserCreate, UserQuery, UserRead, UserUpdate

router = api_router("users", prefix="/users")
BY_ID = FastRead(User, UserRead, "user")

UserId = Annotated[uuid.UUID, Path(alias="id", description="The user's id.")]


@router.get("", response_model=Page[UserRead], summary="List users (admin)")
async def list_users(
    session: SessionDep,
    _admin: AdminOnly,
    query: Annotated[UserQuery, Query()],
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
        default_order=[User.email, User.id],
        read=UserRead,
    )


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=UserRead,
    responses=responses(409),
    summary="Add a user (admin)",
)
async def create_user(
    session: SessionDep,
    admin: AdminOnly,
    settings: SettingsDep,
    data: UserCreate,
    response: Response,
) -> User:
    user = await service.create(session, data=data, actor=admin, settings=settings)
    set_etag(response, user.version)
    set_location(response, "users", user.id)
    return user


@router.get("/{id}", response_model=UserRead, summary="Read a user")
async def read_user(request: Request, admin: AdminOnly, user_id: UserId) -> Response:
    return await BY_ID.response(request, user_id, admin)


@router.patch(
    "/{id}", response_model=UserRead, responses=responses(409, 412), summary="Change a user"
)
async def update_user(
    session: SessionDep,
    admin: AdminOnly,
    settings: SettingsDep,
    user_id: UserId,
    data: UserUpdate,
    response: Response,
    if_match: IfMatchHeader = None,
) -> User:
    """A change of role, partner or password ends the tokens the user already has (on
    every worker within `OPVANG_TOKEN_GENERATION_CACHE_SECONDS`). A new password must not
    be easy to guess (a zxcvbn score of `OPVANG_PASSWORD_MIN_SCORE`)."""
    user = await service.update(
        session, user_id=user_id, data=data, actor=admin, settings=settings, if_match=if_match
    )
    set_etag(response, user.version)
    return user


@router.delete(
    "/{id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=responses(409, 412),
    summary="Remove a user",
)
async def delete_user(
    session: SessionDep, admin: AdminOnly, user_id: UserId, if_match: IfMatchHeader = None
) -> None:
    """The user's tokens stop working too."""
    await service.delete(session, user_id=user_id, actor=admin, if_match=if_match)
