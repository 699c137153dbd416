"""The council report's content for a quarter: the sections in the letter's order.

To add a section, write ``async def x(c: Ctx) -> ReportSection`` and put it in
``SECTIONS``: the JSON, the dashboard page and the DOCX follow."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from api.common.calendar import today
from api.council_report import forecast_section, sections, steering
from api.council_report.context import Ctx
from api.council_report.money import budget
from api.council_report.schemas import QUARTER, CouncilReport, ReportSection
from api.council_report.wording import Lang, say
from api.council_report.wording import day as word_day
from api.errors import BadRequest, ProblemType, field_problem

Section = Callable[[Ctx], Awaitable[ReportSection]]

SECTIONS: list[Section] = [
    sections.occupancy,
    sections.participants,
    sections.movements,
    steering.goals,
    sections.signals,
    sections.activities,
    budget,
    steering.begroting,
    forecast_section.forecast,
]


def quarter_bounds(quarter: str) -> tuple[int, int, date, date]:
    match = QUARTER.match(quarter)
    assert match is not None  # the query's pattern checked it
    year, number = int(match.group(1)), int(match.group(2))
    first = date(year, 3 * number - 2, 1)
    following = date(year + 1, 1, 1) if number == 4 else date(year, 3 * number + 1, 1)
    return year, number, first, following - timedelta(days=1)


def context(session: AsyncSession, quarter: str, lang: Lang, *, on: date | None = None) -> Ctx:
    """The quarter's context; 400 (``future_quarter``) for a quarter that has not begun."""
    year, number, first, last = quarter_bounds(quarter)
    now = on or today()
    if first > now:
        raise BadRequest(
            "The quarter has not begun yet.",
            type_=ProblemType.INVALID_INPUT,
            errors=[
                field_problem(
                    "query",
                    "quarter",
                    "The quarter has not begun yet.",
                    code="future_quarter",
                    params={"today": now.isoformat()},
                )
            ],
        )
    return Ctx(session, year, number, first, last, min(last, now), lang, now)


async def council_report(c: Ctx) -> CouncilReport:
    lang = c.lang
    name = say(lang, "quarter", n=c.number, year=c.year)
    introduction = [
        say(lang, "intro", quarter=name, first=word_day(lang, c.first), last=word_day(lang, c.last))
    ]
    if c.as_of < c.last:
        introduction.append(say(lang, "as_of", as_of=word_day(lang, c.as_of)))
    introduction.append(say(lang, "suppressed_note"))
    return CouncilReport(
        quarter=f"{c.year}Q{c.number}",
        from_=c.first,
        to=c.last,
        as_of=c.as_of,
        lang=lang,
        title=say(lang, "title", quarter=name),
        introduction=introduction,
        sections=[_drawable(await make(c)) for make in SECTIONS],
    )


def _drawable(section: ReportSection) -> ReportSection:
    """Without the charts that would be empty (every value hidden or zero): their table
    then stands on its own."""
    charts = [
        chart
        for chart in section.charts
        if any(v for series in chart.series for v in series.values if v is not None)
    ]
    return section.model_copy(update={"charts": charts})
