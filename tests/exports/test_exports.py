"""Exports of the budget report, in Dutch: the XLSX workbook (sheets, numeric cells, totals
as formulas that add up, autofilter, print set-up, the detail sheets for finance) and the
CSV file (long format, Dutch CSV habits), with their headers and roles."""

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
from tests.support import claims
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
    assert book.sheetnames == [
        "Samenvatting", "Regelingen", "Uitgaven per categorie", "Declaraties",
        "Declaratieregels", "Uitgavenboekingen",
    ]  # fmt: skip
    for ws in book.worksheets:
        assert "2025" in str(ws["A1"].value) and ws["A1"].font.bold
        assert re.match(r"^Gemaakt op \d\d-\d\d-\d{4} om \d\d:\d\d", str(ws["A2"].value))
        assert all(c.font.bold for c in ws[4] if c.value is not None)
        assert ws.freeze_panes == "B5"
        assert ws.column_dimensions["A"].width > 8
        # Print set-up: landscape, one page wide, the title and header rows on every page.
        assert ws.page_setup.orientation == "landscape"
        assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0)
        setup = ws.sheet_properties.pageSetUpPr
        assert setup is not None and setup.fitToPage is True
        assert ws.print_title_rows == "$1:$4"
        assert str(ws.auto_filter.ref).startswith("A4:"), ws.title

    summary = book["Samenvatting"]
    assert header(summary) == [
        "Periode", "Van", "Tot en met", "Verwacht", "Gedeclareerd", "Ontvangen", "Uitgaven",
        "Saldo", "Ontvangen min uitgaven", "Gedekt",
    ]  # fmt: skip
    assert [summary.cell(row=r, column=1).value for r in range(5, 10)] == [
        "1e kwartaal", "2e kwartaal", "3e kwartaal", "4e kwartaal", "heel jaar",
    ]  # fmt: skip
    assert summary["B5"].value == datetime(2025, 1, 1)  # a real date cell
    assert summary["B5"].number_format == "dd-mm-yyyy"
    assert summary.auto_filter.ref == "A4:J8"  # the quarters, not the year's total
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
        "ja", "nee", "ja", "ja", "ja",
    ]  # fmt: skip

    schemes = book["Regelingen"]
    assert header(schemes) == [
        "Periode", "Regeling", "Naam", "Verwacht", "Gedeclareerd", "Ontvangen",
        "Dagen zonder tarief of voorlopig",
    ]  # fmt: skip
    rows = list(schemes.iter_rows(min_row=5, values_only=True))
    assert len(rows) == 4 * 5 + 1  # quarters x schemes, and the year's total
    t_budget = [row for row in rows if row[1] == "T-BUDGET"]
    assert [(row[0], row[3], row[4], row[5]) for row in t_budget] == [
        ("1e kwartaal", 2250, 2300, 2200), ("2e kwartaal", 2580, 2580, 0),
        ("3e kwartaal", 2760, 0, 0), ("4e kwartaal", 2760, 0, 0),
    ]  # fmt: skip
    goo = next(row for row in rows if row[1] == "BOO-GOO")
    assert goo[2] == "BooO: gemeentelijke opvang Oekraïners (GOO)"  # the Dutch name
    last = 5 + 4 * 5
    assert schemes[f"A{last}"].value == "heel jaar"
    assert schemes[f"D{last}"].value == f"=SUM(D5:D{last - 1})"
    assert value(schemes, f"D{last}") == Decimal("10350.00")
    assert value(schemes, f"E{last}") == value(summary, "E9")

    expenses = book["Uitgaven per categorie"]
    assert header(expenses) == [
        "Categorie", "1e kwartaal", "2e kwartaal", "3e kwartaal", "4e kwartaal", "heel jaar",
    ]  # fmt: skip
    assert [expenses.cell(row=r, column=1).value for r in range(5, 15)] == [
        "Personeel", "Activiteiten", "Locaties", "Leefgeld", "Zorg", "Vervoer",
        "Tolken en vertalen", "Vrijwilligers", "Overig", "Totaal",
    ]  # fmt: skip
    assert expenses["F5"].value == "=SUM(B5:E5)" and value(expenses, "F5") == Decimal("900.00")
    assert value(expenses, "C5") == Decimal("-100.00")
    for column in "BCDEF":
        assert expenses[f"{column}14"].value == f"=SUM({column}5:{column}13)"
    # The category totals per quarter are the Summary's expenses.
    for column, row in zip("BCDEF", range(5, 10), strict=True):
        assert value(expenses, f"{column}14") == value(summary, f"G{row}"), column

    claims = book["Declaraties"]
    assert header(claims)[:4] == ["Regeling", "Begin periode", "Einde periode", "Kwartaal"]
    listed = list(claims.iter_rows(min_row=5, max_row=7, values_only=True))
    assert [(row[0], row[3], row[4], row[5]) for row in listed] == [
        ("T-BUDGET", "1e kwartaal", "Betaald", "nee"),
        ("T-BUDGET", "1e kwartaal", "Ingediend", "ja"),
        ("T-BUDGET", "2e kwartaal", "Goedgekeurd", "nee"),
    ]
    assert claims["A8"].value == "Totaal" and claims["H8"].value == "=SUM(H5:H7)"
    assert value(claims, "H8") == value(summary, "E9")
    assert value(claims, "I8") == value(summary, "F9")

    # The expense bookings, one a row, add up to the expenses per category.
    bookings = book["Uitgavenboekingen"]
    assert header(bookings) == [
        "Datum", "Categorie", "Omschrijving", "Bedrag", "Locatie", "Activiteit", "Partner",
        "Regeling",
    ]  # fmt: skip
    booked = list(bookings.iter_rows(min_row=5, max_row=10, values_only=True))
    assert [(row[0], row[1], row[3]) for row in booked] == [
        (datetime(2025, 1, 15), "Personeel", 1000),
        (datetime(2025, 3, 31), "Activiteiten", 250.5),
        (datetime(2025, 4, 1), "Locaties", 3000),
        (datetime(2025, 5, 20), "Personeel", -100),
        (datetime(2025, 8, 1), "Zorg", 75.25),
        (datetime(2025, 12, 31), "Overig", 10),
    ]
    assert bookings["A11"].value == "Totaal" and value(bookings, "D11") == value(expenses, "F14")
    assert bookings.auto_filter.ref == "A4:H10"


async def test_csv_file(client: httpx.AsyncClient, build: Builder, db: Database) -> None:
    await known_2025(db, build)
    r = await client.get(
        f"{URL}/budget?year=2025&format=csv", headers=build.headers_for(Role.viewer)
    )
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "text/csv; charset=utf-8"
    assert r.headers["content-disposition"] == 'attachment; filename="opvang-budget-2025.csv"'
    # Dutch CSV habits: a byte order mark, semicolons, CRLF, decimal commas.
    assert r.content.startswith(b"\xef\xbb\xbf")
    text = r.content.decode("utf-8-sig")
    assert text.split("\r\n")[0] == (
        "onderdeel;periode;regeling;categorie;grootheid;bedrag;toelichting"
    )
    lines = list(csv.DictReader(StringIO(text, newline=""), delimiter=";"))
    periods = ["1e kwartaal", "2e kwartaal", "3e kwartaal", "4e kwartaal", "heel jaar"]
    # Per period: 5 schemes x 3 measures, 9 categories, 6 totals.
    assert len(lines) == len(periods) * (5 * 3 + 9 + 6)

    def figure(section: str, period: str, measure: str, **key: str) -> str:
        found = [
            line["bedrag"]
            for line in lines
            if (line["onderdeel"], line["periode"], line["grootheid"]) == (section, period, measure)
            and all(line[k] == v for k, v in key.items())
        ]
        assert len(found) == 1, (section, period, measure, key)
        return found[0]

    def number(text: str) -> Decimal:
        assert re.fullmatch(r"-?\d+,\d\d", text), text
        return Decimal(text.replace(",", "."))

    assert figure("regeling", "1e kwartaal", "verwacht", regeling="T-BUDGET") == "2250,00"
    assert figure("regeling", "1e kwartaal", "gedeclareerd", regeling="T-BUDGET") == "2300,00"
    assert figure("regeling", "heel jaar", "ontvangen", regeling="T-BUDGET") == "2200,00"
    assert figure("uitgaven", "2e kwartaal", "uitgaven", categorie="Personeel") == "-100,00"
    assert figure("totaal", "heel jaar", "saldo") == "6114,25"
    assert figure("totaal", "heel jaar", "ontvangen min uitgaven") == "-2035,75"
    balance_q2 = next(
        line for line in lines
        if (line["onderdeel"], line["periode"], line["grootheid"])
        == ("totaal", "2e kwartaal", "saldo")
    )  # fmt: skip
    assert balance_q2["toelichting"] == "niet gedekt"
    # The lines add up: per period, the schemes to the totals and the categories to the
    # expenses; the quarters to the year.
    for period in periods:
        for measure in ("verwacht", "gedeclareerd", "ontvangen"):
            parts = [
                number(line["bedrag"])
                for line in lines
                if (line["onderdeel"], line["periode"], line["grootheid"])
                == ("regeling", period, measure)
            ]
            assert sum(parts) == number(figure("totaal", period, measure)), (period, measure)
        parts = [
            number(line["bedrag"])
            for line in lines
            if (line["onderdeel"], line["periode"]) == ("uitgaven", period)
        ]
        assert sum(parts) == number(figure("totaal", period, "uitgaven")), period
    for measure in ("verwacht", "gedeclareerd", "ontvangen", "uitgaven", "saldo"):
        quarters = sum(number(figure("totaal", p, measure)) for p in periods[:4])
        assert quarters == number(figure("totaal", "heel jaar", measure)), measure


async def test_unpriced_year_in_both_formats(client: httpx.AsyncClient, build: Builder) -> None:
    h = build.headers_for(Role.admin)
    r = await client.get(f"{URL}/budget?year=2026&format=xlsx", headers=h)
    assert r.status_code == 200
    book = load_workbook(BytesIO(r.content))
    summary = book["Samenvatting"]
    assert summary["D5"].value is None and summary["H5"].value is None  # unknown, not 0
    assert summary["J5"].value == "onbekend"
    assert summary["D9"].value is None  # no total over unknown quarters
    schemes = book["Regelingen"]
    goo = next(row for row in schemes.iter_rows(min_row=5, values_only=True) if row[1] == "BOO-GOO")
    assert goo[3] is None and goo[6] == "01-01-2026 t/m 31-03-2026"
    r = await client.get(f"{URL}/budget?year=2026&format=csv", headers=h)
    lines = list(csv.DictReader(StringIO(r.content.decode("utf-8-sig")), delimiter=";"))
    goo_year = next(
        line for line in lines
        if (line["onderdeel"], line["periode"], line["regeling"], line["grootheid"])
        == ("regeling", "heel jaar", "BOO-GOO", "verwacht")
    )  # fmt: skip
    assert goo_year["bedrag"] == ""
    assert goo_year["toelichting"] == "geen tarief voor 01-01-2026 t/m 31-12-2026"


async def test_claim_lines_sheet_for_finance_only(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    """The lines of the year's filed claims: location x period x units x rate, adding up
    to each claim's total; a draft's lines are not there; a viewer gets no detail sheets."""
    data = await claims.person_days(db, await build.partner())
    h = build.headers_for(Role.finance)
    body = {"schemeCode": data.scheme.code, **claims.PERIOD}
    filed = (await client.post("/api/v1/reimbursement-claims", json=body, headers=h)).json()
    r = await client.post(f"/api/v1/reimbursement-claims/{filed['id']}/_submit", headers=h)
    assert r.status_code == 200, r.text
    june = {"schemeCode": data.scheme.code, "periodStart": "2024-06-01", "periodEnd": "2024-06-30"}
    assert (await client.post("/api/v1/reimbursement-claims", json=june, headers=h)).is_success

    r = await client.get(f"{URL}/budget?year=2024&format=xlsx", headers=h)
    ws = load_workbook(BytesIO(r.content))["Declaratieregels"]
    assert header(ws) == [
        "Regeling", "Begin periode", "Einde periode", "Status", "Correctie", "Locatie", "Van",
        "Tot en met", "Eenheden", "Eenheid", "Tarief", "Bedrag",
    ]  # fmt: skip
    listed = list(ws.iter_rows(min_row=5, max_row=6, values_only=True))
    assert listed == [
        (data.scheme.code, datetime(2024, 6, 1), datetime(2024, 7, 10), "Ingediend", "nee",
         "Noodopvang A", datetime(2024, 6, 1), datetime(2024, 6, 30), 14, "persoonsdagen",
         10, 140),
        (data.scheme.code, datetime(2024, 6, 1), datetime(2024, 7, 10), "Ingediend", "nee",
         "Noodopvang A", datetime(2024, 7, 1), datetime(2024, 7, 10), 14, "persoonsdagen",
         12.5, 175),
    ]  # fmt: skip
    assert ws["I5"].number_format == "#,##0" and ws["L5"].number_format == "#,##0.00"
    assert ws["G5"].number_format == "dd-mm-yyyy"
    assert ws["A7"].value == "Totaal" and value(ws, "L7") == Decimal("315.00")
    assert ws.auto_filter.ref == "A4:L6"

    viewer = build.headers_for(Role.viewer)
    r = await client.get(f"{URL}/budget?year=2024&format=xlsx", headers=viewer)
    assert load_workbook(BytesIO(r.content)).sheetnames == [
        "Samenvatting", "Regelingen", "Uitgaven per categorie", "Declaraties",
    ]  # fmt: skip


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
