// Showing the API's 400 answer on a form: each `errors[].name` at its field, the rest in
// a summary at the top that links to the fields (the GOV.UK / NL Design System pattern).

import { ApiError } from "./api";
import { clear, h } from "./dom";
import { t } from "./i18n";
import { errorMessage, toFieldErrors, type FieldErrors } from "./problems";
import type { Field } from "./ui";

export function clearProblems(fields: Field[], summary: HTMLElement): void {
  for (const f of fields) f.setErrors([]);
  clear(summary);
  summary.hidden = true;
}

/** Returns true when the error was shown on the form: each field error in Dutch (or
 * English) at its field, the rest in the summary; never the API's English `detail`. */
export function showProblems(fields: Field[], summary: HTMLElement, error: unknown): boolean {
  const problem = error instanceof ApiError ? error.problem : null;
  const known = fields.map((f) => f.name);
  const mapped = problem?.errors?.length
    ? toFieldErrors(problem, known)
    : { fields: {}, general: [errorMessage(error)] };
  showFieldErrors(fields, summary, mapped);
  return true;
}

function showFieldErrors(fields: Field[], summary: HTMLElement, mapped: FieldErrors): void {
  clearProblems(fields, summary);
  const items: HTMLElement[] = [];
  for (const f of fields) {
    const messages = mapped.fields[f.name];
    if (!messages) continue;
    f.setErrors(messages);
    items.push(
      h(
        "li",
        {},
        h(
          "a",
          { class: "utrecht-link", href: `#${f.control.id}` },
          `${labelOf(f)}: ${messages.join(" ")}`,
        ),
      ),
    );
  }
  for (const message of mapped.general) items.push(h("li", {}, message));
  summary.hidden = false;
  summary.append(
    h(
      "div",
      { class: "utrecht-alert utrecht-alert--error", role: "alert" },
      h(
        "div",
        { class: "utrecht-alert__content" },
        h("p", { class: "utrecht-paragraph" }, t("common.formErrors")),
        h("ul", { class: "utrecht-unordered-list" }, items),
      ),
    ),
  );
  summary.focus();
}

function labelOf(f: Field): string {
  const label = f.wrap.querySelector("label");
  return (label?.firstChild?.textContent ?? f.name).trim();
}

/** Problems found before asking the API (an amount that cannot be read), shown the same
 * way as the API's own: at their fields and in the summary. */
export function showLocalProblems(
  fields: Field[],
  summary: HTMLElement,
  problems: { name: string; detail: string }[],
): void {
  const mapped: FieldErrors = { fields: {}, general: [] };
  const known = new Set(fields.map((f) => f.name));
  for (const p of problems) {
    if (known.has(p.name)) (mapped.fields[p.name] ??= []).push(p.detail);
    else mapped.general.push(p.detail);
  }
  showFieldErrors(fields, summary, mapped);
}

/** One message in the summary, at no field (a stale version, a refused status). */
export function showMessage(
  fields: Field[],
  summary: HTMLElement,
  _status: number,
  text: string,
): void {
  showFieldErrors(fields, summary, { fields: {}, general: [text] });
}

/** The API's 412: the record changed since it was read (If-Match named an old version). */
export function isStale(error: unknown): boolean {
  return error instanceof ApiError && error.status === 412;
}

/** Puts a value in a field; a choice the list lacks (a reference the role cannot list)
 * is added as an option, so that saving does not silently clear it. */
export function setValue(
  f: Field,
  value: string | null | undefined,
  missingLabel?: (v: string) => string,
): void {
  const v = value ?? "";
  if (f.write) return f.write(v);
  const c = f.control;
  if (c instanceof HTMLSelectElement && v !== "" && ![...c.options].some((o) => o.value === v)) {
    const option = document.createElement("option");
    option.value = v;
    option.textContent = missingLabel ? missingLabel(v) : v;
    c.append(option);
  }
  c.value = v;
}

export function errorSummary(): HTMLDivElement {
  return h("div", { class: "error-summary", tabindex: "-1", hidden: true });
}

export function values(fields: Field[]): Record<string, string> {
  return Object.fromEntries(fields.map((f) => [f.name, f.read?.() ?? f.control.value.trim()]));
}
