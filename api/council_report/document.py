"""The council report as an editable DOCX (raadsinformatiebrief) with python-docx: the
maintained library for writing Word documents from Python (no Word or LibreOffice
needed). A title, the introduction, and per section a heading, its sentences, then each
chart as a PNG with its table right below it, and the other tables. The clerk adds the
letterhead, the signature and any explanation."""

from __future__ import annotations

import io

from docx import Document
from docx.shared import Cm

from api.council_report.charts import chart_png
from api.council_report.schemas import CouncilReport, ReportTable

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _table(document: object, table: ReportTable) -> None:
    doc = document  # python-docx's Document is untyped in parts; keep the calls plain
    doc.add_paragraph(table.caption, style="Caption")  # type: ignore[attr-defined]
    grid = doc.add_table(rows=1, cols=len(table.columns))  # type: ignore[attr-defined]
    grid.style = "Light Grid Accent 1"
    for cell, text in zip(grid.rows[0].cells, table.columns, strict=True):
        cell.text = text
    for row in table.rows:
        cells = grid.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.text = text


def render_docx(report: CouncilReport) -> bytes:
    document = Document()
    document.core_properties.title = report.title
    document.core_properties.language = report.lang
    document.add_heading(report.title, level=0)
    for sentence in report.introduction:
        document.add_paragraph(sentence)
    for section in report.sections:
        document.add_heading(section.heading, level=1)
        for sentence in section.sentences:
            document.add_paragraph(sentence)
        beside_chart = {chart.table for chart in section.charts}
        for chart in section.charts:
            if chart.labels:
                document.add_picture(io.BytesIO(chart_png(chart)), width=Cm(15))
            _table(document, section.tables[chart.table])
        for i, table in enumerate(section.tables):
            if i not in beside_chart:
                _table(document, table)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
