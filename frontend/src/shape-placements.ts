// Pure shaping for the placement work: the window "this week and next", days in a stay,
// sorting the residents, the location choice grouped by target group, and the API's rule
// refusals as Dutch sentences at their field.

import type { components } from "./api-types.gen";
import { formatDate, formatNumber, isMessageKey, label, t, type MessageKey } from "./i18n";
import type { Problem } from "./problems";

type Schemas = components["schemas"];
export type Availability = Schemas["Availability"];
export type LocationAvailability = Schemas["LocationAvailability"];
export type Movement = Schemas["Movement"];
export type TransferRead = Schemas["TransferRead"];
export type EndReason = Schemas["EndReason"];
export type Group = Schemas["Group"];

/** Every end reason, in the contract's order (a missing one does not compile). */
const ALL_END_REASONS: Record<EndReason, true> = {
  transfer: true,
  housing: true,
  returned: true,
  left: true,
  other: true,
};
export const END_REASONS = Object.keys(ALL_END_REASONS) as EndReason[];

const DAY = 86_400_000;

function utc(iso: string): number {
  return Date.parse(`${iso}T00:00:00Z`);
}

export function addDays(iso: string, days: number): string {
  return new Date(utc(iso) + days * DAY).toISOString().slice(0, 10);
}

/** Whole days from `from` to `to` (ISO dates); negative when `to` is earlier. */
export function daysBetween(from: string, to: string): number {
  return Math.round((utc(to) - utc(from)) / DAY);
}

/** Monday of this week to Sunday of next week, around `today`. */
export function weekWindow(today: string): { from: string; to: string; nextWeek: string } {
  const weekday = (new Date(utc(today)).getUTCDay() + 6) % 7; // Monday 0 … Sunday 6
  const from = addDays(today, -weekday);
  return { from, to: addDays(from, 13), nextWeek: addDays(from, 7) };
}

/** Nights spent so far: 0 on the day of arrival (a stay that starts later: 0 too). */
export function daysInStay(start: string, today: string): number {
  return Math.max(0, daysBetween(start, today));
}

export type SortDir = "asc" | "desc";

/** A sorted copy; text compared the Dutch way, empty values last in either direction. */
export function sortRows<T>(
  rows: readonly T[],
  value: (row: T) => string | number | null,
  dir: SortDir,
): T[] {
  const collator = new Intl.Collator("nl", { numeric: true, sensitivity: "base" });
  const sign = dir === "asc" ? 1 : -1;
  return [...rows].sort((a, b) => {
    const x = value(a);
    const y = value(b);
    if (x === null || x === "") return y === null || y === "" ? 0 : 1;
    if (y === null || y === "") return -1;
    const c =
      typeof x === "number" && typeof y === "number" ? x - y : collator.compare(`${x}`, `${y}`);
    return sign * c;
  });
}

export interface LocationChoiceGroup {
  label: string;
  options: { value: string; label: string; disabled: boolean }[];
}

/** The locations as option groups per target group: the participant's own group first
 * (when known), then the others together; closed locations are shown but disabled. */
export function locationChoices(
  availability: Availability,
  group: Group | null,
  exclude: string | null = null,
): LocationChoiceGroup[] {
  const option = (l: LocationAvailability) => ({
    value: l.locationId,
    label: l.isOpen
      ? t("placements.locationOption", {
          name: l.name,
          free: formatNumber(l.free),
          capacity: formatNumber(l.capacity),
        })
      : t("placements.locationClosed", { name: l.name }),
    disabled: !l.isOpen || l.locationId === exclude,
  });
  const items = availability.items;
  if (group) {
    const own = items.filter((l) => l.targetGroup === group);
    const other = items.filter((l) => l.targetGroup !== group);
    return [
      {
        label: t("placements.groupOption", { group: label("group", group) }),
        options: own.map(option),
      },
      { label: t("placements.otherGroups"), options: other.map(option) },
    ].filter((g) => g.options.length > 0);
  }
  const groups = [...new Set(items.map((l) => l.targetGroup))];
  return groups.map((g) => ({
    label: t("placements.groupOption", { group: label("group", g) }),
    options: items.filter((l) => l.targetGroup === g).map(option),
  }));
}

/** A rule refusal (409) as a Dutch sentence at the form field it belongs to; `fields`
 * renames the API's names to the form's (`startDate` -> `date` on a transfer). Null for
 * a problem that is not one of the placement rules. */
export function placementProblem(
  problem: Problem | null,
  fields: Record<string, string> = {},
): { field: string | null; text: string } | null {
  if (!problem?.type) return null;
  const slug = problem.type.slice(problem.type.lastIndexOf(":") + 1);
  const p = problem as unknown as Record<string, unknown>;
  const text = (key: string) => (typeof p[key] === "string" ? p[key] : "");
  const date = (key: string) => (text(key) ? formatDate(text(key)) : "");
  const params = {
    day: date("day"),
    locationName: text("locationName"),
    occupied: typeof p.occupied === "number" ? formatNumber(p.occupied) : "",
    capacity: typeof p.capacity === "number" ? formatNumber(p.capacity) : "",
    placementLocationName: text("placementLocationName"),
    placementStartDate: date("placementStartDate"),
  };
  const apiField = text("field") || null;
  let key: MessageKey;
  if (slug === "placement-overlap" && !params.placementLocationName) {
    key = "placements.problem.overlapElsewhere";
  } else if (slug === "outside-open-dates" && apiField === "startDate") {
    key = "placements.problem.opens";
  } else if (slug === "outside-open-dates" && apiField === "endDate") {
    key = "placements.problem.closes";
  } else if (slug === "minor-age" && apiField === "participantId") {
    key = "placements.problem.minorNoBirthDate";
  } else {
    const generic = `placements.problem.${slug}`;
    if (!isMessageKey(generic)) return null;
    key = generic;
  }
  const field = apiField ? (fields[apiField] ?? apiField) : null;
  return { field, text: t(key, params) };
}
