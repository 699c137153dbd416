"""/reports/budget: budget neutrality per year, quarter and scheme.

For admin, finance and viewer: aggregate money figures, no participant data. The
coordinator works with people and places, not with the budget (api.md, roles); a partner
gets 403 like for the other programme-wide reports.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Query

from api.auth.roles import AdminFinanceOrViewer, AdminOrFinance
from api.db import SessionDep
from api.openapi import api_router
from api.reports.budget.claimable import ClaimableQuery, ClaimableReport, claimable
from api.reports.budget.figures import budget_report
from api.reports.budget.schemas import BudgetQuery, BudgetReport

router = api_router("reports", prefix="/reports")


DEFINITIONS = """Per quarter (Q1..Q4) and for the whole year, per scheme:

- `expected`: what the claim engine computes for the quarter from placements, capacity
  and rates; `null`, with the days listed in `unpricedRanges`, when a rate is missing
  for a day of it (a 2026 quarter before the 2026 amounts are published);
- `claimed`: the claims beyond draft and not rejected (submitted, approved, paid;
  corrections included) whose `periodEnd` falls in the quarter, at their
  `claimedAmount`, or their `totalAmount` where none is set;
- `received`: the `receivedAmount` of those claims, in the quarter holding their
  `periodEnd` (not the day the money came in).

Expenses per category per quarter by their `date` (refunds subtract). Totals: the sums
over the schemes (`expected` is `null` when any scheme's is); `balance = expected -
expenses`; `covered` is `balance >= 0`, `null` when `expected` is unknown: coverage is
judged on what the rules entitle the programme to, whatever the claiming lag.
`receivedBalance = received - expenses` is the cash view beside it. The whole year
sums the quarters."""


@router.get(
    "/budget",
    response_model=BudgetReport,
    summary="Budget neutrality per quarter",
    description=DEFINITIONS,
)
async def budget(
    session: SessionDep, principal: AdminFinanceOrViewer, query: Annotated[BudgetQuery, Query()]
) -> BudgetReport:
    report, _claims = await budget_report(session, year=query.year)
    return report


@router.get(
    "/claimable",
    response_model=ClaimableReport,
    summary="What is to be claimed, per scheme and quarter",
)
async def claimable_quarters(
    session: SessionDep, principal: AdminOrFinance, query: Annotated[ClaimableQuery, Query()]
) -> ClaimableReport:
    """Finance's list for the quarter end: per scheme, the quarters of `year` that have
    begun (Heemstede's date) and last year's quarters with nothing filed yet, each with
    its claim (the filed one, else the newest draft or rejected one), the number of
    drafts, the deadline and the days no rate covers yet. A quarter's claim is one whose
    period is exactly the quarter (corrections aside). For finance and admin."""
    return await claimable(session, year=query.year)
