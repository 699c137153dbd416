// Activiteiten: the list with how full each activity is (enrolled, free places, a "Vol"
// badge), filters kept in the address, sortable, export of the shown rows (datatable.ts).
// One activity (/activiteiten/<id>: its enrollments, the enroll form, status moves,
// attendance) is screens/activity.ts.

import { get } from "../api";
import { dataTable, fetchAll, ListState, type DataColumn } from "../datatable";
import { h } from "../dom";
import { label, t } from "../i18n";
import { fullBadge } from "../lists-ui";
import type { ScreenContext } from "../screen";
import { amsterdamToday } from "../shape";
import { activityFull } from "../shape-lists";
import { ACTIVITY_KINDS, type ActivityListItem, type Page } from "../types";
import { alertBox, button, errorBox, field, link, optionList, pageTitle, paragraph } from "../ui";

export async function render(ctx: ScreenContext): Promise<void> {
  if (ctx.params.id) return (await import("./activity")).render(ctx);
  ctx.setTitle(t("activities.title"));
  const state = new ListState("/activiteiten", ctx.query);
  const fQ = field({
    name: "q",
    label: t("activities.search"),
    type: "search",
    value: state.get("q"),
  });
  const fKind = field({
    name: "kind",
    label: t("activities.kind"),
    options: optionList(ACTIVITY_KINDS, (v) => label("activityKind", v), t("common.all")),
    value: state.get("kind"),
  });
  const fNow = field({
    name: "now",
    label: t("lists.activeNow"),
    options: [
      { value: "", label: t("lists.all") },
      { value: "true", label: t("common.yes") },
    ],
    value: state.get("now"),
  });
  const fPlaces = field({
    name: "places",
    label: t("lists.availability"),
    options: [
      { value: "", label: t("lists.all") },
      { value: "free", label: t("lists.onlyFree") },
      { value: "full", label: t("lists.onlyFull") },
    ],
    value: state.get("places"),
  });
  const filterFields = [fQ, fKind, fNow, fPlaces];
  const filterForm = h(
    "form",
    { class: "filters", role: "search", "aria-label": t("activities.filters") },
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
  const results = h("div", { "aria-live": "polite", "data-testid": "activity-results" });
  const columns: DataColumn<ActivityListItem>[] = [
    {
      key: "title",
      header: t("activities.activity"),
      value: (a) => a.title,
      cell: (a) => [
        link(`/activiteiten/${a.id}`, a.title),
        activityFull(a) ? fullBadge(a.title) : null,
      ],
    },
    { key: "kind", header: t("activities.kind"), value: (a) => label("activityKind", a.kind) },
    { key: "startsOn", header: t("activities.startsOn"), kind: "date", value: (a) => a.startsOn },
    {
      key: "endsOn",
      header: t("activities.endsOn"),
      kind: "date",
      value: (a) => a.endsOn,
      cell: (a) => (a.endsOn ? undefined : t("activities.open")),
    },
    { key: "schedule", header: t("activities.schedule"), value: (a) => a.schedule },
    {
      key: "capacity",
      header: t("activities.capacity"),
      kind: "number",
      value: (a) => a.capacity,
      cell: (a) => (a.capacity === null ? t("activities.noLimit") : undefined),
    },
    { key: "enrolled", header: t("lists.enrolled"), kind: "number", value: (a) => a.enrolled },
    {
      key: "free",
      header: t("lists.freePlaces"),
      kind: "number",
      value: (a) => a.free,
      cell: (a) => (a.free === null ? t("lists.noLimit") : undefined),
    },
  ];

  async function load(): Promise<void> {
    const query: Record<string, string> = { sort: "title" };
    if (state.get("kind")) query.kind = state.get("kind");
    if (state.get("q")) query.q = state.get("q");
    if (state.get("now") === "true") query.activeOn = amsterdamToday();
    results.replaceChildren(paragraph(t("common.loading")));
    try {
      const answer = await fetchAll(
        (p, q) => get<Page<ActivityListItem>>(p, q),
        "/activities",
        query,
      );
      if (!ctx.alive()) return;
      const places = state.get("places");
      const rows = answer.items.filter((a) =>
        places === "full"
          ? activityFull(a)
          : places === "free"
            ? a.free === null || a.free > 0
            : true,
      );
      if (rows.length === 0) {
        results.replaceChildren(paragraph(t("activities.none")));
        return;
      }
      results.replaceChildren(
        answer.more
          ? alertBox(
              "info",
              paragraph(t("lists.more", { shown: rows.length, total: answer.total })),
            )
          : "",
        dataTable({
          caption: t("activities.title"),
          columns,
          rows,
          state,
          fileName: "activiteiten",
          rowAttrs: (a): Record<string, string> =>
            activityFull(a) ? { class: "utrecht-table__row row--full" } : {},
        }),
      );
    } catch (error) {
      if (ctx.alive()) results.replaceChildren(errorBox(error));
    }
  }
  filterForm.addEventListener("submit", (e) => {
    e.preventDefault();
    state.update({
      q: fQ.control.value.trim(),
      kind: fKind.control.value,
      now: fNow.control.value,
      places: fPlaces.control.value,
    });
    void load();
  });
  ctx.main.append(pageTitle(t("activities.title")), filterForm, results);
  await load();
  ctx.ready();
}
