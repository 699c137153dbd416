from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Path, Query, Request, Response, status

from api.auth.deps import SettingsDep
from api.auth.principal import Principal
from api.auth.roles import AdminCoordinatorOrPartner, AdminOrCoordinator
from api.common.created import set_location
from api.common.etag import IfMatchHeader, set_etag
from api.common.pagination import Page, PageParams, paginate
from api.db import SessionDep
from api.models import User
from api.openapi import api_router, responses
from api.signals import detail, service
from api.signals.schemas import (
    SignalActionCreate,
    SignalActionRead,
    SignalCreate,
    SignalOwnerRead,
    SignalQuery,
    SignalRead,
    SignalSummary,
    SignalUpdate,
)

# No prefix: the list of possible owners lives beside the signals, at /signal-owners.
router = api_router("signals")

# A partner works on the signals about the locations it operates; finance and viewers
# see signals only as counts, through the reports.

SignalId = Annotated[uuid.UUID, Path(alias="id", description="The signal's id.")]


@router.get("/signals", response_model=Page[SignalSummary], summary="List signals")
async def list_signals(
    session: SessionDep,
    principal: AdminCoordinatorOrPartner,
    settings: SettingsDep,
    query: Annotated[SignalQuery, Query()],
    request: Request,
    response: Response,
) -> Response:
    """`owner=me` lists the caller's own signals ("mijn signalen"), `owner=none` those
    without an owner. Newest first by default (`sort=reportedAt` for oldest first). A
    partner sees the signals about the locations it operates; a signal without a location
    is not shown to partners. Without their actions: read one signal for those."""
    service.check_query(query)
    return await paginate(
        session,
        service.list_statement(query, principal, settings.signal_overdue_days),
        params=query,
        request=request,
        response=response,
        sortable=service.SORTABLE,
        default_order=service.DEFAULT_ORDER,
        read=SignalSummary,
    )


async def _answer(
    session: SessionDep, principal: Principal, settings: SettingsDep, signal_id: uuid.UUID
) -> SignalRead:
    row, actions = await service.read(
        session,
        signal_id=signal_id,
        principal=principal,
        overdue_days=settings.signal_overdue_days,
    )
    return SignalRead(
        **SignalSummary.model_validate(row).model_dump(by_alias=False),
        actions=[SignalActionRead.model_validate(a) for a in actions],
    )


@router.post(
    "/signals",
    status_code=status.HTTP_201_CREATED,
    response_model=SignalRead,
    summary="Register a signal",
)
async def create_signal(
    session: SessionDep,
    principal: AdminCoordinatorOrPartner,
    settings: SettingsDep,
    data: SignalCreate,
    response: Response,
) -> SignalRead:
    """It starts `open`; staff may name its owner (`ownerUserId`). A partner names one of
    the locations it operates (another's is answered like a missing one). Residents' names
    are never stored."""
    signal = await service.create(session, data=data, actor=principal)
    set_etag(response, signal.version)
    set_location(response, "signals", signal.id)
    return await _answer(session, principal, settings, signal.id)


@router.get("/signals/{id}", response_model=SignalRead, summary="Read a signal with its actions")
async def read_signal(
    request: Request,
    principal: AdminCoordinatorOrPartner,
    settings: SettingsDep,
    signal_id: SignalId,
) -> Response:
    return await detail.response(request, signal_id, principal, settings.signal_overdue_days)


@router.patch(
    "/signals/{id}",
    response_model=SignalRead,
    responses=responses(409, 412),
    summary="Change a signal",
)
async def update_signal(
    session: SessionDep,
    principal: AdminCoordinatorOrPartner,
    settings: SettingsDep,
    signal_id: SignalId,
    data: SignalUpdate,
    response: Response,
    if_match: IfMatchHeader = None,
) -> SignalRead:
    """Only staff (admin, coordinator) set `ownerUserId` (a partner's attempt is a 403).
    Status: open -> in_progress -> resolved, and resolved -> in_progress to reopen; any
    other move is a 409. `resolvedAt` is set on resolving and cleared on reopening."""
    signal = await service.update(
        session, signal_id=signal_id, data=data, actor=principal, if_match=if_match
    )
    set_etag(response, signal.version)
    return await _answer(session, principal, settings, signal.id)


@router.post(
    "/signals/{id}/actions",
    status_code=status.HTTP_201_CREATED,
    response_model=SignalActionRead,
    summary="Add a follow-up action to a signal",
)
async def add_signal_action(
    session: SessionDep,
    principal: AdminCoordinatorOrPartner,
    signal_id: SignalId,
    data: SignalActionCreate,
) -> SignalActionRead:
    """With `status`, the note moves the signal in the same step (a partner may too).
    Stored with the author's kind, id and role and the time; never edited. The signal
    gets a new version (its answer lists the actions)."""
    action = await service.add_action(session, signal_id=signal_id, data=data, actor=principal)
    return SignalActionRead.model_validate(action)


@router.get(
    "/signal-owners",
    response_model=Page[SignalOwnerRead],
    summary="List the staff who may own a signal",
)
async def list_signal_owners(
    session: SessionDep,
    _staff: AdminOrCoordinator,
    query: Annotated[PageParams, Query()],
    request: Request,
    response: Response,
) -> Response:
    """The admins and coordinators, by e-mail address: whom a signal can be given to. A
    narrow read of the users for the staff who assign signals (`/users` is admin-only)."""
    return await paginate(
        session,
        service.owners_statement(),
        params=query,
        request=request,
        response=response,
        sortable={"email": User.email},
        default_order=[User.email, User.id],
        read=SignalOwnerRead,
    )
