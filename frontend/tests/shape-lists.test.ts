import { describe, expect, it } from "vitest";
import {
  actionTiles,
  activityFull,
  byPlaces,
  locationFull,
  placesByGroup,
  shortDate,
  wrapLabel,
} from "../src/shape-lists";
import { overview } from "./fixtures";

describe("full and free", () => {
  it("a location is full with places and none left; a closed one (0 places) is not", () => {
    expect(locationFull({ capacity: 30, occupied: 30, free: 0 })).toBe(true);
    expect(locationFull({ capacity: 30, occupied: 29, free: 1 })).toBe(false);
    expect(locationFull({ capacity: 0, occupied: 0, free: 0 })).toBe(false);
  });
  it("an activity is full at its limit; without a limit never", () => {
    expect(activityFull({ capacity: 16, free: 0 })).toBe(true);
    expect(activityFull({ capacity: 16, free: 1 })).toBe(false);
    expect(activityFull({ capacity: null, free: null })).toBe(false);
  });
  it("filters locations by free or full places", () => {
    const rows = overview.occupancy.locations;
    expect(byPlaces(rows, "free").map((l) => l.name)).toEqual(["AMV Dreef"]);
    expect(byPlaces(rows, "full").map((l) => l.name)).toEqual(["GOO Glipperweg"]);
    expect(byPlaces(rows, "")).toHaveLength(2);
  });
  it("sums places per target group, GOO first, and counts the full locations", () => {
    const rows = [
      ...overview.occupancy.locations,
      { kind: "amv_small_scale", capacity: 4, occupied: 5, free: -1 },
    ];
    expect(placesByGroup(rows)).toEqual([
      { kind: "municipal_ukrainian", capacity: 30, occupied: 30, free: 0, locations: 1, full: 1 },
      { kind: "amv_small_scale", capacity: 24, occupied: 16, free: 9, locations: 2, full: 1 },
    ]);
  });
});

describe("overview tiles", () => {
  it("link each figure to the list that shows it", () => {
    const tiles = actionTiles(overview, { open: 5, inProgress: 3 });
    expect(tiles.map((t) => [t.key, t.value, t.href])).toEqual([
      ["overview.tile.placedNow", 105, "/deelnemers?active=true"],
      ["overview.tile.free", 9, "/locaties?places=free"],
      ["overview.tile.full", 1, "/locaties?places=full"],
      ["overview.tile.newSignals", 5, "/signalen?status=open"],
      ["overview.tile.inProgress", 3, "/signalen?status=in_progress"],
      ["overview.tile.overdueSignals", 2, "/signalen?overdue=true"],
    ]);
    expect(tiles.filter((t) => t.tone === "warning").map((t) => t.key)).toEqual([
      "overview.tile.full",
      "overview.tile.overdueSignals",
    ]);
  });
  it("without the list's totals, open signals are one tile without a link", () => {
    const tiles = actionTiles({ ...overview, signals: { ...overview.signals, overdue: 0 } });
    const open = tiles.find((t) => t.key === "overview.tile.openSignals");
    expect(open?.value).toBe(8);
    expect(open?.href).toBeUndefined();
    expect(tiles.at(-1)?.tone).toBeUndefined();
  });
});

describe("chart labels", () => {
  it("writes dates the Dutch way, short", () => {
    expect(shortDate("2026-12-02")).toBe("2 dec");
    expect(shortDate("2026-03-09")).toBe("9 mrt");
    expect(shortDate("2026-12-02", "en-GB")).toBe("2 Dec");
    expect(shortDate("not a date")).toBe("not a date");
  });
  it("wraps long names at spaces instead of cutting them", () => {
    expect(wrapLabel("GOO Kohnstammlaan (tijdelijke woningen)", 16)).toEqual([
      "GOO",
      "Kohnstammlaan",
      "(tijdelijke",
      "woningen)",
    ]);
    expect(wrapLabel("AMV Heemsteedse Dreef 156", 16)).toEqual(["AMV Heemsteedse", "Dreef 156"]);
    expect(wrapLabel("Kort")).toEqual(["Kort"]);
  });
});
