// Pure shaping for the lists and the overview's action figures: full locations and
// activities, free places per target group of a location, the overview tiles' links and
// explanations, chart labels that fit. No DOM, tested in tests/shape-lists.test.ts.

import type { MessageKey } from "./i18n";
import type { ScreenId } from "./roles";
import { LOCATION_KINDS, type OverviewReport } from "./types";

interface Places {
  capacity: number;
  occupied: number;
  free: number;
}

/** A location is full when it has places and none is left tonight (a closed location,
 * 0 places, is not "full"). */
export function locationFull(l: Places): boolean {
  return l.capacity > 0 && l.free <= 0;
}

/** The locations a `places` filter keeps: "free" (a place left tonight), "full", or all. */
export function byPlaces<T extends Places>(rows: T[], places: string): T[] {
  if (places === "free") return rows.filter((l) => l.free > 0);
  if (places === "full") return rows.filter(locationFull);
  return rows;
}

/** An activity with a limit and no place left; one without a limit is never full. */
export function activityFull(a: { capacity?: number | null; free?: number | null }): boolean {
  return a.capacity !== null && a.capacity !== undefined && a.free === 0;
}

// A location's kind decides whom its places are for: an AMV place (unaccompanied minors)
// cannot take a Ukrainian family and a GOO place (municipal reception of Ukrainians) cannot
// take a minor, so free places are counted per kind, never only in one total.
export const PLACE_GROUPS = LOCATION_KINDS;

export interface GroupPlaces extends Places {
  kind: string;
  locations: number;
  full: number;
}

/** Capacity, occupied and free places summed per location kind, in a fixed order; kinds
 * without a location are left out. */
export function placesByGroup(locations: (Places & { kind: string })[]): GroupPlaces[] {
  const by = new Map<string, GroupPlaces>();
  for (const l of locations) {
    const g = by.get(l.kind) ?? {
      kind: l.kind,
      capacity: 0,
      occupied: 0,
      free: 0,
      locations: 0,
      full: 0,
    };
    g.capacity += l.capacity;
    g.occupied += l.occupied;
    g.free += Math.max(0, l.free);
    g.locations += 1;
    if (locationFull(l)) g.full += 1;
    by.set(l.kind, g);
  }
  const order = (k: string) => {
    const i = (PLACE_GROUPS as readonly string[]).indexOf(k);
    return i < 0 ? PLACE_GROUPS.length : i;
  };
  return [...by.values()].sort((a, b) => order(a.kind) - order(b.kind));
}

export interface ActionTile {
  key: MessageKey;
  /** what the figure counts, in one short sentence */
  explain: MessageKey;
  value: number;
  /** the list that shows what the figure counts, and the screen it is on */
  href?: string;
  screen?: ScreenId;
  tone?: "warning";
}

/** Signals per status as the signals list counts them (its totals), for a role that
 * sees the list. */
export interface SignalCounts {
  open: number;
  inProgress: number;
}

/** The overview's key figures, each a link to the list that shows the same rows, with
 * what it counts. The report's "open" signals are open and in progress together, which
 * no single list filter shows: with the list's own totals the two are separate tiles,
 * each opening its list; without them (a role that does not see signals) one tile. */
export function actionTiles(report: OverviewReport, signals?: SignalCounts): ActionTile[] {
  const { total } = report.occupancy;
  const overdue = report.signals.overdue;
  const full = report.occupancy.locations.filter(locationFull).length;
  const signalTiles: ActionTile[] = signals
    ? [
        {
          key: "overview.tile.newSignals",
          explain: "overview.explain.newSignals",
          value: signals.open,
          href: "/signalen?status=open",
          screen: "signals",
        },
        {
          key: "overview.tile.inProgress",
          explain: "overview.explain.inProgress",
          value: signals.inProgress,
          href: "/signalen?status=in_progress",
          screen: "signals",
        },
      ]
    : [
        {
          key: "overview.tile.openSignals",
          explain: "overview.explain.openSignals",
          value: report.signals.open,
        },
      ];
  return [
    {
      key: "overview.tile.placedNow",
      explain: "overview.explain.placedNow",
      value: report.participants.total,
      href: "/deelnemers?active=true",
      screen: "participants",
    },
    {
      key: "overview.tile.free",
      explain: "overview.explain.free",
      value: total.free,
      href: "/locaties?places=free",
      screen: "locations",
    },
    {
      key: "overview.tile.full",
      explain: "overview.explain.full",
      value: full,
      href: "/locaties?places=full",
      screen: "locations",
      tone: full > 0 ? "warning" : undefined,
    },
    ...signalTiles,
    {
      key: "overview.tile.overdueSignals",
      explain: "overview.explain.overdueSignals",
      value: overdue,
      href: "/signalen?overdue=true",
      screen: "signals",
      tone: overdue > 0 ? "warning" : undefined,
    },
  ];
}

/** "2026-12-02" as a short Dutch chart label, "2 dec" (English: "2 Dec"), without the
 * full stop Intl adds to abbreviated months. */
export function shortDate(iso: string, locale = "nl-NL"): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return iso;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d
    .toLocaleDateString(locale, { day: "numeric", month: "short", timeZone: "UTC" })
    .replace(".", "");
}

/** A long name on lines of at most `width` characters, split at spaces (a word longer
 * than the width keeps its own line), so a chart axis shows it whole at 360 px. */
export function wrapLabel(name: string, width = 16): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of name.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines.length ? lines : [name];
}
