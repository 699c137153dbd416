// A chart with its text alternative: the same figures as a table.

import { drawChart, type ChartSpec } from "./charts";
import { h, uid, type Child } from "./dom";
import { formatNumber, t } from "./i18n";
import type { ChartData } from "./shape";
import { heading, table } from "./ui";

/** The same figures as the chart, as a table (the chart's text alternative). */
export function chartTable(
  caption: string,
  firstHeader: string,
  data: ChartData,
  seriesLabels: string[],
  format: (v: number | null) => string = (v) => formatNumber(v),
): HTMLDivElement {
  const rows = data.labels.map((label, i) => ({
    label,
    values: data.series.map((s) => s.data[i] ?? null),
  }));
  return table(
    caption,
    [
      { header: firstHeader, cell: (r) => r.label },
      ...seriesLabels.map((header, j) => ({
        header,
        numeric: true,
        cell: (r: (typeof rows)[number]) => format(r.values[j] ?? null),
      })),
    ],
    rows,
  );
}

export interface ChartSection {
  section: HTMLElement;
  draw: () => void;
}

/** A titled section with a chart (canvas as an image with a name) and, beneath it, the
 * figures as a table in a disclosure. The chart is drawn by `draw()`, once the section is
 * in the document (Chart.js measures its container). */
export function chartSection(
  title: string,
  spec: ChartSpec,
  firstHeader: string,
  options: {
    tableOpen?: boolean;
    format?: (v: number | null) => string;
    extra?: Child;
    /** the rows' names in the table, when the chart's axis shows them shorter */
    tableLabels?: string[];
  } = {},
): ChartSection {
  const id = uid("chart");
  const canvas = h("canvas", { role: "img", "aria-label": title, id });
  // A horizontal chart grows with its rows, so names on two or three lines keep their room.
  const rows = spec.data.labels.length;
  const box = h(
    "div",
    {
      class: `chart-box${spec.horizontal ? " chart-box--tall" : ""}`,
      style: spec.horizontal ? `height: ${Math.max(16, 5 + rows * 3.25)}rem` : null,
    },
    canvas,
  );
  const details = h(
    "details",
    { class: "chart-table", open: options.tableOpen ?? false },
    h("summary", {}, t("common.showTable")),
    chartTable(
      title,
      firstHeader,
      options.tableLabels ? { ...spec.data, labels: options.tableLabels } : spec.data,
      spec.seriesLabels,
      options.format,
    ),
  );
  const headingId = `${id}-h`;
  const section = h(
    "section",
    { class: "card", "aria-labelledby": headingId },
    heading(2, title, { id: headingId }),
    options.extra,
    box,
    details,
  );
  return { section, draw: () => void drawChart(canvas, spec) };
}
