"""Claim rules: a draft is computed by the engine and recomputed on demand; on submit it
is recomputed once and frozen (lines, rates used, inputs hash), and from then on its lines
never change. At most one claim per scheme and period is filed (submitted, approved or
paid), corrections aside: a recalculation of a filed claim shows the difference line by
line and can file it as a correction claim whose lines are the deltas. Only the finance
role moves a claim (the router says who); every move is kept in the claim's status
history and in the audit log."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from api.audit.service import record
from api.auth.principal import Principal
from api.common.etag import check_if_match
from api.db import take_write_lock
from api.errors import BadRequest, Conflict, FieldProblem, NotFound, ProblemType, field_problem
from api.models import (
    FILED_STATUSES,
    ClaimLine,
    ClaimStatus,
    ClaimStatusChange,
    Location,
    ReimbursementClaim,
    ReimbursementScheme,
    utcnow,
)
from api.reimbursements.claims import engine
from api.reimbursements.claims.engine import Line
from api.reimbursements.claims.lines import target_lines
from api.reimbursements.claims.schemas import (
    ClaimCreate,
    ClaimLineRead,
    ClaimPayment,
    ClaimQuery,
    ClaimRead,
    ClaimSummary,
    ClaimUpdate,
    StatusChangeRead,
)

ZERO = Decimal("0.00")
FILED = frozenset(ClaimStatus(s) for s in FILED_STATUSES)
FLOW: dict[ClaimStatus, frozenset[ClaimStatus]] = {
    ClaimStatus.draft: frozenset({ClaimStatus.submitted}),
    ClaimStatus.submitted: frozenset({ClaimStatus.approved, ClaimStatus.rejected}),
    ClaimStatus.approved: frozenset({ClaimStatus.paid, ClaimStatus.rejected}),
    ClaimStatus.rejected: frozenset({ClaimStatus.draft}),  # reopened
    ClaimStatus.paid: frozenset(),
}
MOVES: dict[str, ClaimStatus] = {
    "submit": ClaimStatus.submitted,
    "approve": ClaimStatus.approved,
    "reject": ClaimStatus.rejected,
    "pay": ClaimStatus.paid,
    "reopen": ClaimStatus.draft,
}
SORTABLE = {
    "periodStart": ReimbursementClaim.period_start,
    "periodEnd": ReimbursementClaim.period_end,
    "status": ReimbursementClaim.status,
    "totalAmount": ReimbursementClaim.total_amount,
    "createdAt": ReimbursementClaim.created_at,
}
DEFAULT_ORDER = [
    ReimbursementClaim.period_start.desc(),
    ReimbursementClaim.created_at.desc(),
    ReimbursementClaim.id,
]
_SUMMARY = [
    *(getattr(ReimbursementClaim, n) for n in ClaimSummary.model_fields if n != "scheme_code"),
    ReimbursementScheme.code.label("scheme_code"),
]
_HISTORY = [getattr(ClaimStatusChange, n) for n in StatusChangeRead.model_fields]


def now() -> datetime:
    return utcnow()


def _joined(*columns: Any) -> Any:
    return select(*columns).join(
        ReimbursementScheme, ReimbursementScheme.id == ReimbursementClaim.scheme_id
    )


def check_query(query: ClaimQuery) -> None:
    if query.period_start and query.period_end and query.period_end < query.period_start:
        raise BadRequest(
            "The period is empty.",
            type_=ProblemType.INVALID_INPUT,
            errors=[
                field_problem(
                    "query", "periodEnd", "Must be on or after periodStart.", code="before_start"
                )
            ],
        )


def list_statement(query: ClaimQuery) -> Any:
    stmt = _joined(*_SUMMARY)
    for column, value in (
        (ReimbursementScheme.code, query.scheme_code),
        (ReimbursementClaim.status, query.status),
        (ReimbursementClaim.corrects_claim_id, query.corrects_claim_id),
    ):
        if value is not None:
            stmt = stmt.where(column == value)
    if query.year is not None:
        stmt = stmt.where(
            ReimbursementClaim.period_end.between(date(query.year, 1, 1), date(query.year, 12, 31))
        )
    if query.period_start is not None:
        stmt = stmt.where(ReimbursementClaim.period_end >= query.period_start)
    if query.period_end is not None:
        stmt = stmt.where(ReimbursementClaim.period_start <= query.period_end)
    return stmt


async def read(session: AsyncSession, *, claim_id: uuid.UUID) -> ClaimRead:
    """The claim with the rates it froze and its status history: two statements."""
    stmt = _joined(*_SUMMARY, ReimbursementClaim.rates_used).where(
        ReimbursementClaim.id == claim_id
    )
    row = (await session.execute(stmt)).one_or_none()
    if row is None:
        raise NotFound(f"There is no claim with id {claim_id}.")
    history = await session.execute(
        select(*_HISTORY)
        .where(ClaimStatusChange.claim_id == claim_id)
        .order_by(ClaimStatusChange.at, ClaimStatusChange.id)
    )
    rates = row.rates_used
    return ClaimRead.model_validate(
        {
            **row._mapping,
            "rates_used": None
            if rates is None
            else [
                {"valid_from": r["validFrom"], "valid_to": r["validTo"], "amount": r["amount"]}
                for r in rates
            ],
            "status_history": list(history.all()),
        }
    )


async def lines(session: AsyncSession, *, claim_id: uuid.UUID) -> list[Any]:
    if await session.get(ReimbursementClaim, claim_id) is None:
        raise NotFound(f"There is no claim with id {claim_id}.")
    stmt = (
        select(
            *(getattr(ClaimLine, n) for n in ClaimLineRead.model_fields if n != "location_name"),
            Location.name.label("location_name"),
        )
        .join(Location, Location.id == ClaimLine.location_id)
        .where(ClaimLine.claim_id == claim_id)
        .order_by(ClaimLine.position)
    )
    return list((await session.execute(stmt)).all())


async def lock(session: AsyncSession, claim_id: uuid.UUID) -> ReimbursementClaim:
    """The claim for a write, held until commit (see ``take_write_lock``)."""
    await take_write_lock(session)
    stmt = select(ReimbursementClaim).where(ReimbursementClaim.id == claim_id).with_for_update()
    claim = (await session.execute(stmt)).scalar_one_or_none()
    if claim is None:
        raise NotFound(f"There is no claim with id {claim_id}.")
    return claim


def _bad(problems: list[FieldProblem]) -> BadRequest:
    return BadRequest(
        f"The claim has {len(problems)} invalid value(s); see errors.",
        type_=ProblemType.INVALID_INPUT,
        errors=problems,
    )


def add_history(
    session: AsyncSession,
    claim: ReimbursementClaim,
    before: ClaimStatus | None,
    after: ClaimStatus,
    actor: Principal,
    note: str | None,
) -> None:
    session.add(
        ClaimStatusChange(
            claim_id=claim.id,
            from_status=before,
            to_status=after,
            at=now(),
            actor_kind=actor.kind,
            actor_id=actor.id or uuid.UUID(int=0),
            note=note,
        )
    )


async def write_lines(session: AsyncSession, claim_id: uuid.UUID, rows: list[Line]) -> None:
    """Replace the claim's lines: one DELETE and one multi-row INSERT."""
    await session.execute(
        delete(ClaimLine)
        .where(ClaimLine.claim_id == claim_id)
        .execution_options(synchronize_session=False)
    )
    if rows:
        await session.execute(
            insert(ClaimLine),
            [
                {
                    "claim_id": claim_id,
                    "position": i,
                    "location_id": line.location_id,
                    "rate_from": line.rate_from,
                    "rate_to": line.rate_to,
                    "units": line.units,
                    "rate": line.rate,
                    "amount": line.amount,
                }
                for i, line in enumerate(rows)
            ],
        )


def total(rows: Iterable[Line]) -> Decimal:
    return sum((line.amount for line in rows), ZERO)


async def create(session: AsyncSession, *, data: ClaimCreate, actor: Principal) -> uuid.UUID:
    problems = []
    if data.period_end < data.period_start:
        problems.append(
            field_problem(
                "body", "periodEnd", "Must be on or after periodStart.", code="before_start"
            )
        )
    scheme_id = await session.scalar(
        select(ReimbursementScheme.id).where(ReimbursementScheme.code == data.scheme_code)
    )
    if scheme_id is None:
        problems.append(
            field_problem("body", "schemeCode", "There is no such scheme.", code="not_found")
        )
    if problems:
        raise _bad(problems)
    assert scheme_id is not None
    await _refuse_if_filed(session, scheme_id, data.period_start, data.period_end)
    computed = await engine.compute(
        session, scheme_id=scheme_id, first=data.period_start, last=data.period_end
    )
    claim = ReimbursementClaim(
        scheme_id=scheme_id,
        period_start=data.period_start,
        period_end=data.period_end,
        status=ClaimStatus.draft,
        total_amount=computed.total,
        computed_at=now(),
        note=data.note,
    )
    session.add(claim)
    await session.flush()
    await write_lines(session, claim.id, computed.lines)
    add_history(session, claim, None, ClaimStatus.draft, actor, None)
    await session.flush()
    return claim.id


async def update(
    session: AsyncSession,
    *,
    claim_id: uuid.UUID,
    data: ClaimUpdate,
    if_match: str | None,
) -> None:
    claim = await lock(session, claim_id)
    check_if_match(if_match, claim.version)
    changes = data.model_dump(exclude_unset=True, by_alias=False)
    if "claimed_amount" in changes and claim.status is not ClaimStatus.draft:
        raise Conflict(
            f"The claim is {claim.status.value}: what it claims was fixed on submit.",
            type_=ProblemType.CLAIM_FROZEN,
            extra={"field": "claimedAmount"},
        )
    received = {"received_amount", "received_on"} & changes.keys()
    if received and claim.status in (ClaimStatus.draft, ClaimStatus.rejected):
        raise Conflict(
            f"The claim is {claim.status.value}: nothing can have been received for it.",
            type_=ProblemType.CLAIM_NOT_FILED,
            extra={"field": "receivedAmount" if "received_amount" in received else "receivedOn"},
        )
    for field, value in changes.items():
        setattr(claim, field, value)
    await session.flush()


def _check_move(before: ClaimStatus, after: ClaimStatus) -> None:
    if after in FLOW[before]:
        return
    allowed = ", ".join(sorted(s.value for s in FLOW[before])) or "none (final)"
    raise Conflict(
        f"A claim cannot move from '{before.value}' to '{after.value}' "
        f"(from '{before.value}' only to: {allowed}).",
        type_=ProblemType.STATUS_FLOW,
        extra={"from": before.value, "to": after.value},
    )


async def move(
    session: AsyncSession,
    *,
    claim_id: uuid.UUID,
    name: str,
    actor: Principal,
    note: str | None,
    if_match: str | None,
    payment: ClaimPayment | None = None,
) -> None:
    claim = await lock(session, claim_id)
    check_if_match(if_match, claim.version)
    before, after = claim.status, MOVES[name]
    _check_move(before, after)
    if after is ClaimStatus.submitted:
        await _freeze(session, claim)
    elif after is ClaimStatus.paid:
        _pay(claim, payment)
    elif after is ClaimStatus.draft:
        # Reopened: a draft again, recomputed on demand (`_recalculate`) and on submit.
        claim.frozen_at = claim.inputs_hash = claim.rates_used = None
    claim.status = after
    add_history(session, claim, before, after, actor, note)
    record(
        session,
        action=name,
        entity="reimbursement_claims",
        entity_id=claim.id,
        details={"from": before.value, "to": after.value},
    )
    try:
        await session.flush()
    except IntegrityError as exc:  # a concurrent submit won the race
        if "uq_reimbursement_claims_filed" not in str(exc.orig) and "UNIQUE" not in str(exc.orig):
            raise
        raise _already_filed(None) from exc


def _pay(claim: ReimbursementClaim, payment: ClaimPayment | None) -> None:
    if payment is not None and payment.received_amount is not None:
        claim.received_amount = payment.received_amount
    if payment is not None and payment.received_on is not None:
        claim.received_on = payment.received_on
    problems = [
        field_problem("body", name, "Required: what the Rijk paid, and when.", code="missing")
        for name, value in (
            ("receivedAmount", claim.received_amount),
            ("receivedOn", claim.received_on),
        )
        if value is None
    ]
    if problems:
        raise _bad(problems)


async def _refuse_if_filed(
    session: AsyncSession, scheme_id: uuid.UUID, first: date, last: date
) -> None:
    """A draft for a scheme and period that already has a filed claim could never be
    submitted: say so when it is drafted, naming the filed claim (a difference is filed
    as a correction of that one, through its recalculation)."""
    other = await session.scalar(
        select(ReimbursementClaim.id).where(
            ReimbursementClaim.scheme_id == scheme_id,
            ReimbursementClaim.period_start == first,
            ReimbursementClaim.period_end == last,
            ReimbursementClaim.status.in_(FILED),
            ReimbursementClaim.corrects_claim_id.is_(None),
        )
    )
    if other is not None:
        raise _already_filed(other)


def _already_filed(other: uuid.UUID | None) -> Conflict:
    return Conflict(
        "Another claim for this scheme and period is already filed (submitted, approved or "
        "paid); recalculate that one and file a correction instead.",
        type_=ProblemType.CLAIM_ALREADY_FILED,
        extra={"claimId": str(other)} if other else None,
    )


async def _freeze(session: AsyncSession, claim: ReimbursementClaim) -> None:
    """Recompute once and freeze. The scheme's row is locked first, so two submits for
    the same scheme are serialised and the check below sees the other's claim (the
    partial unique index is the last line of defence)."""
    await session.execute(
        select(ReimbursementScheme.id)
        .where(ReimbursementScheme.id == claim.scheme_id)
        .with_for_update()
    )
    if claim.corrects_claim_id is None:
        other = await session.scalar(
            select(ReimbursementClaim.id).where(
                ReimbursementClaim.scheme_id == claim.scheme_id,
                ReimbursementClaim.period_start == claim.period_start,
                ReimbursementClaim.period_end == claim.period_end,
                ReimbursementClaim.status.in_(FILED),
                ReimbursementClaim.corrects_claim_id.is_(None),
                ReimbursementClaim.id != claim.id,
            )
        )
        if other is not None:
            raise _already_filed(other)
    else:
        original = await session.get(ReimbursementClaim, claim.corrects_claim_id)
        if original is None or original.status not in FILED:
            raise Conflict(
                "The claim this one corrects is no longer filed (rejected or reopened); "
                "there is nothing to correct.",
                type_=ProblemType.CLAIM_NOT_FILED,
                extra={"claimId": str(claim.corrects_claim_id)},
            )
    rows, computed = await target_lines(session, claim)
    if claim.corrects_claim_id is not None and not rows:
        raise no_difference()
    await write_lines(session, claim.id, rows)
    at = now()
    claim.total_amount = total(rows)
    claim.computed_at = claim.frozen_at = at
    claim.inputs_hash = computed.inputs_hash
    claim.rates_used = [
        {
            "validFrom": r.valid_from.isoformat(),
            "validTo": r.valid_to.isoformat() if r.valid_to else None,
            "amount": f"{r.amount:.2f}",
        }
        for r in computed.rates_used
    ]
    if claim.claimed_amount is None:
        claim.claimed_amount = claim.total_amount


def no_difference() -> Conflict:
    return Conflict(
        "The current computation equals what is filed: there is no difference to file.",
        type_=ProblemType.NO_DIFFERENCE,
    )
