// A scenario's form: name, description and its changes, a fieldset per change with the
// fields of its kind (a rate, a location's places, occupancy, a new location, a closing,
// a cost). Field names are the API's error names (`changes.0.rate.factor`), so each
// problem of a 400 lands at its field, worded in Dutch from its code.

import { patch, post } from "../api";
import { h } from "../dom";
import {
  bpToPercent,
  CHANGE_KINDS,
  percentToBp,
  type ScenarioChange,
  type ScenarioChangeKind,
  type ScenarioRead,
} from "../forecast-shape";
import {
  clearProblems,
  errorSummary,
  isStale,
  setValue,
  showLocalProblems,
  showMessage,
  showProblems,
  values,
} from "../forms";
import { label, t } from "../i18n";
import { moneyInput, parseMoney } from "../money";
import type { Location, Scheme } from "../types";
import { button, field, heading, type Field } from "../ui";

export interface Choices {
  schemes: Scheme[];
  locations: Location[];
}

const LOCATION_KINDS = [
  "municipal_ukrainian",
  "private_hosting",
  "asylum_center",
  "amv_small_scale",
  "emergency",
] as const;
const CATEGORIES = [
  "staff",
  "activities",
  "location",
  "living_allowance",
  "health",
  "transport",
  "communication",
  "volunteers",
  "other",
] as const;

interface ChangeBox {
  kind: Field;
  fields: Field[]; // startsOn, endsOn, then the kind's own
  box: HTMLElement;
}

function own(kind: ScenarioChangeKind, prefix: string, c: Choices): Field[] {
  const name = (n: string) => `${prefix}.${kind}.${n}`;
  const locations = c.locations.map((l) => ({ value: l.id, label: l.name }));
  const none = (text: string) => [{ value: "", label: text }];
  const kinds = LOCATION_KINDS.map((k) => ({ value: k, label: label("locationKind", k) }));
  switch (kind) {
    case "rate":
      return [
        field({
          name: name("schemeId"),
          label: t("scenarios.scheme"),
          options: c.schemes.map((s) => ({ value: s.id, label: `${s.code}: ${s.name}` })),
        }),
        field({ name: name("factor"), label: t("scenarios.factor") }),
        field({ name: name("amount"), label: t("scenarios.amount") }),
      ];
    case "capacity":
      return [
        field({ name: name("locationId"), label: t("scenarios.location"), options: locations }),
        field({ name: name("capacity"), label: t("scenarios.capacity"), type: "number" }),
      ];
    case "occupancy":
      return [
        field({
          name: name("locationId"),
          label: t("scenarios.location"),
          options: [...none(t("scenarios.anyLocation")), ...locations],
        }),
        field({
          name: name("locationKind"),
          label: t("scenarios.locationKind"),
          options: [...none(t("scenarios.anyKind")), ...kinds],
        }),
        field({ name: name("rateBp"), label: t("scenarios.ratePercent") }),
      ];
    case "location_open":
      return [
        field({ name: name("name"), label: t("scenarios.newName") }),
        field({ name: name("locationKind"), label: t("scenarios.locationKind"), options: kinds }),
        field({ name: name("capacity"), label: t("scenarios.capacity"), type: "number" }),
        field({ name: name("rateBp"), label: t("scenarios.ratePercent") }),
      ];
    case "location_close":
      return [
        field({ name: name("locationId"), label: t("scenarios.location"), options: locations }),
      ];
    case "cost":
      return [
        field({
          name: name("category"),
          label: t("scenarios.category"),
          options: CATEGORIES.map((k) => ({ value: k, label: label("expenseCategory", k) })),
        }),
        field({ name: name("amountPerQuarter"), label: t("scenarios.amountPerQuarter") }),
      ];
  }
}

/** The form; `onDone` is called with the saved scenario. */
export function scenarioForm(
  choices: Choices,
  existing: ScenarioRead | null,
  onDone: (saved: ScenarioRead) => void,
  onCancel: () => void,
): HTMLElement {
  const summary = errorSummary();
  const fName = field({ name: "name", label: t("scenarios.name"), required: true });
  const fDesc = field({ name: "description", label: t("scenarios.description"), multiline: true });
  setValue(fName, existing?.name);
  setValue(fDesc, existing?.description);
  const list = h("div", { class: "scenario-changes" });
  const boxes: ChangeBox[] = [];

  const renumber = () => {
    const kept = boxes.map((b) => ({ kind: b.kind.control.value, v: values(b.fields) }));
    boxes.length = 0;
    list.replaceChildren();
    kept.forEach((k, i) => addChange(k.kind as ScenarioChangeKind, i, k.v));
  };

  function addChange(kind: ScenarioChangeKind, at: number, old: Record<string, string> = {}) {
    const prefix = `changes.${at}`;
    const fKind = field({
      name: `${prefix}.kind`,
      label: t("scenarios.kind"),
      options: CHANGE_KINDS.map((k) => ({ value: k, label: t(`scenarioKind.${k}`) })),
      value: kind,
    });
    const fields = [
      field({ name: `${prefix}.${kind}.startsOn`, label: t("scenarios.startsOn"), type: "date" }),
      field({ name: `${prefix}.${kind}.endsOn`, label: t("scenarios.endsOn"), type: "date" }),
      ...own(kind, prefix, choices),
    ];
    for (const f of fields) {
      const short = f.name.split(".").pop()!;
      const found = Object.entries(old).find(([n]) => n.endsWith(`.${short}`));
      if (found) setValue(f, found[1]);
    }
    const n = at + 1;
    const box = h(
      "fieldset",
      { class: "utrecht-form-fieldset card", "data-testid": `change-${at}` },
      h("legend", { class: "utrecht-form-fieldset__legend" }, t("scenarios.changeTitle", { n })),
      fKind.wrap,
      fields.map((f) => f.wrap),
      button(
        t("scenarios.removeChange", { n }),
        {
          onclick: () => {
            boxes.splice(at, 1);
            renumber();
          },
        },
        "subtle",
      ),
    );
    fKind.control.addEventListener("change", () => {
      boxes[at] = { kind: fKind, fields, box };
      const v = values(fields);
      boxes.splice(at, 1);
      const rest = boxes.map((b) => ({ kind: b.kind.control.value, v: values(b.fields) }));
      rest.splice(at, 0, { kind: fKind.control.value, v });
      boxes.length = 0;
      list.replaceChildren();
      rest.forEach((k, i) => addChange(k.kind as ScenarioChangeKind, i, k.v));
    });
    boxes.splice(at, 0, { kind: fKind, fields, box });
    list.append(box);
  }

  for (const [i, c] of (existing?.changes ?? []).entries()) addChange(c.kind, i, flat(c, i));

  const form = h(
    "form",
    { class: "card", "aria-labelledby": "sc-form-h", novalidate: true },
    heading(2, existing ? t("scenarios.editTitle", { name: existing.name }) : t("scenarios.new"), {
      id: "sc-form-h",
    }),
    summary,
    fName.wrap,
    fDesc.wrap,
    list,
    h(
      "div",
      { class: "button-row" },
      button(
        t("scenarios.addChange"),
        { onclick: () => addChange("rate", boxes.length) },
        "secondary",
      ),
      h(
        "button",
        { type: "submit", class: "utrecht-button utrecht-button--primary-action" },
        t("scenarios.save"),
      ),
      button(t("scenarios.cancel"), { onclick: onCancel }, "subtle"),
    ),
  );
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const all = [fName, fDesc, ...boxes.flatMap((b) => [b.kind, ...b.fields])];
    clearProblems(all, summary);
    const local: { name: string; detail: string }[] = [];
    const changes = boxes.map((b) => body(b, local));
    if (local.length) return showLocalProblems(all, summary, local);
    const data = {
      name: fName.control.value.trim(),
      description: fDesc.control.value.trim() || null,
      changes,
    };
    const save = existing
      ? patch<ScenarioRead>(`/scenarios/${existing.id}`, data, existing.version)
      : post<ScenarioRead>("/scenarios", data);
    save.then(onDone, (error: unknown) => {
      if (isStale(error)) showMessage(all, summary, 412, t("scenarios.stale"));
      else showProblems(all, summary, error);
    });
  });
  return form;
}

/** A stored change as the form's values (occupancy back to a percentage). */
function flat(c: ScenarioChange, i: number): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(c)) {
    if (k === "kind" || v === null || v === undefined) continue;
    const text =
      k === "rateBp"
        ? bpToPercent(Number(v))
        : k.startsWith("amount")
          ? moneyInput(String(v))
          : String(v);
    out[`changes.${i}.${c.kind}.${k}`] = text;
  }
  return out;
}

/** One change's JSON from its fields; local problems (a percentage or amount that cannot
 * be read) are added to `local`. */
function body(b: ChangeBox, local: { name: string; detail: string }[]): Record<string, unknown> {
  const out: Record<string, unknown> = { kind: b.kind.control.value };
  for (const f of b.fields) {
    const key = f.name.split(".").pop()!;
    const raw = f.control.value.trim();
    if (raw === "") continue;
    if (key === "rateBp") {
      const bp = percentToBp(raw);
      if (bp === null) local.push({ name: f.name, detail: t("field.percent") });
      out[key] = bp;
    } else if (key === "capacity") {
      out[key] = Number(raw);
    } else if (key === "amount" || key === "amountPerQuarter") {
      const money = parseMoney(raw);
      if (money === null) local.push({ name: f.name, detail: t("scenarios.moneyUnreadable") });
      out[key] = money;
    } else if (key === "factor") {
      out[key] = raw.replace(",", ".");
    } else {
      out[key] = raw;
    }
  }
  return out;
}
