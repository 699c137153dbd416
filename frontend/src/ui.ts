// Shared pieces of markup, in NL Design System (Utrecht) classes.

import { clear, h, uid, type Child } from "./dom";
import { t } from "./i18n";
import { errorMessage } from "./problems";

// Loading states live in busy.ts; screens import them from here with the rest.
import { busy } from "./busy";
export { busy };
export { holdProgress, progressBar, skeleton, uploadWithProgress } from "./loading";

const HEADINGS = { 1: "h1", 2: "h2", 3: "h3" } as const;

export function heading(level: 1 | 2 | 3, text: string, attrs: Record<string, string> = {}) {
  const tag = HEADINGS[level];
  return h(tag, { class: `utrecht-heading-${level}`, ...attrs }, text);
}

/** The screen's h1: the focus target after a route change (router.ts). */
export function pageTitle(text: string): HTMLHeadingElement {
  return h("h1", { class: "utrecht-heading-1", tabindex: "-1", "data-page-title": "" }, text);
}

export function paragraph(...children: Child[]): HTMLParagraphElement {
  return h("p", { class: "utrecht-paragraph" }, ...children);
}

export function alertBox(
  kind: "info" | "ok" | "warning" | "error",
  ...children: Child[]
): HTMLDivElement {
  return h(
    "div",
    { class: `utrecht-alert utrecht-alert--${kind}`, role: kind === "error" ? "alert" : "status" },
    h("div", { class: "utrecht-alert__content" }, ...children),
  );
}

export function loading(): HTMLParagraphElement {
  return h("p", { class: "utrecht-paragraph", role: "status" }, t("common.loading"));
}

export function link(href: string, text: string, attrs: Record<string, string> = {}) {
  return h("a", { class: "utrecht-link utrecht-link--html-a", href, ...attrs }, text);
}

export interface Column<T> {
  header: string;
  cell: (row: T) => Child;
  numeric?: boolean;
}

export function table<T>(
  caption: string,
  columns: Column<T>[],
  rows: T[],
  rowAttrs?: (row: T) => Record<string, string>,
): HTMLDivElement {
  const head = h(
    "tr",
    { class: "utrecht-table__row" },
    columns.map((c) =>
      h(
        "th",
        {
          class: `utrecht-table__header-cell${c.numeric ? " utrecht-table__header-cell--numeric-column" : ""}`,
          scope: "col",
        },
        c.header,
      ),
    ),
  );
  const body = rows.map((row) =>
    h(
      "tr",
      { class: "utrecht-table__row", ...(rowAttrs?.(row) ?? {}) },
      columns.map((c, i) =>
        h(
          i === 0 ? "th" : "td",
          {
            class: `utrecht-table__cell${c.numeric ? " utrecht-table__cell--numeric-data" : ""}`,
            scope: i === 0 ? "row" : null,
          },
          c.cell(row),
        ),
      ),
    ),
  );
  // The scrolling container takes keyboard focus so a wide table can be scrolled without
  // a mouse at 360 px (axe: scrollable-region-focusable), and so needs a name: the caption's.
  // It is a group, not a region: a region is a landmark, and a table inside a section
  // headed by the same words made two landmarks of one name (axe: landmark-unique).
  const captionId = uid("tcap");
  return h(
    "div",
    {
      class: "utrecht-table-container table-scroll",
      tabindex: "0",
      role: "group",
      "aria-labelledby": captionId,
    },
    h(
      "table",
      { class: "utrecht-table utrecht-table--html-table" },
      h("caption", { class: "utrecht-table__caption", id: captionId }, caption),
      h("thead", { class: "utrecht-table__header" }, head),
      h("tbody", { class: "utrecht-table__body" }, body),
    ),
  );
}

// --- forms ---------------------------------------------------------------

export interface Field {
  name: string;
  wrap: HTMLDivElement;
  control: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;
  setErrors: (messages: string[]) => void;
  /** A control whose value is not its text (combobox.ts: a code, while it shows a name). */
  read?: () => string;
  write?: (value: string) => void;
}

export interface FieldOptions {
  name: string;
  label: string;
  type?: string;
  required?: boolean;
  value?: string;
  options?: { value: string; label: string }[];
  multiline?: boolean;
  description?: string;
  autocomplete?: string;
}

export function field(o: FieldOptions): Field {
  const id = uid(`f-${o.name}`);
  const errorId = `${id}-error`;
  const descId = o.description ? `${id}-desc` : null;
  let control: Field["control"];
  if (o.options) {
    control = h(
      "select",
      {
        id,
        name: o.name,
        class: "utrecht-select utrecht-select--html-select",
        required: o.required,
      },
      o.options.map((opt) =>
        h("option", { value: opt.value, selected: opt.value === (o.value ?? "") }, opt.label),
      ),
    );
  } else if (o.multiline) {
    control = h("textarea", {
      id,
      name: o.name,
      rows: 4,
      class: "utrecht-textarea utrecht-textarea--html-textarea",
      required: o.required,
    });
    control.value = o.value ?? "";
  } else {
    control = h("input", {
      id,
      name: o.name,
      type: o.type ?? "text",
      class: "utrecht-textbox utrecht-textbox--html-input",
      required: o.required,
      autocomplete: o.autocomplete,
      value: o.value,
    });
  }
  if (descId) control.setAttribute("aria-describedby", descId);
  const error = h("div", { class: "utrecht-form-field-error-message", id: errorId, hidden: true });
  const wrap = h(
    "div",
    { class: "utrecht-form-field utrecht-form-field--distanced", "data-field": o.name },
    h(
      "div",
      { class: "utrecht-form-field__label" },
      h(
        "label",
        { class: "utrecht-form-label", for: id },
        o.label,
        o.required ? h("span", { class: "required-hint" }, ` (${t("common.required")})`) : null,
      ),
    ),
    descId
      ? h("div", { class: "utrecht-form-field-description", id: descId }, o.description)
      : null,
    error,
    h("div", { class: "utrecht-form-field__input" }, control),
  );
  const setErrors = (messages: string[]) => {
    clear(error);
    const invalid = messages.length > 0;
    error.hidden = !invalid;
    wrap.classList.toggle("utrecht-form-field--invalid", invalid);
    control.classList.toggle(
      control instanceof HTMLSelectElement ? "utrecht-select--invalid" : "utrecht-textbox--invalid",
      invalid,
    );
    if (invalid) {
      error.append(messages.join(" "));
      control.setAttribute("aria-invalid", "true");
      control.setAttribute("aria-describedby", [descId, errorId].filter(Boolean).join(" "));
    } else {
      control.removeAttribute("aria-invalid");
      if (descId) control.setAttribute("aria-describedby", descId);
      else control.removeAttribute("aria-describedby");
    }
  };
  return { name: o.name, wrap, control, setErrors };
}

/** What a button does when pressed; when it answers a promise (a download, a status move),
 * the button is busy until it settles (busy.ts: a spinner, no second press). */
export type ButtonAction = (event: MouseEvent) => void | Promise<unknown>;

export function button(
  text: string,
  attrs: Record<string, string | boolean | EventListener | ButtonAction> = {},
  kind: "primary" | "secondary" | "subtle" = "primary",
): HTMLButtonElement {
  const { onclick, ...rest } = attrs;
  const el = h(
    "button",
    {
      type: "button",
      class: `utrecht-button utrecht-button--${kind}-action`,
      ...(rest as Record<string, string | boolean | EventListener>),
    },
    text,
  );
  if (typeof onclick === "function") {
    el.addEventListener("click", (event) => {
      const result = onclick(event);
      if (result instanceof Promise) void busy(el, result);
    });
  }
  return el;
}

export function optionList(
  values: readonly string[],
  name: (v: string) => string,
  allLabel?: string,
): { value: string; label: string }[] {
  const opts = values.map((v) => ({ value: v, label: name(v) }));
  return allLabel === undefined ? opts : [{ value: "", label: allLabel }, ...opts];
}

/** A failure in Dutch (or English) for people, never the API's English `detail`
 * (problems.ts looks up the problem's type, else its status). */
export function errorText(error: unknown): string {
  return errorMessage(error);
}

/** An error where a screen's content would be. */
export function errorBox(error: unknown): HTMLDivElement {
  return alertBox("error", paragraph(errorText(error)));
}
