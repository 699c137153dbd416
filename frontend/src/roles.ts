// Which screens each role sees, from the roles table of the API contract (api.md). The
// API enforces access; this only keeps the navigation honest about it.

export type Role = "admin" | "coordinator" | "finance" | "partner" | "viewer";
export type ScreenId =
  | "overview"
  | "locations"
  | "participants"
  | "activities"
  | "signals"
  | "finance"
  | "begroting"
  | "forecast"
  | "scenarios"
  | "capacityPlan"
  | "goals"
  | "imports"
  | "council"
  | "draagvlak";

export const SCREEN_ORDER: readonly ScreenId[] = [
  "overview",
  "locations",
  "participants",
  "activities",
  "signals",
  "finance",
  "begroting",
  "forecast",
  "scenarios",
  "capacityPlan",
  "goals",
  "imports",
  "council",
  "draagvlak",
];

const SCREENS: Record<Role, readonly ScreenId[]> = {
  admin: SCREEN_ORDER,
  coordinator: [
    "overview",
    "locations",
    "participants",
    "activities",
    "signals",
    "capacityPlan",
    "goals",
    "imports",
    "council",
    "draagvlak",
  ],
  // finance: no participant-level data, so no participants, activities (enrollments,
  // attendance) or signals; the overview report and the locations' occupancy are theirs.
  // The begroting, the forecast and the scenarios are theirs to keep; the capacity plan
  // they read (the forecast's input).
  finance: [
    "overview",
    "locations",
    "finance",
    "begroting",
    "forecast",
    "scenarios",
    "capacityPlan",
    "goals",
    "imports",
    "council",
  ],
  // a partner sees its own world: its locations, participants, activities and signals;
  // the municipality-wide overview report is not open to partners.
  partner: ["locations", "participants", "activities", "signals", "draagvlak"],
  // viewer: aggregate reports only (the overview, and the budget report under Financiën).
  // The steering layer (issue 17) is for every role but partners: the viewer reads the
  // begroting, the forecast, the scenarios and the capacity plan, the goals, and the
  // council report (aggregates, counts under 5 hidden).
  viewer: [
    "overview",
    "finance",
    "begroting",
    "forecast",
    "scenarios",
    "capacityPlan",
    "goals",
    "council",
    "draagvlak",
  ],
};

export function isRole(value: string): value is Role {
  return value in SCREENS;
}

export function screensFor(role: string): readonly ScreenId[] {
  return isRole(role) ? SCREENS[role] : [];
}

export function canSee(role: string, screen: ScreenId): boolean {
  return screensFor(role).includes(screen);
}

/** Where a role lands after signing in. */
export function homeFor(role: string): ScreenId | null {
  return screensFor(role)[0] ?? null;
}

/** May this role see who lives at a location (participant-level data)? */
export function seesResidents(role: string): boolean {
  return role === "admin" || role === "coordinator" || role === "partner";
}

/** May this role register signals and add follow-up actions? */
export function worksSignals(role: string): boolean {
  return role === "admin" || role === "coordinator" || role === "partner";
}

export const SCREEN_PATHS: Record<ScreenId, string> = {
  overview: "/overzicht",
  locations: "/locaties",
  participants: "/deelnemers",
  activities: "/activiteiten",
  signals: "/signalen",
  finance: "/financien",
  begroting: "/begroting",
  forecast: "/prognose",
  scenarios: "/scenarios",
  capacityPlan: "/capaciteitsplan",
  goals: "/doelen",
  imports: "/importeren",
  council: "/raadsrapportage",
  draagvlak: "/draagvlak",
};
