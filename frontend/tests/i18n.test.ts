import { describe, expect, it } from "vitest";
import { en, nl, translate } from "../src/i18n";

describe("i18n", () => {
  it("translates and fills parameters", () => {
    expect(translate("nl", "overview.on", { date: "1 mei 2026" })).toBe("Stand op 1 mei 2026");
    expect(translate("en", "overview.on", { date: "1 May 2026" })).toBe("As of 1 May 2026");
  });

  it("falls back to Dutch, then to the key", () => {
    expect(translate("en", "common.none")).toBe(nl["common.none"]);
    expect(translate("en", "no.such.key")).toBe("no.such.key");
  });

  it("leaves unknown placeholders visible", () => {
    expect(translate("nl", "overview.on")).toBe("Stand op {date}");
  });

  it("every English key exists in Dutch (Dutch is the complete set)", () => {
    expect(Object.keys(en).filter((k) => !(k in nl))).toEqual([]);
  });

  it("English covers all but deliberate fallbacks", () => {
    const missing = Object.keys(nl).filter((k) => !(k in en));
    expect(missing).toEqual(["common.none"]);
  });
});
