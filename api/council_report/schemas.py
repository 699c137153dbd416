"""The council report's content: a title and a list of sections, each with a heading,
sentences, tables and charts. A section is made by one function (``sections``), so a new
one (the begroting, the forecast, the goals) is one function added to the list."""

from __future__ import annotations

import re
from datetime import date
from typing import Literal

from pydantic import Field

from api.common.schemas import QueryModel, ReadModel

QUARTER = re.compile(r"^(20\d{2})Q([1-4])$")


class CouncilQuery(QueryModel):
    quarter: str = Field(
        pattern=r"^20\d{2}Q[1-4]$",
        description="The quarter, `2026Q4`: year (2000 to 2099), `Q`, number.",
    )
    lang: Literal["nl", "en"] = Field(
        default="nl", description="The language of the text: Dutch (the council's) or English."
    )


class ReportTable(ReadModel):
    caption: str
    columns: list[str]
    rows: list[list[str]] = Field(
        description="Formatted cells in the report's language; `< 5` for a hidden count."
    )


class ChartSeries(ReadModel):
    name: str
    values: list[float | None] = Field(description="One per label; null when hidden.")


class ReportChart(ReadModel):
    title: str
    labels: list[str]
    series: list[ChartSeries]
    table: int = Field(description="The index of the section's table that holds its figures.")


class ReportSection(ReadModel):
    key: str = Field(description="`occupancy`, `participants`, `movements`, `signals`, ...")
    heading: str
    sentences: list[str]
    tables: list[ReportTable]
    charts: list[ReportChart]


class CouncilReport(ReadModel):
    quarter: str
    from_: date = Field(alias="from", description="The quarter's first day.")
    to: date = Field(description="The quarter's last day.")
    as_of: date = Field(description="The reference date: the quarter's last day, or today.")
    lang: Literal["nl", "en"]
    title: str
    introduction: list[str]
    sections: list[ReportSection]
