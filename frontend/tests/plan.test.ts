import { describe, expect, it } from "vitest";
import { setLang } from "../src/i18n";
import type { BudgetPlanReport } from "../src/plan-types";
import { reserveSentences } from "../src/shape-plan";

const nbsp = (s: string) => s.replace(/\u00a0/g, " ");

function report(
  reserve: BudgetPlanReport["reserve"],
  income: { expectedCertainty: string }[] = [],
): BudgetPlanReport {
  return { year: 2025, reserve, income } as BudgetPlanReport;
}

describe("the reserve in sentences", () => {
  it("a result priced with a rate not yet published is said to be an estimate", () => {
    setLang("nl");
    const reserve = { opening: "0.00", mutations: "0.00", result: "10.00", closing: "10.00" };
    const assumed = reserveSentences(report(reserve, [{ expectedCertainty: "assumed" }]));
    expect(assumed).toContain(
      "Dat is een schatting: het Rijk heeft nog niet alle tarieven voor 2025 gepubliceerd.",
    );
    const known = reserveSentences(report(reserve, [{ expectedCertainty: "known" }]));
    expect(known.some((line) => line.includes("schatting"))).toBe(false);
  });
  it("a surplus moves into the reserve", () => {
    setLang("nl");
    const lines = reserveSentences(
      report({ opening: "0.00", mutations: "10000.00", result: "3350.00", closing: "13350.00" }),
    ).map(nbsp);
    expect(lines).toEqual([
      "Op 1 januari 2025 stond er € 0,00 in de reserve.",
      "De raad heeft dit jaar € 10.000,00 in de reserve gestort.",
      "Dit jaar houden we € 3.350,00 over. Dat gaat naar de reserve.",
      "Aan het eind van 2025 staat er dan € 13.350,00 in de reserve.",
    ]);
  });

  it("a deficit and a withdrawal; an unknown result leaves the closing out", () => {
    setLang("nl");
    const deficit = reserveSentences(
      report({ opening: "500.00", mutations: "-100.00", result: "-50.00", closing: "350.00" }),
    ).map(nbsp);
    expect(deficit[1]).toBe("De raad heeft dit jaar € 100,00 uit de reserve gehaald.");
    expect(deficit[2]).toBe("Dit jaar komen we € 50,00 tekort. Dat halen we uit de reserve.");
    const unknown = reserveSentences(
      report({ opening: null, mutations: "0.00", result: null, closing: null }),
    );
    expect(unknown).toHaveLength(3);
    expect(unknown[0]).toMatch(/weten we nog niet/);
    expect(unknown[1]).toBe(
      "De raad heeft dit jaar geen geld in de reserve gestort of eruit gehaald.",
    );
  });
});
