// Locaties: the list with today's capacity, occupancy and free places, a "Vol" badge on
// full locations, free places per target group above it; sortable, filters kept in the
// address (datatable.ts), export of the shown rows. A partner sees the locations it
// operates (the API scopes the list).

import { get } from "../api";
import { dataTable, fetchAll, ListState, type DataColumn } from "../datatable";
import { h } from "../dom";
import { label, t } from "../i18n";
import { fullBadge, placeGroupName, placesByGroupTable } from "../lists-ui";
import type { ScreenContext } from "../screen";
import { byPlaces, locationFull } from "../shape-lists";
import { LOCATION_KINDS, type Location, type Page } from "../types";
import { alertBox, button, errorBox, field, link, optionList, pageTitle, paragraph } from "../ui";

export async function render(ctx: ScreenContext): Promise<void> {
  ctx.setTitle(t("locations.title"));
  const state = new ListState("/locaties", ctx.query);
  const fQ = field({
    name: "q",
    label: t("locations.search"),
    type: "search",
    value: state.get("q"),
  });
  const fKind = field({
    name: "kind",
    label: t("locations.kind"),
    options: optionList(LOCATION_KINDS, (v) => label("locationKind", v), t("common.all")),
    value: state.get("kind"),
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
  const filters = [fQ, fKind, fPlaces];
  const form = h(
    "form",
    { class: "filters", role: "search", "aria-label": t("lists.locationFilters") },
    filters.map((f) => f.wrap),
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
          for (const f of filters) f.control.value = "";
          void load();
        },
      },
      "subtle",
    ),
  );
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    state.update({
      q: fQ.control.value.trim(),
      kind: fKind.control.value,
      places: fPlaces.control.value,
    });
    void load();
  });
  const summary = h("div", {});
  const results = h("div", { "aria-live": "polite", "data-testid": "location-results" });
  ctx.main.append(pageTitle(t("locations.title")), form, summary, results);

  const columns: DataColumn<Location>[] = [
    {
      key: "name",
      header: t("locations.name"),
      value: (l) => l.name,
      cell: (l) => [link(`/locaties/${l.id}`, l.name), locationFull(l) ? fullBadge(l.name) : null],
    },
    { key: "target", header: t("lists.target"), value: (l) => placeGroupName(l.kind) },
    { key: "address", header: t("locations.address"), value: (l) => `${l.address}, ${l.postcode}` },
    { key: "capacity", header: t("locations.capacity"), kind: "number", value: (l) => l.capacity },
    { key: "occupied", header: t("locations.occupied"), kind: "number", value: (l) => l.occupied },
    { key: "free", header: t("locations.free"), kind: "number", value: (l) => l.free },
  ];

  async function load(): Promise<void> {
    results.replaceChildren(paragraph(t("common.loading")));
    try {
      const query: Record<string, string> = { sort: "name" };
      if (state.get("q")) query.q = state.get("q");
      if (state.get("kind")) query.kind = state.get("kind");
      const all = await fetchAll((p, q) => get<Page<Location>>(p, q), "/locations", query);
      if (!ctx.alive()) return;
      const rows = byPlaces(all.items, state.get("places"));
      summary.replaceChildren(
        h(
          "section",
          { class: "card", "aria-labelledby": "loc-groups-h" },
          h("h2", { class: "utrecht-heading-2", id: "loc-groups-h" }, t("lists.placesByGroup")),
          paragraph(t("lists.placesByGroupHint")),
          placesByGroupTable(t("lists.placesByGroup"), all.items),
        ),
      );
      if (rows.length === 0) {
        results.replaceChildren(paragraph(t("locations.none")));
        return;
      }
      results.replaceChildren(
        all.more
          ? alertBox("info", paragraph(t("lists.more", { shown: rows.length, total: all.total })))
          : "",
        dataTable({
          caption: t("locations.title"),
          columns,
          rows,
          state,
          fileName: "locaties",
          rowAttrs: (l): Record<string, string> =>
            locationFull(l) ? { class: "utrecht-table__row row--full" } : {},
        }),
      );
    } catch (error) {
      if (ctx.alive()) results.replaceChildren(errorBox(error));
    }
  }
  await load();
  ctx.ready();
}
