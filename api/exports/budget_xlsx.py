"""The budget report as a workbook a municipal controller can hand on: a sheet per view
(Summary, Schemes, Expenses, Claims), amounts as numeric cells in a euro format, totals
as ``SUM`` formulas over the rows above them, bold headers, frozen panes."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from io import BytesIO

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from api.reports.budget.figures import ClaimRow
from api.reports.budget.schemas import BudgetPeriod, BudgetReport

EURO = "#,##0.00"
DAY = "yyyy-mm-dd"
HEADER_ROW = 4  # below the title, the generation time and a blank row
FIRST_ROW = HEADER_ROW + 1
BOLD = Font(bold=True)


class Formula(str):
    """A formula this module wrote; any other text is stored as text, never evaluated (a
    scheme name starting with ``=`` must not become a formula in the controller's Excel)."""


Cell = str | int | float | Decimal | date | None


def _covered(period: BudgetPeriod) -> str:
    covered = period.totals.covered
    return "unknown" if covered is None else ("yes" if covered else "no")


def _sheet(
    book: Workbook,
    title: str,
    heading: str,
    generated: str,
    columns: Sequence[tuple[str, int]],
    first_sheet: bool = False,
) -> Worksheet:
    ws = book.active if first_sheet else book.create_sheet()
    assert isinstance(ws, Worksheet)
    ws.title = title
    ws["A1"] = heading
    ws["A1"].font = Font(bold=True, size=14)
    ws["A2"] = generated
    for index, (name, width) in enumerate(columns, start=1):
        cell = ws.cell(row=HEADER_ROW, column=index, value=name)
        cell.font = BOLD
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.freeze_panes = f"B{FIRST_ROW}"
    return ws


def text(value: str) -> str:
    """What a worksheet can hold: without control characters and lone surrogates (a scheme
    name may have them), which openpyxl refuses."""
    clean = value.encode("utf-8", "replace").decode("utf-8")
    return ILLEGAL_CHARACTERS_RE.sub("\ufffd", clean)


def _row(ws: Worksheet, row: int, values: Sequence[Cell], *, bold: bool = False) -> None:
    for column, value in enumerate(values, start=1):
        formula = isinstance(value, Formula)
        if isinstance(value, str) and not formula:
            value = text(value)
        cell = ws.cell(row=row, column=column, value=value)
        if isinstance(value, str) and not formula:
            cell.data_type = "s"
        if formula or isinstance(value, Decimal | int | float):
            cell.number_format = EURO
        elif isinstance(value, date):
            cell.number_format = DAY
        if bold:
            cell.font = BOLD


def _sum(column: int, first: int, last: int) -> Formula:
    letter = get_column_letter(column)
    return Formula(f"=SUM({letter}{first}:{letter}{last})")


def _summary(book: Workbook, report: BudgetReport, heading: str, generated: str) -> None:
    ws = _sheet(
        book,
        "Summary",
        heading,
        generated,
        [
            ("Period", 10), ("From", 12), ("To", 12), ("Expected", 16), ("Claimed", 16),
            ("Received", 16), ("Expenses", 16), ("Balance", 16), ("Received - expenses", 20),
            ("Covered", 10),
        ],
        first_sheet=True,
    )  # fmt: skip
    row = FIRST_ROW
    for q in report.quarters:
        t = q.totals
        _row(
            ws,
            row,
            [
                q.period, q.from_, q.to, t.expected, t.claimed, t.received, t.expenses,
                None if t.expected is None else Formula(f"=D{row}-G{row}"),
                Formula(f"=F{row}-G{row}"), _covered(q),
            ],
        )  # fmt: skip
        row += 1
    last, year = row - 1, report.whole_year
    known = year.totals.expected is not None
    _row(
        ws,
        row,
        [
            "Year", year.from_, year.to, _sum(4, FIRST_ROW, last) if known else None,
            _sum(5, FIRST_ROW, last), _sum(6, FIRST_ROW, last), _sum(7, FIRST_ROW, last),
            Formula(f"=D{row}-G{row}") if known else None, Formula(f"=F{row}-G{row}"),
            _covered(year),
        ],
        bold=True,
    )  # fmt: skip
    notes = [
        "Expected: computed by the claim engine from placements, capacity and rates; "
        "empty where a rate is missing (see the Schemes sheet).",
        "Claimed and received: claims submitted, approved or paid (corrections included), "
        "in the quarter that holds the end of their period.",
        "Balance = expected - expenses; covered when the balance is 0 or more.",
    ]
    for offset, note in enumerate(notes, start=2):
        ws.cell(row=row + offset, column=1, value=note)


def _schemes(book: Workbook, report: BudgetReport, heading: str, generated: str) -> None:
    ws = _sheet(
        book,
        "Schemes",
        heading,
        generated,
        [
            ("Period", 10), ("Scheme", 16), ("Name", 50), ("Expected", 16), ("Claimed", 16),
            ("Received", 16), ("Unpriced days", 28),
        ],
    )  # fmt: skip
    row = FIRST_ROW
    for q in report.quarters:
        for s in q.schemes:
            unpriced = ", ".join(f"{r.from_}..{r.to}" for r in s.unpriced_ranges)
            _row(
                ws,
                row,
                [q.period, s.scheme_code, s.scheme_name, s.expected, s.claimed, s.received,
                 unpriced or None],
            )  # fmt: skip
            row += 1
    last = row - 1
    known = report.whole_year.totals.expected is not None
    _row(
        ws,
        row,
        [
            "Year", None, None, _sum(4, FIRST_ROW, last) if known else None,
            _sum(5, FIRST_ROW, last), _sum(6, FIRST_ROW, last), None,
        ],
        bold=True,
    )  # fmt: skip


def _expenses(book: Workbook, report: BudgetReport, heading: str, generated: str) -> None:
    ws = _sheet(
        book,
        "Expenses",
        heading,
        generated,
        [("Category", 18), ("Q1", 14), ("Q2", 14), ("Q3", 14), ("Q4", 14), ("Year", 16)],
    )
    row = FIRST_ROW
    for index, category in enumerate(report.whole_year.expenses):
        amounts = [q.expenses[index].amount for q in report.quarters]
        _row(ws, row, [category.category.value, *amounts, _sum_across(row)])
        row += 1
    last = row - 1
    _row(ws, row, ["Total", *(_sum(c, FIRST_ROW, last) for c in range(2, 7))], bold=True)


def _sum_across(row: int) -> Formula:
    return Formula(f"=SUM(B{row}:E{row})")


def _claims(book: Workbook, claims: list[ClaimRow], heading: str, generated: str) -> None:
    ws = _sheet(
        book,
        "Claims",
        heading,
        generated,
        [
            ("Scheme", 16), ("Period start", 13), ("Period end", 13), ("Quarter", 9),
            ("Status", 11), ("Correction", 11), ("Total", 16), ("Claimed", 16),
            ("Received", 16), ("Received on", 13),
        ],
    )  # fmt: skip
    row = FIRST_ROW
    for c in claims:
        _row(
            ws,
            row,
            [
                c.scheme_code, c.period_start, c.period_end, f"Q{c.quarter}", c.status,
                "yes" if c.correction else "no", c.total_amount, c.claimed, c.received_amount,
                c.received_on,
            ],
        )  # fmt: skip
        row += 1
    if not claims:
        ws.cell(row=row, column=1, value="No claim beyond draft ends in this year.")
    else:
        last = row - 1
        _row(
            ws,
            row,
            ["Total", None, None, None, None, None, *(_sum(c, FIRST_ROW, last) for c in (7, 8, 9))],
            bold=True,
        )


def budget_workbook(report: BudgetReport, claims: list[ClaimRow], generated_at: datetime) -> bytes:
    heading = f"Opvang Heemstede: budget neutrality {report.year} (amounts in euros)"
    generated = f"Generated {generated_at:%Y-%m-%d %H:%M} ({generated_at.tzname()})"
    book = Workbook()
    _summary(book, report, heading, generated)
    _schemes(book, report, heading, generated)
    _expenses(book, report, heading, generated)
    _claims(book, claims, heading, generated)
    out = BytesIO()
    book.save(out)
    return out.getvalue()
