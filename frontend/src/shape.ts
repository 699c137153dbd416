// Pure data shaping: API answers -> what the tiles, charts and tables show. No DOM, no
// Chart.js, so it is unit-tested on its own (tests/shape.test.ts).

import type { MessageKind } from "./i18n";
import type { OccupancyRow, OverviewReport, PublicCount } from "./types";
import { DUTCH_LEVELS, SEVERITIES } from "./types";

export interface Series {
  label: string;
  data: (number | null)[];
}

export interface ChartData {
  labels: string[];
  series: Series[];
}

type Labeler = (kind: MessageKind, value: string) => string;

/** A decimal rate ("0.3333") as a percentage with one decimal (33.3); null stays null. */
export function ratePercent(rate: string | null | undefined): number | null {
  if (rate === null || rate === undefined || rate === "") return null;
  const n = Number(rate);
  return Number.isFinite(n) ? Math.round(n * 1000) / 10 : null;
}

/** Today's occupied and capacity per location, in the report's order. */
export function occupancyNow(report: OverviewReport): ChartData {
  const rows = report.occupancy.locations;
  return {
    labels: rows.map((r) => r.name),
    series: [
      { label: "occupied", data: rows.map((r) => r.occupied) },
      { label: "capacity", data: rows.map((r) => r.capacity) },
    ],
  };
}

export function participantsByGroup(report: OverviewReport, name: Labeler): ChartData {
  return {
    labels: report.participants.byGroup.map((g) => name("group", g.group)),
    series: [{ label: "count", data: report.participants.byGroup.map((g) => g.count) }],
  };
}

/** Participation and attendance rates (percent) per activity kind; kinds with neither an
 * activity nor a recorded session are left out, they would only draw empty bars. */
export function activityRates(report: OverviewReport, name: Labeler): ChartData {
  const attendance = new Map(report.attendance.kinds.map((k) => [k.kind, k]));
  const kinds = report.participation.filter(
    (p) => p.activities > 0 || (attendance.get(p.kind)?.recorded ?? 0) > 0,
  );
  return {
    labels: kinds.map((k) => name("activityKind", k.kind)),
    series: [
      { label: "participation", data: kinds.map((k) => ratePercent(k.rate)) },
      { label: "attendance", data: kinds.map((k) => ratePercent(attendance.get(k.kind)?.rate)) },
    ],
  };
}

/** CEFR levels in their natural order (not the API's), none first. */
export function dutchLevels(report: OverviewReport, name: Labeler): ChartData {
  const counts = new Map(report.progress.dutchLevels.map((l) => [l.level, l.count]));
  const levels = [
    ...DUTCH_LEVELS,
    ...[...counts.keys()].filter((l) => !(DUTCH_LEVELS as readonly string[]).includes(l)),
  ];
  return {
    labels: levels.map((l) => (l === "none" ? name("dutchLevel", l) : l)),
    series: [{ label: "count", data: levels.map((l) => counts.get(l) ?? 0) }],
  };
}

export function signalsBySeverity(report: OverviewReport, name: Labeler): ChartData {
  const by = new Map(report.signals.bySeverity.map((s) => [s.severity, s]));
  const order = [...SEVERITIES].reverse(); // high first
  return {
    labels: order.map((s) => name("severity", s)),
    series: [
      { label: "open", data: order.map((s) => by.get(s)?.open ?? 0) },
      { label: "overdue", data: order.map((s) => by.get(s)?.overdue ?? 0) },
    ],
  };
}

/** Daily occupancy rows -> occupied and capacity per day, for one location or (null) the
 * sum over all. Days missing for a location count as 0 (it was not open). */
export function occupancyOverTime(rows: OccupancyRow[], locationId: string | null): ChartData {
  const days = new Map<string, { occupied: number; capacity: number }>();
  for (const row of rows) {
    if (locationId !== null && row.locationId !== locationId) continue;
    const day = days.get(row.date) ?? { occupied: 0, capacity: 0 };
    day.occupied += row.occupied;
    day.capacity += row.capacity;
    days.set(row.date, day);
  }
  const labels = [...days.keys()].sort();
  return {
    labels,
    series: [
      { label: "occupied", data: labels.map((d) => days.get(d)!.occupied) },
      { label: "capacity", data: labels.map((d) => days.get(d)!.capacity) },
    ],
  };
}

const AMSTERDAM_DAY = new Intl.DateTimeFormat("en-CA", {
  timeZone: "Europe/Amsterdam",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
});

/** Today's date in Heemstede (Europe/Amsterdam), as the API counts days: not the
 * browser's UTC date (a day behind just after midnight) nor its own zone. */
export function amsterdamToday(now = new Date()): string {
  return AMSTERDAM_DAY.format(now);
}

/** ISO dates `days` back from `on` (inclusive) to `on`. */
export function lastDays(on: string, days: number): { from: string; to: string } {
  const end = new Date(`${on}T00:00:00Z`);
  const start = new Date(end.getTime() - (days - 1) * 86_400_000);
  return { from: start.toISOString().slice(0, 10), to: on };
}

/** A public count: the number, or the "fewer than 5" text when it is suppressed. */
export function publicCount(c: PublicCount, suppressedText: string): string | number {
  if (c.suppressed || c.count === null) return suppressedText;
  return c.count;
}

export interface SignalFilters {
  status?: string;
  severity?: string;
  category?: string;
  locationId?: string;
  overdue?: boolean;
  page?: number;
}

/** Filters from the form (empty means "all") -> the list's query keys. */
export function signalQuery(f: SignalFilters): Record<string, string | number> {
  const q: Record<string, string | number> = { sort: "-reportedAt", pageSize: 25 };
  if (f.status) q.status = f.status;
  if (f.severity) q.severity = f.severity;
  if (f.category) q.category = f.category;
  if (f.locationId) q.locationId = f.locationId;
  if (f.overdue) q.overdue = "true";
  if (f.page && f.page > 1) q.page = f.page;
  return q;
}

export function pageCount(total: number, pageSize: number): number {
  return Math.max(1, Math.ceil(total / Math.max(1, pageSize)));
}

/** A datetime-local input's value (local time, no zone) as RFC 3339 UTC. */
export function localToUtc(value: string): string {
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? value : d.toISOString();
}

/** Now as a datetime-local input value. */
export function nowLocal(now = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}T${pad(now.getHours())}:${pad(now.getMinutes())}`;
}
