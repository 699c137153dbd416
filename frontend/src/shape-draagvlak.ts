// The draagvlak figures turned into what the screen shows: chart data (signals per month by
// category), the B1 sentences at the top, and a month's short name. Pure, so unit-tested.

import type { components } from "./api-types.gen";
import type { ChartData } from "./shape";

type Schemas = components["schemas"];
export type TrendRow = Schemas["TrendRow"];
export type DraagvlakView = Schemas["DraagvlakView"];
export type DraagvlakSummary = Schemas["DraagvlakSummary"];
export type Direction3 = Schemas["Direction3"];

export const CATEGORIES = [
  "nuisance",
  "socialTension",
  "safety",
  "health",
  "need",
  "question",
  "compliment",
  "capacity",
] as const;
export type CategoryKey = (typeof CATEGORIES)[number];

/** The API's category value for a camelCase key (socialTension -> social_tension). */
export function categoryValue(key: CategoryKey): string {
  return key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** Only the categories that occur in the period, so the legend stays short. */
export function usedCategories(rows: TrendRow[]): CategoryKey[] {
  return CATEGORIES.filter((c) => rows.some((r) => r.byCategory[c] > 0));
}

export function trendChart(rows: TrendRow[], labels: string[], cats: CategoryKey[]): ChartData {
  return {
    labels,
    series: cats.map((c) => ({ label: c, data: rows.map((r) => r.byCategory[c]) })),
  };
}

/** "2025-03" as a short month name and year in the given locale ("mrt 2025"). */
export function monthLabel(month: string, locale: string): string {
  const [y, m] = month.split("-").map(Number);
  const d = new Date(Date.UTC(y ?? 2000, (m ?? 1) - 1, 15));
  return d.toLocaleDateString(locale, { month: "short", year: "numeric", timeZone: "UTC" });
}

/** Which sentence about the last 3 months: more, fewer, as many, or none at all. */
export function directionKey(d: Direction3): "up" | "down" | "same" | "none" {
  if (d.last3 === 0 && d.previous3 === 0) return "none";
  return d.direction;
}
