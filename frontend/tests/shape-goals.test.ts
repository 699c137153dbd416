import { beforeEach, describe, expect, it } from "vitest";
import { setLang } from "../src/i18n";
import { byTheme, chartData, formatValue, latest, sentences } from "../src/shape-goals";
import type { IndicatorSeries, SeriesPoint } from "../src/types";

function point(over: Partial<SeriesPoint>): SeriesPoint {
  return {
    year: 2026,
    quarter: 3,
    periodStart: "2026-07-01",
    periodEnd: "2026-09-30",
    asOf: "2026-09-30",
    value: "0.3800",
    target: "0.4000",
    onTrack: false,
    numerator: "38",
    denominator: 100,
    suppressed: false,
    ...over,
  };
}

function series(points: SeriesPoint[], over: Partial<IndicatorSeries> = {}): IndicatorSeries {
  return {
    indicatorId: "i",
    goalId: "g",
    goalTitle: "Nederlands leren",
    goalTheme: "language",
    title: "B1",
    metric: "dutch_b1_share",
    params: {},
    unit: "share",
    direction: "higher",
    public: true,
    points,
    ...over,
  };
}

describe("goals", () => {
  beforeEach(() => setLang("nl"));

  it("says a quarter in B1 Dutch, with the year's target", () => {
    const p = point({});
    expect(sentences(series([p]), p)).toEqual([
      "In het derde kwartaal van 2026 had 38% van de deelnemers taalniveau B1 of hoger.",
      "Het doel voor 2026 is 40%.",
      "Dat doel is nog niet gehaald.",
    ]);
  });

  it("names the activity kind and the days", () => {
    const p = point({ value: "0.5", target: null, onTrack: null });
    const s = series([p], { metric: "participation_rate", params: { activityKind: "sport" } });
    expect(sentences(s, p)[0]).toBe(
      "In het derde kwartaal van 2026 deed 50% van de deelnemers mee aan een activiteit voor sport.",
    );
    expect(sentences(s, p)[1]).toBe("Voor 2026 is er geen doel.");
  });

  it("says when the quarter is not over yet", () => {
    const p = point({ asOf: "2026-08-15", target: null, onTrack: null });
    expect(sentences(series([p]), p)[1]).toBe(
      "Dit kwartaal is nog niet voorbij: dit is de stand op 15 augustus 2026.",
    );
  });

  it("says when a figure is hidden", () => {
    const p = point({ value: null, suppressed: true, onTrack: null });
    expect(sentences(series([p]), p)[0]).toBe(
      "Over het derde kwartaal van 2026 zijn er te weinig mensen om een cijfer te tonen.",
    );
  });

  it("plots shares in per cent and euros as euros, in English too", () => {
    const a = point({ quarter: 2, value: "0.3850" });
    const b = point({ value: null, target: "0.4000" });
    expect(chartData(series([a, b])).series.map((s) => s.data)).toEqual([
      [38.5, null],
      [40, 40],
    ]);
    expect(latest(series([a, b]))).toBe(a);
    expect(formatValue("12.50", "euro")).toContain("12,50");
    setLang("en");
    expect(chartData(series([a])).labels).toEqual(["Q2 2026"]);
    expect(sentences(series([a]), a)[0]).toBe(
      "In the second quarter of 2026, 38.5% of the participants had Dutch at level B1 or higher.",
    );
  });

  it("orders goals by the council decision's themes, then by title", () => {
    const goals = [
      { theme: "finance", title: "Budget" },
      { theme: "language", title: "Taal B" },
      { theme: "language", title: "Taal A" },
      { theme: "unknown", title: "Z" },
    ];
    expect(
      byTheme(
        goals,
        (g) => g.theme,
        (g) => g.title,
      ).map((g) => g.title),
    ).toEqual(["Taal A", "Taal B", "Budget", "Z"]);
  });
});
