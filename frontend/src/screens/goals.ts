// Doelen (/doelen): the programme's goals, each with its indicators measured per quarter
// as of the quarter's last day. Per indicator: plain sentences about the latest quarter,
// a line chart with the target line, and beside it the same figures as a table. Admins
// and coordinators add and change goals, indicators and targets (goal-forms.ts); finance
// and viewers read. Partners do not see this screen (the API answers them 403).

import { get } from "../api";
import { drawChart } from "../charts";
import { h } from "../dom";
import { formatNumber, t, type MessageKey } from "../i18n";
import type { ScreenContext } from "../screen";
import { amsterdamToday } from "../shape";
import { byTheme, chartData, formatValue, latest, quarterShort, sentences } from "../shape-goals";
import type { Goal, Indicator, IndicatorSeries, Metric, Page, SeriesPoint } from "../types";
import { button, errorBox, heading, pageTitle, paragraph, table } from "../ui";
import { goalForm, indicatorForm } from "./goal-forms";
import "../goals.css";

interface Loaded {
  goals: Goal[];
  indicators: Indicator[];
  series: IndicatorSeries[];
  metrics: Metric[];
}

async function load(writes: boolean): Promise<Loaded> {
  const [goals, indicators, report, metrics] = await Promise.all([
    get<Page<Goal>>("/goals", { pageSize: 500 }),
    get<Page<Indicator>>("/indicators", { pageSize: 500 }),
    get<{ items: IndicatorSeries[] }>("/reports/indicators"),
    writes ? get<{ items: Metric[] }>("/indicator-metrics") : Promise.resolve({ items: [] }),
  ]);
  return {
    goals: goals.items,
    indicators: indicators.items,
    series: report.items,
    metrics: metrics.items,
  };
}

function counted(p: SeriesPoint, unit: string): string {
  if (p.suppressed) return t("goals.hidden");
  if (p.numerator === null || p.denominator === null) return t("common.none");
  const top =
    unit === "euro" ? formatValue(p.numerator, "euro") : formatNumber(Number(p.numerator));
  return `${top} / ${formatNumber(p.denominator)}`;
}

/** The figures of the chart, as a table beside it (its text alternative). */
export function seriesTable(s: IndicatorSeries): HTMLDivElement {
  return table(
    t("goals.table.caption", { title: s.title }),
    [
      { header: t("goals.table.quarter"), cell: (p: SeriesPoint) => quarterShort(p) },
      {
        header: t("goals.series.value"),
        numeric: true,
        cell: (p: SeriesPoint) => (p.suppressed ? t("goals.hidden") : formatValue(p.value, s.unit)),
      },
      {
        header: t("goals.series.target"),
        numeric: true,
        cell: (p: SeriesPoint) => formatValue(p.target, s.unit),
      },
      {
        header: t("goals.table.onTrack"),
        cell: (p: SeriesPoint) =>
          p.onTrack === null ? t("common.none") : t(p.onTrack ? "common.yes" : "common.no"),
      },
      { header: t("goals.table.counted"), numeric: true, cell: (p) => counted(p, s.unit) },
    ],
    s.points,
  );
}

/** One indicator: sentences, then the chart and the table side by side. */
export function indicatorBlock(
  s: IndicatorSeries,
  level: 2 | 3,
  draws: (() => void)[],
  tools?: HTMLElement | null,
): HTMLElement {
  const id = `ind-${s.indicatorId}`;
  const point = latest(s);
  const canvas = h("canvas", { role: "img", "aria-label": s.title });
  draws.push(() => {
    const chart = drawChart(canvas, {
      type: "line",
      data: chartData(s),
      seriesLabels: [t("goals.series.value"), t("goals.series.target")],
      percent: s.unit === "share",
      dashed: 1,
    });
    // The measured quarters as dots too: a single quarter has no line to show.
    const measured = chart.data.datasets[0];
    if (measured) Object.assign(measured, { pointRadius: 4 });
    // Shares up to the figures, not always to 100%: a rise from 4% to 7% should show.
    const y = chart.options.scales?.y;
    if (y) y.max = undefined;
    chart.update();
  });
  return h(
    "article",
    { class: "indicator", "aria-labelledby": id, "data-indicator": s.indicatorId },
    heading(level, s.title, { id }),
    point
      ? h(
          "div",
          { class: "indicator__text" },
          sentences(s, point).map((x) => paragraph(x)),
        )
      : null,
    tools,
    h(
      "div",
      { class: "indicator__figures" },
      h("div", { class: "chart-box indicator__chart" }, canvas),
      seriesTable(s),
    ),
  );
}

export async function render(ctx: ScreenContext): Promise<void> {
  const role = ctx.session?.role ?? "";
  const writes = role === "admin" || role === "coordinator";
  ctx.setTitle(t("goals.title"));
  ctx.main.append(
    pageTitle(t("goals.title")),
    paragraph(t("goals.lead")),
    paragraph(t("goals.asOf")),
  );
  const panel = h("div", { "data-testid": "goal-panel" });
  const body = h("div", { "data-testid": "goals" });
  const thisYear = Number(amsterdamToday().slice(0, 4));
  let data: Loaded | null = null;

  const redraw = async (): Promise<void> => {
    panel.replaceChildren();
    try {
      data = await load(writes);
    } catch (error) {
      if (ctx.alive()) body.replaceChildren(errorBox(error));
      return;
    }
    if (!ctx.alive()) return;
    draw(data);
  };
  const openIndicator = (goalId: string, indicator: Indicator | null) => {
    if (!data) return;
    indicatorForm(panel, {
      goals: data.goals,
      metrics: data.metrics,
      indicator,
      goalId,
      thisYear,
      done: () => void redraw(),
    });
  };

  function draw(d: Loaded): void {
    const draws: (() => void)[] = [];
    const byId = new Map(d.indicators.map((i) => [i.id, i]));
    const goals = byTheme(
      d.goals,
      (g) => g.theme,
      (g) => g.title,
    );
    const sections = goals.map((goal) => {
      const id = `goal-${goal.id}`;
      const items = d.series.filter((s) => s.goalId === goal.id);
      const tools = writes
        ? h(
            "div",
            { class: "goal-actions" },
            button(
              t("goals.edit"),
              { onclick: () => goalForm(panel, goal, () => void redraw()) },
              "secondary",
            ),
            button(
              t("goals.form.addIndicator"),
              { onclick: () => openIndicator(goal.id, null) },
              "secondary",
            ),
          )
        : null;
      return h(
        "section",
        { class: "card goal", "aria-labelledby": id, "data-goal": goal.id },
        heading(2, goal.title, { id }),
        paragraph(
          h(
            "span",
            { class: "goal__theme" },
            `${t("goals.theme")}: ${t(`goals.theme.${goal.theme}` as MessageKey)}`,
          ),
          goal.public ? h("span", { class: "goal__public" }, ` · ${t("goals.publicBadge")}`) : null,
        ),
        goal.description ? paragraph(goal.description) : null,
        tools,
        items.length === 0 ? paragraph(t("goals.noIndicators")) : null,
        items.map((s) => {
          const ind = byId.get(s.indicatorId);
          const edit =
            writes && ind
              ? button(
                  t("goals.form.editIndicator"),
                  { onclick: () => openIndicator(goal.id, ind) },
                  "subtle",
                )
              : null;
          return indicatorBlock(s, 3, draws, edit);
        }),
      );
    });
    body.replaceChildren(...(sections.length ? sections : [paragraph(t("goals.none"))]));
    for (const fn of draws) fn();
  }

  if (writes) {
    ctx.main.append(
      h(
        "div",
        { class: "goal-actions" },
        button(t("goals.form.addGoal"), {
          "data-testid": "add-goal",
          onclick: () => goalForm(panel, null, () => void redraw()),
        }),
      ),
    );
  }
  ctx.main.append(panel, body);
  await redraw();
  ctx.ready();
}
