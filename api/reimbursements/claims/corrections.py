"""``_recalculate``: a draft is recomputed in place; a frozen claim is never changed, the
answer shows the difference line by line and, on request, files it as a correction claim
(a new draft with ``correctsClaimId``, whose lines are the deltas)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from api.auth.principal import Principal
from api.errors import Conflict, ProblemType
from api.models import ClaimStatus, ReimbursementClaim
from api.reimbursements.claims import engine
from api.reimbursements.claims.lines import (
    Difference,
    difference,
    filed_lines,
    stored_lines,
    target_lines,
)
from api.reimbursements.claims.service import (
    FILED,
    add_history,
    lock,
    no_difference,
    now,
    total,
    write_lines,
)


@dataclass(frozen=True)
class Outcome:
    stored_total: Decimal
    current_total: Decimal
    lines: list[Difference]
    correction_id: uuid.UUID | None

    @property
    def difference(self) -> Decimal:
        return self.current_total - self.stored_total


async def recalculate(
    session: AsyncSession, *, claim_id: uuid.UUID, file_correction: bool, actor: Principal
) -> Outcome:
    claim = await lock(session, claim_id)
    frozen = claim.frozen_at is not None
    if frozen and claim.corrects_claim_id is not None:
        raise Conflict(
            "A filed correction claim is not recalculated: recalculate the claim it corrects.",
            type_=ProblemType.CLAIM_FROZEN,
            extra={"claimId": str(claim.corrects_claim_id)},
        )
    if file_correction and claim.status not in FILED:
        raise Conflict(
            f"Only a filed claim (submitted, approved or paid) is corrected; this one is "
            f"{claim.status.value}"
            + (" (recalculate it in place instead)." if not frozen else " (reopen it instead)."),
            type_=ProblemType.CLAIM_NOT_FILED,
            extra={"field": "fileCorrection"},
        )
    if frozen:
        stored = await filed_lines(session, claim.id)
        computed = await engine.compute(
            session, scheme_id=claim.scheme_id, first=claim.period_start, last=claim.period_end
        )
        current = computed.lines
    else:
        stored = await stored_lines(session, [claim.id])
        current, _ = await target_lines(session, claim)
    diff = await difference(session, stored, current)
    if not frozen:
        await write_lines(session, claim.id, current)
        claim.total_amount = total(current)
        claim.computed_at = now()
        await session.flush()
    correction_id = None
    if file_correction:
        if not diff:
            raise no_difference()
        correction_id = await _file(session, claim, diff, actor)
    return Outcome(total(stored), total(current), diff, correction_id)


async def _file(
    session: AsyncSession, claim: ReimbursementClaim, diff: list[Difference], actor: Principal
) -> uuid.UUID:
    deltas = [d.as_delta() for d in diff]
    correction = ReimbursementClaim(
        scheme_id=claim.scheme_id,
        period_start=claim.period_start,
        period_end=claim.period_end,
        status=ClaimStatus.draft,
        total_amount=total(deltas),
        corrects_claim_id=claim.id,
        computed_at=now(),
    )
    session.add(correction)
    await session.flush()
    await write_lines(session, correction.id, deltas)
    add_history(
        session, correction, None, ClaimStatus.draft, actor, f"Correction of claim {claim.id}."
    )
    await session.flush()
    return correction.id
