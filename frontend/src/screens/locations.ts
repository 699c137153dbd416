// Locaties: the list, with today's capacity and occupancy. A partner sees the locations
// it operates (the API scopes the list).

import { get } from "../api";
import { h } from "../dom";
import { formatNumber, label, t } from "../i18n";
import type { ScreenContext } from "../screen";
import type { Location, Page } from "../types";
import { errorBox, link, pageTitle, paragraph, table } from "../ui";

export async function render(ctx: ScreenContext): Promise<void> {
  ctx.setTitle(t("locations.title"));
  const q = ctx.query.get("q") ?? "";
  const search = h("input", {
    id: "loc-q",
    name: "q",
    type: "search",
    class: "utrecht-textbox utrecht-textbox--html-input",
    value: q,
  });
  const form = h(
    "form",
    { class: "filters", role: "search", method: "get", action: "/locaties" },
    h(
      "div",
      { class: "utrecht-form-field" },
      h("label", { class: "utrecht-form-label", for: "loc-q" }, t("locations.search")),
      search,
    ),
    h(
      "button",
      { type: "submit", class: "utrecht-button utrecht-button--secondary-action" },
      t("common.filter"),
    ),
  );
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const value = search.value.trim();
    history.replaceState(
      null,
      "",
      value ? `/locaties?q=${encodeURIComponent(value)}` : "/locaties",
    );
    void load();
  });
  const results = h("div", { "aria-live": "polite" });
  ctx.main.append(pageTitle(t("locations.title")), form, results);

  async function load(): Promise<void> {
    results.replaceChildren(paragraph(t("common.loading")));
    try {
      const page = await get<Page<Location>>("/locations", {
        q: search.value.trim(),
        sort: "name",
        pageSize: 200,
      });
      if (!ctx.alive()) return;
      if (page.items.length === 0) {
        results.replaceChildren(paragraph(t("locations.none")));
        return;
      }
      results.replaceChildren(
        table(
          t("locations.title"),
          [
            { header: t("locations.name"), cell: (l) => link(`/locaties/${l.id}`, l.name) },
            { header: t("locations.kind"), cell: (l) => label("locationKind", l.kind) },
            { header: t("locations.address"), cell: (l) => `${l.address}, ${l.postcode}` },
            {
              header: t("locations.capacity"),
              numeric: true,
              cell: (l) => formatNumber(l.capacity),
            },
            {
              header: t("locations.occupied"),
              numeric: true,
              cell: (l) => formatNumber(l.occupied),
            },
            { header: t("locations.free"), numeric: true, cell: (l) => formatNumber(l.free) },
          ],
          page.items,
        ),
      );
    } catch (error) {
      if (ctx.alive()) results.replaceChildren(errorBox(error));
    }
  }
  await load();
  ctx.ready();
}
