// The API shapes the dashboard reads, taken from api-types.gen.ts, which openapi-typescript
// generates from openapi.yaml (`npm run types:gen`; `npm run types:check` fails when it is
// stale). So a change of the contract shows up here, and in the screens, as a type error.
// Where one screen reads both a list item and a detail (a signal, a claim, a participant),
// the type is the list item with the detail's extra members optional.

import type { components } from "./api-types.gen";

type Schemas = components["schemas"];

/** Every list answer's envelope (`LocationReadPage`, `ParticipantPage`, …) around its items. */
export type Page<T> = Omit<Schemas["LocationReadPage"], "items"> & { items: T[] };

export type OverviewReport = Schemas["OverviewReport"];
export type OccupancyRow = Schemas["OccupancyRow"];
export type PublicCount = Schemas["PublicCount"];
export type PublicSummary = Schemas["PublicSummary"];
export type Location = Schemas["LocationRead"];
export type CapacityChange = Schemas["CapacityChangeRead"];
export type SignalAction = Schemas["SignalActionRead"];
/** A signal from the list (`SignalSummary`) or on its own page (`SignalRead`, with actions). */
export type Signal = Schemas["SignalSummary"] & Partial<Pick<Schemas["SignalRead"], "actions">>;

/** A participant as the caller may see it: a partner's answer has no `bsn` member at all
 * (`ParticipantPartnerRead`), and only the detail has the progress history. */
export type Participant = Schemas["ParticipantPartnerRead"];
export type ParticipantFull = Participant &
  Partial<Pick<Schemas["ParticipantRead"], "bsn">> &
  Partial<Pick<Schemas["ParticipantDetail"], "progress">>;
export type Placement = Schemas["PlacementRead"];
export type Activity = Schemas["ActivityRead"];
export type ActivityListItem = Schemas["ActivityListItem"];
export type Enrollment = Schemas["EnrollmentRead"];
export type AttendanceEntry = Schemas["AttendanceEntry"];
export type Partner = Schemas["PartnerRead"];
export type Scheme = Schemas["SchemeRead"];
/** A claim from the list (`ClaimSummary`) or on its own page (`ClaimRead`, with its history). */
export type Claim = Schemas["ClaimSummary"] & Partial<Pick<Schemas["ClaimRead"], "statusHistory">>;
export type ClaimLine = Schemas["ClaimLineRead"];
export type Recalculation = Schemas["Recalculation"];
export type Expense = Schemas["ExpenseRead"];
export type BudgetPeriod = Schemas["BudgetPeriod"];
export type BudgetReport = Schemas["BudgetReport"];

// The enum values the screens offer, in the order they show them. The values themselves come
// from the contract: `every<E>()(…)` does not compile while a value of E is missing (the
// call then wants a second argument, typed as the missing values) or one is not in E.
type Missing<E, V extends readonly E[]> = Exclude<E, V[number]>;
function every<E extends string>() {
  return <const V extends readonly E[]>(
    values: V,
    ..._complete: [Missing<E, V>] extends [never] ? [] : [missing: Missing<E, V>]
  ): V => values;
}

export const GROUPS = every<Schemas["Group"]>()([
  "ukrainian_displaced",
  "asylum_seeker",
  "unaccompanied_minor",
]);
export const DUTCH_LEVELS = every<Schemas["DutchLevel"]>()([
  "none",
  "A1",
  "A2",
  "B1",
  "B2",
  "C1",
  "C2",
]);
export const SEVERITIES = every<Schemas["Severity"]>()(["low", "medium", "high"]);
export const SIGNAL_STATUSES = every<Schemas["SignalStatus"]>()([
  "open",
  "in_progress",
  "resolved",
]);
export const SIGNAL_CATEGORIES = every<Schemas["SignalCategory"]>()([
  "nuisance",
  "social_tension",
  "safety",
  "health",
  "need",
  "question",
  "compliment",
  "capacity",
]);
export const SIGNAL_SOURCES = every<Schemas["SignalSource"]>()([
  "resident",
  "partner",
  "staff",
  "participant",
  "police",
  "other",
]);
export const EMPLOYMENT_STATUSES = every<Schemas["EmploymentStatus"]>()([
  "not_working",
  "volunteering",
  "studying",
  "part_time",
  "full_time",
]);
export const LOCATION_KINDS = every<Schemas["LocationKind"]>()([
  "municipal_ukrainian",
  "amv_small_scale",
  "asylum_center",
  "private_hosting",
  "emergency",
]);
export const ACTIVITY_KINDS = every<Schemas["ActivityKind"]>()([
  "language",
  "work",
  "volunteering",
  "sport",
  "education",
  "health",
  "daytime",
  "community",
  "information_meeting",
]);
export const ENROLLMENT_STATUSES = every<Schemas["EnrollmentStatus"]>()([
  "enrolled",
  "active",
  "completed",
  "dropped_out",
]);
export const ATTENDANCE_STATUSES = every<Schemas["AttendanceStatus"]>()([
  "present",
  "absent",
  "excused",
]);
export const CLAIM_STATUSES = every<Schemas["ClaimStatus"]>()([
  "draft",
  "submitted",
  "approved",
  "rejected",
  "paid",
]);
export const EXPENSE_CATEGORIES = every<Schemas["ExpenseCategory"]>()([
  "staff",
  "activities",
  "location",
  "living_allowance",
  "health",
  "transport",
  "communication",
  "volunteers",
  "other",
]);

// Goals with targets (issue 17).
export type Goal = Schemas["GoalRead"];
export type Indicator = Schemas["IndicatorRead"];
export type IndicatorSeries = Schemas["IndicatorSeries"];
export type SeriesPoint = Schemas["SeriesPoint"];
export type SeriesReport = Schemas["SeriesReport"];
export type Metric = Schemas["MetricRead"];
