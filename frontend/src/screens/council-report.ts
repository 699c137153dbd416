// Raadsrapportage (/raadsrapportage): the council's quarterly progress report as a page to
// read and print, with the DOCX for the clerk to finish. The text comes from the API in
// the dashboard's language (the same words as the DOCX, made in one place); this screen
// lays it out: per section its sentences, each chart with its table right below it (the
// table is the chart's text alternative and what the paper shows), then the other tables.

import "../council.css";
import { download, get } from "../api";
import type { components } from "../api-types.gen";
import { drawChart } from "../charts";
import { h, uid } from "../dom";
import { getLang, t } from "../i18n";
import { navigate } from "../router";
import type { ScreenContext } from "../screen";
import { amsterdamToday } from "../shape";
import { fileNameFrom } from "../shape-finance";
import { button, errorBox, field, heading, pageTitle, paragraph, table } from "../ui";
import { quarterOptions, saveFile } from "./council-words";

type Report = components["schemas"]["CouncilReport"];
type Section = components["schemas"]["ReportSection"];
type ReportTable = components["schemas"]["ReportTable"];
type ReportChart = components["schemas"]["ReportChart"];

function reportTable(tbl: ReportTable): HTMLDivElement {
  return table(
    tbl.caption,
    tbl.columns.map((header, i) => ({
      header,
      numeric: i > 0,
      cell: (row: string[]) => row[i] ?? "",
    })),
    tbl.rows,
  );
}

function chartBlock(chart: ReportChart, tbl: ReportTable | undefined, draws: (() => void)[]) {
  const canvas = h("canvas", { role: "img", "aria-label": chart.title, id: uid("chart") });
  if (chart.labels.length) {
    draws.push(() =>
      drawChart(canvas, {
        type: "bar",
        data: {
          labels: chart.labels,
          series: chart.series.map((s) => ({ label: s.name, data: s.values })),
        },
        seriesLabels: chart.series.map((s) => s.name),
      }),
    );
  }
  return h(
    "figure",
    { class: "council-chart" },
    chart.labels.length ? h("div", { class: "chart-box" }, canvas) : null,
    tbl ? reportTable(tbl) : null,
  );
}

function sectionBlock(s: Section, draws: (() => void)[]): HTMLElement {
  const id = uid("council-h");
  const withChart = new Set(s.charts.map((c) => c.table));
  return h(
    "section",
    { class: "card council-section", "aria-labelledby": id, "data-testid": `council-${s.key}` },
    heading(2, s.heading, { id }),
    ...s.sentences.map((x) => paragraph(x)),
    ...s.charts.map((c) => chartBlock(c, s.tables[c.table], draws)),
    ...s.tables.filter((_tbl, i) => !withChart.has(i)).map(reportTable),
  );
}

function downloadSection(quarter: string): HTMLElement {
  const status = h("div", { "aria-live": "polite", "data-testid": "council-status" });
  const fetchDocx = async () => {
    status.replaceChildren(paragraph(t("council.downloading")));
    try {
      const lang = getLang();
      const file = await download("/reports/council.docx", { quarter, lang });
      const name = fileNameFrom(file.disposition, `raadsinformatiebrief-${quarter}.docx`);
      saveFile(file.blob, name);
      status.replaceChildren(paragraph(t("council.downloaded", { name })));
    } catch (error) {
      status.replaceChildren(errorBox(error));
    }
  };
  return h(
    "div",
    { class: "button-row", "data-print": "hide" },
    button(t("council.downloadDocx"), { onclick: fetchDocx, "data-testid": "council-docx" }),
    button(t("council.print"), { onclick: () => window.print() }, "secondary"),
    status,
  );
}

export async function render(ctx: ScreenContext): Promise<void> {
  ctx.setTitle(t("council.title"));
  const options = quarterOptions(amsterdamToday());
  const asked = ctx.query.get("quarter") ?? "";
  const quarter = options.some((o) => o.value === asked) ? asked : options[0]!.value;
  const fQuarter = field({
    name: "quarter",
    label: t("council.quarter"),
    options: options.map((o) => ({
      value: o.value,
      label: t("council.quarterName", { n: o.n, year: o.year }),
    })),
    value: quarter,
  });
  const form = h(
    "form",
    { class: "filters", "aria-label": t("council.quarterPick") },
    fQuarter.wrap,
    h(
      "button",
      { type: "submit", class: "utrecht-button utrecht-button--secondary-action" },
      t("council.show"),
    ),
  );
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    navigate(`/raadsrapportage?quarter=${encodeURIComponent(fQuarter.control.value)}`);
  });
  const box = h("div", { "data-testid": "council-report" }, paragraph(t("common.loading")));
  ctx.main.append(
    pageTitle(t("council.title")),
    paragraph(t("council.intro")),
    form,
    downloadSection(quarter),
    box,
  );
  let report: Report;
  try {
    report = await get<Report>("/reports/council", { quarter, lang: getLang() });
  } catch (error) {
    if (ctx.alive()) box.replaceChildren(errorBox(error));
    return;
  }
  if (!ctx.alive()) return;
  const draws: (() => void)[] = [];
  box.replaceChildren(
    h(
      "article",
      { class: "council-letter" },
      heading(2, report.title, { class: "council-letter__title" }),
      ...report.introduction.map((x) => paragraph(x)),
      ...report.sections.map((s) => sectionBlock(s, draws)),
    ),
  );
  for (const draw of draws) draw();
  ctx.ready();
}
