// Goals: an indicator's series per quarter as chart data, table rows and plain sentences
// (B1 Dutch first). Pure: no DOM, unit-tested (tests/shape-goals.test.ts).

import { formatDate, formatNumber, isMessageKey, label, t, type MessageKey } from "./i18n";
import { formatMoney } from "./money";
import type { ChartData } from "./shape";
import type { IndicatorSeries, SeriesPoint } from "./types";

/** The council decision's themes, in its order: goals are shown in this order. */
export const THEMES = [
  "language",
  "work",
  "volunteering",
  "sport",
  "education",
  "health",
  "participation",
  "support",
  "finance",
] as const;

/** Goals (or anything with a theme and a title) in the order of the themes, then by title. */
export function byTheme<T>(items: T[], theme: (x: T) => string, title: (x: T) => string): T[] {
  const rank = (x: T) => {
    const i = (THEMES as readonly string[]).indexOf(theme(x));
    return i < 0 ? THEMES.length : i;
  };
  return [...items].sort((a, b) => rank(a) - rank(b) || title(a).localeCompare(title(b)));
}

/** "het derde kwartaal van 2026" */
export function quarterName(p: { year: number; quarter: number }): string {
  return t(`goals.quarter.${p.quarter}` as MessageKey, { year: p.year });
}

export function quarterShort(p: { year: number; quarter: number }): string {
  return t("goals.quarterShort", { q: p.quarter, year: p.year });
}

/** A value from the API as people read it: a share as "38%", euros as "€ 12,50". */
export function formatValue(value: string | null | undefined, unit: string): string {
  if (value === null || value === undefined) return t("common.none");
  if (unit === "share") {
    const pct = Number(value) * 100;
    return `${formatNumber(pct, Number.isInteger(Math.round(pct * 10) / 10) ? 0 : 1)}%`;
  }
  if (unit === "euro") return formatMoney(value);
  return formatNumber(Number(value));
}

/** The number a chart plots: a share in per cent, euros as euros. */
export function plotted(value: string | null | undefined, unit: string): number | null {
  if (value === null || value === undefined) return null;
  const n = Number(value);
  if (!Number.isFinite(n)) return null;
  return unit === "share" ? Math.round(n * 1000) / 10 : n;
}

export function chartData(s: IndicatorSeries): ChartData {
  return {
    labels: s.points.map(quarterShort),
    series: [
      { label: "value", data: s.points.map((p) => plotted(p.value, s.unit)) },
      { label: "target", data: s.points.map((p) => plotted(p.target, s.unit)) },
    ],
  };
}

/** The latest quarter with a figure (else the latest quarter). */
export function latest(s: IndicatorSeries): SeriesPoint | undefined {
  return [...s.points].reverse().find((p) => p.value !== null) ?? s.points.at(-1);
}

function lower(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

/** What one quarter says, in short plain sentences: the figure, the year's target, and
 * whether it is met. */
export function sentences(s: IndicatorSeries, p: SeriesPoint): string[] {
  const quarter = quarterName(p);
  const out: string[] = [];
  if (p.suppressed) out.push(t("goals.sentence.suppressed", { quarter }));
  else if (p.value === null) out.push(t("goals.sentence.noValue", { quarter }));
  else {
    const key = `goals.sentence.${s.metric}`;
    const params = s.params as Record<string, unknown>;
    const kind = typeof params.activityKind === "string" ? params.activityKind : "";
    const text = isMessageKey(key)
      ? t(key, {
          quarter,
          value: formatValue(p.value, s.unit),
          kind: lower(label("activityKind", kind)),
          days: typeof params.days === "number" ? params.days : "",
        })
      : `${quarter}: ${formatValue(p.value, s.unit)}`;
    out.push(text.charAt(0).toUpperCase() + text.slice(1));
    if (p.asOf && p.asOf !== p.periodEnd)
      out.push(t("goals.sentence.sofar", { date: formatDate(p.asOf) }));
  }
  if (p.target === null) out.push(t("goals.sentence.noTarget", { year: p.year }));
  else {
    out.push(t("goals.sentence.target", { year: p.year, target: formatValue(p.target, s.unit) }));
    if (p.onTrack !== null)
      out.push(t(p.onTrack ? "goals.sentence.onTrack" : "goals.sentence.offTrack"));
  }
  return out;
}
