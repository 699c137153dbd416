// The finance screens' pure shaping: the budget chart and balance table, claim moves and
// the list query, and the PATCH bodies when an expense or a draft claim's claimed amount
// changes (only what changed, `null` to clear).

import { describe, expect, it } from "vitest";
import { moneyInput } from "../src/money";
import {
  budgetChart,
  budgetRows,
  canRecalculate,
  canSetClaimedAmount,
  claimedAmountChange,
  claimMoves,
  claimQuery,
  expenseBody,
  expenseChanges,
  type ClaimableQuarter,
  claimableAction,
  claimableOrder,
  fileNameFrom,
  rateBody,
  rateLink,
  unpriced,
  unpricedByScheme,
} from "../src/shape-finance";
import type { BudgetPeriod, BudgetReport, Expense } from "../src/types";

const totals = (
  expected: string | null,
  claimed: string,
  received: string,
  expenses: string,
  covered: boolean | null,
): BudgetPeriod["totals"] => ({
  expected,
  expectedCertainty: expected === null ? null : "known",
  claimed,
  received,
  expenses,
  balance: expected === null ? null : (Number(expected) - Number(expenses)).toFixed(2),
  receivedBalance: (Number(received) - Number(expenses)).toFixed(2),
  covered,
});
const period = (
  name: string,
  t: BudgetPeriod["totals"],
  gaps: { from: string; to: string }[] = [],
): BudgetPeriod => ({
  period: name,
  from: "2025-01-01",
  to: "2025-03-31",
  schemes: [
    {
      schemeCode: "BOO-GOO",
      schemeName: "GOO",
      expected: t.expected,
      expectedCertainty: t.expectedCertainty,
      unpricedRanges: gaps,
      claimed: t.claimed,
      received: t.received,
    },
  ],
  expenses: [],
  totals: t,
});
const report: BudgetReport = {
  year: 2025,
  quarters: [
    period("Q1", totals("1000.00", "1000.00", "900.00", "800.00", true)),
    period("Q2", totals("500.50", "0.00", "0.00", "700.00", false)),
    period("Q3", totals(null, "0.00", "0.00", "10.00", null), [
      { from: "2025-09-01", to: "2025-09-30" },
    ]),
    period("Q4", totals("0.00", "0.00", "0.00", "0.00", true)),
  ],
  wholeYear: period("year", totals(null, "1000.00", "900.00", "1510.00", null)),
};

describe("budget", () => {
  it("gives a bar per measure per quarter, in euros; unknown stays a gap", () => {
    const chart = budgetChart(report);
    expect(chart.labels).toEqual(["Q1", "Q2", "Q3", "Q4"]);
    expect(chart.series.map((s) => s.label)).toEqual([
      "expected",
      "claimed",
      "received",
      "expenses",
    ]);
    expect(chart.series[0]!.data).toEqual([1000, 500.5, null, 0]);
    expect(chart.series[3]!.data).toEqual([800, 700, 10, 0]);
  });

  it("lists the quarters and the year with coverage in words", () => {
    const rows = budgetRows(report);
    expect(rows.map((r) => r.period)).toEqual(["Q1", "Q2", "Q3", "Q4", "year"]);
    expect(rows.map((r) => r.coveredText)).toEqual(["yes", "no", "unknown", "yes", "unknown"]);
    expect(rows[1]!.balance).toBe("-199.50");
  });

  it("names the unpriced ranges", () => {
    expect(unpriced(report)).toEqual([
      { period: "Q3", schemeCode: "BOO-GOO", from: "2025-09-01", to: "2025-09-30" },
    ]);
  });
});

describe("claims", () => {
  it("only finance moves a claim, along the flow", () => {
    expect(claimMoves("draft", "finance")).toEqual(["submit"]);
    expect(claimMoves("submitted", "finance")).toEqual(["approve", "reject"]);
    expect(claimMoves("approved", "finance")).toEqual(["pay", "reject"]);
    expect(claimMoves("rejected", "finance")).toEqual(["reopen"]);
    expect(claimMoves("paid", "finance")).toEqual([]);
    for (const role of ["admin", "viewer", "coordinator", "partner"]) {
      for (const status of ["draft", "submitted", "approved", "rejected", "paid"])
        expect(claimMoves(status, role)).toEqual([]);
    }
  });

  it("finance and admin may recalculate, not a rejected claim", () => {
    expect(canRecalculate("paid", "finance")).toBe(true);
    expect(canRecalculate("draft", "admin")).toBe(true);
    expect(canRecalculate("rejected", "finance")).toBe(false);
    expect(canRecalculate("draft", "viewer")).toBe(false);
  });

  it("builds the list query from the filters", () => {
    expect(claimQuery({})).toEqual({ sort: "-periodStart", pageSize: 25 });
    expect(claimQuery({ schemeCode: "BOO-GOO", status: "draft", year: "2025", page: 2 })).toEqual({
      sort: "-periodStart",
      pageSize: 25,
      schemeCode: "BOO-GOO",
      status: "draft",
      year: "2025",
      page: 2,
    });
  });

  it("takes the file name from Content-Disposition", () => {
    expect(fileNameFrom('attachment; filename="opvang-budget-2025.xlsx"', "x")).toBe(
      "opvang-budget-2025.xlsx",
    );
    expect(fileNameFrom(null, "fallback.csv")).toBe("fallback.csv");
  });
});

const expense: Expense = {
  id: "e1",
  version: 3,
  createdAt: "2025-04-01T09:00:00Z",
  updatedAt: "2025-04-02T09:00:00Z",
  date: "2025-04-01",
  category: "location",
  amount: "1234.50",
  description: "Huur en exploitatie opvanglocaties",
  locationId: "loc-1",
  activityId: null,
  partnerId: null,
  schemeCode: "BOO-GOO",
};

/** The form's values as they are after `fill(expense)` (values() trims them). */
const filled: Record<string, string> = {
  date: "2025-04-01",
  category: "location",
  amount: moneyInput("1234.50"),
  description: "Huur en exploitatie opvanglocaties",
  schemeCode: "BOO-GOO",
  locationId: "loc-1",
  activityId: "",
  partnerId: "",
};

describe("expenseChanges (PATCH)", () => {
  it("sends nothing when nothing changed, whatever the amount's notation", () => {
    expect(expenseChanges(expense, filled)).toEqual({ body: {}, invalid: [] });
    expect(expenseChanges(expense, { ...filled, amount: "1.234,5" }).body).toEqual({});
    expect(expenseChanges(expense, { ...filled, amount: "1234.50" }).body).toEqual({});
  });

  it("sends only the changed fields, the amount as the API's decimal", () => {
    const out = expenseChanges(expense, {
      ...filled,
      amount: "99,9",
      description: "Huur mei",
      category: "other",
    });
    expect(out).toEqual({
      body: { amount: "99.90", description: "Huur mei", category: "other" },
      invalid: [],
    });
  });

  it("clears an emptied reference with null and sets a new one", () => {
    const out = expenseChanges(expense, {
      ...filled,
      locationId: "",
      schemeCode: "",
      activityId: "act-1",
      partnerId: "p-1",
    });
    expect(out.body).toEqual({
      locationId: null,
      schemeCode: null,
      activityId: "act-1",
      partnerId: "p-1",
    });
  });

  it("sends an emptied required field as null, so the API names it at its field", () => {
    expect(expenseChanges(expense, { ...filled, description: "", date: "" }).body).toEqual({
      description: null,
      date: null,
    });
    expect(expenseChanges(expense, { ...filled, amount: "" }).body).toEqual({ amount: null });
  });

  it("passes a zero amount on (the API refuses it at the field) and reports one it cannot read", () => {
    expect(expenseChanges(expense, { ...filled, amount: "0" }).body).toEqual({ amount: "0.00" });
    expect(expenseChanges(expense, { ...filled, amount: "twaalf" })).toEqual({
      body: {},
      invalid: ["amount"],
    });
    expect(expenseChanges(expense, { ...filled, amount: "1,234" })).toEqual({
      body: {},
      invalid: ["amount"],
    });
  });

  it("leaves out fields the form does not have", () => {
    expect(expenseChanges(expense, { description: "Anders" }).body).toEqual({
      description: "Anders",
    });
  });
});

describe("expenseBody (POST)", () => {
  it("sends every field, empty references and required fields as null", () => {
    expect(expenseBody({ ...filled, activityId: "", amount: "12,5" })).toEqual({
      body: {
        date: "2025-04-01",
        category: "location",
        amount: "12.50",
        description: "Huur en exploitatie opvanglocaties",
        schemeCode: "BOO-GOO",
        locationId: "loc-1",
        activityId: null,
        partnerId: null,
      },
      invalid: [],
    });
    expect(expenseBody({ date: "", category: "", amount: "", description: "" }).body).toEqual({
      date: null,
      category: null,
      amount: null,
      description: "",
    });
  });

  it("reports an amount it cannot read", () => {
    expect(expenseBody({ ...filled, amount: "€ 12,345" }).invalid).toEqual(["amount"]);
  });
});

describe("claimed amount", () => {
  it("may be set only on a draft, by finance or admin", () => {
    expect(canSetClaimedAmount("draft", "finance")).toBe(true);
    expect(canSetClaimedAmount("draft", "admin")).toBe(true);
    for (const status of ["submitted", "approved", "rejected", "paid"])
      expect(canSetClaimedAmount(status, "finance")).toBe(false);
    for (const role of ["viewer", "coordinator", "partner", ""])
      expect(canSetClaimedAmount("draft", role)).toBe(false);
  });

  it("is sent only when it changed; empty clears a set amount", () => {
    expect(claimedAmountChange(null, "")).toEqual({ body: {}, invalid: [] });
    expect(claimedAmountChange(null, "  ")).toEqual({ body: {}, invalid: [] });
    expect(claimedAmountChange("1000.00", "")).toEqual({
      body: { claimedAmount: null },
      invalid: [],
    });
    expect(claimedAmountChange("1000.00", "1.000,00")).toEqual({ body: {}, invalid: [] });
    expect(claimedAmountChange("1000.00", "950,5")).toEqual({
      body: { claimedAmount: "950.50" },
      invalid: [],
    });
    expect(claimedAmountChange(null, "12345")).toEqual({
      body: { claimedAmount: "12345.00" },
      invalid: [],
    });
    expect(claimedAmountChange(null, "veel")).toEqual({ body: {}, invalid: ["claimedAmount"] });
  });
});

describe("the quarter end", () => {
  it("links to the rate form with the scheme and the missing days", () => {
    expect(rateLink("BOO-GOO", "2026-10-01", "2026-12-31", 2026)).toBe(
      "/financien/tarieven?regeling=BOO-GOO&van=2026-10-01&tot=2026-12-31&jaar=2026",
    );
    expect(rateLink("SPW-OVERIG")).toBe("/financien/tarieven?regeling=SPW-OVERIG");
  });

  const quarter = (over: Partial<ClaimableQuarter>): ClaimableQuarter => ({
    schemeCode: "BOO-GOO",
    schemeName: "GOO",
    basis: "per_place_day",
    year: 2026,
    quarter: 4,
    periodStart: "2026-10-01",
    periodEnd: "2026-12-31",
    deadline: "2027-03-31",
    overdue: false,
    claim: null,
    drafts: 0,
    uncoveredRanges: [],
    ...over,
  });

  it("says what to do next for a quarter", () => {
    const claim = (status: "draft" | "submitted" | "rejected" | "paid") => ({
      id: "c1",
      status,
      totalAmount: "10.00",
    });
    const gap = [{ from: "2026-10-01", to: "2026-12-31" }];
    expect(claimableAction(quarter({}))).toBe("draft");
    expect(claimableAction(quarter({ uncoveredRanges: gap }))).toBe("addRate");
    expect(claimableAction(quarter({ claim: claim("draft"), drafts: 1 }))).toBe("open");
    expect(claimableAction(quarter({ claim: claim("submitted") }))).toBe("open");
    expect(claimableAction(quarter({ claim: claim("paid"), uncoveredRanges: gap }))).toBe("open");
    // A rejected claim is not filed: a new draft is the way on.
    expect(claimableAction(quarter({ claim: claim("rejected") }))).toBe("draft");
  });

  it("puts the current quarter first", () => {
    const items = [
      quarter({ schemeCode: "B", year: 2025, quarter: 4, periodStart: "2025-10-01" }),
      quarter({ schemeCode: "B", periodStart: "2026-10-01" }),
      quarter({ schemeCode: "A", periodStart: "2026-10-01" }),
      quarter({ schemeCode: "A", quarter: 3, periodStart: "2026-07-01" }),
    ];
    expect(claimableOrder(items).map((x) => `${x.schemeCode} ${x.periodStart}`)).toEqual([
      "A 2026-10-01",
      "B 2026-10-01",
      "A 2026-07-01",
      "B 2025-10-01",
    ]);
  });

  it("shapes the rate form, asking for the source and its date", () => {
    const full = {
      validFrom: "2026-10-01",
      validTo: "",
      amount: "1.044,5",
      source: " Stcrt. 2026, 1 ",
      publishedOn: "2026-09-15",
    };
    expect(rateBody(full)).toEqual({
      body: {
        validFrom: "2026-10-01",
        validTo: null,
        amount: "1044.50",
        source: "Stcrt. 2026, 1",
        publishedOn: "2026-09-15",
        certainty: "published",
      },
      invalid: [],
      missing: [],
    });
    const bad = rateBody({ ...full, amount: "12,345", source: "  ", publishedOn: "" });
    expect(bad.invalid).toEqual(["amount"]);
    expect(bad.missing).toEqual(["source", "publishedOn"]);
    // A provisional rate needs its basis, not a publication date.
    const assumed = rateBody({ ...full, certainty: "assumed", source: "", publishedOn: "" });
    expect(assumed.missing).toEqual(["source"]);
    expect(assumed.body.certainty).toBe("assumed");
  });

  it("joins a scheme's unpriced days over the year", () => {
    expect(unpricedByScheme(report)).toEqual([]);
    const gaps = {
      ...report,
      wholeYear: period("year", report.wholeYear.totals, [
        { from: "2025-09-01", to: "2025-12-31" },
      ]),
    };
    expect(unpricedByScheme(gaps)).toEqual([
      { schemeCode: "BOO-GOO", schemeName: "GOO", from: "2025-09-01", to: "2025-12-31" },
    ]);
  });
});
