// Pure shaping for the phase-2 screens (participants, activities, finance): no DOM, no
// Chart.js, unit-tested in tests/shape2.test.ts.

import { moneyNumber, parseMoney } from "./money";
import type { ChartData } from "./shape";
import type {
  AttendanceEntry,
  BudgetPeriod,
  BudgetReport,
  Enrollment,
  Expense,
  ParticipantFull,
} from "./types";

// --- participants ----------------------------------------------------------------

export interface ParticipantFilters {
  q?: string;
  group?: string;
  locationId?: string;
  active?: string; // "", "true", "false"
  page?: number;
}

export function participantQuery(f: ParticipantFilters): Record<string, string | number> {
  const q: Record<string, string | number> = { sort: "reference", pageSize: 25 };
  if (f.q?.trim()) q.q = f.q.trim();
  if (f.group) q.group = f.group;
  if (f.locationId) q.locationId = f.locationId;
  if (f.active === "true" || f.active === "false") q.active = f.active;
  if (f.page && f.page > 1) q.page = f.page;
  return q;
}

/** "Olena Kovalenko" or, without names (not visible, or not known), the reference. */
export function participantName(
  p: Pick<ParticipantFull, "givenName" | "familyName" | "reference">,
): string {
  const name = [p.givenName, p.familyName].filter(Boolean).join(" ");
  return name || p.reference;
}

const NULLABLE = [
  "bsn",
  "vNumber",
  "givenName",
  "familyName",
  "dateOfBirth",
  "nationality",
  "guardianPartnerId",
  "householdRef",
] as const;

/** The form's values -> a create body: empty optional fields left out, `languages` from
 * "uk, ru" to ["uk", "ru"]. */
export function participantBody(v: Record<string, string>): Record<string, unknown> {
  const body: Record<string, unknown> = { reference: v.reference ?? "", group: v.group ?? "" };
  for (const key of NULLABLE) if (v[key]) body[key] = v[key];
  body.languages = splitList(v.languages ?? "");
  if (v.dutchLevel) body.dutchLevel = v.dutchLevel;
  if (v.employmentStatus) body.employmentStatus = v.employmentStatus;
  if (v.progressOn) body.progressOn = v.progressOn;
  return body;
}

/** Only what changed, for a PATCH: a cleared optional field is sent as null. */
export function participantChanges(
  before: ParticipantFull,
  v: Record<string, string>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const was = (
    k: "reference" | "group" | "dutchLevel" | "employmentStatus" | (typeof NULLABLE)[number],
  ) => {
    const value = before[k];
    return value === null || value === undefined ? "" : value;
  };
  for (const key of ["reference", "group", "dutchLevel", "employmentStatus"] as const) {
    if (key in v && v[key] !== was(key) && v[key] !== "") out[key] = v[key];
  }
  for (const key of NULLABLE) {
    if (!(key in v)) continue; // a field this role does not see is never sent
    if (v[key] !== was(key)) out[key] = v[key] === "" ? null : v[key];
  }
  if ("languages" in v) {
    const langs = splitList(v.languages ?? "");
    if (langs.join(",") !== (before.languages ?? []).join(",")) out.languages = langs;
  }
  if (v.progressOn && ("dutchLevel" in out || "employmentStatus" in out))
    out.progressOn = v.progressOn;
  return out;
}

export function splitList(text: string): string[] {
  return text
    .split(/[,;\s]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

// --- activities ------------------------------------------------------------------

/** Status moves of an enrollment (enrolled -> active -> completed | dropped_out;
 * enrolled -> dropped_out). */
export function enrollmentMoves(status: string): string[] {
  switch (status) {
    case "enrolled":
      return ["active", "dropped_out"];
    case "active":
      return ["completed", "dropped_out"];
    default:
      return [];
  }
}

/** Is the enrollment open on `day` (enrolled on or before it, not ended before it)? */
export function openOn(e: Enrollment, day: string): boolean {
  return e.enrolledOn <= day && (e.endedOn === null || e.endedOn >= day);
}

export interface AttendanceRow {
  participantId: string;
  status: AttendanceEntry["status"] | null;
}

/** One row per participant with an enrollment open on `day`, with what was recorded
 * (null: nothing yet); recorded participants without such an enrollment are kept too, so
 * a PUT of the whole list does not silently drop them. */
export function attendanceRows(
  enrollments: Enrollment[],
  day: string,
  recorded: AttendanceEntry[],
): AttendanceRow[] {
  const status = new Map(recorded.map((r) => [r.participantId, r.status]));
  const ids: string[] = [];
  for (const e of enrollments)
    if (openOn(e, day) && !ids.includes(e.participantId)) ids.push(e.participantId);
  for (const r of recorded) if (!ids.includes(r.participantId)) ids.push(r.participantId);
  return ids.map((participantId) => ({ participantId, status: status.get(participantId) ?? null }));
}

/** The PUT body: every row with a status chosen. */
export function attendanceBody(rows: AttendanceRow[]): AttendanceEntry[] {
  return rows.flatMap((r) =>
    r.status ? [{ participantId: r.participantId, status: r.status }] : [],
  );
}

/** A date within [from, to] (to null: open), nearest to `day`. */
export function clampDay(day: string, from: string, to: string | null): string {
  if (day < from) return from;
  if (to && day > to) return to;
  return day;
}

// --- finance ---------------------------------------------------------------------

export type ClaimMove = "submit" | "approve" | "reject" | "pay" | "reopen";

const FLOW: Record<string, ClaimMove[]> = {
  draft: ["submit"],
  submitted: ["approve", "reject"],
  approved: ["pay", "reject"],
  rejected: ["reopen"],
  paid: [],
};

/** The status moves a role may make on a claim: only finance moves claims (the API
 * refuses admins, so their buttons are not shown). */
export function claimMoves(status: string, role: string): ClaimMove[] {
  return role === "finance" ? (FLOW[status] ?? []) : [];
}

/** May this role recalculate a claim (finance and admin may; not a rejected one)? */
export function canRecalculate(status: string, role: string): boolean {
  return (role === "finance" || role === "admin") && status !== "rejected";
}

/** May this role set a claim's claimed amount? The API takes `claimedAmount` only while
 * the claim is a draft (a 409 otherwise), from finance and admin. */
export function canSetClaimedAmount(status: string, role: string): boolean {
  return status === "draft" && (role === "finance" || role === "admin");
}

/** A PATCH body and the names of the fields whose input could not be read (an amount
 * that is not one); the screen shows those at their fields without asking the API. */
export interface Shaped {
  body: Record<string, unknown>;
  invalid: string[];
}

/** The claimed-amount field -> the PATCH body: `{}` when nothing changed; an emptied
 * field clears it (`null`: on submit the computed total is claimed). */
export function claimedAmountChange(before: string | null, input: string): Shaped {
  const text = input.trim();
  if (text === "") return { body: before === null ? {} : { claimedAmount: null }, invalid: [] };
  const amount = parseMoney(text);
  if (amount === null) return { body: {}, invalid: ["claimedAmount"] };
  if (before !== null && parseMoney(before) === amount) return { body: {}, invalid: [] };
  return { body: { claimedAmount: amount }, invalid: [] };
}

// --- expenses --------------------------------------------------------------------

/** The optional references of an expense: an empty choice is `null`. */
export const EXPENSE_REFERENCES = ["schemeCode", "locationId", "activityId", "partnerId"] as const;

/** The expense form -> a create body. A required field left empty goes as `null`, so the
 * API's 400 names it at its field (one answer with every problem). */
export function expenseBody(v: Record<string, string>): Shaped {
  const amount = v.amount ? parseMoney(v.amount) : "";
  if (amount === null) return { body: {}, invalid: ["amount"] };
  const body: Record<string, unknown> = {
    date: v.date || null,
    category: v.category || null,
    amount: amount || null,
    description: v.description ?? "",
  };
  for (const key of EXPENSE_REFERENCES) if (key in v) body[key] = v[key] || null;
  return { body, invalid: [] };
}

/** The expense form -> a PATCH body with only what changed. An emptied reference is
 * cleared (`null`); an emptied required field goes as `null` too, which the API refuses
 * at that field ("cannot be cleared"). An amount is compared by value ("12,5" equals
 * "12.50"). */
export function expenseChanges(before: Expense, v: Record<string, string>): Shaped {
  const out: Record<string, unknown> = {};
  if ("date" in v && v.date !== before.date) out.date = v.date || null;
  if ("category" in v && v.category !== before.category) out.category = v.category || null;
  if ("description" in v && v.description !== before.description)
    out.description = v.description || null;
  if ("amount" in v) {
    const text = v.amount ?? "";
    const amount = text === "" ? "" : parseMoney(text);
    if (amount === null) return { body: {}, invalid: ["amount"] };
    if (amount === "") out.amount = null;
    else if (amount !== parseMoney(before.amount)) out.amount = amount;
  }
  for (const key of EXPENSE_REFERENCES) {
    if (!(key in v)) continue;
    const was = before[key] ?? "";
    if (v[key] !== was) out[key] = v[key] || null;
  }
  return { body: out, invalid: [] };
}

export interface ClaimFilters {
  schemeCode?: string;
  status?: string;
  year?: string;
  page?: number;
}

export function claimQuery(f: ClaimFilters): Record<string, string | number> {
  const q: Record<string, string | number> = { sort: "-periodStart", pageSize: 25 };
  if (f.schemeCode) q.schemeCode = f.schemeCode;
  if (f.status) q.status = f.status;
  if (f.year) q.year = f.year;
  if (f.page && f.page > 1) q.page = f.page;
  return q;
}

/** Expected, claimed, received and expenses per quarter, in euros, for the bar chart. */
export function budgetChart(report: BudgetReport): ChartData {
  const qs = report.quarters;
  return {
    labels: qs.map((q) => q.period),
    series: [
      { label: "expected", data: qs.map((q) => moneyNumber(q.totals.expected)) },
      { label: "claimed", data: qs.map((q) => moneyNumber(q.totals.claimed)) },
      { label: "received", data: qs.map((q) => moneyNumber(q.totals.received)) },
      { label: "expenses", data: qs.map((q) => moneyNumber(q.totals.expenses)) },
    ],
  };
}

/** The balance table: the quarters and the year, with whether the expected
 * reimbursements cover the expenses ("yes" / "no" / "unknown", never colour alone). */
export function budgetRows(
  report: BudgetReport,
): (BudgetPeriod["totals"] & { period: string; coveredText: "yes" | "no" | "unknown" })[] {
  return [...report.quarters, report.wholeYear].map((p) => ({
    ...p.totals,
    period: p.period,
    coveredText: p.totals.covered === null ? "unknown" : p.totals.covered ? "yes" : "no",
  }));
}

/** Schemes with days no rate covers, per period (for a warning under the chart). */
export function unpriced(
  report: BudgetReport,
): { period: string; schemeCode: string; from: string; to: string }[] {
  const out: { period: string; schemeCode: string; from: string; to: string }[] = [];
  for (const p of report.quarters)
    for (const s of p.schemes)
      for (const r of s.unpricedRanges)
        out.push({ period: p.period, schemeCode: s.schemeCode, ...r });
  return out;
}

/** "opvang-budget-2025.xlsx" from a Content-Disposition header, else the fallback. */
export function fileNameFrom(disposition: string | null, fallback: string): string {
  const m = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition ?? "");
  return m ? decodeURIComponent(m[1]!) : fallback;
}
