"""The detail sheets an accountant reconciles the budget with (finance and admin only):

- Declaratieregels: every line of the year's filed claims (those of the Declaraties
  sheet): location x rate period x units x rate = amount, with the unit of the scheme's
  basis; the amounts of one claim add up to its computed total;
- Uitgavenboekingen: every expense booked in the year, with what it is about and the
  scheme it is charged to; the amounts add up to the Uitgaven per categorie sheet.

Two statements, whatever the size of the year."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from openpyxl import Workbook
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from api.exports import dutch
from api.exports.workbook import FIRST_ROW, Count, autofilter, row, sheet, total
from api.models import (
    FILED_STATUSES,
    Activity,
    ClaimLine,
    Expense,
    Location,
    Partner,
    ReimbursementClaim,
    ReimbursementScheme,
)

CLAIM_LINES, BOOKINGS = "Declaratieregels", "Uitgavenboekingen"


@dataclass(frozen=True)
class Details:
    claim_lines: list[Any]
    expenses: list[Any]


async def budget_details(session: AsyncSession, *, year: int) -> Details:
    first, last = date(year, 1, 1), date(year, 12, 31)
    c, s = ReimbursementClaim, ReimbursementScheme
    lines = await session.execute(
        select(
            s.code,
            s.basis,
            c.period_start,
            c.period_end,
            c.status,
            c.corrects_claim_id.is_not(None).label("correction"),
            Location.name,
            ClaimLine.rate_from,
            ClaimLine.rate_to,
            ClaimLine.units,
            ClaimLine.rate,
            ClaimLine.amount,
        )
        .join(c, c.id == ClaimLine.claim_id)
        .join(s, s.id == c.scheme_id)
        .join(Location, Location.id == ClaimLine.location_id)
        .where(c.status.in_(FILED_STATUSES), c.period_end.between(first, last))
        .order_by(c.period_end, s.code, c.period_start, c.created_at, c.id, ClaimLine.position)
    )
    e = Expense
    bookings = await session.execute(
        select(
            e.spent_on,
            e.category,
            e.description,
            e.amount,
            Location.name.label("location"),
            Activity.title,
            Partner.name.label("partner"),
            s.code,
        )
        .outerjoin(Location, Location.id == e.location_id)
        .outerjoin(Activity, Activity.id == e.activity_id)
        .outerjoin(Partner, Partner.id == e.partner_id)
        .outerjoin(s, s.id == e.scheme_id)
        .where(e.spent_on.between(first, last))
        .order_by(e.spent_on, e.category, e.created_at, e.id)
    )
    return Details(list(lines.all()), list(bookings.all()))


def claim_lines_sheet(book: Workbook, details: Details, heading: str, generated: str) -> None:
    columns = [
        ("Regeling", 16), ("Begin periode", 13), ("Einde periode", 13), ("Status", 13),
        ("Correctie", 10), ("Locatie", 32), ("Van", 12), ("Tot en met", 12),
        ("Eenheden", 12), ("Eenheid", 16), ("Tarief", 14), ("Bedrag", 16),
    ]  # fmt: skip
    ws = sheet(book, CLAIM_LINES, heading, generated, columns)
    n = FIRST_ROW
    for x in details.claim_lines:
        row(
            ws,
            n,
            [
                x.code,
                x.period_start,
                x.period_end,
                dutch.status(str(x.status)),
                "ja" if x.correction else "nee",
                x.name,
                x.rate_from,
                x.rate_to,
                Count(x.units),
                dutch.UNITS.get(str(x.basis), str(x.basis)),
                x.rate,
                x.amount,
            ],
        )
        n += 1
    autofilter(ws, len(columns), n - 1)
    if not details.claim_lines:
        ws.cell(row=n, column=1, value="Geen declaratieregels in dit jaar.")
    else:
        row(ws, n, ["Totaal", *([None] * 10), total(12, FIRST_ROW, n - 1)], bold=True)


def expenses_sheet(book: Workbook, details: Details, heading: str, generated: str) -> None:
    columns = [
        ("Datum", 12), ("Categorie", 20), ("Omschrijving", 44), ("Bedrag", 16),
        ("Locatie", 28), ("Activiteit", 28), ("Partner", 28), ("Regeling", 16),
    ]  # fmt: skip
    ws = sheet(book, BOOKINGS, heading, generated, columns)
    n = FIRST_ROW
    for x in details.expenses:
        row(
            ws,
            n,
            [
                x.spent_on,
                dutch.category(str(x.category)),
                x.description,
                x.amount,
                x.location,
                x.title,
                x.partner,
                x.code,
            ],
        )
        n += 1
    autofilter(ws, len(columns), n - 1)
    if not details.expenses:
        ws.cell(row=n, column=1, value="Geen uitgaven geboekt in dit jaar.")
    else:
        row(ws, n, ["Totaal", None, None, total(4, FIRST_ROW, n - 1)], bold=True)
