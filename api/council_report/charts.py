"""A section's chart as a PNG, with matplotlib's Agg backend (no display, no browser):
the library every Python chart in a Word document is drawn with, kept up by a large
project. Grouped bars; a hidden value (a count under 5) is drawn as no bar."""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")  # before pyplot: render to memory only

import matplotlib.pyplot as plt

from api.council_report.schemas import ReportChart

# The dashboard's palette (NL Design System blue and its companions), colour-blind safe.
COLOURS = ["#154273", "#e17000", "#39870c", "#a90061"]


def chart_png(chart: ReportChart) -> bytes:
    count = max(len(chart.series), 1)
    width = 0.8 / count
    figure, axes = plt.subplots(figsize=(6.4, 3.2), dpi=150)
    try:
        positions = range(len(chart.labels))
        for i, series in enumerate(chart.series):
            values = [0.0 if v is None else v for v in series.values]
            axes.bar(
                [p + (i - (count - 1) / 2) * width for p in positions],
                values,
                width,
                label=series.name,
                color=COLOURS[i % len(COLOURS)],
            )
        axes.set_xticks(list(positions), chart.labels, rotation=20, ha="right", fontsize=8)
        axes.set_title(chart.title, fontsize=10)
        axes.spines[["top", "right"]].set_visible(False)
        if len(chart.series) > 1:
            axes.legend(fontsize=8, frameon=False)
        figure.tight_layout()
        out = io.BytesIO()
        figure.savefig(out, format="png")
        return out.getvalue()
    finally:
        plt.close(figure)
