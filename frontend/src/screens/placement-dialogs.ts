// The dialog the placement tasks share (placement-tasks.ts): a modal form whose local
// checks and the API's rule refusals appear as Dutch sentences at their field
// (shape-placements.ts), and after success the screen redrawn with a message; plus the
// fields the tasks have in common (location with free places per target group on the
// chosen night, a planned departure with its reason, the admin's capacity override).

import "../placements.css";
import { ApiError, get } from "../api";
import { h } from "../dom";
import { errorSummary, showLocalProblems, showMessage, showProblems } from "../forms";
import { formatDate, label, t, type MessageKey, type Params } from "../i18n";
import { navigate } from "../router";
import { amsterdamToday } from "../shape";
import {
  END_REASONS,
  locationChoices,
  placementProblem,
  type Availability,
  type Group,
} from "../shape-placements";
import type { Participant } from "../types";
import { alertBox, field, paragraph, type Field } from "../ui";

let flash: string | null = null;

/** The message of the last task done, shown once at the top of the redrawn screen. */
export function flashBox(): HTMLElement | null {
  const text = flash;
  flash = null;
  return text ? alertBox("ok", paragraph(text)) : null;
}

function reloadWith(text: string): void {
  flash = text;
  navigate(location.pathname + location.search, true);
}

type Fail = (name: string, key: MessageKey, params?: Params) => void;

export interface Step {
  title: string;
  intro: (Node | string)[];
  fields: Field[];
  submitText: string;
  testId: string;
  /** what can be seen before sending: each problem at its field */
  check: (v: Record<string, string>, fail: Fail) => void;
  /** returns the message to show on the redrawn screen; throws what the API answered */
  submit: (v: Record<string, string>) => Promise<string>;
  /** API field names -> the form's (a transfer's `startDate` is its `date`) */
  rename?: Record<string, string>;
}

export function openDialog(step: Step): HTMLDialogElement {
  const titleId = `dlg-${step.testId}`;
  const summary = errorSummary();
  const save = h(
    "button",
    { type: "submit", class: "utrecht-button utrecht-button--primary-action" },
    step.submitText,
  );
  const cancel = h(
    "button",
    { type: "button", class: "utrecht-button utrecht-button--secondary-action" },
    t("placements.cancel"),
  );
  const form = h(
    "form",
    { novalidate: true, class: "placement-form" },
    summary,
    step.fields.map((f) => f.wrap),
    h("div", { class: "placement-form__buttons" }, save, cancel),
  );
  const dialog = h(
    "dialog",
    { class: "placement-dialog", "aria-labelledby": titleId, "data-testid": step.testId },
    h("h2", { class: "utrecht-heading-2", id: titleId }, step.title),
    ...step.intro,
    form,
  );
  const close = () => {
    dialog.close();
    dialog.remove();
  };
  cancel.addEventListener("click", close);
  dialog.addEventListener("cancel", () => dialog.remove());
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    void (async () => {
      const values = Object.fromEntries(step.fields.map((f) => [f.name, f.control.value.trim()]));
      const local: { name: string; detail: string }[] = [];
      step.check(values, (name, key, params) => local.push({ name, detail: t(key, params) }));
      if (local.length > 0) {
        showLocalProblems(step.fields, summary, local);
        return;
      }
      save.disabled = true;
      try {
        const message = await step.submit(values);
        close();
        reloadWith(message);
      } catch (error) {
        showError(step, summary, error);
      } finally {
        save.disabled = false;
      }
    })();
  });
  document.body.append(dialog);
  dialog.showModal();
  (step.fields[0]?.control ?? save).focus();
  return dialog;
}

function showError(step: Step, summary: HTMLElement, error: unknown): void {
  if (error instanceof ApiError && error.status === 412) {
    showMessage(step.fields, summary, 412, t("placements.changed"));
    return;
  }
  const problem = error instanceof ApiError ? error.problem : null;
  const said = error instanceof ApiError && error.status === 409 ? placementProblem(problem) : null;
  if (said) {
    let name = said.field ? (step.rename?.[said.field] ?? said.field) : "";
    // Over capacity is about the place: the way out is another location.
    if (problem?.type?.endsWith(":over-capacity")) name = "locationId";
    if (!step.fields.some((f) => f.name === name)) name = "";
    showLocalProblems(step.fields, summary, [{ name, detail: said.text }]);
    return;
  }
  showProblems(step.fields, summary, error);
}

// --- fields ----------------------------------------------------------------------------

export function locationField(name: string, labelKey: MessageKey): Field {
  const f = field({
    name,
    label: t(labelKey),
    required: true,
    options: [{ value: "", label: t("placements.chooseLocation") }],
  });
  return f;
}

function fillLocations(
  f: Field,
  availability: Availability,
  group: Group | null,
  exclude: string | null,
): void {
  const select = f.control as HTMLSelectElement;
  const chosen = select.value;
  select.replaceChildren(h("option", { value: "" }, t("placements.chooseLocation")));
  for (const g of locationChoices(availability, group, exclude)) {
    select.append(
      h(
        "optgroup",
        { label: g.label },
        g.options.map((o) => h("option", { value: o.value, disabled: o.disabled }, o.label)),
      ),
    );
  }
  select.value = chosen;
}

function groupSummary(holder: HTMLElement, availability: Availability): void {
  holder.replaceChildren(
    h(
      "p",
      { class: "utrecht-paragraph" },
      t("placements.freePerGroup", { date: formatDate(availability.on) }),
    ),
    h(
      "ul",
      { class: "utrecht-unordered-list placement-groups" },
      availability.groups.map((g) =>
        h(
          "li",
          {},
          t("placements.freeGroupLine", { group: label("group", g.targetGroup), free: g.free }),
        ),
      ),
    ),
    h("p", { class: "utrecht-paragraph placement-hint" }, t("placements.groupsNotInterchangeable")),
  );
}

export function endFields(): Field[] {
  return [
    field({
      name: "endDate",
      label: t("placements.plannedEnd"),
      type: "date",
      description: t("placements.plannedEndHint"),
    }),
    field({
      name: "endReason",
      label: t("placements.endReason"),
      description: t("placements.endReasonHint"),
      options: [
        { value: "", label: t("placements.chooseReason") },
        ...END_REASONS.map((r) => ({ value: r, label: label("endReason", r) })),
      ],
    }),
  ];
}

export function overrideField(role: string): Field[] {
  if (role !== "admin") return [];
  return [
    field({
      name: "capacityOverride",
      label: t("placements.overrideReason"),
      description: t("placements.overrideHint"),
      multiline: true,
    }),
  ];
}

/** The checks of the optional departure day and the override, shared by the forms. */
export function checkEnd(v: Record<string, string>, start: string, fail: Fail): void {
  if (v.endDate && start && v.endDate <= start) fail("endDate", "placements.endAfterStart");
  if (v.endDate && !v.endReason) fail("endReason", "placements.reasonWithEnd");
  if (!v.endDate && v.endReason) fail("endDate", "placements.reasonWithEnd");
  if (
    v.capacityOverride !== undefined &&
    v.capacityOverride !== "" &&
    v.capacityOverride.length < 3
  )
    fail("capacityOverride", "placements.overrideTooShort");
}

export function endBody(v: Record<string, string>): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  if (v.endDate) body.endDate = v.endDate;
  if (v.endReason) body.endReason = v.endReason;
  if (v.capacityOverride) body.capacityOverride = { reason: v.capacityOverride };
  return body;
}

function availabilityOn(day: string): Promise<Availability> {
  return get<Availability>("/locations/availability", { on: day });
}

export function watchAvailability(
  dateField: Field,
  locations: Field,
  summaryHolder: HTMLElement,
  group: () => Group | null,
  exclude: string | null,
): () => Promise<void> {
  let current: Availability | null = null;
  const refresh = async () => {
    const day = dateField.control.value || amsterdamToday();
    try {
      current = await availabilityOn(day);
    } catch {
      return; // the list stays as it was; the API answers again on submit
    }
    fillLocations(locations, current, group(), exclude);
    groupSummary(summaryHolder, current);
  };
  dateField.control.addEventListener("change", () => void refresh());
  return async () => {
    await refresh();
  };
}

export function personName(p: Participant | undefined): string {
  if (!p) return "";
  return [p.givenName, p.familyName].filter(Boolean).join(" ") || p.reference;
}

export function locationName(f: Field, id: string): string {
  const option = [...(f.control as HTMLSelectElement).options].find((o) => o.value === id);
  return option?.textContent?.split(":")[0] ?? "";
}
