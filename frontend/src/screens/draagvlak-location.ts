// Draagvlak of one location (/draagvlak/:id): plain sentences at the top, then side by side
// the signals of the last 12 months (a chart by category with its table, and how quickly
// they were resolved), the open agreements with the neighbourhood, the last meetings and
// the conditions of the decision. Residents are never named: meetings show a count.

import { get } from "../api";
import { chartSection } from "../chartui";
import { h } from "../dom";
import { formatDate, formatNumber, getLang, label, t, type MessageKey } from "../i18n";
import type { ScreenContext } from "../screen";
import {
  categoryValue,
  directionKey,
  monthLabel,
  trendChart,
  usedCategories,
  type DraagvlakView,
  type TrendRow,
} from "../shape-draagvlak";
import { errorBox, heading, link, pageTitle, paragraph, table } from "../ui";
import "../draagvlak.css";

type View = DraagvlakView;
type Agreement = View["openAgreements"][number];
type Meeting = View["meetings"][number];
type Condition = View["conditions"][number];

const LOCALES = { nl: "nl-NL", en: "en-GB" } as const;

function badge(text: string): HTMLElement {
  return h(
    "span",
    { class: "utrecht-status-badge utrecht-status-badge--warning draagvlak-late" },
    text,
  );
}

function card(title: string, id: string, ...children: (Node | string | null)[]): HTMLElement {
  return h(
    "section",
    { class: "card draagvlak-card", "aria-labelledby": id },
    heading(2, title, { id }),
    ...children,
  );
}

export function sentences(v: View): string[] {
  const d = v.signals;
  const key = directionKey(d);
  return [
    t(`draagvlak.say.${key}` as MessageKey, {
      n: formatNumber(d.last3),
      m: formatNumber(d.previous3),
    }),
    t("draagvlak.say.open", {
      n: formatNumber(v.openSignals.total),
      k: formatNumber(v.openSignals.overdue),
    }),
    t("draagvlak.say.agreements", {
      n: formatNumber(v.openAgreements.length),
      k: formatNumber(v.overdueAgreements),
    }),
    t("draagvlak.say.communications", { n: formatNumber(v.communicationsLast12Months) }),
  ];
}

function resolutionTable(rows: TrendRow[], labels: string[]): HTMLDivElement {
  const days = (x: number | null) => (x === null ? t("common.none") : formatNumber(x, 1));
  const indexed = rows.map((r, i) => ({ r, name: labels[i] ?? r.month }));
  return table(
    t("draagvlak.resolution.caption"),
    [
      { header: t("draagvlak.col.month"), cell: (x: (typeof indexed)[number]) => x.name },
      {
        header: t("draagvlak.col.reported"),
        numeric: true,
        cell: (x) => formatNumber(x.r.reported),
      },
      {
        header: t("draagvlak.col.resolved"),
        numeric: true,
        cell: (x) => formatNumber(x.r.resolved),
      },
      {
        header: t("draagvlak.col.median"),
        numeric: true,
        cell: (x) => days(x.r.medianDaysToResolve),
      },
      { header: t("draagvlak.col.p90"), numeric: true, cell: (x) => days(x.r.p90DaysToResolve) },
      {
        header: t("draagvlak.col.openAtEnd"),
        numeric: true,
        cell: (x) => formatNumber(x.r.openAtMonthEnd),
      },
    ],
    indexed,
  );
}

function agreementsCard(v: View): HTMLElement {
  const rows = v.openAgreements;
  return card(
    t("draagvlak.agreements.title"),
    "dv-agreements",
    rows.length === 0
      ? paragraph(t("draagvlak.agreements.none"))
      : table(
          t("draagvlak.agreements.title"),
          [
            { header: t("draagvlak.col.what"), cell: (a: Agreement) => a.description },
            {
              header: t("draagvlak.col.due"),
              cell: (a) => [
                formatDate(a.dueOn),
                a.overdue ? [" ", badge(t("draagvlak.late"))] : null,
              ],
            },
            {
              header: t("draagvlak.col.status"),
              cell: (a) => t(`draagvlak.agreement.${a.status}` as MessageKey),
            },
          ],
          rows,
          (a): Record<string, string> => (a.overdue ? { "data-overdue": "true" } : {}),
        ),
  );
}

function meetingsCard(v: View): HTMLElement {
  return card(
    t("draagvlak.meetings.title"),
    "dv-meetings",
    v.meetings.length === 0
      ? paragraph(t("draagvlak.meetings.none"))
      : table(
          t("draagvlak.meetings.title"),
          [
            { header: t("draagvlak.col.date"), cell: (m: Meeting) => formatDate(m.heldOn) },
            {
              header: t("draagvlak.col.kind"),
              cell: (m) => t(`draagvlak.kind.${m.kind}` as MessageKey),
            },
            {
              header: t("draagvlak.col.present"),
              numeric: true,
              cell: (m) => formatNumber(m.residentsPresent),
            },
          ],
          v.meetings,
        ),
  );
}

function conditionsCard(v: View): HTMLElement {
  return card(
    t("draagvlak.conditions.title"),
    "dv-conditions",
    v.conditions.length === 0
      ? paragraph(t("draagvlak.conditions.none"))
      : table(
          t("draagvlak.conditions.title"),
          [
            { header: t("draagvlak.col.condition"), cell: (c: Condition) => c.description },
            {
              header: t("draagvlak.col.evaluateOn"),
              cell: (c) => [
                formatDate(c.evaluateOn),
                c.due ? [" ", badge(t("draagvlak.dueSoon"))] : null,
              ],
            },
            {
              header: t("draagvlak.col.status"),
              cell: (c) => t(`draagvlak.condition.${c.status}` as MessageKey),
            },
            {
              header: t("draagvlak.col.decision"),
              cell: (c) => `${c.reference} (${formatDate(c.decidedOn)})`,
            },
          ],
          v.conditions,
        ),
  );
}

export async function render(ctx: ScreenContext): Promise<void> {
  const id = ctx.params.id ?? "";
  const back = paragraph(link("/draagvlak", t("draagvlak.back")));
  let v: View;
  try {
    v = await get<View>(`/reports/draagvlak/${encodeURIComponent(id)}`);
  } catch (error) {
    if (!ctx.alive()) return;
    ctx.setTitle(t("draagvlak.title"));
    ctx.main.append(back, pageTitle(t("draagvlak.title")), errorBox(error));
    ctx.ready();
    return;
  }
  if (!ctx.alive()) return;
  const title = t("draagvlak.viewTitle", { name: v.name });
  ctx.setTitle(title);
  const labels = v.trend.map((r) => monthLabel(r.month, LOCALES[getLang()]));
  const cats = usedCategories(v.trend);
  const chart = chartSection(
    t("draagvlak.chart.title"),
    {
      type: "bar",
      stacked: true,
      data: trendChart(v.trend, labels, cats.length ? cats : ["nuisance"]),
      seriesLabels: (cats.length ? cats : ["nuisance" as const]).map((c) =>
        label("signalCategory", categoryValue(c)),
      ),
    },
    t("draagvlak.chart.month"),
    { tableOpen: true },
  );
  const resolution = card(
    t("draagvlak.resolution.title"),
    "dv-resolution",
    paragraph(t("draagvlak.resolution.lead")),
    resolutionTable(v.trend, labels),
  );
  ctx.main.append(
    back,
    pageTitle(title),
    h(
      "div",
      { class: "draagvlak-say", "data-testid": "draagvlak-say" },
      sentences(v).map((s) => paragraph(s)),
    ),
    h(
      "div",
      { class: "draagvlak-grid", "data-testid": "draagvlak-view" },
      h("div", { class: "draagvlak-main" }, chart.section, resolution),
      h("div", { class: "draagvlak-side" }, agreementsCard(v), meetingsCard(v), conditionsCard(v)),
    ),
  );
  chart.draw();
  ctx.ready();
}
