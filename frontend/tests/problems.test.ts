import { afterEach, describe, expect, it } from "vitest";
import { ApiError } from "../src/api";
import { nl, setLang } from "../src/i18n";
import {
  errorMessage,
  fieldFor,
  fieldText,
  isProblem,
  problemText,
  signInProblem,
  toFieldErrors,
  waitText,
  type Problem,
} from "../src/problems";

const problem: Problem = {
  type: "urn:opvang:problem:invalid-input",
  title: "Bad Request",
  status: 400,
  detail: "The request has 5 invalid value(s); see errors.",
  errors: [
    {
      in: "body",
      name: "nationality",
      detail: "String should match pattern '^[A-Z]{3}$'",
      code: "string_pattern_mismatch",
    },
    {
      in: "body",
      name: "reference",
      detail: "String should have at most 64 characters",
      code: "string_too_long",
      params: { max_length: 64 },
    },
    {
      in: "body",
      name: "languages.1",
      detail: "String should match pattern '^[a-z]{2,3}$'",
      code: "string_pattern_mismatch",
    },
    {
      in: "body",
      name: "group",
      detail: "Input should be 'ukrainian_displaced', 'asylum_seeker'",
      code: "enum",
    },
    {
      in: "body",
      name: "unknownThing",
      detail: "Extra inputs are not permitted",
      code: "extra_forbidden",
    },
    { in: "header", name: "If-Match", detail: "Malformed" },
  ],
};

afterEach(() => setLang("nl"));

describe("problem -> field errors, in Dutch", () => {
  it("puts each error at its field in Dutch, never the regex, enum values or English", () => {
    const out = toFieldErrors(problem, ["nationality", "reference", "languages", "group"]);
    expect(out.fields).toEqual({
      nationality: [nl["field.string_pattern_mismatch.nationality"]],
      reference: ["Dit is te lang. Gebruik hoogstens 64 tekens."],
      languages: [nl["field.string_pattern_mismatch.languages"]],
      group: [nl["field.enum"]],
    });
    const all = JSON.stringify(out);
    for (const raw of ["^[A-Z]", "should", "ukrainian_displaced", "Malformed", "Extra"])
      expect(all).not.toContain(raw);
  });

  it("keeps what belongs to no field in the general list, each sentence once", () => {
    const out = toFieldErrors(problem, ["nationality", "reference", "languages", "group"]);
    expect(out.general).toEqual([nl["field.extra_forbidden"], nl["field.invalid"]]);
  });

  it("a problem without errors[] is its type's sentence, else its status's", () => {
    const full: Problem = {
      type: "urn:opvang:problem:over-capacity",
      title: "Conflict",
      status: 409,
      detail: "Location X would hold 41 people on 2026-12-03 with 40 places.",
    };
    expect(toFieldErrors(full, ["summary"])).toEqual({
      fields: {},
      general: [nl["problem.over-capacity"]],
    });
    expect(
      problemText({ title: "Not Found", status: 404, detail: "No resource at this address." }),
    ).toBe(nl["problem.status.404"]);
    expect(problemText({ type: "urn:opvang:problem:no-such-type", title: "X", status: 418 })).toBe(
      nl["problem.unknown"],
    );
    expect(problemText(null, 502)).toBe(nl["problem.status.502"]);
    expect(problemText(null, 507)).toBe(nl["problem.status.500"]);
  });

  it("a rule's field error without a code of its own says its problem type", () => {
    expect(
      fieldText({
        in: "body",
        name: "startDate",
        detail: "Over capacity on 2026-12-03.",
        type: "urn:opvang:problem:over-capacity",
        code: "invalid",
      }),
    ).toBe(nl["problem.over-capacity"]);
    expect(fieldText({ in: "body", name: "x", detail: "Something new.", code: "brand_new" })).toBe(
      nl["field.invalid"],
    );
  });

  it("dates in parameters read as dates", () => {
    const text = fieldText({
      in: "body",
      name: "periodStart",
      detail: "No rate covers 2026-10-01..2026-12-31.",
      code: "no_rate",
      params: { from: "2026-10-01", to: "2026-12-31" },
    });
    expect(text).toBe(
      "Er is geen tarief voor 1 oktober 2026 tot en met 31 december 2026. Voeg eerst een tarief toe.",
    );
  });

  it("English when the language is switched", () => {
    setLang("en");
    expect(problemText(null, 0)).toMatch(/no connection/);
  });

  it("an error of any kind is one sentence for people", () => {
    expect(errorMessage(new ApiError(0, null))).toBe(nl["problem.network"]);
    expect(errorMessage(new TypeError("Failed to fetch"))).toBe(nl["problem.network"]);
    expect(
      errorMessage(
        new ApiError(409, { ...problem, type: "urn:opvang:problem:activity-full", errors: [] }),
      ),
    ).toBe(nl["problem.activity-full"]);
    expect(errorMessage(new Error("boom"))).toBe(nl["problem.unknown"]);
  });

  it("matches exact nested names before their head", () => {
    expect(
      fieldFor("capacityOverride.reason", ["capacityOverride.reason", "capacityOverride"]),
    ).toBe("capacityOverride.reason");
    expect(fieldFor("events[2].type", ["events"])).toBe("events");
    expect(fieldFor("body", ["summary"])).toBeNull();
  });

  it("recognises problem bodies", () => {
    expect(isProblem(problem)).toBe(true);
    expect(isProblem({ detail: "x" })).toBe(false);
    expect(isProblem(null)).toBe(false);
  });
});

describe("sign-in failures told apart", () => {
  it("wrong e-mail or password", () => {
    expect(
      signInProblem(
        new ApiError(400, { title: "Bad Request", status: 400, error: "invalid_grant" }),
      ),
    ).toBe(nl["auth.failed"]);
  });

  it("too many attempts, with the wait from Retry-After in Dutch", () => {
    expect(signInProblem(new ApiError(429, null, 840))).toBe(
      "Te veel mislukte pogingen. Wacht 14 minuten en probeer het dan opnieuw.",
    );
    expect(signInProblem(new ApiError(429, null))).toBe(nl["auth.throttled"]);
    expect(waitText(30)).toBe("30 seconden");
    expect(waitText(60)).toBe("1 minuut");
    expect(waitText(61)).toBe("2 minuten");
    expect(waitText(2 * 3600)).toBe("2 uur");
  });

  it("server unreachable or busy: try again, not a wrong password", () => {
    expect(signInProblem(new ApiError(0, null))).toBe(nl["auth.unreachable"]);
    expect(signInProblem(new ApiError(502, null))).toBe(nl["auth.unreachable"]);
    expect(signInProblem(new ApiError(503, null, 5))).toBe(nl["auth.busy"]);
    expect(nl["auth.unreachable"]).toMatch(/probeer het .*opnieuw/i);
    expect(signInProblem(new ApiError(500, null))).toBe(nl["auth.error"]);
  });
});
