// The forms of the Doelen screen: a goal (name, theme, explanation, public or not) and an
// indicator (what it measures with the metric's choices, which way is better, public or
// not, and a target per year). Shown in one panel above the goals; a save or a delete
// calls `done` so the screen draws the goals again. Every problem of the API shows at its
// field (params.days, targets.0.value ...) in Dutch, from its code (problems.ts).

import { ApiError, patch, post, request } from "../api";
import { clear, h, onSubmit } from "../dom";
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
import { label, t, type MessageKey, type MessageKind } from "../i18n";
import { parseMoney } from "../money";
import { THEMES } from "../shape-goals";
import type { Goal, Indicator, Metric } from "../types";
import { button, field, heading, optionList, type Field } from "../ui";

// Which label set words a parameter's choices.
const CHOICE_KIND: Record<string, MessageKind> = {
  group: "group",
  activityKind: "activityKind",
  locationKind: "locationKind",
  signalCategory: "signalCategory",
  severity: "severity",
  category: "expenseCategory",
};

/** DELETE with the version last read as If-Match (412 when someone changed it since). */
const del = (path: string, version: number) =>
  request<void>("DELETE", path, { headers: { "If-Match": `"${version}"` } });

const yesNo = () => [
  { value: "false", label: t("common.no") },
  { value: "true", label: t("common.yes") },
];

function shell(panel: HTMLElement, title: string, form: HTMLFormElement): void {
  clear(panel);
  const id = "goal-form-title";
  panel.append(
    h(
      "section",
      { class: "card goal-form", "aria-labelledby": id },
      heading(2, title, { id, tabindex: "-1" }),
      form,
    ),
  );
  panel.querySelector<HTMLElement>(`#${id}`)?.focus();
}

function actions(onCancel: () => void, extra?: HTMLElement | null): HTMLElement {
  return h(
    "div",
    { class: "goal-actions" },
    h(
      "button",
      { type: "submit", class: "utrecht-button utrecht-button--primary-action" },
      t("common.save"),
    ),
    button(t("common.cancel"), { onclick: onCancel }, "secondary"),
    extra,
  );
}

/** A delete button that asks once more before it deletes. */
function deleteButton(run: () => Promise<void>): HTMLButtonElement {
  let armed = false;
  const b = button(
    t("goals.form.delete"),
    {
      "data-testid": "goal-delete",
      onclick: async () => {
        if (!armed) {
          armed = true;
          b.textContent = t("goals.form.confirmDelete");
          return;
        }
        await run();
      },
    },
    "subtle",
  );
  return b;
}

async function saving(
  fields: Field[],
  summary: HTMLElement,
  work: () => Promise<unknown>,
  done: () => void,
): Promise<void> {
  try {
    await work();
    done();
  } catch (error) {
    if (isStale(error)) showMessage(fields, summary, 412, t("goals.form.stale"));
    else if (error instanceof ApiError || error instanceof Error)
      showProblems(fields, summary, error);
    else throw error;
  }
}

export function goalForm(panel: HTMLElement, goal: Goal | null, done: () => void): void {
  const fields = [
    field({ name: "title", label: t("goals.form.titleField"), required: true }),
    field({
      name: "theme",
      label: t("goals.theme"),
      required: true,
      options: [
        { value: "", label: t("common.choose") },
        ...optionList(THEMES, (v) => t(`goals.theme.${v}` as MessageKey)),
      ],
    }),
    field({ name: "description", label: t("goals.form.description"), multiline: true }),
    field({ name: "public", label: t("goals.form.public"), options: yesNo() }),
  ];
  const [fTitle, fTheme, fDescription, fPublic] = fields;
  setValue(fTitle!, goal?.title);
  setValue(fTheme!, goal?.theme);
  setValue(fDescription!, goal?.description);
  setValue(fPublic!, String(goal?.public ?? false));
  const summary = errorSummary();
  const cancel = () => clear(panel);
  const remove = goal
    ? deleteButton(() =>
        saving(fields, summary, () => del(`/goals/${goal.id}`, goal.version), done),
      )
    : null;
  const form = h(
    "form",
    { novalidate: true, "data-testid": "goal-form" },
    summary,
    fields.map((f) => f.wrap),
    actions(cancel, remove),
  );
  onSubmit(form, async (e) => {
    e.preventDefault();
    clearProblems(fields, summary);
    const v = values(fields);
    const body = {
      title: v.title,
      theme: v.theme || null,
      description: v.description || null,
      public: v.public === "true",
    };
    await saving(
      fields,
      summary,
      () => (goal ? patch(`/goals/${goal.id}`, body, goal.version) : post("/goals", body)),
      done,
    );
  });
  shell(panel, t(goal ? "goals.form.editGoal" : "goals.form.addGoal"), form);
}

/** A target as typed ("40", "12,5", "44,00") in the API's notation: a share as a fraction
 * ("0.4000"), euros with two places; null when it is no number. */
export function targetValue(text: string, unit: string): string | null {
  if (unit === "euro") return parseMoney(text);
  const n = Number(text.replace(/\s/g, "").replace(",", "."));
  if (text.trim() === "" || !Number.isFinite(n)) return null;
  return unit === "share" ? (n / 100).toFixed(4) : String(n);
}

/** A stored target as the form shows it: a share in per cent. */
export function targetText(value: string, unit: string): string {
  if (unit !== "share") return value;
  return String(Math.round(Number(value) * 1000000) / 10000);
}

function paramFields(metric: Metric | undefined, current: Record<string, unknown>): Field[] {
  return (metric?.params ?? []).map((p) => {
    const name = `params.${p.name}`;
    const text = t(`goals.param.${p.name}` as MessageKey);
    const f = p.choices
      ? field({
          name,
          label: text,
          required: p.required,
          options: optionList(
            p.choices,
            (v) => label(CHOICE_KIND[p.name] ?? "group", v),
            p.required ? t("common.choose") : t("goals.param.all"),
          ),
        })
      : field({ name, label: text, type: "number", required: p.required });
    const value = current[p.name];
    if (typeof value === "string" || typeof value === "number") setValue(f, String(value));
    return f;
  });
}

export interface IndicatorFormOptions {
  goals: Goal[];
  metrics: Metric[];
  indicator: Indicator | null;
  goalId: string;
  thisYear: number;
  done: () => void;
}

export function indicatorForm(panel: HTMLElement, o: IndicatorFormOptions): void {
  const ind = o.indicator;
  const base = [
    field({
      name: "goalId",
      label: t("goals.form.goal"),
      required: true,
      options: o.goals.map((g) => ({ value: g.id, label: g.title })),
    }),
    field({ name: "title", label: t("goals.form.titleField"), required: true }),
    field({
      name: "metric",
      label: t("goals.metric"),
      required: true,
      options: [
        { value: "", label: t("common.choose") },
        ...o.metrics.map((m) => ({
          value: m.code,
          label: t(`goals.metric.${m.code}` as MessageKey),
        })),
      ],
    }),
    field({
      name: "direction",
      label: t("goals.direction"),
      options: [
        { value: "higher", label: t("goals.direction.higher") },
        { value: "lower", label: t("goals.direction.lower") },
      ],
    }),
    field({ name: "public", label: t("goals.form.public"), options: yesNo() }),
  ];
  const [fGoal, fTitle, fMetric, fDirection, fPublic] = base;
  setValue(fGoal!, ind?.goalId ?? o.goalId);
  setValue(fTitle!, ind?.title);
  setValue(fMetric!, ind?.metric);
  setValue(fDirection!, ind?.direction ?? "higher");
  setValue(fPublic!, String(ind?.public ?? false));
  const years = new Set([o.thisYear - 1, o.thisYear, o.thisYear + 1]);
  for (const target of ind?.targets ?? []) years.add(target.year);
  const targetYears = [...years].sort();
  const paramBox = h("div", { "data-testid": "metric-params" });
  const targetBox = h("fieldset", { class: "utrecht-form-fieldset goal-targets" });
  let params: Field[] = [];
  let targets: { year: number; f: Field }[] = [];
  const metricOf = () => o.metrics.find((m) => m.code === fMetric!.control.value);
  const drawChoices = (keep: boolean) => {
    const metric = metricOf();
    params = paramFields(metric, keep ? (ind?.params ?? {}) : {});
    paramBox.replaceChildren(...params.map((f) => f.wrap));
    const unit = metric?.unit ?? "share";
    const old = Object.fromEntries(targets.map(({ year, f }) => [year, f.control.value]));
    targets = targetYears.map((year) => {
      const f = field({
        name: `target-${year}`,
        label: t(unit === "share" ? "goals.form.targetShare" : "goals.form.targetOther", { year }),
        description: t("goals.form.targetHint"),
      });
      f.control.setAttribute("inputmode", "decimal");
      const stored = (ind?.targets ?? []).find((x) => x.year === year);
      const text = old[year] ?? (stored && keep ? targetText(stored.value, unit) : "");
      setValue(f, text);
      return { year, f };
    });
    targetBox.replaceChildren(
      h("legend", { class: "utrecht-form-fieldset__legend" }, t("goals.form.targets")),
      ...targets.map(({ f }) => f.wrap),
    );
    if (!keep && metric) setValue(fDirection!, metric.direction);
  };
  drawChoices(true);
  fMetric!.control.addEventListener("change", () => drawChoices(false));
  const summary = errorSummary();
  const all = () => [...base, ...params, ...targets.map((x) => x.f)];
  const remove = ind
    ? deleteButton(() =>
        saving(all(), summary, () => del(`/indicators/${ind.id}`, ind.version), o.done),
      )
    : null;
  const form = h(
    "form",
    { novalidate: true, "data-testid": "indicator-form" },
    summary,
    base.slice(0, 3).map((f) => f.wrap),
    paramBox,
    base.slice(3).map((f) => f.wrap),
    targetBox,
    actions(() => clear(panel), remove),
  );
  onSubmit(form, async (e) => {
    e.preventDefault();
    const fields = all();
    clearProblems(fields, summary);
    const v = values(base);
    const unit = metricOf()?.unit ?? "share";
    const chosen: Record<string, string | number> = {};
    for (const f of params) {
      const raw = f.control.value.trim();
      if (raw === "") continue;
      const key = f.name.slice("params.".length);
      chosen[key] = f.control.type === "number" ? Number(raw) : raw;
    }
    const sent: { year: number; value: string }[] = [];
    const local: { name: string; detail: string }[] = [];
    for (const { year, f } of targets) {
      const text = f.control.value.trim();
      if (text === "") continue;
      const value = targetValue(text, unit);
      if (value === null) local.push({ name: f.name, detail: t("goals.form.notANumber") });
      // The API names a target by its place in the list sent: the field follows it.
      f.name = `targets.${sent.length}.value`;
      sent.push({ year, value: value ?? text });
    }
    if (local.length) return showLocalProblems(fields, summary, local);
    const body = {
      goalId: v.goalId,
      title: v.title,
      metric: v.metric,
      params: chosen,
      direction: v.direction,
      public: v.public === "true",
      targets: sent,
    };
    await saving(
      fields,
      summary,
      () => (ind ? patch(`/indicators/${ind.id}`, body, ind.version) : post("/indicators", body)),
      o.done,
    );
    for (const { year, f } of targets) f.name = `target-${year}`;
  });
  shell(panel, t(ind ? "goals.form.editIndicator" : "goals.form.addIndicator"), form);
}
