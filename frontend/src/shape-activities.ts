// Pure shaping for an activity's screen (screens/activity.ts): enrollment moves and the
// attendance of one session date. No DOM; unit-tested in tests/shape-activities.test.ts.

import type { AttendanceEntry, Enrollment } from "./types";

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
