"""What every sheet of an export has: a title and the time it was made above a bold
header row, frozen panes, an autofilter over the table, dates as dd-mm-jjjj, amounts as
numbers in a euro format, and a print set-up (landscape, fit to the page width, the
title and header rows repeated on every page)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

EURO = "#,##0.00"
COUNT = "#,##0"
DAY = "dd-mm-yyyy"
HEADER_ROW = 4  # below the title, the generation time and a blank row
FIRST_ROW = HEADER_ROW + 1
BOLD = Font(bold=True)


class Formula(str):
    """A formula this module wrote; any other text is stored as text, never evaluated (a
    scheme name starting with ``=`` must not become a formula in the controller's Excel)."""


class Count(int):
    """A number of units (days, persons, places), not money."""


Cell = str | int | float | Decimal | date | None


def sheet(
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
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages down as it takes
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_title_rows = f"1:{HEADER_ROW}"
    return ws


def autofilter(ws: Worksheet, columns: int, last_row: int) -> None:
    """A filter over the header and the data rows (not a total row below them)."""
    last = max(last_row, HEADER_ROW)
    ws.auto_filter.ref = f"A{HEADER_ROW}:{get_column_letter(columns)}{last}"


def text(value: str) -> str:
    """What a worksheet can hold: without control characters and lone surrogates (a scheme
    name may have them), which openpyxl refuses."""
    clean = value.encode("utf-8", "replace").decode("utf-8")
    return ILLEGAL_CHARACTERS_RE.sub("\ufffd", clean)


def row(ws: Worksheet, number: int, values: Sequence[Cell], *, bold: bool = False) -> None:
    for column, value in enumerate(values, start=1):
        formula = isinstance(value, Formula)
        if isinstance(value, str) and not formula:
            value = text(value)
        cell = ws.cell(row=number, column=column, value=value)
        if isinstance(value, str) and not formula:
            cell.data_type = "s"
        if isinstance(value, Count):
            cell.number_format = COUNT
        elif formula or isinstance(value, Decimal | int | float):
            cell.number_format = EURO
        elif isinstance(value, date):
            cell.number_format = DAY
        if bold:
            cell.font = BOLD


def total(column: int, first: int, last: int) -> Formula:
    letter = get_column_letter(column)
    return Formula(f"=SUM({letter}{first}:{letter}{last})")
