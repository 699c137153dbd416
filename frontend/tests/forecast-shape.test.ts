import { describe, expect, it } from "vitest";
import {
  compareRows,
  forecastChart,
  neutrality,
  percentToBp,
  type ForecastQuarter,
  type ForecastReport,
} from "../src/forecast-shape";

function quarter(label: string, balance: string | null, reserve: string | null): ForecastQuarter {
  return {
    quarter: label,
    from: "2027-01-01",
    to: "2027-03-31",
    income: [],
    costs: [],
    incomeTotal: "100.00",
    costTotal: "40.00",
    balance,
    reserveEnd: reserve,
    certainty: "known",
  };
}

function report(neutral: boolean | null, short: string | null): ForecastReport {
  const base = {
    quarters: [quarter("2027Q1", "60.00", "160.00"), quarter("2027Q2", "-200.00", "-40.00")],
    reserveStart: "100.00",
    budgetNeutral: neutral,
    shortFrom: short,
  };
  return {
    today: "2027-01-10",
    base,
    scenarios: [
      {
        scenarioId: "s1",
        name: "Minder",
        forecast: {
          ...base,
          quarters: [quarter("2027Q1", "50.00", "150.00"), quarter("2027Q2", null, null)],
        },
        difference: [
          {
            quarter: "2027Q1",
            incomeTotal: "-10.00",
            costTotal: "0.00",
            balance: "-10.00",
            reserveEnd: "-10.00",
          },
          {
            quarter: "2027Q2",
            incomeTotal: null,
            costTotal: "0.00",
            balance: null,
            reserveEnd: null,
          },
        ],
      },
    ],
  };
}

describe("forecast shaping", () => {
  it("says whether the programme stays budget neutral, and from when not", () => {
    // The horizon's last quarter ends 2027-03-31 here (quarter() keeps one period).
    expect(neutrality(report(true, null))).toEqual({ kind: "neutral", year: 2027 });
    expect(neutrality(report(false, "2027Q2"))).toEqual({ kind: "short", quarter: "2027Q2" });
    expect(neutrality(report(null, null))).toEqual({ kind: "unknown" });
  });

  it("charts income, costs and the reserve per quarter", () => {
    const chart = forecastChart(report(true, null).base);
    expect(chart.labels).toEqual(["2027Q1", "2027Q2"]);
    expect(chart.series.map((s) => s.data)).toEqual([
      [100, 100],
      [40, 40],
      [160, -40],
    ]);
  });

  it("puts the base, each scenario and each difference side by side", () => {
    expect(compareRows(report(true, null), "balance")).toEqual([
      { quarter: "2027Q1", values: ["60.00", "50.00", "-10.00"] },
      { quarter: "2027Q2", values: ["-200.00", null, null] },
    ]);
  });

  it("reads an occupancy percentage as basis points", () => {
    expect(percentToBp("95")).toBe(9500);
    expect(percentToBp("92,5")).toBe(9250);
    expect(percentToBp("101")).toBeNull();
    expect(percentToBp("")).toBeNull();
  });
});
