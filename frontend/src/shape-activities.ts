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

/** ISO weekday (1 Monday .. 7 Sunday) of a `YYYY-MM-DD` day, in the calendar (no zone). */
export function isoWeekday(day: string): number {
  const d = new Date(`${day}T00:00:00Z`).getUTCDay();
  return d === 0 ? 7 : d;
}

function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** The session whose attendance to record by default: the last day on or before `today`
 * (and within the activity's dates) that falls on one of its `weekdays`. Without weekdays,
 * or before the first session, the nearest day within the dates. */
export function lastSessionDay(
  today: string,
  startsOn: string,
  endsOn: string | null,
  weekdays: readonly number[],
): string {
  const last = clampDay(today, startsOn, endsOn);
  if (weekdays.length === 0) return last;
  for (let back = 0; back < 7; back++) {
    const day = addDays(last, -back);
    if (day < startsOn) break;
    if (weekdays.includes(isoWeekday(day))) return day;
  }
  return last;
}

/** Every row present: the usual case, after which only the exceptions are marked. */
export function allPresent(rows: AttendanceRow[]): AttendanceRow[] {
  return rows.map((r) => ({ ...r, status: "present" }));
}

/** Current enrollments (enrolled, active) and past ones (completed, dropped out). */
export function splitEnrollments(enrollments: Enrollment[]): {
  current: Enrollment[];
  past: Enrollment[];
} {
  const ended = (e: Enrollment) => e.status === "completed" || e.status === "dropped_out";
  return {
    current: enrollments.filter((e) => !ended(e)),
    past: enrollments.filter(ended),
  };
}
