"""The budget report as a workbook a municipal controller can hand on, in Dutch: a sheet
per view (Samenvatting, Regelingen, Uitgaven per categorie, Declaraties), amounts as
numeric cells in a euro format, totals as ``SUM`` formulas over the rows above them; for
finance and admin also the detail sheets an accountant reconciles with
(``budget_details``: the claim lines and the expense bookings)."""

from __future__ import annotations

from datetime import datetime
from io import BytesIO

from openpyxl import Workbook

from api.exports import dutch
from api.exports.budget_details import Details, claim_lines_sheet, expenses_sheet
from api.exports.workbook import FIRST_ROW, Formula, autofilter, row, sheet, total
from api.reports.budget.figures import ClaimRow
from api.reports.budget.schemas import BudgetReport

SUMMARY, SCHEMES, EXPENSES, CLAIMS = (
    "Samenvatting",
    "Regelingen",
    "Uitgaven per categorie",
    "Declaraties",
)


def _summary(book: Workbook, report: BudgetReport, heading: str, generated: str) -> None:
    columns = [
        ("Periode", 14), ("Van", 12), ("Tot en met", 12), ("Verwacht", 16),
        ("Gedeclareerd", 16), ("Ontvangen", 16), ("Uitgaven", 16), ("Saldo", 16),
        ("Ontvangen min uitgaven", 22), ("Gedekt", 10),
    ]  # fmt: skip
    ws = sheet(book, SUMMARY, heading, generated, columns, first_sheet=True)
    n = FIRST_ROW
    for q in report.quarters:
        t = q.totals
        row(
            ws,
            n,
            [
                dutch.period(q.period), q.from_, q.to, t.expected, t.claimed, t.received,
                t.expenses, None if t.expected is None else Formula(f"=D{n}-G{n}"),
                Formula(f"=F{n}-G{n}"), dutch.covered(t.covered),
            ],
        )  # fmt: skip
        n += 1
    last, year = n - 1, report.whole_year
    known = year.totals.expected is not None
    row(
        ws,
        n,
        [
            dutch.period("year"), year.from_, year.to,
            total(4, FIRST_ROW, last) if known else None, total(5, FIRST_ROW, last),
            total(6, FIRST_ROW, last), total(7, FIRST_ROW, last),
            Formula(f"=D{n}-G{n}") if known else None, Formula(f"=F{n}-G{n}"),
            dutch.covered(year.totals.covered),
        ],
        bold=True,
    )  # fmt: skip
    autofilter(ws, len(columns), last)
    notes = [
        "Verwacht: berekend uit plaatsingen, capaciteit en tarieven; leeg als een tarief "
        "ontbreekt (zie het blad Regelingen).",
        "Gedeclareerd en ontvangen: declaraties die zijn ingediend, goedgekeurd of betaald "
        "(correcties meegeteld), in het kwartaal waarin hun periode eindigt.",
        "Saldo = verwacht min uitgaven; gedekt als het saldo 0 of meer is.",
    ]
    for offset, note in enumerate(notes, start=2):
        ws.cell(row=n + offset, column=1, value=note)


def _schemes(book: Workbook, report: BudgetReport, heading: str, generated: str) -> None:
    columns = [
        ("Periode", 14), ("Regeling", 16), ("Naam", 50), ("Verwacht", 16),
        ("Gedeclareerd", 16), ("Ontvangen", 16), ("Dagen zonder tarief of voorlopig", 44),
    ]  # fmt: skip
    ws = sheet(book, SCHEMES, heading, generated, columns)
    n = FIRST_ROW
    for q in report.quarters:
        for s in q.schemes:
            gaps = dutch.ranges([(r.from_, r.to) for r in s.unpriced_ranges])
            row(
                ws,
                n,
                [dutch.period(q.period), s.scheme_code, dutch.scheme_name(s.scheme_code,
                 s.scheme_name), s.expected, s.claimed, s.received,
                 gaps or dutch.certainty(s.expected_certainty) or None],
            )  # fmt: skip
            n += 1
    last = n - 1
    known = report.whole_year.totals.expected is not None
    row(
        ws,
        n,
        [
            dutch.period("year"), None, None, total(4, FIRST_ROW, last) if known else None,
            total(5, FIRST_ROW, last), total(6, FIRST_ROW, last), None,
        ],
        bold=True,
    )  # fmt: skip
    autofilter(ws, len(columns), last)


def _expenses(book: Workbook, report: BudgetReport, heading: str, generated: str) -> None:
    columns = [("Categorie", 20)] + [(dutch.period(q.period), 14) for q in report.quarters]
    columns.append((dutch.period("year"), 16))
    ws = sheet(book, EXPENSES, heading, generated, columns)
    n = FIRST_ROW
    for index, category in enumerate(report.whole_year.expenses):
        amounts = [q.expenses[index].amount for q in report.quarters]
        row(ws, n, [dutch.category(category.category.value), *amounts, Formula(f"=SUM(B{n}:E{n})")])
        n += 1
    last = n - 1
    row(ws, n, ["Totaal", *(total(c, FIRST_ROW, last) for c in range(2, 7))], bold=True)
    autofilter(ws, len(columns), last)


def _claims(book: Workbook, claims: list[ClaimRow], heading: str, generated: str) -> None:
    columns = [
        ("Regeling", 16), ("Begin periode", 13), ("Einde periode", 13), ("Kwartaal", 13),
        ("Status", 13), ("Correctie", 10), ("Berekend", 16), ("Gedeclareerd", 16),
        ("Ontvangen", 16), ("Ontvangen op", 13),
    ]  # fmt: skip
    ws = sheet(book, CLAIMS, heading, generated, columns)
    n = FIRST_ROW
    for c in claims:
        row(
            ws,
            n,
            [
                c.scheme_code, c.period_start, c.period_end, dutch.period(f"Q{c.quarter}"),
                dutch.status(c.status), "ja" if c.correction else "nee", c.total_amount,
                c.claimed, c.received_amount, c.received_on,
            ],
        )  # fmt: skip
        n += 1
    autofilter(ws, len(columns), n - 1)
    if not claims:
        ws.cell(
            row=n,
            column=1,
            value="Geen ingediende declaratie met een periode die in dit jaar eindigt.",
        )
    else:
        last = n - 1
        row(
            ws,
            n,
            [
                "Totaal",
                None,
                None,
                None,
                None,
                None,
                *(total(c, FIRST_ROW, last) for c in (7, 8, 9)),
            ],
            bold=True,
        )


def budget_workbook(
    report: BudgetReport,
    claims: list[ClaimRow],
    generated_at: datetime,
    details: Details | None = None,
) -> bytes:
    """``details``: the claim lines and expense bookings, for finance and admin only (a
    viewer sees aggregate figures)."""
    heading = f"Opvang Heemstede: budgetneutraliteit {report.year} (bedragen in euro)"
    generated = (
        f"Gemaakt op {generated_at:%d-%m-%Y} om {generated_at:%H:%M} ({generated_at.tzname()})"
    )
    book = Workbook()
    _summary(book, report, heading, generated)
    _schemes(book, report, heading, generated)
    _expenses(book, report, heading, generated)
    _claims(book, claims, heading, generated)
    if details is not None:
        claim_lines_sheet(book, details, heading, generated)
        expenses_sheet(book, details, heading, generated)
    out = BytesIO()
    book.save(out)
    return out.getvalue()
