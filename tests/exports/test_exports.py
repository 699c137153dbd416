"""Exports of the budget report: the XLSX workbook (sheets, numeric cells, totals as
formulas that add up) and the CSV file (long format), with their headers and roles."""

from __future__ import annotations

import csv
import re
from datetime import datetime
from decimal import Decimal
from io import BytesIO, StringIO
from typing import Any

import httpx
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from api.db import Database
from api.models import Role
from tests.reports.test_budget import known_2025
from tests.support.builders import Builder, problem

URL = "/api/v1/exports"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SUM = re.compile(r"^=SUM\(([A-Z])(\d+):([A-Z])(\d+)\)$")
DIFF = re.compile(r"^=([A-Z])(\d+)-([A-Z])(\d+)$")


def value(ws: Worksheet, ref: str) -> Decimal:
    """A cell's number, evaluating the two kinds of formula the export writes."""
    raw = ws[ref].value
    if isinstance(raw, str):
        if m := SUM.match(raw):
            col1, row1, col2, row2 = m.groups()
            cells = ws[f"{col1}{row1}:{col2}{row2}"]
            return sum(  # like a spreadsheet, SUM skips empty cells
                (value(ws, c.coordinate) for line in cells for c in line if c.value is not None),
                Decimal(0),
            )
        if m := DIFF.match(raw):
            a, ra, b, rb = m.groups()
            return value(ws, f"{a}{ra}") - value(ws, f"{b}{rb}")
        raise AssertionError(f"{ref} holds text {raw!r}, not a number")
    assert isinstance(raw, int | float), (ref, raw)
    return Decimal(str(raw)).quantize(Decimal("0.01"))


def header(ws: Worksheet) -> list[Any]:
    return [c.value for c in ws[4] if c.value is not None]


async def test_xlsx_workbook(client: httpx.AsyncClient, build: Builder, db: Database) -> None:
    await known_2025(db, build)
    r = await client.get(
        f"{URL}/budget?year=2025&format=xlsx", headers=build.headers_for(Role.finance)
    )
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == XLSX
    assert r.headers["content-disposition"] == 'attachment; filename="opvang-budget-2025.xlsx"'
    book = load_workbook(BytesIO(r.content))
    assert book.sheetnames == ["Summary", "Schemes", "Expenses", "Claims"]
    for ws in book.worksheets:
        assert "2025" in str(ws["A1"].value) and ws["A1"].font.bold
        assert str(ws["A2"].value).startswith("Generated ")
        assert all(c.font.bold for c in ws[4] if c.value is not None)
        assert ws.freeze_panes == "B5"
        assert ws.column_dimensions["A"].width > 8

    summary = book["Summary"]
    assert header(summary) == [
        "Period", "From", "To", "Expected", "Claimed", "Received", "Expenses", "Balance",
        "Received - expenses", "Covered",
    ]  # fmt: skip
    assert [summary.cell(row=r, column=1).value for r in range(5, 10)] == [
        "Q1", "Q2", "Q3", "Q4", "Year",
    ]  # fmt: skip
    assert summary["B5"].value == datetime(2025, 1, 1)  # a real date cell
    # Quarter figures are numbers in the euro format, not text.
    for ref in ("D5", "E5", "F5", "G5"):
        assert isinstance(summary[ref].value, int | float), ref
        assert summary[ref].number_format == "#,##0.00"
    assert [value(summary, f"D{r}") for r in range(5, 9)] == [
        Decimal("2250.00"), Decimal("2580.00"), Decimal("2760.00"), Decimal("2760.00"),
    ]  # fmt: skip
    assert value(summary, "G6") == Decimal("2900.00")
    assert summary["H5"].value == "=D5-G5" and value(summary, "H6") == Decimal("-320.00")
    # The year's row: SUM formulas over the quarters, which add up to the report's totals.
    for column, total in zip("DEFG", ["10350.00", "4880.00", "2200.00", "4235.75"], strict=True):
        assert summary[f"{column}9"].value == f"=SUM({column}5:{column}8)"
        assert value(summary, f"{column}9") == Decimal(total), column
    assert value(summary, "H9") == Decimal("6114.25")
    assert value(summary, "I9") == Decimal("-2035.75")
    assert [summary.cell(row=r, column=10).value for r in range(5, 10)] == [
        "yes", "no", "yes", "yes", "yes",
    ]  # fmt: skip

    schemes = book["Schemes"]
    assert header(schemes) == [
        "Period", "Scheme", "Name", "Expected", "Claimed", "Received", "Unpriced days",
    ]  # fmt: skip
    rows = list(schemes.iter_rows(min_row=5, values_only=True))
    assert len(rows) == 4 * 5 + 1  # quarters x schemes, and the year's total
    t_budget = [row for row in rows if row[1] == "T-BUDGET"]
    assert [(row[0], row[3], row[4], row[5]) for row in t_budget] == [
        ("Q1", 2250, 2300, 2200), ("Q2", 2580, 2580, 0), ("Q3", 2760, 0, 0),
        ("Q4", 2760, 0, 0),
    ]  # fmt: skip
    last = 5 + 4 * 5
    assert schemes[f"A{last}"].value == "Year"
    assert schemes[f"D{last}"].value == f"=SUM(D5:D{last - 1})"
    assert value(schemes, f"D{last}") == Decimal("10350.00")
    assert value(schemes, f"E{last}") == value(summary, "E9")

    expenses = book["Expenses"]
    assert header(expenses) == ["Category", "Q1", "Q2", "Q3", "Q4", "Year"]
    assert [expenses.cell(row=r, column=1).value for r in range(5, 15)] == [
        "staff", "activities", "location", "living_allowance", "health", "transport",
        "communication", "volunteers", "other", "Total",
    ]  # fmt: skip
    assert expenses["F5"].value == "=SUM(B5:E5)" and value(expenses, "F5") == Decimal("900.00")
    assert value(expenses, "C5") == Decimal("-100.00")
    for column in "BCDEF":
        assert expenses[f"{column}14"].value == f"=SUM({column}5:{column}13)"
    # The category totals per quarter are the Summary's expenses.
    for column, row in zip("BCDEF", range(5, 10), strict=True):
        assert value(expenses, f"{column}14") == value(summary, f"G{row}"), column

    claims = book["Claims"]
    assert header(claims)[:4] == ["Scheme", "Period start", "Period end", "Quarter"]
    listed = list(claims.iter_rows(min_row=5, max_row=7, values_only=True))
    assert [(row[0], row[3], row[4], row[5]) for row in listed] == [
        ("T-BUDGET", "Q1", "paid", "no"),
        ("T-BUDGET", "Q1", "submitted", "yes"),
        ("T-BUDGET", "Q2", "approved", "no"),
    ]
    assert claims["A8"].value == "Total" and claims["H8"].value == "=SUM(H5:H7)"
    assert value(claims, "H8") == value(summary, "E9")
    assert value(claims, "I8") == value(summary, "F9")


async def test_csv_file(client: httpx.AsyncClient, build: Builder, db: Database) -> None:
    await known_2025(db, build)
    r = await client.get(
        f"{URL}/budget?year=2025&format=csv", headers=build.headers_for(Role.viewer)
    )
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "text/csv; charset=utf-8"
    assert r.headers["content-disposition"] == 'attachment; filename="opvang-budget-2025.csv"'
    lines = list(csv.DictReader(StringIO(r.content.decode("utf-8"))))
    assert list(lines[0]) == [
        "section",
        "period",
        "scheme",
        "category",
        "measure",
        "amount",
        "note",
    ]
    periods = ["Q1", "Q2", "Q3", "Q4", "year"]
    # Per period: 5 schemes x 3 measures, 9 categories, 6 totals.
    assert len(lines) == len(periods) * (5 * 3 + 9 + 6)

    def figure(section: str, period: str, measure: str, **key: str) -> str:
        found = [
            line["amount"]
            for line in lines
            if (line["section"], line["period"], line["measure"]) == (section, period, measure)
            and all(line[k] == v for k, v in key.items())
        ]
        assert len(found) == 1, (section, period, measure, key)
        return found[0]

    assert figure("scheme", "Q1", "expected", scheme="T-BUDGET") == "2250.00"
    assert figure("scheme", "Q1", "claimed", scheme="T-BUDGET") == "2300.00"
    assert figure("scheme", "year", "received", scheme="T-BUDGET") == "2200.00"
    assert figure("expenses", "Q2", "expenses", category="staff") == "-100.00"
    assert figure("totals", "year", "balance") == "6114.25"
    assert figure("totals", "year", "receivedBalance") == "-2035.75"
    balance_q2 = next(
        line for line in lines
        if (line["section"], line["period"], line["measure"]) == ("totals", "Q2", "balance")
    )  # fmt: skip
    assert balance_q2["note"] == "not covered"
    # The lines add up: per period, the schemes to the totals and the categories to the
    # expenses; the quarters to the year.
    for period in periods:
        for measure in ("expected", "claimed", "received"):
            parts = [
                Decimal(line["amount"])
                for line in lines
                if (line["section"], line["period"], line["measure"]) == ("scheme", period, measure)
            ]
            assert sum(parts) == Decimal(figure("totals", period, measure)), (period, measure)
        parts = [
            Decimal(line["amount"])
            for line in lines
            if (line["section"], line["period"]) == ("expenses", period)
        ]
        assert sum(parts) == Decimal(figure("totals", period, "expenses")), period
    for measure in ("expected", "claimed", "received", "expenses", "balance"):
        quarters = sum(Decimal(figure("totals", p, measure)) for p in periods[:4])
        assert quarters == Decimal(figure("totals", "year", measure)), measure


async def test_unpriced_year_in_both_formats(client: httpx.AsyncClient, build: Builder) -> None:
    h = build.headers_for(Role.admin)
    r = await client.get(f"{URL}/budget?year=2026&format=xlsx", headers=h)
    assert r.status_code == 200
    book = load_workbook(BytesIO(r.content))
    summary = book["Summary"]
    assert summary["D5"].value is None and summary["H5"].value is None  # unknown, not 0
    assert summary["J5"].value == "unknown"
    assert summary["D9"].value is None  # no total over unknown quarters
    schemes = book["Schemes"]
    goo = next(row for row in schemes.iter_rows(min_row=5, values_only=True) if row[1] == "BOO-GOO")
    assert goo[3] is None and goo[6] == "2026-01-01..2026-03-31"
    r = await client.get(f"{URL}/budget?year=2026&format=csv", headers=h)
    lines = list(csv.DictReader(StringIO(r.text)))
    goo_year = next(
        line for line in lines
        if (line["section"], line["period"], line["scheme"], line["measure"])
        == ("scheme", "year", "BOO-GOO", "expected")
    )  # fmt: skip
    assert goo_year["amount"] == "" and goo_year["note"] == "unpriced 2026-01-01..2026-12-31"


async def test_roles_and_bad_input(client: httpx.AsyncClient, build: Builder) -> None:
    url = f"{URL}/budget?year=2025&format=csv"
    assert problem(await client.get(url))["status"] == 401
    partner = await build.partner()
    for headers in (build.headers_for(Role.coordinator), build.headers_for(Role.partner, partner)):
        assert problem(await client.get(url, headers=headers))["status"] == 403
    h = build.headers_for(Role.finance)
    r = await client.get(f"{URL}/occupancy?year=2025&format=csv", headers=h)
    assert r.status_code == 400
    assert [e["name"] for e in problem(r)["errors"]] == ["report"]
    r = await client.get(f"{URL}/budget?format=pdf", headers=h)
    assert sorted(e["name"] for e in problem(r)["errors"]) == ["format", "year"]
    r = await client.get(f"{URL}/budget?year=2025", headers=h)
    assert [e["name"] for e in problem(r)["errors"]] == ["format"]
