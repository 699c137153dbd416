// "Besluiten en voorwaarden": the decisions about a location (or all of them), each with
// its conditions. Staff (admin, coordinator) add decisions and conditions and evaluate a
// condition; other roles read. Used on a location's page and on the screen /besluiten.

import "../decisions.css";
import { get, patch, post } from "../api";
import type { components } from "../api-types.gen";
import { h, onSubmit } from "../dom";
import { clearProblems, errorSummary, showProblems, values } from "../forms";
import { formatDate, label, t } from "../i18n";
import { loadOwners } from "../signal-owners";
import type { Page } from "../types";
import { alertBox, errorBox, field, heading, link, paragraph, table, type Field } from "../ui";

export type Decision = components["schemas"]["DecisionRead"];
export type Condition = components["schemas"]["ConditionRead"];
const BODIES = ["council", "college", "mayor"] as const;
const OUTCOMES = ["met", "not_met", "withdrawn"] as const;

interface Reloads {
  added: () => void;
  evaluated: () => void;
}

export interface DecisionsOptions {
  /** One location's decisions, with the form to add one; none: every decision. */
  locationId?: string;
  /** Admin or coordinator: the forms. */
  acts: boolean;
  /** Called with the decisions after each load (the capacity history names them). */
  onLoad?: (decisions: Decision[]) => void;
}

/** Nothing or an empty string means "not given" for an optional field. */
function optional(v: string | undefined): string | null {
  return v ? v : null;
}

function form(
  testid: string,
  labelledBy: string,
  fields: Field[],
  submitText: string,
  send: (v: Record<string, string>) => Promise<unknown>,
  done: () => void,
): HTMLFormElement {
  const summary = errorSummary();
  const submit = h(
    "button",
    { type: "submit", class: "utrecht-button utrecht-button--primary-action" },
    submitText,
  );
  const el = h(
    "form",
    { novalidate: true, "data-testid": testid, "aria-labelledby": labelledBy, class: "dec-form" },
    summary,
    fields.map((f) => f.wrap),
    submit,
  );
  onSubmit(el, async (e) => {
    e.preventDefault();
    clearProblems(fields, summary);
    submit.disabled = true;
    try {
      await send(values(fields));
      done();
    } catch (error) {
      showProblems(fields, summary, error);
    } finally {
      submit.disabled = false;
    }
  });
  return el;
}

/** A form behind a disclosure, so the list stays readable. */
function disclosure(text: string, testid: string, body: (headingId: string) => Node): HTMLElement {
  const id = `${testid}-h`;
  return h(
    "details",
    { class: "dec-details", "data-testid": `${testid}-open` },
    h("summary", { id }, text),
    body(id),
  );
}

function statusCell(c: Condition): HTMLElement {
  return h(
    "span",
    { class: `dec-status dec-status--${c.status}`, "data-testid": "condition-status" },
    label("conditionStatus", c.status),
    c.overdue ? h("span", { class: "overdue-badge" }, ` (${t("conditions.overdue")})`) : null,
  );
}

function evaluateForm(c: Condition, reload: () => void): HTMLElement {
  return disclosure(
    t("conditions.evaluateWhat", { description: c.description }),
    `evaluate-${c.id}`,
    (hid) =>
      form(
        "evaluate-form",
        hid,
        [
          field({
            name: "status",
            label: t("conditions.outcome"),
            options: OUTCOMES.map((s) => ({ value: s, label: label("conditionStatus", s) })),
            required: true,
          }),
          field({
            name: "evidence",
            label: t("conditions.evidence"),
            description: t("conditions.evidenceHint"),
            multiline: true,
            required: true,
          }),
          field({
            name: "evaluatedOn",
            label: t("conditions.evaluatedOn"),
            description: t("conditions.evaluatedOnHint"),
            type: "date",
          }),
        ],
        t("conditions.evaluate"),
        (v) =>
          patch(
            `/conditions/${c.id}`,
            {
              status: v.status,
              evidence: optional(v.evidence),
              ...(v.evaluatedOn ? { evaluatedOn: v.evaluatedOn } : {}),
            },
            c.version,
          ),
        reload,
      ),
  );
}

function conditionsTable(d: Decision, conditions: Condition[]): HTMLElement {
  if (!conditions.length) return paragraph(t("decisions.noConditions"));
  return table(
    `${t("decisions.conditions")}: ${d.reference}`,
    [
      { header: t("conditions.description"), cell: (c) => c.description },
      { header: t("conditions.evaluateOn"), cell: (c) => formatDate(c.evaluateOn) },
      { header: t("conditions.status"), cell: (c) => statusCell(c) },
      {
        header: t("conditions.evaluatedOn"),
        cell: (c) => [
          formatDate(c.evaluatedOn),
          c.evidence ? h("p", { class: "dec-evidence" }, c.evidence) : null,
        ],
      },
      { header: t("conditions.owner"), cell: (c) => c.ownerEmail ?? t("conditions.noOwner") },
    ],
    conditions,
  );
}

function conditionForm(
  d: Decision,
  owners: { value: string; label: string }[],
  reload: () => void,
) {
  return disclosure(t("conditions.addFor", { reference: d.reference }), `add-cond-${d.id}`, (hid) =>
    form(
      "condition-form",
      hid,
      [
        field({
          name: "description",
          label: t("conditions.description"),
          multiline: true,
          required: true,
        }),
        field({
          name: "evaluateOn",
          label: t("conditions.evaluateOn"),
          type: "date",
          required: true,
        }),
        field({ name: "ownerUserId", label: t("conditions.owner"), options: owners }),
      ],
      t("conditions.add"),
      (v) =>
        post(`/decisions/${d.id}/conditions`, {
          description: v.description,
          evaluateOn: optional(v.evaluateOn),
          ownerUserId: optional(v.ownerUserId),
        }),
      reload,
    ),
  );
}

function decisionForm(locationId: string, reload: () => void): HTMLElement {
  return disclosure(t("decisions.add"), "add-decision", (hid) =>
    form(
      "decision-form",
      hid,
      [
        field({ name: "decidedOn", label: t("decisions.decidedOn"), type: "date", required: true }),
        field({
          name: "body",
          label: t("decisions.body"),
          options: BODIES.map((b) => ({ value: b, label: label("decisionBody", b) })),
          required: true,
        }),
        field({ name: "reference", label: t("decisions.reference"), required: true }),
        field({ name: "summary", label: t("decisions.summary"), multiline: true, required: true }),
        field({
          name: "documentUrl",
          label: t("decisions.documentUrl"),
          description: t("decisions.documentUrlHint"),
          type: "url",
        }),
      ],
      t("decisions.add"),
      (v) =>
        post("/decisions", {
          locationId,
          decidedOn: optional(v.decidedOn),
          body: v.body,
          reference: v.reference,
          summary: v.summary,
          documentUrl: optional(v.documentUrl),
        }),
      reload,
    ),
  );
}

function decisionArticle(
  d: Decision,
  conditions: Condition[],
  o: DecisionsOptions,
  owners: { value: string; label: string }[],
  reloads: Reloads,
): HTMLElement {
  const hid = `dec-${d.id}`;
  const facts: [string, Node | string][] = [
    [t("decisions.reference"), d.reference],
    [t("decisions.summary"), d.summary],
  ];
  if (!o.locationId && d.locationId)
    facts.unshift([
      t("decisions.location"),
      link(`/locaties/${d.locationId}`, d.locationName ?? ""),
    ]);
  if (d.documentUrl)
    facts.push([
      t("decisions.documentUrl"),
      h(
        "a",
        {
          class: "utrecht-link",
          href: d.documentUrl,
          rel: "noopener noreferrer",
          "aria-label": t("decisions.documentOf", { reference: d.reference }),
        },
        t("decisions.document"),
      ),
    ]);
  return h(
    "article",
    { class: "decision", "aria-labelledby": hid, "data-testid": "decision" },
    heading(3, `${formatDate(d.decidedOn)} — ${label("decisionBody", d.body)}`, { id: hid }),
    h(
      "dl",
      { class: "utrecht-data-list dec-facts" },
      facts.map(([k, v]) =>
        h(
          "div",
          { class: "utrecht-data-list__item" },
          h("dt", { class: "utrecht-data-list__item-key" }, k),
          h("dd", { class: "utrecht-data-list__item-value" }, v),
        ),
      ),
    ),
    h("h4", { class: "utrecht-heading-4" }, t("decisions.conditions")),
    conditionsTable(d, conditions),
    o.acts
      ? conditions.filter((c) => c.status === "open").map((c) => evaluateForm(c, reloads.evaluated))
      : null,
    o.acts ? conditionForm(d, owners, reloads.added) : null,
  );
}

/** The section; it loads itself, and reloads after each saved form. */
export function decisionsSection(o: DecisionsOptions): HTMLElement {
  const body = h("div", { "aria-live": "polite" }, paragraph(t("common.loading")));
  const section = h(
    "section",
    { class: "card decisions", "aria-labelledby": "dec-h", "data-testid": "decisions" },
    heading(2, t("decisions.title"), { id: "dec-h" }),
    paragraph(o.locationId ? t("decisions.hint") : t("decisions.screenHint")),
    body,
  );
  let flash = "";
  const load = async () => {
    const query = o.locationId ? { locationId: o.locationId } : {};
    try {
      const [decisions, conditions, owners] = await Promise.all([
        get<Page<Decision>>("/decisions", { ...query, pageSize: 200 }).then((p) => p.items),
        get<Page<Condition>>("/conditions", { ...query, pageSize: 500 }).then((p) => p.items),
        o.acts ? loadOwners() : Promise.resolve([]),
      ]);
      const choices = [
        { value: "", label: t("conditions.noOwner") },
        ...owners.map((u) => ({ value: u.id, label: u.email })),
      ];
      const reload = (message: string) => () => {
        flash = message;
        void load();
      };
      o.onLoad?.(decisions);
      body.replaceChildren(
        flash ? alertBox("ok", paragraph(flash)) : "",
        decisions.length ? "" : paragraph(t("decisions.none")),
        ...decisions.map((d) =>
          decisionArticle(
            d,
            conditions.filter((c) => c.decisionId === d.id),
            o,
            choices,
            { added: reload(t("conditions.added")), evaluated: reload(t("conditions.evaluated")) },
          ),
        ),
        o.acts && o.locationId ? decisionForm(o.locationId, reload(t("decisions.added"))) : "",
      );
      // The section is rebuilt after a save: its message shows once, at the top.
      flash = "";
    } catch (error) {
      body.replaceChildren(errorBox(error));
    }
  };
  void load();
  return section;
}
