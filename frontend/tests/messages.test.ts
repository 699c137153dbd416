/// <reference types="node" />
// No English developer text reaches people: every problem type in openapi.yaml, every
// field constraint of the request bodies the dashboard's forms send, and every error code
// the API raises itself has a sentence in the message catalogues (nl and en). A new
// problem type, a new kind of constraint on a form or a new code without a translation
// fails here.

import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { en, isMessageKey, nl } from "../src/i18n";

const FRONTEND = resolve(__dirname, "..");
const ROOT = resolve(FRONTEND, "..");
type Schema = Record<string, unknown>;
const doc = parse(readFileSync(join(ROOT, "openapi.yaml"), "utf8")) as {
  paths: Record<string, Record<string, Schema>>;
  components: { schemas: Record<string, Schema> };
};

const has = (key: string) =>
  isMessageKey(key) &&
  Boolean((nl as Record<string, string>)[key]) &&
  Boolean((en as Record<string, string>)[key]);

function files(dir: string, ext: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((d) => d.isFile() && d.name.endsWith(ext))
    .map((d) => join(d.parentPath, d.name));
}

// --- the request bodies the forms send -----------------------------------------------

/** `post<X>("/enrollments", …)`, `patch<X>(\`/expenses/${id}\`, …)` in the screens, as
 * (method, OpenAPI path) pairs. */
function sentBodies(): [string, string][] {
  const calls = new Set<string>();
  const re = /\b(post|put|patch)(?:<[^>(]*>)?\(\s*([`"])(\/[^`"]*)\2/g;
  for (const file of files(join(FRONTEND, "src", "screens"), ".ts")) {
    for (const m of readFileSync(file, "utf8").matchAll(re)) calls.add(`${m[1]} ${m[3]}`);
  }
  const out: [string, string][] = [];
  for (const call of calls) {
    const [method, path] = call.split(" ") as [string, string];
    const pattern = new RegExp(
      `^${path
        .replace(/\$\{[^}]+\}/g, "\0")
        .replace(/[.*+?^()|[\]\\]/g, "\\$&")
        .replace(/\0/g, "[^/]+")}$`,
    );
    const match = Object.keys(doc.paths).find(
      (p) => pattern.test(p.replace(/\{[^}]+\}/g, "x")) && doc.paths[p]![method],
    );
    if (match) out.push([method, match]);
  }
  return out;
}

function deref(s: Schema): Schema {
  const ref = s.$ref as string | undefined;
  return ref ? doc.components.schemas[ref.split("/").pop()!]! : s;
}

/** The error codes pydantic answers for each constraint the schema declares. */
function codesOf(s: Schema, required: boolean): string[] {
  const codes: string[] = required ? ["missing"] : [];
  const types = ([] as unknown[]).concat(s.type ?? []);
  if (types.includes("string")) codes.push("string_type");
  if (s.pattern) codes.push("string_pattern_mismatch");
  if (s.minLength !== undefined) codes.push("string_too_short");
  if (s.maxLength !== undefined) codes.push("string_too_long");
  if (s.format === "date") codes.push("date_parsing", "date_from_datetime_parsing", "date_format");
  if (s.format === "date-time") codes.push("datetime_parsing", "datetime_format", "timezone_aware");
  if (s.format === "uuid") codes.push("uuid_parsing", "uuid_type");
  if (s.format === "uri") codes.push("url_parsing", "url_type", "url_scheme");
  if (s.enum || s.const !== undefined) codes.push("enum", "literal_error");
  if (types.includes("integer")) codes.push("int_parsing", "int_type", "int_from_float");
  if (types.includes("number")) codes.push("float_parsing", "float_type");
  if (types.includes("boolean")) codes.push("bool_parsing", "bool_type");
  if (s.minimum !== undefined) codes.push("greater_than_equal");
  if (s.maximum !== undefined) codes.push("less_than_equal");
  if (s.exclusiveMinimum !== undefined) codes.push("greater_than");
  if (s.exclusiveMaximum !== undefined) codes.push("less_than");
  if (types.includes("array")) codes.push("list_type");
  if (s.minItems !== undefined) codes.push("too_short");
  if (s.maxItems !== undefined) codes.push("too_long");
  if (s.additionalProperties === false) codes.push("extra_forbidden");
  return codes;
}

/** Every (field, code) a body schema can answer, walking refs, anyOf/oneOf/allOf,
 * properties and array items. */
function constraints(schema: Schema, name = "", required = false, seen = new Set<Schema>()) {
  const out: [string, string][] = [];
  const s = deref(schema);
  if (seen.has(s)) return out;
  seen.add(s);
  for (const code of codesOf(s, required)) out.push([name, code]);
  for (const key of ["anyOf", "oneOf", "allOf"] as const)
    for (const sub of (s[key] as Schema[] | undefined) ?? [])
      out.push(...constraints(sub, name, false, seen));
  const req = new Set((s.required as string[] | undefined) ?? []);
  for (const [prop, sub] of Object.entries((s.properties as Record<string, Schema>) ?? {}))
    out.push(...constraints(sub, prop, req.has(prop), seen));
  if (s.items) out.push(...constraints(s.items as Schema, name, false, seen));
  return out;
}

function bodySchema(method: string, path: string): Schema | null {
  const body = doc.paths[path]![method]!.requestBody as
    { content: Record<string, { schema: Schema }> } | undefined;
  return body?.content["application/json"]?.schema ?? null;
}

// What the API may put in a field problem's `params` (api/errors.py, and our own codes).
const PARAMS = new Set(["min_length", "max_length", "ge", "gt", "le", "lt", "max_digits"]);
for (const p of ["decimal_places", "n", "from", "to"]) PARAMS.add(p);
// The import's own file checks (api/imports/service.py, bulk/sql.py).
for (const p of ["columns", "column", "left", "right", "values", "row"]) PARAMS.add(p);
const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);

describe("every problem and field error has Dutch and English text", () => {
  it("every problem type in openapi.yaml", () => {
    const problem = doc.components.schemas.Problem as { properties: { type: Schema } };
    const listed = problem.properties.type["x-problem-types"] as { type: string }[];
    const types = listed.map((p) => p.type);
    expect(types.length).toBeGreaterThan(40);
    const missing = types
      .map((type) => `problem.${type.replace("urn:opvang:problem:", "")}`)
      .filter((key) => !has(key));
    expect(missing).toEqual([]);
  });

  it("every field constraint of the request bodies the forms send", () => {
    const bodies = sentBodies();
    const paths = bodies.map(([m, p]) => `${m} ${p}`);
    // The walk found the forms (a change in how screens call the API would hide them).
    expect(paths).toEqual(expect.arrayContaining(["post /participants", "post /enrollments"]));
    expect(bodies.length).toBeGreaterThan(8);
    const missing = new Set<string>();
    let count = 0;
    for (const [method, path] of bodies) {
      const schema = bodySchema(method, path);
      if (!schema) continue;
      for (const [field, code] of constraints(schema)) {
        count += 1;
        if (!has(`field.${code}.${field}`) && !has(`field.${code}`))
          missing.add(`${method} ${path} ${field}: field.${code}`);
      }
    }
    expect(count).toBeGreaterThan(100);
    expect([...missing]).toEqual([]);
  });

  it("every code the API raises itself (code=…, PydanticCustomError)", () => {
    const codes = new Set<string>();
    for (const file of files(join(ROOT, "api"), ".py")) {
      const text = readFileSync(file, "utf8");
      for (const m of text.matchAll(/\bcode="([a-z_]+)"/g)) codes.add(m[1]!);
      for (const m of text.matchAll(/PydanticCustomError\(\s*"([a-z_]+)"/g)) codes.add(m[1]!);
      for (const m of text.matchAll(/PydanticCustomError\(\s*f"\{kind[^}]*\}(_[a-z]+)"/g)) {
        codes.add(`date${m[1]}`);
        codes.add(`datetime${m[1]}`);
      }
    }
    for (const code of ["minor_needs_guardian", "not_a_guardian", "minor_needs_birth_date"])
      codes.add(code); // api/participants/rulebook.py CODES
    expect(codes.size).toBeGreaterThan(10);
    expect([...codes].filter((code) => !has(`field.${code}`))).toEqual([]);
  });

  it("field messages use only parameters the API sends", () => {
    const unknown = Object.entries(nl)
      .filter(([key]) => key.startsWith("field."))
      .flatMap(([key, text]) =>
        placeholders(text)
          .filter((p) => !PARAMS.has(p))
          .map((p) => `${key}: {${p}}`),
      );
    expect(unknown).toEqual([]);
  });

  it("no Dutch problem or field text shows a code, a regex or an English API sentence", () => {
    const bad = Object.entries(nl).filter(
      ([key, text]) =>
        (key.startsWith("problem.") || key.startsWith("field.")) &&
        /\^|\$|\[A-Z|should|must|Input|urn:|_/.test(text.replace(/\{\w+\}/g, "")),
    );
    expect(bad).toEqual([]);
  });
});
