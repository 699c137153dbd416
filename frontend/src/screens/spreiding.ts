// Spreidingswet (/spreidingswet): the province's task for Heemstede against the places of
// the asylum kinds, by phase: realised, planned (capacity plan), decided and in
// preparation (candidate locations), in B1 sentences, a stacked bar chart with its table,
// the Rijk's incentive (earned and expected), and the tasks with their source. Admins and
// coordinators add and change tasks (spreiding-form.ts); finance and viewers read.

import { get } from "../api";
import type { components } from "../api-types.gen";
import { chartSection } from "../chartui";
import { h } from "../dom";
import { formatDate, formatNumber, t, type MessageKey } from "../i18n";
import { formatMoney } from "../money";
import type { ScreenContext } from "../screen";
import type { Page } from "../types";
import { button, errorBox, heading, pageTitle, paragraph, table } from "../ui";
import { taskForm, type Task } from "./spreiding-form";
import "../spreiding.css";

type Report = components["schemas"]["SpreidingReport"];
type PhaseRow = components["schemas"]["PhaseRow"];
type PhaseItem = components["schemas"]["PhaseItem"];
type IncentivePart = components["schemas"]["IncentivePart"];

const phaseName = (p: string) => t(`spreiding.phase.${p}` as MessageKey);

/** The B1 sentences: the task, what is there, what is planned, what is missing. */
export function sentences(r: Report): string[] {
  const task = r.task;
  const by = new Map(r.phases.map((p) => [p.phase, p]));
  const n = (phase: string) => by.get(phase as PhaseRow["phase"])?.places ?? 0;
  const out: string[] = [];
  if (task)
    out.push(
      t("spreiding.task.sentence", {
        places: formatNumber(task.places),
        from: formatDate(task.startsOn),
        to: formatDate(task.endsOn),
      }),
    );
  out.push(t("spreiding.realised.sentence", { count: formatNumber(n("realised")) }));
  const planned = n("planned");
  if (planned >= 0) out.push(t("spreiding.planned.sentence", { count: formatNumber(planned) }));
  else out.push(t("spreiding.planned.less", { count: formatNumber(-planned) }));
  if (n("decided") > 0)
    out.push(t("spreiding.decided.sentence", { count: formatNumber(n("decided")) }));
  if (n("preparation") > 0)
    out.push(t("spreiding.preparation.sentence", { count: formatNumber(n("preparation")) }));
  const last = r.phases[r.phases.length - 1];
  if (task && last?.gap !== null && last?.gap !== undefined)
    out.push(
      last.gap > 0
        ? t("spreiding.gap.sentence", { count: formatNumber(last.gap) })
        : t("spreiding.gap.enough"),
    );
  return out;
}

function phaseChart(r: Report) {
  const rows = r.phases;
  const labels = [t("spreiding.phase.task"), ...rows.map((p) => phaseName(p.phase))];
  // A waterfall: each phase stacked on the phases before it, beside the task. Places a
  // plan takes away show as 0 in the chart; the table says what they are.
  const before = [0, ...rows.map((p) => Math.max(p.cumulative - Math.max(p.places, 0), 0))];
  const phase = [0, ...rows.map((p) => Math.max(p.places, 0))];
  const task = [r.task?.places ?? 0, ...rows.map(() => 0)];
  const section = chartSection(
    t("spreiding.chart.title"),
    {
      type: "bar",
      horizontal: true,
      stacked: true,
      data: {
        labels,
        series: [
          { label: "before", data: before },
          { label: "phase", data: phase },
          { label: "task", data: task },
        ],
      },
      seriesLabels: [
        t("spreiding.chart.before"),
        t("spreiding.chart.phase"),
        t("spreiding.chart.task"),
      ],
    },
    t("spreiding.chart.axis"),
  );
  // The figures as a table after the chart, always open (the phases and the gap).
  section.section.append(
    table(
      t("spreiding.phases.caption"),
      [
        { header: t("spreiding.phases.phase"), cell: (p: PhaseRow) => phaseName(p.phase) },
        {
          header: t("spreiding.phases.places"),
          numeric: true,
          cell: (p: PhaseRow) => formatNumber(p.places),
        },
        {
          header: t("spreiding.phases.cumulative"),
          numeric: true,
          cell: (p: PhaseRow) => formatNumber(p.cumulative),
        },
        {
          header: t("spreiding.phases.gap"),
          numeric: true,
          cell: (p: PhaseRow) => (p.gap === null ? t("common.none") : formatNumber(p.gap)),
        },
      ],
      rows,
      (p) => ({ "data-phase": p.phase }),
    ),
  );
  return section;
}

function itemsCard(r: Report): HTMLElement {
  const rows = r.phases.flatMap((p) => p.items.map((item) => ({ phase: p.phase, item })));
  const when = (item: PhaseItem) =>
    item.day
      ? formatDate(item.day)
      : item.stage
        ? t(`spreiding.stage.${item.stage}` as MessageKey)
        : "";
  return h(
    "section",
    { class: "card", "aria-labelledby": "spreiding-items" },
    heading(2, t("spreiding.items.title"), { id: "spreiding-items" }),
    rows.length === 0
      ? paragraph(t("spreiding.items.none"))
      : table(
          t("spreiding.items.caption"),
          [
            { header: t("spreiding.phases.phase"), cell: (x) => phaseName(x.phase) },
            { header: t("spreiding.items.name"), cell: (x) => x.item.name },
            {
              header: t("spreiding.phases.places"),
              numeric: true,
              cell: (x) => formatNumber(x.item.places),
            },
            { header: t("spreiding.items.when"), cell: (x) => when(x.item) },
          ],
          rows,
        ),
  );
}

function incentiveCard(r: Report): HTMLElement | null {
  const inc = r.incentive;
  if (!inc) return null;
  const unpriced = inc.earned.unpricedPlaces + inc.expected.unpricedPlaces;
  const rows: [string, IncentivePart][] = [
    [t("spreiding.incentive.rowEarned"), inc.earned],
    [t("spreiding.incentive.rowExpected"), inc.expected],
  ];
  return h(
    "section",
    { class: "card", "aria-labelledby": "spreiding-incentive", "data-testid": "incentive" },
    heading(2, t("spreiding.incentive.title"), { id: "spreiding-incentive" }),
    paragraph(t("spreiding.incentive.lead")),
    paragraph(t("spreiding.incentive.earned", { amount: formatMoney(inc.earned.amount) })),
    paragraph(t("spreiding.incentive.expected", { amount: formatMoney(inc.expected.amount) })),
    unpriced > 0
      ? paragraph(t("spreiding.incentive.unpriced", { count: formatNumber(unpriced) }))
      : null,
    table(
      t("spreiding.incentive.caption"),
      [
        { header: t("spreiding.incentive.what"), cell: (x) => x[0] },
        {
          header: t("spreiding.incentive.durable"),
          numeric: true,
          cell: (x) => formatNumber(x[1].durablePlaces),
        },
        {
          header: t("spreiding.incentive.other"),
          numeric: true,
          cell: (x) => formatNumber(x[1].otherPlaces),
        },
        {
          header: t("spreiding.incentive.amount"),
          numeric: true,
          cell: (x) => formatMoney(x[1].amount),
        },
      ],
      rows,
    ),
  );
}

function tasksCard(tasks: Task[], edit: ((task: Task) => void) | null): HTMLElement {
  const columns = [
    {
      header: t("spreiding.tasks.period"),
      cell: (x: Task) =>
        t("spreiding.tasks.periodText", { from: formatDate(x.startsOn), to: formatDate(x.endsOn) }),
    },
    {
      header: t("spreiding.tasks.places"),
      numeric: true,
      cell: (x: Task) => formatNumber(x.places),
    },
    {
      header: t("spreiding.tasks.source"),
      cell: (x: Task) => h("span", { class: "spreiding-source" }, x.source),
    },
    {
      header: t("spreiding.tasks.decidedOn"),
      cell: (x: Task) => (x.decidedOn ? formatDate(x.decidedOn) : t("common.none")),
    },
  ];
  if (edit)
    columns.push({
      header: t("spreiding.tasks.actions"),
      cell: (x: Task) =>
        button(
          t("spreiding.form.edit"),
          { "data-testid": `edit-task-${x.startsOn}`, onclick: () => edit(x) },
          "subtle",
        ),
    });
  return h(
    "section",
    { class: "card", "aria-labelledby": "spreiding-tasks", "data-testid": "tasks" },
    heading(2, t("spreiding.tasks.title"), { id: "spreiding-tasks" }),
    tasks.length === 0
      ? paragraph(t("spreiding.tasks.none"))
      : table(t("spreiding.tasks.caption"), columns, tasks),
  );
}

export async function render(ctx: ScreenContext): Promise<void> {
  const role = ctx.session?.role ?? "";
  const writes = role === "admin" || role === "coordinator";
  ctx.setTitle(t("spreiding.title"));
  ctx.main.append(pageTitle(t("spreiding.title")), paragraph(t("spreiding.lead")));
  const panel = h("div", { "data-testid": "task-panel" });
  const body = h("div", { "data-testid": "spreiding" });

  const redraw = async (): Promise<void> => {
    panel.replaceChildren();
    let r: Report;
    let tasks: Task[];
    try {
      [r, tasks] = await Promise.all([
        get<Report>("/reports/spreiding"),
        get<Page<Task>>("/spreiding-tasks", { pageSize: 200 }).then((p) => p.items),
      ]);
    } catch (error) {
      if (ctx.alive()) body.replaceChildren(errorBox(error));
      return;
    }
    if (!ctx.alive()) return;
    const chart = phaseChart(r);
    const edit = writes ? (task: Task) => taskForm(panel, task, () => void redraw()) : null;
    body.replaceChildren(
      h(
        "section",
        { class: "card spreiding-sentences", "data-testid": "spreiding-sentences" },
        paragraph(h("strong", {}, t("spreiding.on", { date: formatDate(r.on) }))),
        ...(r.task ? [] : [paragraph(t("spreiding.noTask"))]),
        ...sentences(r).map((s) => paragraph(s)),
        paragraph(t("spreiding.kinds")),
      ),
      chart.section,
      itemsCard(r),
      incentiveCard(r) ?? "",
      tasksCard(tasks, edit),
    );
    chart.draw();
  };

  if (writes)
    ctx.main.append(
      h(
        "div",
        { class: "spreiding-actions" },
        button(t("spreiding.form.add"), {
          "data-testid": "add-task",
          onclick: () => taskForm(panel, null, () => void redraw()),
        }),
      ),
    );
  ctx.main.append(panel, body);
  await redraw();
  ctx.ready();
}
