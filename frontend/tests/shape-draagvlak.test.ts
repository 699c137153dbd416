import { describe, expect, it } from "vitest";
import {
  categoryValue,
  directionKey,
  monthLabel,
  trendChart,
  usedCategories,
  type TrendRow,
} from "../src/shape-draagvlak";

function row(month: string, nuisance: number, socialTension: number): TrendRow {
  return {
    scope: "location",
    locationId: "x",
    month,
    reported: nuisance + socialTension,
    byCategory: {
      nuisance,
      socialTension,
      safety: 0,
      health: 0,
      need: 0,
      question: 0,
      compliment: 0,
      capacity: 0,
    },
    bySeverity: { low: 0, medium: nuisance + socialTension, high: 0 },
    resolved: 0,
    medianDaysToResolve: null,
    p90DaysToResolve: null,
    openAtMonthEnd: 0,
  };
}

describe("draagvlak shapes", () => {
  it("charts only the categories that occur", () => {
    const rows = [row("2025-01", 2, 0), row("2025-02", 1, 3)];
    const cats = usedCategories(rows);
    expect(cats).toEqual(["nuisance", "socialTension"]);
    expect(trendChart(rows, ["jan", "feb"], cats).series).toEqual([
      { label: "nuisance", data: [2, 1] },
      { label: "socialTension", data: [0, 3] },
    ]);
    expect(categoryValue("socialTension")).toBe("social_tension");
  });
  it("names months and the direction", () => {
    expect(monthLabel("2025-03", "nl-NL")).toMatch(/mrt.*2025/);
    expect(directionKey({ last3: 0, previous3: 0, direction: "same" })).toBe("none");
    expect(directionKey({ last3: 4, previous3: 6, direction: "down" })).toBe("down");
  });
});
