// Activiteiten: the list with a kind filter. One activity (/activiteiten/<id>: its
// enrollments, the enroll form, status moves, attendance) is screens/activity.ts.

import { get } from "../api";
import { h } from "../dom";
import { formatDate, label, t } from "../i18n";
import type { ScreenContext } from "../screen";
import { pageCount } from "../shape";
import { ACTIVITY_KINDS, type Activity, type Page } from "../types";
import { button, errorBox, field, link, optionList, pageTitle, paragraph, table } from "../ui";

export async function render(ctx: ScreenContext): Promise<void> {
  if (ctx.params.id) return (await import("./activity")).render(ctx);
  ctx.setTitle(t("activities.title"));
  const q = ctx.query;
  const fKind = field({
    name: "kind",
    label: t("activities.kind"),
    options: optionList(ACTIVITY_KINDS, (v) => label("activityKind", v), t("common.all")),
    value: q.get("kind") ?? "",
  });
  const fQ = field({
    name: "q",
    label: t("activities.search"),
    type: "search",
    value: q.get("q") ?? "",
  });
  const filterForm = h(
    "form",
    { class: "filters", role: "search", "aria-label": t("activities.filters") },
    fQ.wrap,
    fKind.wrap,
    h(
      "button",
      { type: "submit", class: "utrecht-button utrecht-button--secondary-action" },
      t("common.filter"),
    ),
  );
  let page = Number(q.get("page") ?? "1") || 1;
  const results = h("div", { "aria-live": "polite", "data-testid": "activity-results" });
  async function load(): Promise<void> {
    const query: Record<string, string | number> = { sort: "title", pageSize: 25 };
    if (fKind.control.value) query.kind = fKind.control.value;
    if (fQ.control.value.trim()) query.q = fQ.control.value.trim();
    if (page > 1) query.page = page;
    const address = new URLSearchParams(
      Object.entries(query)
        .filter(([k]) => k !== "sort" && k !== "pageSize")
        .map(([k, v]) => [k, String(v)]),
    );
    history.replaceState(null, "", `/activiteiten${address.size ? `?${address}` : ""}`);
    results.replaceChildren(paragraph(t("common.loading")));
    try {
      const answer = await get<Page<Activity>>("/activities", query);
      if (!ctx.alive()) return;
      if (answer.items.length === 0) {
        results.replaceChildren(paragraph(t("activities.none")));
        return;
      }
      const pages = pageCount(answer.total, answer.pageSize);
      results.replaceChildren(
        table(
          t("activities.title"),
          [
            {
              header: t("activities.activity"),
              cell: (a) => link(`/activiteiten/${a.id}`, a.title),
            },
            { header: t("activities.kind"), cell: (a) => label("activityKind", a.kind) },
            { header: t("activities.startsOn"), cell: (a) => formatDate(a.startsOn) },
            {
              header: t("activities.endsOn"),
              cell: (a) => (a.endsOn ? formatDate(a.endsOn) : t("activities.open")),
            },
            { header: t("activities.schedule"), cell: (a) => a.schedule ?? t("common.none") },
            {
              header: t("activities.capacity"),
              cell: (a) => a.capacity ?? t("activities.noLimit"),
              numeric: true,
            },
          ],
          answer.items,
        ),
        h(
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
          h("span", {}, t("common.pageOf", { page, pages, total: answer.total })),
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
        ),
      );
    } catch (error) {
      if (ctx.alive()) results.replaceChildren(errorBox(error));
    }
  }
  filterForm.addEventListener("submit", (e) => {
    e.preventDefault();
    page = 1;
    void load();
  });
  ctx.main.append(pageTitle(t("activities.title")), filterForm, results);
  await load();
  ctx.ready();
}
