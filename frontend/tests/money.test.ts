// Money: API decimals shown as Dutch euros, Dutch input read back, and a form field's
// value that parseMoney reads back unchanged.

import { describe, expect, it } from "vitest";
import { formatMoney, moneyInput, moneyNumber, parseMoney } from "../src/money";

const nbsp = (s: string) => s.replace(/[\u00a0\u202f]/g, " ");

describe("money", () => {
  it("formats API decimals as Dutch euros", () => {
    expect(nbsp(formatMoney("1234.50"))).toBe("€ 1.234,50");
    expect(nbsp(formatMoney("-20.00"))).toBe("€ -20,00");
    expect(nbsp(formatMoney("0.00"))).toBe("€ 0,00");
    expect(formatMoney(null)).toBe("—");
    expect(formatMoney(null, "onbekend")).toBe("onbekend");
  });

  it("parses Dutch input and API notation to a two-place decimal string", () => {
    expect(parseMoney("1.234,50")).toBe("1234.50");
    expect(parseMoney("€ 1.234,5")).toBe("1234.50");
    expect(parseMoney("1234,50")).toBe("1234.50");
    expect(parseMoney("1234.50")).toBe("1234.50");
    expect(parseMoney("12.5")).toBe("12.50");
    expect(parseMoney("1.234")).toBe("1234.00"); // a Dutch thousands separator
    expect(parseMoney("1.234.567,89")).toBe("1234567.89");
    expect(parseMoney("250")).toBe("250.00");
    expect(parseMoney(",50")).toBe("0.50");
    expect(parseMoney("-75,00")).toBe("-75.00");
    expect(parseMoney("007,10")).toBe("7.10");
  });

  it("refuses what is not an amount", () => {
    for (const bad of [
      "",
      "abc",
      "1,234,5",
      "12,345",
      "1.23.4",
      "1,2,3",
      "12.345.6",
      "1e3",
      "--1",
    ]) {
      expect(parseMoney(bad), bad).toBeNull();
    }
  });

  it("turns money strings into chart numbers", () => {
    expect(moneyNumber("1234.50")).toBe(1234.5);
    expect(moneyNumber(null)).toBeNull();
  });
});

describe("moneyInput", () => {
  it("writes API amounts in Dutch notation that parseMoney reads back unchanged", () => {
    expect(moneyInput("1234.50")).toBe("1234,50");
    expect(moneyInput("-20.00")).toBe("-20,00");
    expect(moneyInput("7")).toBe("7,00");
    expect(moneyInput(null)).toBe("");
    expect(moneyInput(undefined)).toBe("");
    for (const v of ["1234.50", "-20.00", "0.05", "999999999999.99"])
      expect(parseMoney(moneyInput(v))).toBe(v);
  });
});
