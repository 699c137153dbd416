import { describe, expect, it } from "vitest";
import { setLang } from "../src/i18n";
import { kindsFor, reportRows } from "../src/shape-imports";

describe("kindsFor", () => {
  it("follows the API's roles per kind", () => {
    expect(kindsFor("admin")).toHaveLength(7);
    expect(kindsFor("coordinator")).toEqual([
      "participants",
      "placements",
      "locations",
      "activities",
      "enrollments",
    ]);
    expect(kindsFor("finance")).toEqual(["expenses", "rates"]);
    expect(kindsFor("viewer")).toEqual([]);
    expect(kindsFor("partner")).toEqual([]);
  });
});

describe("reportRows", () => {
  it("says the API's code per row in Dutch, never its English detail", () => {
    setLang("nl");
    const rows = reportRows({
      errors: [
        {
          row: 2,
          column: "bsn",
          detail: "String should match pattern '^\\d{9}$'",
          in: "file",
          name: "rows[2].bsn",
          code: "string_pattern_mismatch",
        },
        {
          row: 3,
          column: "participantReference",
          detail: "There is no participant with this reference.",
          in: "file",
          name: "rows[3].participantReference",
          code: "not_found",
        },
        {
          row: 4,
          column: "reference",
          detail: "Some English text the screen never reads",
          in: "file",
          name: "rows[4].reference",
          code: "missing",
        },
        {
          row: 0,
          column: "religion",
          detail: "Unknown column ...",
          in: "file",
          name: "header.religion",
          code: "unknown_column",
          params: { columns: "group, reference" },
        },
        {
          row: 5,
          column: null,
          detail: "Something odd",
          in: "file",
          name: "rows[5]",
          code: "invalid",
        },
      ],
    });
    expect(rows).toEqual([
      { row: 2, column: "bsn", text: "Een BSN heeft 9 cijfers." },
      { row: 3, column: "participantReference", text: "Er is geen deelnemer met dit kenmerk." },
      { row: 4, column: "reference", text: "Vul dit veld in." },
      {
        row: 0,
        column: "religion",
        text: "Deze kolom kennen we niet. Deze kolommen kunnen in het bestand staan: group, reference.",
      },
      { row: 5, column: "", text: "Dit klopt niet. Controleer wat u heeft ingevuld." },
    ]);
  });
});
