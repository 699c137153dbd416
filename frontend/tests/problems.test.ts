import { describe, expect, it } from "vitest";
import { fieldFor, isProblem, toFieldErrors, type Problem } from "../src/problems";

const problem: Problem = {
  type: "urn:opvang:problem:invalid-input",
  title: "Bad Request",
  status: 400,
  detail: "The request has 4 invalid value(s); see errors.",
  errors: [
    { in: "body", name: "summary", detail: "String should have at least 1 character" },
    { in: "body", name: "summary", detail: "Must not be blank" },
    { in: "body", name: "languages.0", detail: "Not a language code" },
    { in: "body", name: "unknownThing", detail: "Extra inputs are not permitted" },
    { in: "header", name: "If-Match", detail: "Malformed" },
  ],
};

describe("problem -> field errors", () => {
  it("puts each error at its field, several per field kept", () => {
    const out = toFieldErrors(problem, ["summary", "languages"]);
    expect(out.fields).toEqual({
      summary: ["String should have at least 1 character", "Must not be blank"],
      languages: ["Not a language code"],
    });
  });

  it("keeps what belongs to no field in the general list, with its name", () => {
    const out = toFieldErrors(problem, ["summary", "languages"]);
    expect(out.general).toEqual([
      "unknownThing: Extra inputs are not permitted",
      "If-Match: Malformed",
    ]);
  });

  it("a problem without errors[] is one general message", () => {
    const conflict: Problem = { title: "Conflict", status: 409, detail: "The location is full." };
    expect(toFieldErrors(conflict, ["summary"])).toEqual({
      fields: {},
      general: ["The location is full."],
    });
    expect(toFieldErrors({ title: "Conflict", status: 409 }, []).general).toEqual(["Conflict"]);
  });

  it("no problem, no errors", () => {
    expect(toFieldErrors(null, ["a"])).toEqual({ fields: {}, general: [] });
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
