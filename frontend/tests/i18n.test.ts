import { describe, expect, it } from "vitest";
import { CATALOGUE_FILES, en, label, nl, translate, type MessageKey } from "../src/i18n";

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe("i18n", () => {
  it("translates and fills parameters", () => {
    expect(translate("nl", "overview.on", { date: "1 mei 2026" })).toBe("Stand op 1 mei 2026");
    expect(translate("en", "overview.on", { date: "1 May 2026" })).toBe("As of 1 May 2026");
  });

  it("does not compile an unknown key, and shows one that slipped through as itself", () => {
    // @ts-expect-error: "no.such.key" is not a key of messages/nl.json
    expect(translate("en", "no.such.key")).toBe("no.such.key");
  });

  it("leaves unknown placeholders visible", () => {
    expect(translate("nl", "overview.on")).toBe("Stand op {date}");
  });

  it("labels API enum values, an unknown value as itself", () => {
    expect(label("group", "asylum_seeker")).toBe(nl["group.asylum_seeker"]);
    expect(label("group", "no_such_group")).toBe("no_such_group");
    expect(label("group", "constructor")).toBe("constructor");
    expect(label("group", null)).toBe(nl["common.none"]);
  });
});

describe("message catalogues", () => {
  it("each English file has exactly its Dutch file's keys, in the same order", () => {
    expect(CATALOGUE_FILES.en.length).toBe(CATALOGUE_FILES.nl.length);
    CATALOGUE_FILES.nl.forEach((file, i) => {
      expect(Object.keys(CATALOGUE_FILES.en[i] ?? {})).toEqual(Object.keys(file));
    });
  });

  it("no key is in two files (a later file would silently win)", () => {
    const seen = new Set<string>();
    const twice = CATALOGUE_FILES.nl.flatMap((file) =>
      Object.keys(file).filter((key) => seen.has(key) || !seen.add(key)),
    );
    expect(twice).toEqual([]);
  });

  it("every text is filled in, in both languages", () => {
    for (const catalogue of [nl, en]) {
      expect(Object.entries(catalogue).filter(([, text]) => !text.trim())).toEqual([]);
    }
  });

  it("an English text has the same placeholders as its Dutch text", () => {
    const keys = Object.keys(nl) as MessageKey[];
    const differ = keys.filter(
      (key) => placeholders(nl[key]).join() !== placeholders(en[key]).join(),
    );
    expect(differ).toEqual([]);
  });
});
