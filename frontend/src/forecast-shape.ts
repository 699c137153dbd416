// The forecast's answers shaped for the screens: the chart's series, the lead sentence's
// facts, and the comparison rows. No DOM, so it is unit-tested on its own
// (tests/forecast-shape.test.ts).

import type { components } from "./api-types.gen";
import type { ChartData } from "./shape";

type Schemas = components["schemas"];
export type ForecastReport = Schemas["ForecastReport"];
export type ForecastRun = Schemas["ForecastRun"];
export type ForecastQuarter = Schemas["ForecastQuarter"];
export type Certainty = Schemas["Certainty"];
export type ScenarioRead = Schemas["ScenarioRead"];
export type ScenarioChange = ScenarioRead["changes"][number];
export type ScenarioChangeKind = ScenarioChange["kind"];

export const CHANGE_KINDS: readonly ScenarioChangeKind[] = [
  "rate",
  "capacity",
  "occupancy",
  "location_open",
  "location_close",
  "cost",
];
export const MAX_COMPARED = 4;

const num = (v: string | null | undefined): number | null =>
  v === null || v === undefined ? null : Number(v);

/** Income, costs and the reserve at each quarter's end, per quarter. */
export function forecastChart(run: ForecastRun): ChartData {
  return {
    labels: run.quarters.map((q) => q.quarter),
    series: [
      { label: "income", data: run.quarters.map((q) => num(q.incomeTotal)) },
      { label: "costs", data: run.quarters.map((q) => num(q.costTotal)) },
      { label: "reserveEnd", data: run.quarters.map((q) => num(q.reserveEnd)) },
    ],
  };
}

export type Neutrality =
  { kind: "neutral"; year: number } | { kind: "short"; quarter: string } | { kind: "unknown" };

/** The lead sentence's facts: neutral to the end of next year, short from a quarter, or
 * unknown. `today` is the API's (Heemstede's) date. */
export function neutrality(report: ForecastReport): Neutrality {
  const run = report.base;
  // Neutral to the end of the horizon: its last quarter's year (this year and the next
  // two), not next year.
  const last = run.quarters.at(-1)?.to ?? report.today;
  if (run.budgetNeutral === true) return { kind: "neutral", year: Number(last.slice(0, 4)) };
  if (run.budgetNeutral === false && run.shortFrom)
    return { kind: "short", quarter: run.shortFrom };
  return { kind: "unknown" };
}

/** A figure's amount with how sure it is. */
export interface Figure {
  amount: string | null;
  certainty: Certainty;
}

/** Per quarter: each scheme's income figure, by scheme code, in the report's order. */
export function schemeCodes(run: ForecastRun): { code: string; name: string }[] {
  const first = run.quarters[0];
  return first ? first.income.map((f) => ({ code: f.schemeCode, name: f.schemeName })) : [];
}

export function incomeOf(q: ForecastQuarter, code: string): Figure | null {
  const f = q.income.find((i) => i.schemeCode === code);
  return f ? { amount: f.amount, certainty: f.certainty } : null;
}

export interface CompareRow {
  quarter: string;
  values: (string | null)[]; // base, then each scenario, then each difference
}

/** The comparison: per quarter the base's value, each scenario's, and each scenario's
 * difference to the base (`balance` or `reserveEnd`). */
export function compareRows(report: ForecastReport, key: "balance" | "reserveEnd"): CompareRow[] {
  return report.base.quarters.map((q, i) => ({
    quarter: q.quarter,
    values: [
      q[key],
      ...report.scenarios.map((s) => s.forecast.quarters[i]?.[key] ?? null),
      ...report.scenarios.map((s) => s.difference[i]?.[key] ?? null),
    ],
  }));
}

/** Occupancy on the wire is in basis points; the form asks for a percentage. */
export function percentToBp(text: string): number | null {
  const value = Number(text.trim().replace(",", "."));
  if (!Number.isFinite(value) || value < 0 || value > 100 || text.trim() === "") return null;
  return Math.round(value * 100);
}

export function bpToPercent(bp: number): string {
  return String(bp / 100);
}
