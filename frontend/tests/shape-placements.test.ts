import { describe, expect, it } from "vitest";
import {
  daysInStay,
  locationChoices,
  placementProblem,
  sortRows,
  weekWindow,
  type Availability,
} from "../src/shape-placements";

const P = "urn:opvang:problem:";

describe("this week and next", () => {
  it("runs from Monday of this week to Sunday of next week", () => {
    expect(weekWindow("2026-12-03")).toEqual({
      from: "2026-11-30",
      to: "2026-12-13",
      nextWeek: "2026-12-07",
    });
    expect(weekWindow("2026-11-30").from).toBe("2026-11-30"); // a Monday
    expect(weekWindow("2026-12-06").from).toBe("2026-11-30"); // a Sunday
    expect(weekWindow("2026-12-31")).toMatchObject({ from: "2026-12-28", to: "2027-01-10" });
  });

  it("counts the nights of a stay so far, across a daylight-saving change", () => {
    expect(daysInStay("2026-03-01", "2026-04-01")).toBe(31);
    expect(daysInStay("2026-12-03", "2026-12-03")).toBe(0);
    expect(daysInStay("2026-12-10", "2026-12-03")).toBe(0); // not started yet
  });
});

describe("sorting the residents", () => {
  const rows = [
    { name: "Östen", days: 3, end: null },
    { name: "anna", days: 120, end: "2027-01-01" },
    { name: "Bram", days: 20, end: "2026-12-20" },
  ];
  it("compares text the Dutch way and numbers as numbers, both directions", () => {
    expect(sortRows(rows, (r) => r.name, "asc").map((r) => r.name)).toEqual([
      "anna",
      "Bram",
      "Östen",
    ]);
    expect(sortRows(rows, (r) => r.days, "asc").map((r) => r.days)).toEqual([3, 20, 120]);
    expect(sortRows(rows, (r) => r.days, "desc").map((r) => r.days)).toEqual([120, 20, 3]);
  });
  it("puts empty values last either way", () => {
    expect(sortRows(rows, (r) => r.end, "asc").map((r) => r.end)).toEqual([
      "2026-12-20",
      "2027-01-01",
      null,
    ]);
    expect(sortRows(rows, (r) => r.end, "desc").map((r) => r.end)).toEqual([
      "2027-01-01",
      "2026-12-20",
      null,
    ]);
  });
});

const availability: Availability = {
  on: "2026-12-03",
  groups: [
    { targetGroup: "ukrainian_displaced", capacity: 52, occupied: 44, free: 8 },
    { targetGroup: "asylum_seeker", capacity: 0, occupied: 0, free: 0 },
    { targetGroup: "unaccompanied_minor", capacity: 20, occupied: 11, free: 9 },
  ],
  items: [
    {
      locationId: "a",
      name: "GOO Glipperweg",
      kind: "municipal_ukrainian",
      targetGroup: "ukrainian_displaced",
      isOpen: true,
      capacity: 30,
      occupied: 30,
      free: 0,
    },
    {
      locationId: "b",
      name: "GOO Princehof",
      kind: "municipal_ukrainian",
      targetGroup: "ukrainian_displaced",
      isOpen: true,
      capacity: 22,
      occupied: 14,
      free: 8,
    },
    {
      locationId: "c",
      name: "Gastgezin Camplaan 81",
      kind: "private_hosting",
      targetGroup: "ukrainian_displaced",
      isOpen: false,
      capacity: 0,
      occupied: 0,
      free: 0,
    },
    {
      locationId: "d",
      name: "AMV Heemsteedse Dreef 156",
      kind: "amv_small_scale",
      targetGroup: "unaccompanied_minor",
      isOpen: true,
      capacity: 20,
      occupied: 11,
      free: 9,
    },
  ],
};

describe("choosing a location by target group", () => {
  it("puts the person's own group first and the others apart", () => {
    const groups = locationChoices(availability, "unaccompanied_minor");
    expect(groups.map((g) => g.label)).toEqual([
      "Plekken voor Alleenstaande minderjarigen",
      "Plekken voor een andere doelgroep",
    ]);
    expect(groups[0]!.options).toEqual([
      { value: "d", label: "AMV Heemsteedse Dreef 156: 9 vrij van 20", disabled: false },
    ]);
  });
  it("without a person, one group per target group; closed and current locations disabled", () => {
    const groups = locationChoices(availability, null, "b");
    expect(groups.map((g) => g.label)).toEqual([
      "Plekken voor Ontheemden uit Oekraïne",
      "Plekken voor Alleenstaande minderjarigen",
    ]);
    expect(groups[0]!.options.map((o) => [o.label, o.disabled])).toEqual([
      ["GOO Glipperweg: 0 vrij van 30", false],
      ["GOO Princehof: 8 vrij van 22", true],
      ["Gastgezin Camplaan 81: gesloten", true],
    ]);
  });
});

describe("a rule refusal as a Dutch sentence at its field", () => {
  const conflict = (type: string, extra: Record<string, unknown>) => ({
    type: P + type,
    title: "Conflict",
    status: 409,
    detail: "English text that is never shown",
    ...extra,
  });

  it("over capacity names the location, the night, the people and the places", () => {
    const said = placementProblem(
      conflict("over-capacity", {
        field: "startDate",
        locationName: "GOO Glipperweg",
        day: "2026-12-03",
        occupied: 31,
        capacity: 30,
      }),
    );
    expect(said).toEqual({
      field: "startDate",
      text:
        "GOO Glipperweg is vol in de nacht van 3 december 2026: er zouden dan 31 mensen wonen, " +
        "en er zijn 30 plekken. Kies een andere locatie of een andere datum.",
    });
  });

  it("an overlap names the other stay's location and start; renamed for a transfer", () => {
    const said = placementProblem(
      conflict("placement-overlap", {
        field: "startDate",
        day: "2026-12-05",
        placementLocationName: "GOO Kerklaan",
        placementStartDate: "2026-11-01",
      }),
      { startDate: "date" },
    );
    expect(said?.field).toBe("date");
    expect(said?.text).toMatch(
      /^Deze deelnemer woont dan al in GOO Kerklaan \(sinds 1 november 2026\)\./,
    );
    const elsewhere = placementProblem(
      conflict("placement-overlap", { field: "startDate", day: "2026-12-05" }),
    );
    expect(elsewhere?.text).toBe(
      "Deze deelnemer verblijft in de nacht van 5 december 2026 al ergens anders.",
    );
  });

  it("a closed location: opening or closing, by field", () => {
    const opens = placementProblem(
      conflict("outside-open-dates", {
        field: "startDate",
        day: "2027-01-01",
        locationName: "Nieuw",
      }),
    );
    expect(opens?.text).toBe("Nieuw is dan nog niet open. De locatie opent op 1 januari 2027.");
    const closes = placementProblem(
      conflict("outside-open-dates", { field: "endDate", day: "2027-03-01", locationName: "Oud" }),
    );
    expect(closes).toEqual({
      field: "endDate",
      text: "Oud sluit op 1 maart 2027. Het verblijf moet uiterlijk op die dag eindigen. Vul een vertrekdatum in.",
    });
  });

  it("a minor's age: over 18, or no date of birth", () => {
    expect(placementProblem(conflict("minor-age", { field: "startDate" }))?.text).toMatch(
      /jonger zijn dan 18/,
    );
    expect(placementProblem(conflict("minor-age", { field: "participantId" }))).toEqual({
      field: "participantId",
      text: expect.stringMatching(/^Vul eerst de geboortedatum/) as string,
    });
  });

  it("leaves other problems to the general mechanism", () => {
    expect(placementProblem(conflict("stale-version", {}))).toBeNull();
    expect(placementProblem(null)).toBeNull();
  });
});
