// Signalen: filterable list (overdue rows highlighted, not by colour alone) and the form
// to register a new signal, its API errors shown at the fields.

import { get, post } from "../api";
import { h, onSubmit } from "../dom";
import { clearProblems, errorSummary, showProblems, values } from "../forms";
import { formatDateTime, label, t } from "../i18n";
import { worksSignals } from "../roles";
import { navigate } from "../router";
import type { ScreenContext } from "../screen";
import { localToUtc, nowLocal, pageCount, signalQuery, type SignalFilters } from "../shape";
import {
  SEVERITIES,
  SIGNAL_CATEGORIES,
  SIGNAL_SOURCES,
  SIGNAL_STATUSES,
  type Location,
  type Page,
  type Signal,
} from "../types";
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

export async function render(ctx: ScreenContext): Promise<void> {
  ctx.setTitle(t("signals.title"));
  const status = paragraph(t("common.loading"));
  ctx.main.append(pageTitle(t("signals.title")), status);
  let locations: Location[];
  try {
    locations = (await get<Page<Location>>("/locations", { sort: "name", pageSize: 200 })).items;
  } catch (error) {
    if (ctx.alive()) status.replaceWith(errorBox(error));
    return;
  }
  if (!ctx.alive()) return;
  status.remove();
  const locationName = new Map(locations.map((l) => [l.id, l.name]));
  const locationOptions = locations.map((l) => ({ value: l.id, label: l.name }));

  // --- filters (kept in the address, so a filtered list can be bookmarked) ---
  const q = ctx.query;
  const fStatus = field({
    name: "status",
    label: t("signals.status"),
    options: optionList(SIGNAL_STATUSES, (v) => label("signalStatus", v), t("common.all")),
    value: q.get("status") ?? "",
  });
  const fSeverity = field({
    name: "severity",
    label: t("signals.severity"),
    options: optionList(SEVERITIES, (v) => label("severity", v), t("common.all")),
    value: q.get("severity") ?? "",
  });
  const fCategory = field({
    name: "category",
    label: t("signals.category"),
    options: optionList(SIGNAL_CATEGORIES, (v) => label("signalCategory", v), t("common.all")),
    value: q.get("category") ?? "",
  });
  const fLocation = field({
    name: "locationId",
    label: t("signals.location"),
    options: [{ value: "", label: t("common.all") }, ...locationOptions],
    value: q.get("locationId") ?? "",
  });
  const overdueId = "flt-overdue";
  const overdue = h("input", {
    type: "checkbox",
    id: overdueId,
    class: "utrecht-checkbox utrecht-checkbox--html-input",
    checked: q.get("overdue") === "true",
  });
  const filterForm = h(
    "form",
    { class: "filters", "aria-labelledby": "flt-h" },
    h("h2", { class: "utrecht-heading-2 visually-hidden", id: "flt-h" }, t("signals.filters")),
    fStatus.wrap,
    fSeverity.wrap,
    fCategory.wrap,
    fLocation.wrap,
    h(
      "div",
      { class: "utrecht-form-field utrecht-form-field--checkbox" },
      overdue,
      h(
        "label",
        { class: "utrecht-form-label utrecht-form-label--checkbox", for: overdueId },
        t("signals.overdueOnly"),
      ),
    ),
    h(
      "button",
      { type: "submit", class: "utrecht-button utrecht-button--secondary-action" },
      t("common.filter"),
    ),
  );
  let page = Number(q.get("page") ?? "1") || 1;
  const filters = (): SignalFilters => ({
    status: fStatus.control.value,
    severity: fSeverity.control.value,
    category: fCategory.control.value,
    locationId: fLocation.control.value,
    overdue: overdue.checked,
    page,
  });
  filterForm.addEventListener("submit", (e) => {
    e.preventDefault();
    page = 1;
    void load();
  });

  const results = h("div", { "aria-live": "polite", "data-testid": "signal-results" });

  async function load(): Promise<void> {
    const query = signalQuery(filters());
    const address = new URLSearchParams(
      Object.entries(query)
        .filter(([k]) => k !== "sort" && k !== "pageSize")
        .map(([k, v]) => [k, String(v)]),
    );
    history.replaceState(null, "", `/signalen${address.size ? `?${address}` : ""}`);
    results.replaceChildren(paragraph(t("common.loading")));
    try {
      const answer = await get<Page<Signal>>("/signals", query);
      if (!ctx.alive()) return;
      if (answer.items.length === 0) {
        results.replaceChildren(paragraph(t("signals.none")));
        return;
      }
      const pages = pageCount(answer.total, answer.pageSize);
      const pager = h(
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
      );
      results.replaceChildren(
        table(
          t("signals.title"),
          [
            { header: t("signals.summary"), cell: (s) => link(`/signalen/${s.id}`, s.summary) },
            { header: t("signals.reportedAt"), cell: (s) => formatDateTime(s.reportedAt) },
            { header: t("signals.category"), cell: (s) => label("signalCategory", s.category) },
            { header: t("signals.severity"), cell: (s) => label("severity", s.severity) },
            {
              header: t("signals.location"),
              cell: (s) =>
                s.locationId
                  ? (locationName.get(s.locationId) ?? t("common.none"))
                  : t("signals.noLocation"),
            },
            {
              header: t("signals.status"),
              cell: (s) => [
                label("signalStatus", s.status),
                s.overdue
                  ? [
                      " ",
                      h(
                        "span",
                        {
                          class: "utrecht-status-badge utrecht-status-badge--warning overdue-badge",
                        },
                        t("signals.overdue"),
                      ),
                    ]
                  : null,
              ],
            },
          ],
          answer.items,
          (s): Record<string, string> =>
            s.overdue ? { class: "utrecht-table__row row--overdue", "data-overdue": "true" } : {},
        ),
        pager,
      );
    } catch (error) {
      if (ctx.alive()) results.replaceChildren(errorBox(error));
    }
  }

  ctx.main.append(filterForm, results);
  if (worksSignals(ctx.session?.role ?? "")) ctx.main.append(registerForm(locationOptions));
  await load();
  ctx.ready();
}

function registerForm(locationOptions: { value: string; label: string }[]): HTMLElement {
  const fields = [
    field({
      name: "reportedAt",
      label: t("signals.reportedAt"),
      type: "datetime-local",
      required: true,
      value: nowLocal(),
    }),
    field({
      name: "source",
      label: t("signals.source"),
      required: true,
      options: optionList(SIGNAL_SOURCES, (v) => label("signalSource", v)),
    }),
    field({
      name: "category",
      label: t("signals.category"),
      required: true,
      options: optionList(SIGNAL_CATEGORIES, (v) => label("signalCategory", v)),
    }),
    field({
      name: "severity",
      label: t("signals.severity"),
      required: true,
      options: optionList(SEVERITIES, (v) => label("severity", v)),
      value: "medium",
    }),
    field({
      name: "locationId",
      label: t("signals.location"),
      options: [{ value: "", label: t("signals.noLocation") }, ...locationOptions],
    }),
    field({ name: "summary", label: t("signals.summary"), required: true, multiline: true }),
  ];
  const summary = errorSummary();
  const done = h("div", { "aria-live": "polite" });
  const submit = h(
    "button",
    { type: "submit", class: "utrecht-button utrecht-button--primary-action" },
    t("signals.register"),
  );
  const form = h(
    "form",
    { novalidate: true, "data-testid": "signal-form" },
    summary,
    fields.map((f) => f.wrap),
    submit,
  );
  onSubmit(form, async (e) => {
    e.preventDefault();
    clearProblems(fields, summary);
    done.replaceChildren();
    const v = values(fields);
    submit.disabled = true;
    try {
      const created = await post<Signal>("/signals", {
        reportedAt: v.reportedAt ? localToUtc(v.reportedAt) : "",
        source: v.source,
        category: v.category,
        severity: v.severity,
        locationId: v.locationId || null,
        summary: v.summary,
      });
      navigate(`/signalen/${created.id}?created=1`);
    } catch (error) {
      showProblems(fields, summary, error);
    } finally {
      submit.disabled = false;
    }
  });
  return h(
    "section",
    { class: "card", "aria-labelledby": "reg-h" },
    heading(2, t("signals.register"), { id: "reg-h" }),
    done,
    form,
  );
}
