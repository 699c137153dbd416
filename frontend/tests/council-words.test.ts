import { describe, expect, it } from "vitest";
import { quarterOptions } from "../src/screens/council-words";

describe("quarterOptions", () => {
  it("offers the running quarter and the seven before it, newest first", () => {
    const options = quarterOptions("2026-12-03");
    expect(options.map((o) => o.value)).toEqual([
      "2026Q4",
      "2026Q3",
      "2026Q2",
      "2026Q1",
      "2025Q4",
      "2025Q3",
      "2025Q2",
      "2025Q1",
    ]);
    expect(options[0]).toEqual({ value: "2026Q4", n: 4, year: 2026 });
  });

  it("starts a quarter on its first day", () => {
    expect(quarterOptions("2027-04-01")[0]!.value).toBe("2027Q2");
    expect(quarterOptions("2027-03-31")[0]!.value).toBe("2027Q1");
  });
});
