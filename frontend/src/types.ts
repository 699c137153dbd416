// The API shapes the dashboard reads (from openapi.yaml; only the fields used here).

export interface Page<T> {
  items: T[];
  page: number;
  pageSize: number;
  total: number;
}

export interface GroupCount {
  group: string;
  count: number;
}

export interface OverviewReport {
  on: string;
  participants: {
    total: number;
    byGroup: GroupCount[];
    byLocation: { locationId: string; name: string; count: number; byGroup: GroupCount[] }[];
  };
  occupancy: {
    total: { capacity: number; occupied: number; free: number };
    locations: {
      locationId: string;
      name: string;
      kind: string;
      capacity: number;
      occupied: number;
      free: number;
    }[];
  };
  participation: {
    kind: string;
    activities: number;
    participants: number;
    eligible: number;
    rate: string | null;
  }[];
  attendance: {
    from: string;
    to: string;
    kinds: { kind: string; recorded: number; present: number; rate: string | null }[];
  };
  progress: {
    from: string;
    to: string;
    total: ProgressFigures;
    groups: (ProgressFigures & { group: string })[];
    dutchLevels: { level: string; count: number }[];
    employment: { status: string; count: number }[];
  };
  signals: {
    open: number;
    overdue: number;
    overdueDays: number;
    bySeverity: { severity: string; open: number; overdue: number }[];
    byCategory: { category: string; open: number; overdue: number }[];
  };
}

export interface ProgressFigures {
  participants: number;
  movedUp: number;
  reachedB1: number;
  atB1OrHigher: number;
  working: number;
  volunteering: number;
}

export interface OccupancyRow {
  locationId: string;
  date: string;
  capacity: number;
  occupied: number;
  free: number;
  rate: string | null;
}

export interface PublicCount {
  count: number | null;
  suppressed: boolean;
}

export interface PublicSummary {
  on: string;
  locations: { kind: string; capacity: PublicCount; occupied: PublicCount }[];
  locationsTotal: { capacity: PublicCount; occupied: PublicCount };
  participants: { group: string; participants: PublicCount }[];
  participantsTotal: PublicCount;
  activities: { kind: string; onOffer: PublicCount; participants: PublicCount }[];
  activitiesTotal: PublicCount;
  signals: { category: string; resolved: PublicCount; open: PublicCount }[];
  signalsTotal: { resolved: PublicCount; open: PublicCount };
  resolvedSince: string;
}

export interface Location {
  id: string;
  version: number;
  name: string;
  address: string;
  postcode: string;
  kind: string;
  operatorPartnerId: string;
  externalCode: string | null;
  openedOn: string;
  closedOn: string | null;
  capacity: number;
  occupied: number;
  free: number;
}

export interface CapacityChange {
  id: string;
  locationId: string;
  validFrom: string;
  capacity: number;
}

export interface Participant {
  id: string;
  reference: string;
  givenName: string | null;
  familyName: string | null;
  group: string;
}

export interface SignalAction {
  id: string;
  note: string;
  authorType: string;
  authorRole: string | null;
  createdAt: string;
}

export interface Signal {
  id: string;
  version: number;
  reportedAt: string;
  source: string;
  category: string;
  severity: string;
  locationId: string | null;
  summary: string;
  status: string;
  resolvedAt: string | null;
  overdue: boolean;
  actions?: SignalAction[];
}

export const GROUPS = ["ukrainian_displaced", "asylum_seeker", "unaccompanied_minor"] as const;
export const DUTCH_LEVELS = ["none", "A1", "A2", "B1", "B2", "C1", "C2"] as const;
export const SEVERITIES = ["low", "medium", "high"] as const;
export const SIGNAL_STATUSES = ["open", "in_progress", "resolved"] as const;
export const SIGNAL_CATEGORIES = [
  "nuisance",
  "social_tension",
  "safety",
  "health",
  "need",
  "question",
  "compliment",
  "capacity",
] as const;
export const SIGNAL_SOURCES = [
  "resident",
  "partner",
  "staff",
  "participant",
  "police",
  "other",
] as const;

// --- phase 2: participants, activities, finance --------------------------------

export interface ProgressEntry {
  field: "dutchLevel" | "employmentStatus";
  value: string;
  validFrom: string;
}

/** A participant as the caller may see it: the API leaves out what the role may not see
 * (a partner's answer has no `bsn` member at all), so every field is optional here. */
export interface ParticipantFull {
  id: string;
  version: number;
  reference: string;
  bsn?: string | null;
  vNumber?: string | null;
  givenName?: string | null;
  familyName?: string | null;
  dateOfBirth?: string | null;
  nationality?: string | null;
  group: string;
  guardianPartnerId?: string | null;
  householdRef?: string | null;
  languages?: string[];
  dutchLevel?: string;
  employmentStatus?: string;
  progress?: ProgressEntry[];
}

export interface Placement {
  id: string;
  version: number;
  participantId: string;
  locationId: string;
  startDate: string;
  endDate: string | null;
  endReason: string | null;
}

export interface Activity {
  id: string;
  version: number;
  title: string;
  kind: string;
  providerPartnerId: string;
  locationId: string | null;
  startsOn: string;
  endsOn: string | null;
  schedule: string | null;
  capacity: number | null;
  targetGroups: string[];
}

export interface Enrollment {
  id: string;
  version: number;
  activityId: string;
  participantId: string;
  enrolledOn: string;
  status: string;
  endedOn: string | null;
}

export interface AttendanceEntry {
  participantId: string;
  status: string;
}

export interface Partner {
  id: string;
  name: string;
}

export interface Scheme {
  code: string;
  name: string;
}

export interface StatusChange {
  fromStatus: string | null;
  toStatus: string;
  at: string;
  actorKind: string;
  actorId: string;
  note: string | null;
}

export interface Claim {
  id: string;
  version: number;
  schemeCode: string;
  periodStart: string;
  periodEnd: string;
  status: string;
  totalAmount: string;
  claimedAmount: string | null;
  receivedAmount: string | null;
  receivedOn: string | null;
  correctsClaimId: string | null;
  computedAt: string;
  frozenAt: string | null;
  note: string | null;
  statusHistory?: StatusChange[];
}

export interface ClaimLine {
  locationId: string;
  locationName: string;
  rateFrom: string;
  rateTo: string;
  units: number;
  rate: string;
  amount: string;
}

export interface DifferenceLine {
  locationId: string;
  locationName: string;
  rateFrom: string;
  rateTo: string;
  storedUnits: number;
  storedAmount: string;
  currentUnits: number;
  currentAmount: string;
  deltaUnits: number;
  deltaAmount: string;
}

export interface Recalculation {
  claim: Claim;
  storedTotal: string;
  currentTotal: string;
  difference: string;
  lines: DifferenceLine[];
  correction: Claim | null;
}

export interface Expense {
  id: string;
  version: number;
  date: string;
  category: string;
  amount: string;
  description: string;
  locationId: string | null;
  activityId: string | null;
  partnerId: string | null;
  schemeCode: string | null;
}

export interface BudgetTotals {
  expected: string | null;
  claimed: string;
  received: string;
  expenses: string;
  balance: string | null;
  receivedBalance: string;
  covered: boolean | null;
}

export interface BudgetPeriod {
  period: string;
  from: string;
  to: string;
  schemes: {
    schemeCode: string;
    schemeName: string;
    expected: string | null;
    unpricedRanges: { from: string; to: string }[];
    claimed: string;
    received: string;
  }[];
  expenses: { category: string; amount: string }[];
  totals: BudgetTotals;
}

export interface BudgetReport {
  year: number;
  quarters: BudgetPeriod[];
  wholeYear: BudgetPeriod;
}

export const EMPLOYMENT_STATUSES = ["not_working", "volunteering", "studying", "part_time", "full_time"] as const;
export const ACTIVITY_KINDS = [
  "language",
  "work",
  "volunteering",
  "sport",
  "education",
  "health",
  "daytime",
  "community",
  "information_meeting",
] as const;
export const ENROLLMENT_STATUSES = ["enrolled", "active", "completed", "dropped_out"] as const;
export const ATTENDANCE_STATUSES = ["present", "absent", "excused"] as const;
export const CLAIM_STATUSES = ["draft", "submitted", "approved", "rejected", "paid"] as const;
export const EXPENSE_CATEGORIES = [
  "staff",
  "activities",
  "location",
  "living_allowance",
  "health",
  "transport",
  "communication",
  "volunteers",
  "other",
] as const;
