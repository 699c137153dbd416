// Capaciteitsplan: the planned changes per location (more or fewer places, an opening, a
// closing), which become facts on their day; coordinator and admin add, change (PATCH with
// If-Match) and remove them, finance and the viewer read. Below, the occupancy the
// forecast assumes per location (coordinator, admin and finance set or remove it).

import { ApiError, get, patch, post, request } from "../api";
import { h, onSubmit } from "../dom";
import {
  clearProblems,
  errorSummary,
  isStale,
  setValue,
  showMessage,
  showProblems,
  values,
} from "../forms";
import { formatDate, t } from "../i18n";
import { PLANNED_KINDS, type OccupancyAssumption, type PlannedChange } from "../plan-types";
import type { ScreenContext } from "../screen";
import type { Location, Page } from "../types";
import {
  alertBox,
  button,
  errorBox,
  field,
  heading,
  optionList,
  pageTitle,
  paragraph,
  table,
} from "../ui";

type Kind = (typeof PLANNED_KINDS)[number];
const kindName = (k: string) => t(`plan.cap.kind.${k as Kind}`);

export async function render(ctx: ScreenContext): Promise<void> {
  const role = ctx.session?.role ?? "";
  const plans = role === "admin" || role === "coordinator";
  const assumes = plans || role === "finance";
  ctx.setTitle(t("plan.cap.title"));
  ctx.main.append(pageTitle(t("plan.cap.title")), paragraph(t("plan.cap.intro")));
  let locations: Location[] = [];
  try {
    locations = (await get<Page<Location>>("/locations", { sort: "name", pageSize: 200 })).items;
  } catch (error) {
    ctx.main.append(errorBox(error));
  }
  if (!ctx.alive()) return;
  const list = h("div", { "aria-live": "polite", "data-testid": "plan-list" });
  const occupancy = h("div", { "aria-live": "polite", "data-testid": "assumptions" });
  const form = plans ? planForm(locations, () => void loadPlan()) : null;
  async function loadPlan(): Promise<void> {
    try {
      const page = await get<Page<PlannedChange>>("/planned-capacity-changes", { pageSize: 200 });
      if (!ctx.alive()) return;
      list.replaceChildren(
        page.items.length === 0
          ? paragraph(t("plan.cap.none"))
          : table(
              t("plan.cap.caption"),
              [
                { header: t("plan.cap.location"), cell: (c) => c.locationName },
                { header: t("plan.cap.kind"), cell: (c) => kindName(c.kind) },
                { header: t("plan.cap.day"), cell: (c) => formatDate(c.takesEffectOn) },
                {
                  header: t("plan.cap.places"),
                  cell: (c) => c.capacity ?? t("common.none"),
                  numeric: true,
                },
                {
                  header: t("plan.cap.decision"),
                  cell: (c) => c.decisionReference ?? t("common.none"),
                },
                {
                  header: t("plan.cap.status"),
                  cell: (c) => (c.realisedAt ? t("plan.cap.realised") : t("plan.cap.planned")),
                },
                ...(form
                  ? [
                      {
                        header: t("plan.cap.actions"),
                        cell: (c: PlannedChange) => (c.realisedAt ? "" : form.actions(c)),
                      },
                    ]
                  : []),
              ],
              page.items,
              (c) => ({ "data-plan": c.id }),
            ),
      );
    } catch (error) {
      if (ctx.alive()) list.replaceChildren(errorBox(error));
    }
  }
  async function loadAssumptions(): Promise<void> {
    try {
      const page = await get<Page<OccupancyAssumption>>("/occupancy-assumptions", {
        pageSize: 200,
      });
      if (!ctx.alive()) return;
      const byLocation = new Map(page.items.map((a) => [a.locationId, a]));
      occupancy.replaceChildren(
        table(
          t("plan.occ.caption"),
          [
            { header: t("plan.cap.location"), cell: (l) => l.name },
            {
              header: t("plan.occ.rate"),
              cell: (l) =>
                byLocation.get(l.id)?.ratePercent.replace(".", ",") ?? t("plan.occ.default"),
              numeric: true,
            },
            {
              header: t("plan.cap.note"),
              cell: (l) => byLocation.get(l.id)?.note ?? t("common.none"),
            },
            ...(assumes
              ? [
                  {
                    header: t("plan.cap.actions"),
                    cell: (l: Location) =>
                      byLocation.has(l.id)
                        ? button(
                            t("plan.occ.remove"),
                            {
                              onclick: async () => {
                                await request("DELETE", `/occupancy-assumptions/${l.id}`);
                                await loadAssumptions();
                              },
                              "aria-label": t("plan.occ.removeLabel", { location: l.name }),
                            },
                            "secondary",
                          )
                        : "",
                  },
                ]
              : []),
          ],
          locations,
          (l) => ({ "data-location": l.id }),
        ),
      );
    } catch (error) {
      if (ctx.alive()) occupancy.replaceChildren(errorBox(error));
    }
  }
  ctx.main.append(
    h(
      "section",
      { class: "card", "aria-labelledby": "pl-h" },
      heading(2, t("plan.cap.listTitle"), { id: "pl-h" }),
      list,
    ),
    form ? form.section : "",
    h(
      "section",
      { class: "card", "aria-labelledby": "oc-h" },
      heading(2, t("plan.occ.title"), { id: "oc-h" }),
      paragraph(t("plan.occ.intro")),
      occupancy,
      assumes ? assumptionForm(locations, () => void loadAssumptions()) : "",
    ),
  );
  await Promise.all([loadPlan(), loadAssumptions()]);
  ctx.ready();
}

function submitButton(text: string): HTMLButtonElement {
  return h(
    "button",
    { type: "submit", class: "utrecht-button utrecht-button--primary-action" },
    text,
  );
}

function planForm(locations: Location[], reload: () => void) {
  const fields = [
    field({
      name: "locationId",
      label: t("plan.cap.location"),
      required: true,
      options: [
        { value: "", label: t("common.choose") },
        ...locations.map((l) => ({ value: l.id, label: l.name })),
      ],
    }),
    field({
      name: "kind",
      label: t("plan.cap.kind"),
      required: true,
      options: optionList(PLANNED_KINDS, kindName),
    }),
    field({ name: "takesEffectOn", label: t("plan.cap.day"), type: "date", required: true }),
    field({
      name: "capacity",
      label: t("plan.cap.places"),
      type: "number",
      description: t("plan.cap.placesHint"),
    }),
    field({ name: "decisionReference", label: t("plan.cap.decision") }),
    field({ name: "note", label: t("plan.cap.note") }),
  ];
  const byName = new Map(fields.map((f) => [f.name, f]));
  const summary = errorSummary();
  const done = h("div", { "aria-live": "polite", "data-testid": "plan-done" });
  const title = heading(2, t("plan.cap.add"), { id: "pf-h", tabindex: "-1" });
  const submit = submitButton(t("plan.cap.add"));
  const cancel = button(
    t("plan.cap.cancel"),
    { onclick: () => show(null), hidden: true },
    "secondary",
  );
  let editing: PlannedChange | null = null;
  function show(change: PlannedChange | null): void {
    editing = change;
    clearProblems(fields, summary);
    for (const key of [
      "locationId",
      "kind",
      "takesEffectOn",
      "decisionReference",
      "note",
    ] as const) {
      setValue(byName.get(key)!, change?.[key] ?? (key === "kind" ? "capacity" : ""));
    }
    setValue(
      byName.get("capacity")!,
      change?.capacity === null || !change ? "" : String(change.capacity),
    );
    byName.get("locationId")!.control.disabled = change !== null;
    title.textContent = change ? t("plan.cap.editTitle") : t("plan.cap.add");
    submit.textContent = change ? t("plan.cap.save") : t("plan.cap.add");
    cancel.hidden = change === null;
  }
  const form = h(
    "form",
    { novalidate: true, "data-testid": "plan-form", "aria-labelledby": "pf-h" },
    summary,
    fields.map((f) => f.wrap),
    h("div", { class: "button-row" }, submit, cancel),
  );
  onSubmit(form, async (e) => {
    e.preventDefault();
    clearProblems(fields, summary);
    const v = values(fields);
    const body: Record<string, unknown> = {
      kind: v.kind,
      takesEffectOn: v.takesEffectOn,
      capacity: v.capacity === "" ? null : Number(v.capacity),
      decisionReference: v.decisionReference || null,
      note: v.note || null,
    };
    try {
      if (editing) await patch(`/planned-capacity-changes/${editing.id}`, body, editing.version);
      else await post("/planned-capacity-changes", { ...body, locationId: v.locationId });
      show(null);
      done.replaceChildren(alertBox("ok", paragraph(t("plan.cap.saved"))));
      reload();
    } catch (error) {
      if (isStale(error)) showMessage(fields, summary, 412, t("plan.stale"));
      else showProblems(fields, summary, error);
    }
  });
  const actions = (c: PlannedChange) => {
    const names = { location: c.locationName, day: formatDate(c.takesEffectOn) };
    return h(
      "div",
      { class: "button-row" },
      button(
        t("plan.cap.edit"),
        {
          onclick: () => {
            show(c);
            title.focus();
          },
          "aria-label": t("plan.cap.editLabel", names),
        },
        "secondary",
      ),
      button(
        t("plan.cap.delete"),
        {
          onclick: async () => {
            try {
              await request("DELETE", `/planned-capacity-changes/${c.id}`, {
                headers: { "If-Match": `"${c.version}"` },
              });
              done.replaceChildren(alertBox("ok", paragraph(t("plan.cap.deleted"))));
            } catch (error) {
              done.replaceChildren(errorBox(error));
            }
            reload();
          },
          "aria-label": t("plan.cap.deleteLabel", names),
        },
        "secondary",
      ),
    );
  };
  show(null);
  const section = h("section", { class: "card", "aria-labelledby": "pf-h" }, title, form, done);
  return { section, actions };
}

function assumptionForm(locations: Location[], reload: () => void): HTMLElement {
  const fields = [
    field({
      name: "locationId",
      label: t("plan.cap.location"),
      required: true,
      options: [
        { value: "", label: t("common.choose") },
        ...locations.map((l) => ({ value: l.id, label: l.name })),
      ],
    }),
    field({ name: "ratePercent", label: t("plan.occ.rate"), type: "number", required: true }),
    field({ name: "note", label: t("plan.cap.note") }),
  ];
  const summary = errorSummary();
  const done = h("div", { "aria-live": "polite", "data-testid": "assumption-done" });
  const form = h(
    "form",
    { novalidate: true, "data-testid": "assumption-form", "aria-label": t("plan.occ.set") },
    summary,
    fields.map((f) => f.wrap),
    submitButton(t("plan.occ.set")),
  );
  onSubmit(form, async (e) => {
    e.preventDefault();
    clearProblems(fields, summary);
    const v = values(fields);
    if (!v.locationId) {
      showMessage(fields, summary, 400, t("field.missing"));
      return;
    }
    try {
      await request("PUT", `/occupancy-assumptions/${v.locationId}`, {
        body: { ratePercent: (v.ratePercent ?? "").replace(",", "."), note: v.note || null },
      });
      done.replaceChildren(alertBox("ok", paragraph(t("plan.occ.saved"))));
      reload();
    } catch (error) {
      if (error instanceof ApiError && error.status === 404)
        showMessage(fields, summary, 404, t("field.not_found"));
      else showProblems(fields, summary, error);
    }
  });
  return h("div", {}, form, done);
}
