import { describe, expect, it } from "vitest";
import { formatMoney, moneyNumber, parseMoney } from "../src/money";
import {
  attendanceBody,
  attendanceRows,
  budgetChart,
  budgetRows,
  canRecalculate,
  clampDay,
  claimMoves,
  claimQuery,
  enrollmentMoves,
  fileNameFrom,
  participantBody,
  participantChanges,
  participantName,
  participantQuery,
  unpriced,
} from "../src/shape2";
import type { BudgetPeriod, BudgetReport, Enrollment, ParticipantFull } from "../src/types";

const nbsp = (s: string) => s.replace(/[\u00a0\u202f]/g, " ");

describe("money", () => {
  it("formats API decimals as Dutch euros", () => {
    expect(nbsp(formatMoney("1234.50"))).toBe("€ 1.234,50");
    expect(nbsp(formatMoney("-20.00"))).toBe("€ -20,00");
    expect(nbsp(formatMoney("0.00"))).toBe("€ 0,00");
    expect(formatMoney(null)).toBe("—");
    expect(formatMoney(null, "onbekend")).toBe("onbekend");
  });

  it("parses Dutch input and API notation to a two-place decimal string", () => {
    expect(parseMoney("1.234,50")).toBe("1234.50");
    expect(parseMoney("€ 1.234,5")).toBe("1234.50");
    expect(parseMoney("1234,50")).toBe("1234.50");
    expect(parseMoney("1234.50")).toBe("1234.50");
    expect(parseMoney("12.5")).toBe("12.50");
    expect(parseMoney("1.234")).toBe("1234.00"); // a Dutch thousands separator
    expect(parseMoney("1.234.567,89")).toBe("1234567.89");
    expect(parseMoney("250")).toBe("250.00");
    expect(parseMoney(",50")).toBe("0.50");
    expect(parseMoney("-75,00")).toBe("-75.00");
    expect(parseMoney("007,10")).toBe("7.10");
  });

  it("refuses what is not an amount", () => {
    for (const bad of [
      "",
      "abc",
      "1,234,5",
      "12,345",
      "1.23.4",
      "1,2,3",
      "12.345.6",
      "1e3",
      "--1",
    ]) {
      expect(parseMoney(bad), bad).toBeNull();
    }
  });

  it("turns money strings into chart numbers", () => {
    expect(moneyNumber("1234.50")).toBe(1234.5);
    expect(moneyNumber(null)).toBeNull();
  });
});

const totals = (
  expected: string | null,
  claimed: string,
  received: string,
  expenses: string,
  covered: boolean | null,
): BudgetPeriod["totals"] => ({
  expected,
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

const enrollment = (
  participantId: string,
  enrolledOn: string,
  endedOn: string | null = null,
  status: Enrollment["status"] = "active",
): Enrollment => ({
  id: `e-${participantId}`,
  version: 1,
  createdAt: "2026-01-01T09:00:00Z",
  updatedAt: "2026-01-01T09:00:00Z",
  activityId: "a",
  participantId,
  enrolledOn,
  status,
  endedOn,
});

describe("attendance", () => {
  const enrollments = [
    enrollment("p1", "2026-01-01"),
    enrollment("p2", "2026-03-01"), // not yet enrolled on the day
    enrollment("p3", "2026-01-01", "2026-01-31", "completed"), // ended before the day
    enrollment("p4", "2026-01-01", "2026-02-10", "dropped_out"), // ends on the day: still open
  ];

  it("lists everyone enrolled on the day, with what was recorded", () => {
    const rows = attendanceRows(enrollments, "2026-02-10", [
      { participantId: "p4", status: "excused" },
    ]);
    expect(rows).toEqual([
      { participantId: "p1", status: null },
      { participantId: "p4", status: "excused" },
    ]);
  });

  it("keeps recorded people without an open enrollment, so the PUT does not drop them", () => {
    const rows = attendanceRows(enrollments, "2026-02-10", [
      { participantId: "p9", status: "present" },
    ]);
    expect(rows.map((r) => r.participantId)).toEqual(["p1", "p4", "p9"]);
  });

  it("sends the whole list of chosen statuses", () => {
    expect(
      attendanceBody([
        { participantId: "p1", status: "present" },
        { participantId: "p2", status: null },
        { participantId: "p3", status: "absent" },
      ]),
    ).toEqual([
      { participantId: "p1", status: "present" },
      { participantId: "p3", status: "absent" },
    ]);
  });

  it("clamps a default session date into the activity's dates", () => {
    expect(clampDay("2026-11-28", "2026-01-01", null)).toBe("2026-11-28");
    expect(clampDay("2026-11-28", "2026-01-01", "2026-06-30")).toBe("2026-06-30");
    expect(clampDay("2025-11-28", "2026-01-01", null)).toBe("2026-01-01");
  });

  it("moves an enrollment along its flow", () => {
    expect(enrollmentMoves("enrolled")).toEqual(["active", "dropped_out"]);
    expect(enrollmentMoves("active")).toEqual(["completed", "dropped_out"]);
    expect(enrollmentMoves("completed")).toEqual([]);
  });
});

describe("participants", () => {
  const before: ParticipantFull = {
    id: "p",
    version: 3,
    createdAt: "2026-01-01T09:00:00Z",
    updatedAt: "2026-01-01T09:00:00Z",
    reference: "HS-1",
    bsn: null,
    vNumber: "V123",
    givenName: "Olena",
    familyName: null,
    dateOfBirth: null,
    nationality: null,
    group: "ukrainian_displaced",
    guardianPartnerId: null,
    householdRef: null,
    languages: ["uk"],
    dutchLevel: "A1",
    employmentStatus: "not_working",
  };

  it("builds the list query", () => {
    expect(participantQuery({ q: "  olena ", group: "", active: "true", page: 3 })).toEqual({
      sort: "reference",
      pageSize: 25,
      q: "olena",
      active: "true",
      page: 3,
    });
    expect(participantQuery({ active: "maybe" })).toEqual({ sort: "reference", pageSize: 25 });
  });

  it("names a person, or falls back to the reference", () => {
    expect(participantName(before)).toBe("Olena");
    expect(participantName({ reference: "HS-2", givenName: null, familyName: null })).toBe("HS-2");
  });

  it("leaves empty optional fields out of a new participant", () => {
    expect(
      participantBody({
        reference: "HS-9",
        group: "asylum_seeker",
        givenName: "",
        bsn: "",
        languages: "ar, en",
        dutchLevel: "none",
        employmentStatus: "not_working",
        progressOn: "",
      }),
    ).toEqual({
      reference: "HS-9",
      group: "asylum_seeker",
      languages: ["ar", "en"],
      dutchLevel: "none",
      employmentStatus: "not_working",
    });
  });

  it("sends only the changes, a cleared field as null, and never a field the form lacks", () => {
    const v = {
      reference: "HS-1",
      givenName: "",
      familyName: "Kovalenko",
      group: "ukrainian_displaced",
      languages: "uk",
      dutchLevel: "A2",
      employmentStatus: "not_working",
      progressOn: "2026-11-01",
      vNumber: "V123",
    };
    expect(participantChanges(before, v)).toEqual({
      givenName: null,
      familyName: "Kovalenko",
      dutchLevel: "A2",
      progressOn: "2026-11-01",
    });
    expect(
      participantChanges(before, { ...v, givenName: "Olena", familyName: "", dutchLevel: "A1" }),
    ).toEqual({});
  });
});
