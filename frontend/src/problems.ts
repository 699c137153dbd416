// RFC 9457 problem details from the API, and how their `errors` land on form fields.

export interface FieldProblem {
  in: string;
  name: string;
  detail: string;
}

export interface Problem {
  type?: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string | null;
  errors?: FieldProblem[];
  error?: string; // RFC 6749 member on /auth/token errors
}

export interface FieldErrors {
  /** field name -> messages, for fields the form has */
  fields: Record<string, string[]>;
  /** everything that belongs to no field on the form */
  general: string[];
}

/** The form field a problem `name` belongs to: exact (`capacityOverride.reason`), else
 * its first segment (`languages.0` -> `languages`, `events[2].x` -> `events`). */
export function fieldFor(name: string, known: readonly string[]): string | null {
  if (known.includes(name)) return name;
  const head = name.split(/[.[]/, 1)[0] ?? "";
  return known.includes(head) ? head : null;
}

export function toFieldErrors(problem: Problem | null, known: readonly string[]): FieldErrors {
  const out: FieldErrors = { fields: {}, general: [] };
  if (!problem) return out;
  for (const err of problem.errors ?? []) {
    const field = err.in === "body" || err.in === "query" ? fieldFor(err.name, known) : null;
    if (field) (out.fields[field] ??= []).push(err.detail);
    else
      out.general.push(err.name && err.name !== "body" ? `${err.name}: ${err.detail}` : err.detail);
  }
  if (!problem.errors?.length) out.general.push(problem.detail || problem.title);
  return out;
}

export function isProblem(value: unknown): value is Problem {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as Problem).title === "string" &&
    typeof (value as Problem).status === "number"
  );
}
