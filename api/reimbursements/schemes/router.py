"""/reimbursement-schemes and their rates."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Path, Query, Request, Response, status

from api.auth.roles import AdminOrFinance
from api.common.created import set_location
from api.common.etag import IfMatchHeader, set_etag
from api.common.pagination import Page, paginate
from api.db import SessionDep
from api.openapi import api_router, responses
from api.reimbursements.schemes import service
from api.reimbursements.schemes.schemas import (
    RateCreate,
    RateList,
    RateRead,
    RateUpdate,
    SchemeCreate,
    SchemeQuery,
    SchemeRead,
    SchemeUpdate,
)

schemes_router = api_router("reimbursements", prefix="/reimbursement-schemes")

# Finance manages schemes and rates; admins may do everything. No participant-level data
# is served here.

Code = Annotated[
    str,
    Path(
        alias="code",
        max_length=32,
        # As SchemeCode: no other code can exist (and a NUL would reach the database).
        pattern=r"^[A-Z0-9][A-Z0-9_-]{0,31}$",
        description="The scheme's code, e.g. `BOO-GOO`.",
    ),
]


@schemes_router.get("", response_model=Page[SchemeRead], summary="List reimbursement schemes")
async def list_reimbursement_schemes(
    session: SessionDep,
    principal: AdminOrFinance,
    query: Annotated[SchemeQuery, Query()],
    request: Request,
    response: Response,
) -> Response:
    """By code. The published schemes (BOO-GOO, BOO-POO, SPW-DUURZAAM, SPW-OVERIG) are
    there from the start, with their rates."""
    return await paginate(
        session,
        service.list_statement(query),
        params=query,
        request=request,
        response=response,
        sortable=service.SORTABLE,
        default_order=service.DEFAULT_ORDER,
        read=SchemeRead,
    )


@schemes_router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=SchemeRead,
    responses=responses(409),
    summary="Add a reimbursement scheme",
)
async def create_reimbursement_scheme(
    session: SessionDep, principal: AdminOrFinance, data: SchemeCreate, response: Response
) -> SchemeRead:
    """Without rates: add them with `POST /reimbursement-schemes/{code}/rates`. A code
    already in use is a 409."""
    scheme = await service.create(session, data=data)
    set_etag(response, scheme.version)
    set_location(response, "reimbursement-schemes", scheme.code)
    return SchemeRead.model_validate(scheme)


@schemes_router.get("/{code}", response_model=SchemeRead, summary="Read a reimbursement scheme")
async def read_reimbursement_scheme(
    request: Request, principal: AdminOrFinance, code: Code
) -> Response:
    return await service.read_response(request, code)


@schemes_router.patch(
    "/{code}",
    response_model=SchemeRead,
    responses=responses(409, 412),
    summary="Change a reimbursement scheme",
)
async def update_reimbursement_scheme(
    session: SessionDep,
    principal: AdminOrFinance,
    code: Code,
    data: SchemeUpdate,
    response: Response,
    if_match: IfMatchHeader = None,
) -> SchemeRead:
    """The code never changes. The basis changes only while no claim uses the scheme
    (409). Drafts follow the new kinds and groups when recomputed; frozen claims never do."""
    scheme = await service.update(session, code=code, data=data, if_match=if_match)
    set_etag(response, scheme.version)
    return SchemeRead.model_validate(scheme)


@schemes_router.get(
    "/{code}/rates", response_model=RateList, summary="List a reimbursement scheme's rates"
)
async def list_reimbursement_rates(
    session: SessionDep, principal: AdminOrFinance, code: Code
) -> RateList:
    """All of them, oldest first (a scheme has a handful)."""
    scheme = await service.get(session, code)
    rows = await service.rates(session, scheme_id=scheme.id)
    return RateList(items=[RateRead.model_validate(r) for r in rows])


@schemes_router.post(
    "/{code}/rates",
    status_code=status.HTTP_201_CREATED,
    response_model=RateRead,
    responses=responses(409),
    summary="Add a rate to a reimbursement scheme",
)
async def create_reimbursement_rate(
    session: SessionDep, principal: AdminOrFinance, code: Code, data: RateCreate, response: Response
) -> RateRead:
    """Rates are append-only: a published amount is never edited or removed. A range that
    overlaps another rate of the scheme is a 409 naming that rate (`rateId`, `validFrom`,
    `validTo`); the one exception is an open-ended rate (`validTo` null, "until further
    notice") that starts before the new one: it is ended the day before the new one
    starts. Frozen claims keep the rates they used; recalculating one shows any
    difference."""
    rate = await service.add_rate(session, code=code, data=data)
    # The rate's version is its ETag, for a later PATCH of a provisional rate.
    set_etag(response, rate.version)
    set_location(response, "reimbursement-schemes", code, "rates", rate.id)
    return RateRead.model_validate(rate)


@schemes_router.patch(
    "/{code}/rates/{rate_id}",
    response_model=RateRead,
    responses=responses(404, 409, 412),
    summary="Change a provisional rate",
)
async def update_reimbursement_rate(
    session: SessionDep,
    principal: AdminOrFinance,
    code: Code,
    rate_id: uuid.UUID,
    data: RateUpdate,
    response: Response,
    if_match: IfMatchHeader = None,
) -> RateRead:
    """Only a provisional rate (`announced` or `assumed`) changes: its amount, its basis
    (`source`) and its certainty, e.g. to `published` when the amount is final. A
    published rate is a 409 (`rate-published`): add a new rate instead. A provisional
    rate keeps a basis (400 `basis_required`)."""
    rate = await service.update_rate(
        session, code=code, rate_id=rate_id, data=data, if_match=if_match
    )
    set_etag(response, rate.version)
    return RateRead.model_validate(rate)
