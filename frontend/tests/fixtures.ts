import type { OverviewReport } from "../src/types";

export const overview: OverviewReport = {
  on: "2026-11-28",
  participants: {
    total: 105,
    byGroup: [
      { group: "ukrainian_displaced", count: 94 },
      { group: "asylum_seeker", count: 0 },
      { group: "unaccompanied_minor", count: 11 },
    ],
    byLocation: [],
  },
  occupancy: {
    total: { capacity: 50, occupied: 41, free: 9 },
    locations: [
      {
        locationId: "a",
        name: "AMV Dreef",
        kind: "amv_small_scale",
        capacity: 20,
        occupied: 11,
        free: 9,
      },
      {
        locationId: "b",
        name: "GOO Glipperweg",
        kind: "municipal_ukrainian",
        capacity: 30,
        occupied: 30,
        free: 0,
      },
    ],
  },
  participation: [
    { kind: "language", activities: 3, participants: 35, eligible: 105, rate: "0.3333" },
    { kind: "work", activities: 0, participants: 0, eligible: 0, rate: null },
    { kind: "sport", activities: 1, participants: 14, eligible: 105, rate: "0.1333" },
  ],
  attendance: {
    from: "2026-08-30",
    to: "2026-11-28",
    kinds: [
      { kind: "language", recorded: 100, present: 80, rate: "0.8000" },
      { kind: "sport", recorded: 0, present: 0, rate: null },
    ],
  },
  progress: {
    from: "2025-11-28",
    to: "2026-11-28",
    total: {
      participants: 105,
      movedUp: 20,
      reachedB1: 4,
      atB1OrHigher: 9,
      working: 12,
      volunteering: 8,
    },
    groups: [],
    dutchLevels: [
      { level: "B1", count: 5 },
      { level: "none", count: 40 },
      { level: "A1", count: 30 },
    ],
    employment: [],
  },
  signals: {
    open: 8,
    overdue: 2,
    overdueDays: 14,
    bySeverity: [
      { severity: "low", open: 3, overdue: 0 },
      { severity: "high", open: 3, overdue: 2 },
    ],
    byCategory: [],
  },
};
