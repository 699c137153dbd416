import { describe, expect, it } from "vitest";
import { setLang } from "../src/i18n";
import { codeFor, kindsFor, reportRows } from "../src/shape-imports";

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
  it("says the API's code per row in Dutch, and reads the English detail only for 'invalid'", () => {
    setLang("nl");
    expect(codeFor("Field required")).toBe("missing");
    const rows = reportRows({
      errors: [
        {
          row: 2,
          column: "bsn",
          detail: "String should match pattern '^\\d{9}$'",
          in: "file",
          name: "rows[2].bsn",
          code: "invalid",
        },
        {
          row: 3,
          column: "givenName",
          detail: "Field required",
          in: "file",
          name: "rows[3].givenName",
          code: "invalid",
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
          column: null,
          detail: "Something odd",
          in: "file",
          name: "header",
          code: "invalid",
        },
      ],
    });
    expect(rows).toEqual([
      { row: 2, column: "bsn", text: "Een BSN heeft 9 cijfers." },
      { row: 3, column: "givenName", text: "Vul dit veld in." },
      { row: 4, column: "reference", text: "Vul dit veld in." },
      { row: 0, column: "", text: "Dit klopt niet. Controleer wat u heeft ingevuld." },
    ]);
  });
});
