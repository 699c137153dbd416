// Deelnemers: search (q, group, location, active) with a paged list, a lookup by BSN or
// V-number that goes through POST /participants/_search (never in a URL), and the form
// to add a participant. One participant (/deelnemers/<id>) is screens/participant.ts.

import { get, post } from "../api";
import { h, onSubmit } from "../dom";
import { clearProblems, errorSummary, showProblems, values } from "../forms";
import { label, t } from "../i18n";
import { navigate } from "../router";
import type { ScreenContext } from "../screen";
import { participantBody, participantName, participantQuery } from "../shape-participants";
import { GROUPS, type Location, type Page, type ParticipantFull } from "../types";
import { dataTable, fetchAll, ListState, type DataColumn } from "../datatable";
import {
  alertBox,
  button,
  errorBox,
  field,
  heading,
  link,
  optionList,
  pageTitle,
  paragraph,
} from "../ui";
import { editsParticipants, participantFields, partnerOptions, seesBsn } from "./participant-form";

export async function render(ctx: ScreenContext): Promise<void> {
  const id = ctx.params.id;
  if (id === "nieuw") return renderCreate(ctx);
  if (id) return (await import("./participant")).render(ctx);
  return renderList(ctx);
}

async function renderList(ctx: ScreenContext): Promise<void> {
  ctx.setTitle(t("participants.title"));
  const role = ctx.session?.role ?? "";
  const status = paragraph(t("common.loading"));
  ctx.main.append(pageTitle(t("participants.title")), status);
  let locations: Location[];
  try {
    locations = (await get<Page<Location>>("/locations", { sort: "name", pageSize: 200 })).items;
  } catch (error) {
    if (ctx.alive()) status.replaceWith(errorBox(error));
    return;
  }
  if (!ctx.alive()) return;
  status.remove();
  if (editsParticipants(role))
    ctx.main.append(
      paragraph(
        link("/deelnemers/nieuw", t("participants.add"), {
          class: "utrecht-link utrecht-link--html-a",
          "data-testid": "add-participant",
        }),
      ),
    );

  const state = new ListState("/deelnemers", ctx.query);
  const fQ = field({
    name: "q",
    label: t("participants.search"),
    type: "search",
    value: state.get("q"),
    description: t("participants.searchHint"),
  });
  const fGroup = field({
    name: "group",
    label: t("participants.group"),
    options: optionList(GROUPS, (v) => label("group", v), t("common.all")),
    value: state.get("group"),
  });
  const fLocation = field({
    name: "locationId",
    label: t("participants.location"),
    options: [
      { value: "", label: t("common.all") },
      ...locations.map((l) => ({ value: l.id, label: l.name })),
    ],
    value: state.get("locationId"),
  });
  const fActive = field({
    name: "active",
    label: t("participants.active"),
    options: [
      { value: "", label: t("common.all") },
      { value: "true", label: t("participants.activeYes") },
      { value: "false", label: t("participants.activeNo") },
    ],
    value: state.get("active"),
  });
  const filterFields = [fQ, fGroup, fLocation, fActive];
  const filterForm = h(
    "form",
    { class: "filters", role: "search", "aria-labelledby": "pflt-h" },
    h(
      "h2",
      { class: "utrecht-heading-2 visually-hidden", id: "pflt-h" },
      t("participants.filters"),
    ),
    filterFields.map((f) => f.wrap),
    h(
      "button",
      { type: "submit", class: "utrecht-button utrecht-button--secondary-action" },
      t("common.filter"),
    ),
    button(
      t("lists.clearFilters"),
      {
        "data-testid": "clear-filters",
        onclick: () => {
          state.clear();
          for (const f of filterFields) f.control.value = "";
          void load();
        },
      },
      "subtle",
    ),
  );
  const results = h("div", { "aria-live": "polite", "data-testid": "participant-results" });
  const columns: DataColumn<ParticipantFull>[] = [
    {
      key: "reference",
      header: t("participants.reference"),
      value: (p) => p.reference,
      cell: (p) => link(`/deelnemers/${p.id}`, p.reference),
    },
    {
      key: "name",
      header: t("participants.name"),
      value: (p) => (participantName(p) === p.reference ? null : participantName(p)),
    },
    { key: "group", header: t("participants.group"), value: (p) => label("group", p.group) },
    {
      key: "dutchLevel",
      header: t("participants.dutchLevel"),
      value: (p) => (p.dutchLevel ? label("dutchLevel", p.dutchLevel) : null),
    },
    {
      key: "employmentStatus",
      header: t("participants.employmentStatus"),
      value: (p) => (p.employmentStatus ? label("employmentStatus", p.employmentStatus) : null),
    },
  ];

  const draw = (items: ParticipantFull[], more: { total: number } | null) => {
    if (items.length === 0) {
      results.replaceChildren(paragraph(t("participants.none")));
      return;
    }
    results.replaceChildren(
      more
        ? alertBox("info", paragraph(t("lists.more", { shown: items.length, total: more.total })))
        : "",
      paragraph(t("lists.participantsHint")),
      dataTable({
        caption: t("participants.title"),
        columns,
        rows: items,
        state,
        fileName: "deelnemers",
      }),
    );
  };

  async function load(): Promise<void> {
    const query = participantQuery({
      q: state.get("q"),
      group: state.get("group"),
      locationId: state.get("locationId"),
      active: state.get("active"),
    });
    delete query.pageSize;
    results.replaceChildren(paragraph(t("common.loading")));
    try {
      const answer = await fetchAll(
        (p, q) => get<Page<ParticipantFull>>(p, q),
        "/participants",
        query,
      );
      if (ctx.alive()) draw(answer.items, answer.more ? answer : null);
    } catch (error) {
      if (ctx.alive()) results.replaceChildren(errorBox(error));
    }
  }
  filterForm.addEventListener("submit", (e) => {
    e.preventDefault();
    state.update({
      q: fQ.control.value.trim(),
      group: fGroup.control.value,
      locationId: fLocation.control.value,
      active: fActive.control.value,
    });
    void load();
  });

  // Lookup by BSN or V-number: in the body of a POST, never in the address.
  const kinds = seesBsn(role) ? (["vNumber", "bsn"] as const) : (["vNumber"] as const);
  const fKind = field({
    name: "kind",
    label: t("participants.lookupBy"),
    options: kinds.map((k) => ({ value: k, label: t(`participants.${k}`) })),
  });
  const fValue = field({
    name: "value",
    label: t("participants.lookupValue"),
    required: true,
    autocomplete: "off",
  });
  const lookupSummary = errorSummary();
  const lookupForm = h(
    "form",
    { novalidate: true, class: "filters", "data-testid": "lookup-form" },
    fKind.wrap,
    fValue.wrap,
    h(
      "button",
      { type: "submit", class: "utrecht-button utrecht-button--secondary-action" },
      t("participants.lookup"),
    ),
  );
  onSubmit(lookupForm, async (e) => {
    e.preventDefault();
    const fields = [fValue];
    clearProblems(fields, lookupSummary);
    const kind = fKind.control.value;
    try {
      const answer = await post<Page<ParticipantFull>>("/participants/_search", {
        [kind]: fValue.control.value.trim(),
      });
      if (ctx.alive()) draw(answer.items, null);
    } catch (error) {
      // The API names the field `bsn` or `vNumber`: both belong to the one input.
      showProblems([{ ...fValue, name: kind }], lookupSummary, error);
    }
  });

  ctx.main.append(
    filterForm,
    h(
      "section",
      { class: "card", "aria-labelledby": "lookup-h" },
      heading(2, t("participants.lookupTitle"), { id: "lookup-h" }),
      lookupSummary,
      lookupForm,
    ),
    results,
  );
  await load();
  ctx.ready();
}

async function renderCreate(ctx: ScreenContext): Promise<void> {
  const role = ctx.session?.role ?? "";
  ctx.setTitle(t("participants.add"));
  ctx.main.append(
    paragraph(link("/deelnemers", t("participants.back"))),
    pageTitle(t("participants.add")),
  );
  if (!editsParticipants(role)) {
    ctx.main.append(paragraph(t("common.forbidden")));
    ctx.ready();
    return;
  }
  const partners = await partnerOptions();
  if (!ctx.alive()) return;
  const fields = participantFields({ role, partners, creating: true });
  const summary = errorSummary();
  const submit = h(
    "button",
    { type: "submit", class: "utrecht-button utrecht-button--primary-action" },
    t("common.save"),
  );
  const form = h(
    "form",
    { novalidate: true, "data-testid": "participant-form" },
    summary,
    paragraph(t("participants.requiredHint")),
    fields.map((f) => f.wrap),
    submit,
  );
  onSubmit(form, async (e) => {
    e.preventDefault();
    clearProblems(fields, summary);
    const v = values(fields);
    submit.disabled = true;
    try {
      const created = await post<ParticipantFull>("/participants", participantBody(v));
      navigate(`/deelnemers/${created.id}?created=1`);
    } catch (error) {
      showProblems(fields, summary, error);
    } finally {
      submit.disabled = false;
    }
  });
  ctx.main.append(form);
  ctx.ready();
}
