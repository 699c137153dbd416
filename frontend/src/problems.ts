// RFC 9457 problem details from the API, in Dutch (or English) for people: a problem's
// `type` and each field error's `code` are looked up in the message catalogues (keys
// `problem.<type-slug>`, `field.<code>`, `field.<code>.<field>`), in every catalogue file,
// so an area that adds a problem type adds its sentence in its own file. The API's
// `detail` and `title` are English for developers and are never shown; what has no
// sentence gets a general one.

import { formatDate, isMessageKey, t, type Params } from "./i18n";

export interface FieldProblem {
  in: string;
  name: string;
  detail: string;
  /** a business rule's problem type */
  type?: string | null;
  /** what is wrong, stable: pydantic's error type or the API's own (`cannot_clear`) */
  code?: string;
  params?: Record<string, string | number> | null;
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

export const PROBLEM_PREFIX = "urn:opvang:problem:";
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The catalogue's text for a key built at run time, or null when no catalogue has it. */
function lookup(key: string, params?: Params): string | null {
  return isMessageKey(key) ? t(key, params) : null;
}

/** `urn:opvang:problem:over-capacity` -> `over-capacity`; null for about:blank. */
export function problemSlug(type: string | null | undefined): string | null {
  return type?.startsWith(PROBLEM_PREFIX) ? type.slice(PROBLEM_PREFIX.length) : null;
}

/** What a status without a type of ours means (about:blank: 404, 405, 500, a proxy's 502). */
function statusText(status: number): string {
  if (status === 0) return t("problem.network");
  return (
    lookup(`problem.status.${status}`) ??
    (status >= 500 ? t("problem.status.500") : t("problem.unknown"))
  );
}

/** One sentence for a whole problem: its type's, else its status's, else a general one. */
export function problemText(problem: Problem | null, status = problem?.status ?? 0): string {
  const slug = problemSlug(problem?.type);
  return (slug && lookup(`problem.${slug}`)) || statusText(status);
}

/** Parameters as people read them: dates in the language's own way. */
function readable(params: FieldProblem["params"]): Params {
  const out: Params = {};
  for (const [k, v] of Object.entries(params ?? {}))
    out[k] = typeof v === "string" && ISO_DATE.test(v) ? formatDate(v) : v;
  return out;
}

/** The sentence for one field error: the code's for this field (`field.string_pattern_mismatch.bsn`),
 * else the code's, else its rule's problem type, else a general one. */
export function fieldText(err: FieldProblem): string {
  const code = err.code ?? "invalid";
  const head = err.name.split(/[.[]/, 1)[0] ?? "";
  const params = readable(err.params);
  const byCode =
    code === "invalid"
      ? null
      : (lookup(`field.${code}.${head}`, params) ?? lookup(`field.${code}`, params));
  const slug = problemSlug(err.type);
  return byCode ?? (slug && lookup(`problem.${slug}`)) ?? t("field.invalid");
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
    const text = fieldText(err);
    if (field) (out.fields[field] ??= []).push(text);
    else if (!out.general.includes(text)) out.general.push(text);
  }
  if (!problem.errors?.length) out.general.push(problemText(problem));
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

/** A failure as one sentence for people: an API answer (api.ts's ApiError, recognised by
 * shape to keep this module free of api.ts), a network failure, or anything else. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error && "status" in error && "problem" in error) {
    const { status, problem } = error as Error & { status: number; problem: Problem | null };
    return problemText(problem, status);
  }
  if (error instanceof TypeError) return t("problem.network"); // fetch: no answer at all
  return t("problem.unknown");
}

/** How long to wait, in words: "45 seconden", "1 minuut", "15 minuten", "2 uur". */
export function waitText(seconds: number): string {
  if (seconds < 60) return t("time.seconds", { n: Math.max(1, Math.ceil(seconds)) });
  const minutes = Math.ceil(seconds / 60);
  if (minutes === 1) return t("time.minute");
  if (minutes <= 90) return t("time.minutes", { n: minutes });
  return t("time.hours", { n: Math.ceil(minutes / 60) });
}

/** Why signing in failed, told apart, so that no one retypes a correct password into a
 * lockout: wrong e-mail or password (400/401), too many attempts (429, with the wait from
 * `Retry-After`), the server unreachable or busy (no answer, 502-504), or our error. */
export function signInProblem(error: unknown): string {
  const { status = 0, retryAfter = null } =
    error instanceof Error && "status" in error
      ? (error as Error & { status: number; retryAfter?: number | null })
      : {};
  if (status === 400 || status === 401) return t("auth.failed");
  if (status === 429)
    return retryAfter
      ? t("auth.throttledWait", { wait: waitText(retryAfter) })
      : t("auth.throttled");
  if (status === 503) return t("auth.busy");
  if (status === 0 || status === 502 || status === 504) return t("auth.unreachable");
  return t("auth.error");
}
