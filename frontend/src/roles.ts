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
  | "pipeline"
  | "spreiding"
  | "imports"
  | "council"
  | "decisions"
  | "neighbourhood"
  | "draagvlak";

/** The navigation's groups, in order: daily work, the neighbourhood, money and steering. */
export type NavGroup = "work" | "neighbourhood" | "steering";
export const NAV_GROUPS: readonly { id: NavGroup; screens: readonly ScreenId[] }[] = [
  {
    id: "work",
    screens: ["overview", "locations", "participants", "activities", "signals", "imports"],
  },
  {
    id: "neighbourhood",
    screens: ["draagvlak", "neighbourhood", "decisions", "pipeline", "spreiding"],
  },
  {
    id: "steering",
    screens: ["finance", "begroting", "forecast", "scenarios", "capacityPlan", "goals", "council"],
  },
];

/** A role's screens grouped for the navigation (empty groups left out). */
export function navGroupsFor(role: string): { id: NavGroup; screens: ScreenId[] }[] {
  const mine = new Set(screensFor(role));
  return NAV_GROUPS.map((g) => ({
    id: g.id,
    screens: g.screens.filter((s) => mine.has(s)),
  })).filter((g) => g.screens.length > 0);
}

/** Every screen in the navigation's order (a role's screens follow it). */
export const SCREEN_ORDER: readonly ScreenId[] = NAV_GROUPS.flatMap((g) => g.screens);

const SCREENS: Record<Role, readonly ScreenId[]> = {
  admin: NAV_GROUPS.flatMap((g) => g.screens),
  coordinator: [
    "overview",
    "locations",
    "participants",
    "activities",
    "signals",
    "capacityPlan",
    "goals",
    "pipeline",
    "spreiding",
    "imports",
    "council",
    "decisions",
    "neighbourhood",
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
    "pipeline",
    "spreiding",
    "imports",
    "council",
    "decisions",
  ],
  // a partner sees its own world: its locations, participants, activities and signals;
  // the municipality-wide overview report is not open to partners.
  partner: ["locations", "participants", "activities", "signals", "draagvlak", "neighbourhood"],
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
    "pipeline",
    "spreiding",
    "council",
    "decisions",
    "neighbourhood",
    "draagvlak",
  ],
};

export function isRole(value: string): value is Role {
  return value in SCREENS;
}

export function screensFor(role: string): readonly ScreenId[] {
  if (!isRole(role)) return [];
  const mine = SCREENS[role];
  return SCREEN_ORDER.filter((s) => mine.includes(s));
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
  pipeline: "/locatiezoektocht",
  spreiding: "/spreidingswet",
  imports: "/importeren",
  council: "/raadsrapportage",
  decisions: "/besluiten",
  neighbourhood: "/buurt",
  draagvlak: "/draagvlak",
};
