// Deelnemers: search (q, group, location, active) with a paged list, a lookup by BSN or
// V-number that goes through POST /participants/_search (never in a URL), and the form
// to add a participant. One participant (/deelnemers/<id>) is screens/participant.ts.

import { get, post } from "../api";
import { h, onSubmit } from "../dom";
import { clearProblems, errorSummary, showProblems, values } from "../forms";
import { label, t } from "../i18n";
import { navigate } from "../router";
import type { ScreenContext } from "../screen";
import { pageCount } from "../shape";
import {
  participantBody,
  type ParticipantFilters,
  participantName,
  participantQuery,
} from "../shape-participants";
import { GROUPS, type Location, type Page, type ParticipantFull } from "../types";
import {
  button,
  errorBox,
  field,
  heading,
  link,
  optionList,
  pageTitle,
  paragraph,
  table,
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

  const q = ctx.query;
  const fQ = field({
    name: "q",
    label: t("participants.search"),
    type: "search",
    value: q.get("q") ?? "",
    description: t("participants.searchHint"),
  });
  const fGroup = field({
    name: "group",
    label: t("participants.group"),
    options: optionList(GROUPS, (v) => label("group", v), t("common.all")),
    value: q.get("group") ?? "",
  });
  const fLocation = field({
    name: "locationId",
    label: t("participants.location"),
    options: [
      { value: "", label: t("common.all") },
      ...locations.map((l) => ({ value: l.id, label: l.name })),
    ],
    value: q.get("locationId") ?? "",
  });
  const fActive = field({
    name: "active",
    label: t("participants.active"),
    options: [
      { value: "", label: t("common.all") },
      { value: "true", label: t("participants.activeYes") },
      { value: "false", label: t("participants.activeNo") },
    ],
    value: q.get("active") ?? "",
  });
  const filterForm = h(
    "form",
    { class: "filters", role: "search", "aria-labelledby": "pflt-h" },
    h(
      "h2",
      { class: "utrecht-heading-2 visually-hidden", id: "pflt-h" },
      t("participants.filters"),
    ),
    fQ.wrap,
    fGroup.wrap,
    fLocation.wrap,
    fActive.wrap,
    h(
      "button",
      { type: "submit", class: "utrecht-button utrecht-button--secondary-action" },
      t("common.filter"),
    ),
  );
  let page = Number(q.get("page") ?? "1") || 1;
  const filters = (): ParticipantFilters => ({
    q: fQ.control.value,
    group: fGroup.control.value,
    locationId: fLocation.control.value,
    active: fActive.control.value,
    page,
  });
  const results = h("div", { "aria-live": "polite", "data-testid": "participant-results" });

  const draw = (items: ParticipantFull[], total: number, pageSize: number, paged: boolean) => {
    if (items.length === 0) {
      results.replaceChildren(paragraph(t("participants.none")));
      return;
    }
    const pages = pageCount(total, pageSize);
    const pager = paged
      ? h(
          "nav",
          { class: "pager", "aria-label": t("common.pagination") },
          page > 1
            ? button(
                t("common.previous"),
                {
                  onclick: () => {
                    page -= 1;
                    void load();
                  },
                },
                "secondary",
              )
            : null,
          h("span", {}, t("common.pageOf", { page, pages, total })),
          page < pages
            ? button(
                t("common.next"),
                {
                  onclick: () => {
                    page += 1;
                    void load();
                  },
                },
                "secondary",
              )
            : null,
        )
      : null;
    results.replaceChildren(
      ...[
        table(
          t("participants.title"),
          [
            {
              header: t("participants.reference"),
              cell: (p) => link(`/deelnemers/${p.id}`, p.reference),
            },
            {
              header: t("participants.name"),
              cell: (p) =>
                participantName(p) === p.reference ? t("common.none") : participantName(p),
            },
            { header: t("participants.group"), cell: (p) => label("group", p.group) },
            {
              header: t("participants.dutchLevel"),
              cell: (p) => (p.dutchLevel ? label("dutchLevel", p.dutchLevel) : t("common.none")),
            },
            {
              header: t("participants.employmentStatus"),
              cell: (p) =>
                p.employmentStatus
                  ? label("employmentStatus", p.employmentStatus)
                  : t("common.none"),
            },
          ],
          items,
        ),
        pager,
      ].filter((n): n is HTMLElement => n !== null),
    );
  };

  async function load(): Promise<void> {
    const query = participantQuery(filters());
    const address = new URLSearchParams(
      Object.entries(query)
        .filter(([k]) => k !== "sort" && k !== "pageSize")
        .map(([k, v]) => [k, String(v)]),
    );
    history.replaceState(null, "", `/deelnemers${address.size ? `?${address}` : ""}`);
    results.replaceChildren(paragraph(t("common.loading")));
    try {
      const answer = await get<Page<ParticipantFull>>("/participants", query);
      if (ctx.alive()) draw(answer.items, answer.total, answer.pageSize, true);
    } catch (error) {
      if (ctx.alive()) results.replaceChildren(errorBox(error));
    }
  }
  filterForm.addEventListener("submit", (e) => {
    e.preventDefault();
    page = 1;
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
      if (ctx.alive()) draw(answer.items, answer.total, 1, false);
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
