// Pure shaping for the participant screens (screens/participants.ts, participant.ts,
// participant-form.ts): the list query, a person's name, the create and PATCH bodies.
// No DOM; unit-tested in tests/shape-participants.test.ts.

import type { ParticipantFull } from "./types";

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
