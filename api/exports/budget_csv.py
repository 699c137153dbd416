"""The budget report as one CSV file in long format, one figure a line, in Dutch and in
the habits of a Dutch spreadsheet: semicolon-separated, decimal comma, UTF-8 with a byte
order mark (so Excel reads the ë of Oekraïners), CRLF line ends.

``onderdeel;periode;regeling;categorie;grootheid;bedrag;toelichting``

- ``regeling`` lines: per period and scheme (by code), ``verwacht``, ``gedeclareerd``
  and ``ontvangen``; an unknown ``verwacht`` has an empty amount and the days without a
  rate in ``toelichting``;
- ``uitgaven`` lines: per period and category, ``uitgaven``;
- ``totaal`` lines: per period, ``verwacht``, ``gedeclareerd``, ``ontvangen``,
  ``uitgaven``, ``saldo`` (its ``toelichting``: ``gedekt``, ``niet gedekt`` or
  ``onbekend``) and ``ontvangen min uitgaven``.

``periode`` is ``1e kwartaal`` .. ``4e kwartaal`` or ``heel jaar``. Amounts have two
places after a decimal comma and no thousands separator.
"""

from __future__ import annotations

import csv
from io import StringIO

from api.exports import dutch
from api.reports.budget.schemas import BudgetPeriod, BudgetReport

HEADER = ["onderdeel", "periode", "regeling", "categorie", "grootheid", "bedrag", "toelichting"]
BOM = "\ufeff"
COVERED = {None: "onbekend", True: "gedekt", False: "niet gedekt"}


def _lines(p: BudgetPeriod) -> list[list[str]]:
    name, money = dutch.period(p.period), dutch.amount
    lines = []
    for s in p.schemes:
        gaps = dutch.ranges([(r.from_, r.to) for r in s.unpriced_ranges])
        note = f"geen tarief voor {gaps}" if gaps else dutch.certainty(s.expected_certainty)
        code = s.scheme_code
        lines += [
            ["regeling", name, code, "", "verwacht", money(s.expected), note],
            ["regeling", name, code, "", "gedeclareerd", money(s.claimed), ""],
            ["regeling", name, code, "", "ontvangen", money(s.received), ""],
        ]
    lines += [
        ["uitgaven", name, "", dutch.category(e.category.value), "uitgaven", money(e.amount), ""]
        for e in p.expenses
    ]
    t = p.totals
    lines += [
        [
            "totaal",
            name,
            "",
            "",
            "verwacht",
            money(t.expected),
            dutch.certainty(t.expected_certainty),
        ],
        ["totaal", name, "", "", "gedeclareerd", money(t.claimed), ""],
        ["totaal", name, "", "", "ontvangen", money(t.received), ""],
        ["totaal", name, "", "", "uitgaven", money(t.expenses), ""],
        ["totaal", name, "", "", "saldo", money(t.balance), COVERED[t.covered]],
        ["totaal", name, "", "", "ontvangen min uitgaven", money(t.received_balance), ""],
    ]
    return lines


def budget_csv(report: BudgetReport) -> str:
    out = StringIO()
    out.write(BOM)
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADER)
    for period in [*report.quarters, report.whole_year]:
        writer.writerows(_lines(period))
    return out.getvalue()
