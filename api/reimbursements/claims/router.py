"""/reimbursement-claims: drafts computed by the claim engine, their lines, the status
moves and recalculation with correction claims."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Path, Query, Request, Response, status

from api.auth.principal import Principal
from api.auth.roles import AdminOrFinance, FinanceOnly
from api.common.created import set_location
from api.common.etag import IfMatchHeader, set_etag
from api.common.pagination import Page, paginate
from api.db import SessionDep
from api.openapi import api_router, responses
from api.reimbursements.claims import corrections
from api.reimbursements.claims import service as claims
from api.reimbursements.claims.schemas import (
    ClaimCreate,
    ClaimLineList,
    ClaimLineRead,
    ClaimMove,
    ClaimPayment,
    ClaimQuery,
    ClaimRead,
    ClaimSummary,
    ClaimUpdate,
    DifferenceLine,
    RecalculateOptions,
    Recalculation,
)

claims_router = api_router("reimbursements", prefix="/reimbursement-claims")

# Finance and admins read claims, compute drafts and correct amounts; only finance moves
# a claim through its statuses (domain.md: "only the finance role moves it").

ClaimId = Annotated[uuid.UUID, Path(alias="id", description="The claim's id.")]


@claims_router.get("", response_model=Page[ClaimSummary], summary="List reimbursement claims")
async def list_reimbursement_claims(
    session: SessionDep,
    principal: AdminOrFinance,
    query: Annotated[ClaimQuery, Query()],
    request: Request,
    response: Response,
) -> Response:
    """Latest period first. `year` selects by `periodEnd` (the quarter that holds it is
    where the budget counts a claim); `periodStart` and `periodEnd` select the claims
    whose period overlaps that range."""
    claims.check_query(query)
    return await paginate(
        session,
        claims.list_statement(query),
        params=query,
        request=request,
        response=response,
        sortable=claims.SORTABLE,
        default_order=claims.DEFAULT_ORDER,
        read=ClaimSummary,
    )


async def _answer(session: SessionDep, claim_id: uuid.UUID, response: Response) -> ClaimRead:
    answer = await claims.read(session, claim_id=claim_id)
    set_etag(response, answer.version)
    return answer


@claims_router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=ClaimRead,
    responses=responses(409),
    summary="Compute a draft reimbursement claim",
)
async def create_reimbursement_claim(
    session: SessionDep, principal: AdminOrFinance, data: ClaimCreate, response: Response
) -> ClaimRead:
    """The claim engine computes the lines for the scheme over the period (inclusive). A
    day no rate covers is a 400 naming the missing ranges (type
    `urn:opvang:problem:uncovered-days`, with `schemeCode` and `uncoveredRanges`). Any
    number of drafts may exist for a scheme and period until a claim for it is filed;
    from then on a new draft is a 409 (`urn:opvang:problem:claim-already-filed`, naming
    the filed claim in `claimId`): a difference is filed as a correction of that claim,
    through its `_recalculate`."""
    claim_id = await claims.create(session, data=data, actor=principal)
    set_location(response, "reimbursement-claims", claim_id)
    return await _answer(session, claim_id, response)


@claims_router.get(
    "/{id}", response_model=ClaimRead, summary="Read a reimbursement claim with its history"
)
async def read_reimbursement_claim(
    session: SessionDep, principal: AdminOrFinance, claim_id: ClaimId, response: Response
) -> ClaimRead:
    return await _answer(session, claim_id, response)


@claims_router.patch(
    "/{id}",
    response_model=ClaimRead,
    responses=responses(409, 412),
    summary="Change a reimbursement claim's amounts or note",
)
async def update_reimbursement_claim(
    session: SessionDep,
    principal: AdminOrFinance,
    claim_id: ClaimId,
    data: ClaimUpdate,
    response: Response,
    if_match: IfMatchHeader = None,
) -> ClaimRead:
    """`claimedAmount` only in draft; `receivedAmount` and `receivedOn` once filed
    (submitted, approved, paid); `note` always. Otherwise a 409. Lines never change here."""
    await claims.update(session, claim_id=claim_id, data=data, if_match=if_match)
    return await _answer(session, claim_id, response)


@claims_router.get(
    "/{id}/lines", response_model=ClaimLineList, summary="List a reimbursement claim's lines"
)
async def list_reimbursement_claim_lines(
    session: SessionDep, principal: AdminOrFinance, claim_id: ClaimId
) -> ClaimLineList:
    """All lines (one per location and rate segment, so a claim has few): by location
    name, then `rateFrom`. A frozen claim's lines never change."""
    rows = await claims.lines(session, claim_id=claim_id)
    return ClaimLineList(items=[ClaimLineRead.model_validate(r) for r in rows])


async def _move(
    session: SessionDep,
    principal: Principal,
    claim_id: uuid.UUID,
    name: str,
    data: ClaimMove | None,
    if_match: str | None,
    response: Response,
) -> ClaimRead:
    await claims.move(
        session,
        claim_id=claim_id,
        name=name,
        actor=principal,
        note=data.note if data else None,
        if_match=if_match,
        payment=data if isinstance(data, ClaimPayment) else None,
    )
    return await _answer(session, claim_id, response)


MOVE_RESPONSES = responses(409, 412)


@claims_router.post(
    "/{id}/_submit",
    response_model=ClaimRead,
    responses=MOVE_RESPONSES,
    summary="Submit a draft claim: recompute once and freeze",
)
async def submit_reimbursement_claim(
    session: SessionDep,
    principal: FinanceOnly,
    claim_id: ClaimId,
    response: Response,
    data: ClaimMove | None = None,
    if_match: IfMatchHeader = None,
) -> ClaimRead:
    """draft -> submitted. The lines are recomputed once and frozen with the rates used
    and a hash of the inputs; `claimedAmount` defaults to `totalAmount`. 409 when another
    claim for the scheme and period is already filed (corrections aside), or for a
    correction claim with nothing left to correct.
    Only the finance role moves a claim (admins get 403); honours `If-Match`."""
    return await _move(session, principal, claim_id, "submit", data, if_match, response)


@claims_router.post(
    "/{id}/_approve",
    response_model=ClaimRead,
    responses=MOVE_RESPONSES,
    summary="Record that the Rijk approved a claim",
)
async def approve_reimbursement_claim(
    session: SessionDep,
    principal: FinanceOnly,
    claim_id: ClaimId,
    response: Response,
    data: ClaimMove | None = None,
    if_match: IfMatchHeader = None,
) -> ClaimRead:
    """submitted -> approved.
    Only the finance role moves a claim (admins get 403); honours `If-Match`."""
    return await _move(session, principal, claim_id, "approve", data, if_match, response)


@claims_router.post(
    "/{id}/_reject",
    response_model=ClaimRead,
    responses=MOVE_RESPONSES,
    summary="Record that the Rijk rejected a claim",
)
async def reject_reimbursement_claim(
    session: SessionDep,
    principal: FinanceOnly,
    claim_id: ClaimId,
    response: Response,
    data: ClaimMove | None = None,
    if_match: IfMatchHeader = None,
) -> ClaimRead:
    """submitted or approved -> rejected. It stops counting as filed: another claim for
    the period may be submitted, or this one reopened.
    Only the finance role moves a claim (admins get 403); honours `If-Match`."""
    return await _move(session, principal, claim_id, "reject", data, if_match, response)


@claims_router.post(
    "/{id}/_reopen",
    response_model=ClaimRead,
    responses=MOVE_RESPONSES,
    summary="Take a rejected claim back to draft",
)
async def reopen_reimbursement_claim(
    session: SessionDep,
    principal: FinanceOnly,
    claim_id: ClaimId,
    response: Response,
    data: ClaimMove | None = None,
    if_match: IfMatchHeader = None,
) -> ClaimRead:
    """rejected -> draft. It is no longer frozen: recalculate it in place, or submit it
    again (which recomputes and freezes it anew).
    Only the finance role moves a claim (admins get 403); honours `If-Match`."""
    return await _move(session, principal, claim_id, "reopen", data, if_match, response)


@claims_router.post(
    "/{id}/_pay",
    response_model=ClaimRead,
    responses=MOVE_RESPONSES,
    summary="Record the Rijk's payment of a claim",
)
async def pay_reimbursement_claim(
    session: SessionDep,
    principal: FinanceOnly,
    claim_id: ClaimId,
    response: Response,
    data: ClaimPayment | None = None,
    if_match: IfMatchHeader = None,
) -> ClaimRead:
    """approved -> paid. `receivedAmount` and `receivedOn` come with the body or were set
    before with PATCH; without them a 400 naming them.
    Only the finance role moves a claim (admins get 403); honours `If-Match`."""
    return await _move(session, principal, claim_id, "pay", data, if_match, response)


@claims_router.post(
    "/{id}/_recalculate",
    response_model=Recalculation,
    responses=responses(409),
    summary="Recalculate a claim; file a frozen claim's difference as a correction",
)
async def recalculate_reimbursement_claim(
    session: SessionDep,
    principal: AdminOrFinance,
    claim_id: ClaimId,
    data: RecalculateOptions | None = None,
) -> Recalculation:
    """A draft is recomputed in place (a new version); the answer compares its former
    lines with the new ones. A frozen claim never changes: the answer compares what is
    filed (its frozen lines plus those of its filed corrections) with a computation from
    today's data, line by line (per location and rate segment). With
    `{"fileCorrection": true}` on a filed claim the difference is filed as a new draft
    claim with `correctsClaimId` (its lines are the deltas, its total the difference);
    with no difference nothing is filed and the answer is a 409
    (`urn:opvang:problem:no-difference`)."""
    outcome = await corrections.recalculate(
        session,
        claim_id=claim_id,
        file_correction=bool(data and data.file_correction),
        actor=principal,
    )
    correction = None
    if outcome.correction_id is not None:
        correction = await claims.read(session, claim_id=outcome.correction_id)
    return Recalculation(
        claim=await claims.read(session, claim_id=claim_id),
        stored_total=outcome.stored_total,
        current_total=outcome.current_total,
        difference=outcome.difference,
        lines=[DifferenceLine.model_validate(d) for d in outcome.lines],
        correction=correction,
    )
