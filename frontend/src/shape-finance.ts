// Pure shaping for the finance screens (screens/finance.ts, claim.ts): claim moves and
// claimed amounts, expense bodies, the claim list query, the budget chart and balance
// table. No DOM, no Chart.js; unit-tested in tests/shape-finance.test.ts.

import type { components } from "./api-types.gen";
import { moneyNumber, parseMoney } from "./money";
import type { ChartData } from "./shape";
import type { BudgetPeriod, BudgetReport, Expense } from "./types";

export type ClaimableQuarter = components["schemas"]["ClaimableQuarter"];
export type ClaimableReport = components["schemas"]["ClaimableReport"];
export type Rate = components["schemas"]["RateRead"];

// --- claims --------------------------------------------------------------------------

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

// --- expenses ------------------------------------------------------------------------

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

// --- budget --------------------------------------------------------------------------

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

/** Per scheme, the days of the year no rate covers (the quarters' ranges joined). */
export function unpricedByScheme(
  report: BudgetReport,
): { schemeCode: string; schemeName: string; from: string; to: string }[] {
  return report.wholeYear.schemes.flatMap((s) =>
    s.unpricedRanges.map((r) => ({ schemeCode: s.schemeCode, schemeName: s.schemeName, ...r })),
  );
}

// --- the quarter end -------------------------------------------------------------------

/** The screen that adds a rate, with the scheme and the missing days filled in. */
export function rateLink(code: string, from?: string, to?: string, year?: number): string {
  const q = new URLSearchParams({ regeling: code });
  if (from) q.set("van", from);
  if (to) q.set("tot", to);
  if (year) q.set("jaar", String(year));
  return `/financien/tarieven?${q.toString()}`;
}

const FILED = ["submitted", "approved", "paid"];

/** What to do next for a quarter: open its claim (filed, or a draft to submit), add the
 * missing rate first, or compute a draft. */
export function claimableAction(item: ClaimableQuarter): "open" | "addRate" | "draft" {
  if (item.claim && FILED.includes(item.claim.status)) return "open";
  if (item.uncoveredRanges.length > 0) return "addRate";
  if (item.claim && item.claim.status === "draft") return "open";
  return "draft";
}

/** The current quarter first: newest quarter first, schemes by code within a quarter. */
export function claimableOrder(items: ClaimableQuarter[]): ClaimableQuarter[] {
  return [...items].sort(
    (a, b) =>
      b.periodStart.localeCompare(a.periodStart) || a.schemeCode.localeCompare(b.schemeCode),
  );
}

/** The rate form -> a create body. The source and its date are asked for here (the API
 * keeps them optional for imports of old amounts): `missing` names the empty ones,
 * `invalid` an amount that is not one. */
export function rateBody(v: Record<string, string>): Shaped & { missing: string[] } {
  // A provisional rate (announced, assumed) may have no publication date yet.
  const provisional = (v.certainty ?? "published") !== "published";
  const missing = ["validFrom", "amount", "source", ...(provisional ? [] : ["publishedOn"])].filter(
    (k) => !(v[k] ?? "").trim(),
  );
  const amount = v.amount?.trim() ? parseMoney(v.amount) : "";
  const invalid = amount === null ? ["amount"] : [];
  return {
    body: {
      validFrom: v.validFrom || null,
      validTo: v.validTo || null,
      amount: amount || null,
      source: v.source?.trim() || null,
      publishedOn: v.publishedOn || null,
      certainty: v.certainty || "published",
    },
    invalid,
    missing,
  };
}

/** "opvang-budget-2025.xlsx" from a Content-Disposition header, else the fallback. */
export function fileNameFrom(disposition: string | null, fallback: string): string {
  const m = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition ?? "");
  return m ? decodeURIComponent(m[1]!) : fallback;
}
