"""/expenses: what the programme spends, for finance staff (and admins)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Path, Query, Request, Response, status

from api.auth.roles import AdminOrFinance
from api.common.created import set_location
from api.common.etag import IfMatchHeader, set_etag
from api.common.pagination import Page, paginate
from api.db import SessionDep
from api.expenses import service
from api.expenses.schemas import ExpenseCreate, ExpenseQuery, ExpenseRead, ExpenseUpdate
from api.openapi import api_router, responses

router = api_router("expenses", prefix="/expenses")

ExpenseId = Annotated[uuid.UUID, Path(alias="id", description="The expense's id.")]


@router.get("", response_model=Page[ExpenseRead], summary="List expenses")
async def list_expenses(
    session: SessionDep,
    principal: AdminOrFinance,
    query: Annotated[ExpenseQuery, Query()],
    request: Request,
    response: Response,
) -> Response:
    """Newest first by default (`sort=date` for oldest first). `year`, or `from`/`to`
    (inclusive), filter on `date`; an unknown `schemeCode` matches nothing."""
    service.check_query(query)
    return await paginate(
        session,
        service.list_statement(query),
        params=query,
        request=request,
        response=response,
        sortable=service.SORTABLE,
        default_order=service.DEFAULT_ORDER,
        read=ExpenseRead,
    )


async def _answer(session: SessionDep, expense_id: uuid.UUID, response: Response) -> ExpenseRead:
    answer = ExpenseRead.model_validate(await service.read(session, expense_id=expense_id))
    set_etag(response, answer.version)
    return answer


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=ExpenseRead,
    summary="Book an expense",
)
async def create_expense(
    session: SessionDep, principal: AdminOrFinance, data: ExpenseCreate, response: Response
) -> ExpenseRead:
    """`amount` is never zero; a refund or credit note is negative. Each reference
    (`locationId`, `activityId`, `partnerId`, `schemeCode`) that does not exist is listed
    in the 400."""
    expense = await service.create(session, data=data, actor=principal)
    set_location(response, "expenses", expense.id)
    return await _answer(session, expense.id, response)


@router.get("/{id}", response_model=ExpenseRead, summary="Read an expense")
async def read_expense(
    request: Request, principal: AdminOrFinance, expense_id: ExpenseId
) -> Response:
    return await service.BY_ID.response(request, expense_id, principal)


@router.patch(
    "/{id}", response_model=ExpenseRead, responses=responses(412), summary="Change an expense"
)
async def update_expense(
    session: SessionDep,
    principal: AdminOrFinance,
    expense_id: ExpenseId,
    data: ExpenseUpdate,
    response: Response,
    if_match: IfMatchHeader = None,
) -> ExpenseRead:
    """`null` clears `locationId`, `activityId`, `partnerId` or `schemeCode`; the other
    fields cannot be cleared."""
    expense = await service.update(
        session, expense_id=expense_id, data=data, actor=principal, if_match=if_match
    )
    return await _answer(session, expense.id, response)


@router.delete(
    "/{id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=responses(412),
    summary="Remove an expense",
)
async def delete_expense(
    session: SessionDep,
    principal: AdminOrFinance,
    expense_id: ExpenseId,
    if_match: IfMatchHeader = None,
) -> None:
    """A booking made in error; a refund is booked as a negative expense instead."""
    await service.delete(session, expense_id=expense_id, actor=principal, if_match=if_match)
