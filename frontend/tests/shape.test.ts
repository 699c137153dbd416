import { describe, expect, it } from "vitest";
import {
  activityRates,
  amsterdamToday,
  dutchLevels,
  lastDays,
  localToUtc,
  nowLocal,
  occupancyNow,
  occupancyOverTime,
  pageCount,
  participantsByGroup,
  publicCount,
  ratePercent,
  signalQuery,
  signalsBySeverity,
} from "../src/shape";
import { overview } from "./fixtures";

const name = (kind: string, value: string) => `${kind}:${value}`;

describe("overview -> tiles and chart data", () => {
  it("occupancy now: occupied and capacity per location", () => {
    expect(occupancyNow(overview)).toEqual({
      labels: ["AMV Dreef", "GOO Glipperweg"],
      series: [
        { label: "occupied", data: [11, 30] },
        { label: "capacity", data: [20, 30] },
      ],
    });
  });

  it("participants by group keep zero groups", () => {
    const data = participantsByGroup(overview, name);
    expect(data.labels).toEqual([
      "group:ukrainian_displaced",
      "group:asylum_seeker",
      "group:unaccompanied_minor",
    ]);
    expect(data.series[0]!.data).toEqual([94, 0, 11]);
  });

  it("activity rates in percent; kinds with no activity and no sessions left out", () => {
    const data = activityRates(overview, name);
    expect(data.labels).toEqual(["activityKind:language", "activityKind:sport"]);
    expect(data.series[0]!.data).toEqual([33.3, 13.3]);
    expect(data.series[1]!.data).toEqual([80, null]);
  });

  it("CEFR levels in their natural order, missing levels as 0", () => {
    const data = dutchLevels(overview, name);
    expect(data.labels).toEqual(["dutchLevel:none", "A1", "A2", "B1", "B2", "C1", "C2"]);
    expect(data.series[0]!.data).toEqual([40, 30, 0, 5, 0, 0, 0]);
  });

  it("signals by severity, high first, missing severities as 0", () => {
    const data = signalsBySeverity(overview, name);
    expect(data.labels).toEqual(["severity:high", "severity:medium", "severity:low"]);
    expect(data.series).toEqual([
      { label: "open", data: [3, 0, 3] },
      { label: "overdue", data: [2, 0, 0] },
    ]);
  });
});

describe("occupancy over time", () => {
  const rows = [
    { locationId: "a", date: "2026-11-02", capacity: 20, occupied: 11, free: 9, rate: "0.55" },
    { locationId: "b", date: "2026-11-01", capacity: 30, occupied: 29, free: 1, rate: "0.97" },
    { locationId: "a", date: "2026-11-01", capacity: 20, occupied: 10, free: 10, rate: "0.5" },
    { locationId: "b", date: "2026-11-02", capacity: 30, occupied: 30, free: 0, rate: "1" },
  ];

  it("sums all locations per day, dates sorted", () => {
    expect(occupancyOverTime(rows, null)).toEqual({
      labels: ["2026-11-01", "2026-11-02"],
      series: [
        { label: "occupied", data: [39, 41] },
        { label: "capacity", data: [50, 50] },
      ],
    });
  });

  it("or one location", () => {
    expect(occupancyOverTime(rows, "a").series[0]!.data).toEqual([10, 11]);
    expect(occupancyOverTime(rows, "zzz").labels).toEqual([]);
  });

  it("the window is inclusive of both ends", () => {
    expect(lastDays("2026-03-01", 90)).toEqual({ from: "2025-12-02", to: "2026-03-01" });
    expect(lastDays("2026-03-01", 1)).toEqual({ from: "2026-03-01", to: "2026-03-01" });
  });

  it("today is Heemstede's date, not the UTC one", () => {
    // 23:30 UTC is already the next day in Amsterdam (CET +1, CEST +2).
    expect(amsterdamToday(new Date("2026-01-31T23:30:00Z"))).toBe("2026-02-01");
    expect(amsterdamToday(new Date("2026-06-30T22:30:00Z"))).toBe("2026-07-01");
    expect(amsterdamToday(new Date("2026-06-30T21:30:00Z"))).toBe("2026-06-30");
    expect(amsterdamToday(new Date("2024-02-29T12:00:00Z"))).toBe("2024-02-29");
  });
});

describe("small conversions", () => {
  it("rates", () => {
    expect(ratePercent("0.8750")).toBe(87.5);
    expect(ratePercent("1.0000")).toBe(100);
    expect(ratePercent(null)).toBeNull();
    expect(ratePercent("x")).toBeNull();
  });

  it("a suppressed public count shows the text, never a number", () => {
    expect(publicCount({ count: 12, suppressed: false }, "minder dan 5")).toBe(12);
    expect(publicCount({ count: 0, suppressed: false }, "minder dan 5")).toBe(0);
    expect(publicCount({ count: null, suppressed: true }, "minder dan 5")).toBe("minder dan 5");
  });

  it("signal filters: empty means all; overdue only when asked", () => {
    expect(signalQuery({})).toEqual({ sort: "-reportedAt", pageSize: 25 });
    expect(
      signalQuery({ status: "open", severity: "", overdue: true, page: 2, locationId: "a" }),
    ).toEqual({
      sort: "-reportedAt",
      pageSize: 25,
      status: "open",
      overdue: "true",
      page: 2,
      locationId: "a",
    });
  });

  it("page count", () => {
    expect(pageCount(0, 25)).toBe(1);
    expect(pageCount(25, 25)).toBe(1);
    expect(pageCount(26, 25)).toBe(2);
  });

  it("datetime-local values round-trip through UTC", () => {
    const local = nowLocal(new Date(2026, 10, 28, 9, 5));
    expect(local).toBe("2026-11-28T09:05");
    expect(new Date(localToUtc(local)).getTime()).toBe(new Date(2026, 10, 28, 9, 5).getTime());
    expect(localToUtc("not a date")).toBe("not a date");
  });
});
