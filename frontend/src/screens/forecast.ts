// Prognose: per quarter the income per scheme, the costs, the balance and the reserve at
// the quarter's end (chart + table), each figure marked known / voorlopig / aangenomen,
// with a legend and one sentence at the top: does the programme stay budget neutral to
// the end of next year, and if not, from which quarter not. For finance, admin, viewer.

import { get } from "../api";
import { chartSection } from "../chartui";
import { h } from "../dom";
import {
  forecastChart,
  incomeOf,
  neutrality,
  schemeCodes,
  type Certainty,
  type ForecastReport,
  type ForecastQuarter,
} from "../forecast-shape";
import { label, t } from "../i18n";
import { formatMoney } from "../money";
import type { ScreenContext } from "../screen";
import { alertBox, errorBox, heading, link, pageTitle, paragraph, table } from "../ui";

export async function render(ctx: ScreenContext): Promise<void> {
  ctx.setTitle(t("forecast.title"));
  const box = h("div", { "data-testid": "forecast" }, paragraph(t("common.loading")));
  ctx.main.append(
    pageTitle(t("forecast.title")),
    paragraph(t("forecast.intro")),
    box,
    paragraph(link("/scenarios", t("forecast.toScenarios"))),
  );
  try {
    const report = await get<ForecastReport>("/reports/forecast");
    if (!ctx.alive()) return;
    const draw = drawForecast(box, report);
    draw();
  } catch (error) {
    if (ctx.alive()) box.replaceChildren(errorBox(error));
  }
  ctx.ready();
}

/** An amount with its certainty as words beside it (not colour alone). */
export function marked(amount: string | null, certainty: Certainty): HTMLElement {
  return h(
    "span",
    { class: `certainty certainty--${certainty}`, "data-certainty": certainty },
    formatMoney(amount, t("forecast.unknown")),
    " ",
    h("small", {}, `(${t(`forecast.certainty.${certainty}`)})`),
  );
}

function lead(report: ForecastReport): HTMLElement {
  const n = neutrality(report);
  if (n.kind === "neutral")
    return alertBox("ok", paragraph(t("forecast.neutral", { year: n.year })));
  if (n.kind === "short")
    return alertBox("warning", paragraph(t("forecast.notNeutral", { quarter: n.quarter })));
  return alertBox("warning", paragraph(t("forecast.neutralUnknown")));
}

export function legend(): HTMLElement {
  return h(
    "section",
    { class: "card", "aria-labelledby": "fc-legend-h" },
    heading(2, t("forecast.legendTitle"), { id: "fc-legend-h" }),
    h(
      "ul",
      { class: "utrecht-unordered-list", "data-testid": "forecast-legend" },
      (["known", "provisional", "assumed"] as const).map((c) =>
        h("li", {}, t(`forecast.legend.${c}`)),
      ),
    ),
  );
}

function drawForecast(box: HTMLElement, report: ForecastReport): () => void {
  const run = report.base;
  const chart = chartSection(
    t("forecast.chart"),
    {
      type: "bar",
      data: forecastChart(run),
      seriesLabels: [t("forecast.income"), t("forecast.costs"), t("forecast.reserveEnd")],
    },
    t("forecast.quarter"),
    { format: (v) => formatMoney(v) },
  );
  // A scheme that brings nothing in any quarter (the one-off Spreidingswet incentives once
  // paid) would only add columns of € 0,00 and push the balance off a laptop screen.
  const schemes = schemeCodes(run).filter((s) =>
    run.quarters.some((q) => Number(incomeOf(q, s.code)?.amount ?? 0) !== 0),
  );
  const perQuarter = h(
    "section",
    { class: "card", "aria-labelledby": "fc-table-h" },
    heading(2, t("forecast.tableTitle"), { id: "fc-table-h" }),
    run.reserveStart === null
      ? null
      : paragraph(t("forecast.reserveStart", { amount: formatMoney(run.reserveStart) })),
    table<ForecastQuarter>(
      t("forecast.caption"),
      [
        { header: t("forecast.quarter"), cell: (q) => q.quarter },
        ...schemes.map((s) => ({
          header: `${t("forecast.income")} ${s.code}`,
          numeric: true,
          cell: (q: ForecastQuarter) => {
            const f = incomeOf(q, s.code);
            return f ? marked(f.amount, f.certainty) : "—";
          },
        })),
        { header: t("forecast.costs"), numeric: true, cell: (q) => formatMoney(q.costTotal) },
        {
          header: t("forecast.balance"),
          numeric: true,
          cell: (q) => formatMoney(q.balance, t("forecast.unknown")),
        },
        {
          header: t("forecast.reserveEnd"),
          numeric: true,
          cell: (q) => formatMoney(q.reserveEnd, t("forecast.unknown")),
        },
        {
          header: t("forecast.certaintyCol"),
          cell: (q) => t(`forecast.certainty.${q.certainty}`),
        },
      ],
      run.quarters,
      (q): Record<string, string> => ({ "data-quarter": q.quarter }),
    ),
  );
  const categories = run.quarters[0]?.costs.map((c) => c.category) ?? [];
  const costs = h(
    "section",
    { class: "card", "aria-labelledby": "fc-costs-h" },
    heading(2, t("forecast.costsTitle"), { id: "fc-costs-h" }),
    table<ForecastQuarter>(
      t("forecast.costsCaption"),
      [
        { header: t("forecast.quarter"), cell: (q) => q.quarter },
        ...categories.map((c, i) => ({
          header: label("expenseCategory", c),
          numeric: true,
          cell: (q: ForecastQuarter) => {
            const f = q.costs[i];
            return f ? marked(f.amount, f.certainty) : "—";
          },
        })),
      ],
      run.quarters,
    ),
  );
  box.replaceChildren(lead(report), legend(), chart.section, perQuarter, costs);
  return chart.draw;
}
