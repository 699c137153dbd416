"""The budget report as one CSV file in long format, one figure a line:

``section,period,scheme,category,measure,amount,note``

- ``scheme`` lines: per period and scheme, ``expected``, ``claimed`` and ``received``;
  an unknown ``expected`` has an empty amount and its unpriced ranges in ``note``;
- ``expenses`` lines: per period and category, ``expenses``;
- ``totals`` lines: per period, ``expected``, ``claimed``, ``received``, ``expenses``,
  ``balance`` (its ``note``: ``covered``, ``not covered`` or ``unknown``) and
  ``receivedBalance``.

``period`` is ``Q1``..``Q4`` or ``year``. Amounts have a decimal point and two places,
no thousands separator; comma-separated, UTF-8, CRLF line ends (RFC 4180).
"""

from __future__ import annotations

import csv
from decimal import Decimal
from io import StringIO

from api.common.money import format_money
from api.reports.budget.schemas import BudgetPeriod, BudgetReport

HEADER = ["section", "period", "scheme", "category", "measure", "amount", "note"]


def _amount(value: Decimal | None) -> str:
    return "" if value is None else format_money(value)


def _lines(p: BudgetPeriod) -> list[list[str]]:
    lines = []
    for s in p.schemes:
        unpriced = " ".join(f"{r.from_}..{r.to}" for r in s.unpriced_ranges)
        note = f"unpriced {unpriced}" if unpriced else ""
        lines += [
            ["scheme", p.period, s.scheme_code, "", "expected", _amount(s.expected), note],
            ["scheme", p.period, s.scheme_code, "", "claimed", _amount(s.claimed), ""],
            ["scheme", p.period, s.scheme_code, "", "received", _amount(s.received), ""],
        ]
    lines += [
        ["expenses", p.period, "", e.category.value, "expenses", _amount(e.amount), ""]
        for e in p.expenses
    ]
    t = p.totals
    covered = "unknown" if t.covered is None else ("covered" if t.covered else "not covered")
    lines += [
        ["totals", p.period, "", "", "expected", _amount(t.expected), ""],
        ["totals", p.period, "", "", "claimed", _amount(t.claimed), ""],
        ["totals", p.period, "", "", "received", _amount(t.received), ""],
        ["totals", p.period, "", "", "expenses", _amount(t.expenses), ""],
        ["totals", p.period, "", "", "balance", _amount(t.balance), covered],
        ["totals", p.period, "", "", "receivedBalance", _amount(t.received_balance), ""],
    ]
    return lines


def budget_csv(report: BudgetReport) -> str:
    out = StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    for period in [*report.quarters, report.whole_year]:
        writer.writerows(_lines(period))
    return out.getvalue()
