// The forms of the Locatiezoektocht: a new candidate, a stage move, the scores on every
// criterion at once, the location a decided candidate becomes, and a criterion (name,
// weight, explanation). One panel at a time; a save calls `done`. Every problem of the
// API shows at its field in Dutch (problems.ts); a refused move says which moves there are.

import { ApiError, patch, post, put } from "../api";
import { clear, h, onSubmit } from "../dom";
import {
  clearProblems,
  errorSummary,
  isStale,
  setValue,
  showMessage,
  showProblems,
  values,
} from "../forms";
import { label, t } from "../i18n";
import { amsterdamToday } from "../shape";
import {
  MOVES,
  refusedMove,
  stageName,
  type Candidate,
  type Criterion,
  type Scores,
  type Stage,
} from "../shape-pipeline";
import { button, field, heading, optionList, paragraph, type Field } from "../ui";

export const KINDS = [
  "amv_small_scale",
  "asylum_center",
  "municipal_ukrainian",
  "private_hosting",
  "emergency",
] as const;

export interface PartnerOption {
  id: string;
  name: string;
}

const num = (v: string | undefined): number | string | null => {
  if (!v) return null;
  const n = Number(v);
  return Number.isInteger(n) ? n : v; // the API names what is not a whole number
};

function shell(panel: HTMLElement, title: string, ...content: HTMLElement[]): void {
  clear(panel);
  const id = "pipeline-form-title";
  panel.append(
    h(
      "section",
      { class: "card pipeline-form", "aria-labelledby": id },
      heading(2, title, { id, tabindex: "-1" }),
      ...content,
    ),
  );
  panel.querySelector<HTMLElement>(`#${id}`)?.focus();
}

function actions(panel: HTMLElement): HTMLElement {
  return h(
    "div",
    { class: "pipeline-actions" },
    h(
      "button",
      { type: "submit", class: "utrecht-button utrecht-button--primary-action" },
      t("common.save"),
    ),
    button(t("common.cancel"), { onclick: () => clear(panel) }, "secondary"),
  );
}

function form(testid: string, summary: HTMLElement, fields: Field[], panel: HTMLElement) {
  return h(
    "form",
    { novalidate: true, "data-testid": testid },
    summary,
    fields.map((f) => f.wrap),
    actions(panel),
  );
}

/** Runs a save; a 412, a refused move (409 with `allowed`) or a 400 shows on the form. */
async function saving(
  fields: Field[],
  summary: HTMLElement,
  work: () => Promise<unknown>,
  done: () => void,
  from?: Stage,
): Promise<void> {
  try {
    await work();
    done();
  } catch (error) {
    const allowed = (error instanceof ApiError ? error.problem : null) as {
      allowed?: string[];
    } | null;
    if (isStale(error)) showMessage(fields, summary, 412, t("pipeline.form.stale"));
    else if (from && error instanceof ApiError && error.status === 409 && allowed?.allowed)
      showMessage(fields, summary, 409, refusedMove(from, allowed.allowed));
    else showProblems(fields, summary, error);
  }
}

export function candidateForm(panel: HTMLElement, done: (id: string) => void): void {
  const fields = [
    field({ name: "name", label: t("pipeline.form.name"), required: true }),
    field({ name: "address", label: t("pipeline.form.address") }),
    field({
      name: "proposedKind",
      label: t("pipeline.form.kind"),
      required: true,
      options: optionList(KINDS, (v) => label("locationKind", v), t("common.choose")),
    }),
    field({ name: "proposedPlaces", label: t("pipeline.form.places"), type: "number" }),
    field({ name: "plannedMonths", label: t("pipeline.form.months"), type: "number" }),
    field({ name: "owner", label: t("pipeline.form.owner") }),
    field({ name: "note", label: t("pipeline.form.note"), multiline: true }),
  ];
  const summary = errorSummary();
  const f = form("candidate-form", summary, fields, panel);
  onSubmit(f, async (e) => {
    e.preventDefault();
    clearProblems(fields, summary);
    const v = values(fields);
    const body = {
      name: v.name,
      address: v.address || null,
      proposedKind: v.proposedKind || null,
      proposedPlaces: num(v.proposedPlaces),
      plannedMonths: num(v.plannedMonths),
      owner: v.owner || null,
      note: v.note || null,
    };
    let id = "";
    await saving(
      fields,
      summary,
      async () => (id = (await post<Candidate>("/candidate-locations", body)).id),
      () => done(id),
    );
  });
  shell(panel, t("pipeline.form.addTitle"), f);
}

export function moveForm(panel: HTMLElement, c: Candidate, done: () => void): void {
  // Every stage is offered, so that a move the rules refuse is explained, not hidden.
  const next = MOVES[c.stage][0] ?? "";
  const fields = [
    field({
      name: "stage",
      label: t("pipeline.form.stage"),
      required: true,
      options: optionList(
        ["idea", "investigation", "proposed", "decided", "rejected", "withdrawn"],
        stageName,
      ),
    }),
    field({ name: "changedOn", label: t("pipeline.form.changedOn"), type: "date", required: true }),
    field({ name: "note", label: t("pipeline.form.stageNote"), multiline: true }),
  ];
  setValue(fields[0]!, next || c.stage);
  setValue(fields[1]!, amsterdamToday());
  const summary = errorSummary();
  const f = form("move-form", summary, fields, panel);
  onSubmit(f, async (e) => {
    e.preventDefault();
    clearProblems(fields, summary);
    const v = values(fields);
    const body = { stage: v.stage, changedOn: v.changedOn || null, note: v.note || null };
    await saving(
      fields,
      summary,
      () => post(`/candidate-locations/${c.id}/stage`, body),
      done,
      c.stage,
    );
  });
  shell(panel, t("pipeline.form.moveTitle"), f);
}

export function scoreForm(
  panel: HTMLElement,
  c: Candidate,
  criteria: Criterion[],
  current: Scores,
  done: () => void,
): void {
  const had = new Map(current.items.map((s) => [s.criterionId, s]));
  const fields: Field[] = [];
  criteria.forEach((cr, i) => {
    const score = field({
      name: `items.${i}.score`,
      label: t("pipeline.form.scoreOf", { criterion: cr.name }),
      options: [
        { value: "", label: t("pipeline.form.notScored") },
        ...["0", "1", "2", "3", "4", "5"].map((n) => ({ value: n, label: n })),
      ],
    });
    const note = field({
      name: `items.${i}.note`,
      label: t("pipeline.form.noteOf", { criterion: cr.name }),
    });
    setValue(score, had.has(cr.id) ? String(had.get(cr.id)!.score) : "");
    setValue(note, had.get(cr.id)?.note ?? "");
    fields.push(score, note);
  });
  const summary = errorSummary();
  const f = form("score-form", summary, fields, panel);
  onSubmit(f, async (e) => {
    e.preventDefault();
    clearProblems(fields, summary);
    const v = values(fields);
    // Only the scored criteria are sent; their index in `items` is their place in the form
    // list, so that a problem with `items.2.score` lands at the right field.
    const items = criteria.map((cr, i) => ({
      criterionId: cr.id,
      score: num(v[`items.${i}.score`]),
      note: v[`items.${i}.note`] || null,
    }));
    const scored = items.filter((x) => x.score !== null);
    const body = { items: scored.length === items.length ? items : scored };
    await saving(
      fields,
      summary,
      () =>
        put(`/candidate-locations/${c.id}/scores`, body).catch((error: unknown) => {
          throw renumber(error, items, scored);
        }),
      done,
    );
  });
  shell(panel, t("pipeline.form.scoreTitle"), paragraph(t("pipeline.form.scoreHelp")), f);
}

/** The API names `items.<n>` in the list sent; the form's fields count every criterion. */
function renumber(error: unknown, all: object[], sent: object[]): unknown {
  if (!(error instanceof ApiError) || !error.problem?.errors) return error;
  for (const err of error.problem.errors) {
    const m = /^items\.(\d+)\.(.*)$/.exec(err.name);
    if (m) err.name = `items.${all.indexOf(sent[Number(m[1])]!)}.${m[2]}`;
  }
  return error;
}

export function locationForm(
  panel: HTMLElement,
  c: Candidate,
  partners: PartnerOption[],
  done: () => void,
): void {
  const fields = [
    field({ name: "location.name", label: t("pipeline.form.name"), required: true }),
    field({ name: "location.address", label: t("pipeline.form.address"), required: true }),
    field({ name: "location.postcode", label: t("pipeline.form.postcode"), required: true }),
    field({
      name: "location.kind",
      label: t("pipeline.form.kind"),
      required: true,
      options: optionList(KINDS, (v) => label("locationKind", v), t("common.choose")),
    }),
    field({
      name: "location.operatorPartnerId",
      label: t("pipeline.form.operator"),
      required: true,
      options: [
        { value: "", label: t("common.choose") },
        ...partners.map((p) => ({ value: p.id, label: p.name })),
      ],
    }),
    field({
      name: "location.openedOn",
      label: t("pipeline.form.openedOn"),
      type: "date",
      required: true,
    }),
    field({ name: "location.capacity", label: t("pipeline.form.capacity"), type: "number" }),
  ];
  const [fName, fAddress, , fKind, fOperator, , fCapacity] = fields;
  setValue(fName!, c.name);
  setValue(fAddress!, c.address);
  setValue(fKind!, c.proposedKind);
  setValue(fOperator!, c.operatorPartnerId);
  setValue(fCapacity!, c.proposedPlaces === null ? "" : String(c.proposedPlaces));
  const summary = errorSummary();
  const f = form("location-form", summary, fields, panel);
  onSubmit(f, async (e) => {
    e.preventDefault();
    clearProblems(fields, summary);
    const v = values(fields);
    const location = {
      name: v["location.name"],
      address: v["location.address"],
      postcode: v["location.postcode"],
      kind: v["location.kind"] || null,
      operatorPartnerId: v["location.operatorPartnerId"] || null,
      openedOn: v["location.openedOn"] || null,
      capacity: num(v["location.capacity"]),
    };
    await saving(
      fields,
      summary,
      () => post(`/candidate-locations/${c.id}/location`, { location }),
      done,
    );
  });
  shell(panel, t("pipeline.form.locationTitle"), paragraph(t("pipeline.form.locationHelp")), f);
}

export function criterionForm(panel: HTMLElement, cr: Criterion | null, done: () => void): void {
  const fields = cr
    ? [field({ name: "weight", label: t("pipeline.criteria.weight"), type: "number" })]
    : [
        field({ name: "name", label: t("pipeline.criteria.name"), required: true }),
        field({ name: "weight", label: t("pipeline.criteria.weight"), type: "number" }),
        field({ name: "description", label: t("pipeline.criteria.description"), multiline: true }),
      ];
  const weight = fields.find((x) => x.name === "weight")!;
  setValue(weight, String(cr?.weight ?? 1));
  const summary = errorSummary();
  const f = form("criterion-form", summary, fields, panel);
  onSubmit(f, async (e) => {
    e.preventDefault();
    clearProblems(fields, summary);
    const v = values(fields);
    await saving(
      fields,
      summary,
      () =>
        cr
          ? patch(`/housing-criteria/${cr.id}`, { weight: num(v.weight) }, cr.version)
          : post("/housing-criteria", {
              name: v.name,
              weight: num(v.weight),
              description: v.description || null,
            }),
      done,
    );
  });
  shell(panel, t(cr ? "pipeline.criteria.editTitle" : "pipeline.criteria.addTitle"), f);
}
