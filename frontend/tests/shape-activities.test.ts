// An activity's pure shaping: enrollment moves and one session date's attendance.

import { describe, expect, it } from "vitest";
import { attendanceBody, attendanceRows, clampDay, enrollmentMoves } from "../src/shape-activities";
import type { Enrollment } from "../src/types";

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
