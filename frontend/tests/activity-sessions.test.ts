import { describe, expect, it } from "vitest";
import { allPresent, isoWeekday, lastSessionDay, splitEnrollments } from "../src/shape-activities";
import type { Enrollment } from "../src/types";

const enrollment = (id: string, status: string): Enrollment =>
  ({
    id,
    activityId: "a",
    participantId: `p-${id}`,
    enrolledOn: "2026-01-05",
    status,
    endedOn: status === "completed" || status === "dropped_out" ? "2026-02-01" : null,
    version: 1,
    createdAt: "2026-01-05T10:00:00Z",
    updatedAt: "2026-01-05T10:00:00Z",
  }) as Enrollment;

describe("the default session day", () => {
  it("knows ISO weekdays", () => {
    expect(isoWeekday("2026-12-03")).toBe(4); // a Thursday
    expect(isoWeekday("2026-12-06")).toBe(7); // a Sunday
    expect(isoWeekday("2026-11-30")).toBe(1); // a Monday
  });

  it("is the last day on the schedule's weekdays, today included", () => {
    // Tuesday and Thursday: on Thursday 3 December it is that day, on Monday the Thursday before.
    expect(lastSessionDay("2026-12-03", "2026-01-01", null, [2, 4])).toBe("2026-12-03");
    expect(lastSessionDay("2026-12-07", "2026-01-01", null, [2, 4])).toBe("2026-12-03");
    expect(lastSessionDay("2026-12-02", "2026-01-01", null, [2, 4])).toBe("2026-12-01");
    expect(lastSessionDay("2026-12-05", "2026-01-01", null, [6])).toBe("2026-12-05");
  });

  it("stays within the activity's dates", () => {
    // Ended on Friday 20 November, Wednesdays: the last session was Wednesday 18 November.
    expect(lastSessionDay("2026-12-03", "2026-01-01", "2026-11-20", [3])).toBe("2026-11-18");
    // Not started yet: its first day.
    expect(lastSessionDay("2026-12-03", "2027-01-04", null, [1])).toBe("2027-01-04");
    // Started on Friday, meets on Mondays, today is Sunday: no session yet, the first day.
    expect(lastSessionDay("2026-12-06", "2026-12-04", null, [1])).toBe("2026-12-06");
  });

  it("without weekdays, is today within the dates", () => {
    expect(lastSessionDay("2026-12-03", "2026-01-01", null, [])).toBe("2026-12-03");
    expect(lastSessionDay("2026-12-03", "2026-01-01", "2026-10-01", [])).toBe("2026-10-01");
  });
});

describe("attendance and enrollments", () => {
  it("marks everyone present, exceptions after", () => {
    const rows = allPresent([
      { participantId: "a", status: null },
      { participantId: "b", status: "absent" },
    ]);
    expect(rows.map((r) => r.status)).toEqual(["present", "present"]);
  });

  it("splits current from past enrollments", () => {
    const all = ["enrolled", "active", "completed", "dropped_out"].map((s, i) =>
      enrollment(String(i), s),
    );
    const { current, past } = splitEnrollments(all);
    expect(current.map((e) => e.status)).toEqual(["enrolled", "active"]);
    expect(past.map((e) => e.status)).toEqual(["completed", "dropped_out"]);
  });
});
