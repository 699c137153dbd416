// Signalen: "Nieuw signaal" at the top (the form opens on demand), "Mijn signalen", and the
// list: filters from the address (`?overdue=true`, `?status=open`, `?owner=me`; links from
// the overview land here) and remembered, sortable columns, export (datatable.ts); overdue
// rows highlighted, not by colour alone.

import "../activity.css";
import { get, post } from "../api";
import { dataTable, fetchAll, ListState, type DataColumn } from "../datatable";
import { h, onSubmit } from "../dom";
import { clearProblems, errorSummary, showProblems, values } from "../forms";
import { formatDateTime, label, t } from "../i18n";
import { worksSignals } from "../roles";
import { navigate } from "../router";
import type { ScreenContext } from "../screen";
import { localToUtc, nowLocal } from "../shape";
import { signalListQuery } from "../shape-signals";
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
import { loadOwners, type Owner } from "../signal-owners";

const RANK: Record<string, number> = { low: 1, medium: 2, high: 3 };

export async function render(ctx: ScreenContext): Promise<void> {
  const role = ctx.session?.role ?? "";
  const staff = role === "admin" || role === "coordinator";
  ctx.setTitle(t("signals.title"));
  const status = paragraph(t("common.loading"));
  ctx.main.append(pageTitle(t("signals.title")), status);
  let locations: Location[];
  let owners: Owner[];
  try {
    [locations, owners] = await Promise.all([
      get<Page<Location>>("/locations", { sort: "name", pageSize: 200 }).then((r) => r.items),
      staff ? loadOwners() : Promise.resolve([]),
    ]);
  } catch (error) {
    if (ctx.alive()) status.replaceWith(errorBox(error));
    return;
  }
  if (!ctx.alive()) return;
  status.remove();
  const state = new ListState("/signalen", ctx.query);
  // A filtered address (a tile of the overview: ?overdue=true) is remembered as well, so
  // "Terug naar signalen" from a signal returns to it.
  state.update({});
  const locationName = new Map(locations.map((l) => [l.id, l.name]));
  const locationOptions = locations.map((l) => ({ value: l.id, label: l.name }));

  // --- the task first: a new signal, my signals ---
  const top = h("div", { class: "button-row signals-top" });
  const formSlot = h("div", {});
  if (worksSignals(role)) {
    const open = button(t("signals.new"), {
      "data-testid": "new-signal",
      "aria-expanded": "false",
      onclick: () => {
        if (formSlot.firstChild) {
          formSlot.replaceChildren();
          open.setAttribute("aria-expanded", "false");
          return;
        }
        const form = registerForm(locationOptions, owners, ctx.session?.email ?? "", () => {
          formSlot.replaceChildren();
          open.setAttribute("aria-expanded", "false");
          open.focus();
        });
        formSlot.replaceChildren(form);
        open.setAttribute("aria-expanded", "true");
        form.querySelector<HTMLElement>("textarea, select, input")?.focus();
      },
    });
    top.append(open);
  }
  if (staff) {
    top.append(
      button(
        t("signals.mine"),
        {
          "data-testid": "my-signals",
          onclick: () => {
            state.clear();
            state.update({ owner: "me" });
            setFilters();
            void load();
          },
        },
        "secondary",
      ),
    );
  }

  // --- filters (in the address and remembered) ---
  const fStatus = field({
    name: "status",
    label: t("signals.status"),
    options: optionList(SIGNAL_STATUSES, (v) => label("signalStatus", v), t("common.all")),
  });
  const fSeverity = field({
    name: "severity",
    label: t("signals.severity"),
    options: optionList(SEVERITIES, (v) => label("severity", v), t("common.all")),
  });
  const fCategory = field({
    name: "category",
    label: t("signals.category"),
    options: optionList(SIGNAL_CATEGORIES, (v) => label("signalCategory", v), t("common.all")),
  });
  const fLocation = field({
    name: "locationId",
    label: t("signals.location"),
    options: [{ value: "", label: t("common.all") }, ...locationOptions],
  });
  const fOwner = field({
    name: "owner",
    label: t("signals.owner"),
    options: [
      { value: "", label: t("common.all") },
      { value: "me", label: t("signals.mine") },
      { value: "none", label: t("signals.noOwner") },
      ...owners.map((o) => ({ value: o.id, label: o.email })),
    ],
  });
  const selects = staff
    ? [fStatus, fSeverity, fCategory, fLocation, fOwner]
    : [fStatus, fSeverity, fCategory, fLocation];
  const overdueId = "flt-overdue";
  const overdue = h("input", {
    type: "checkbox",
    id: overdueId,
    class: "utrecht-checkbox utrecht-checkbox--html-input",
  });
  const setFilters = () => {
    for (const f of selects) f.control.value = state.get(f.name);
    overdue.checked = state.get("overdue") === "true";
  };
  setFilters();
  const filterForm = h(
    "form",
    { class: "filters", role: "search", "aria-label": t("signals.filters") },
    selects.map((f) => f.wrap),
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
    button(
      t("lists.clearFilters"),
      {
        "data-testid": "clear-filters",
        onclick: () => {
          state.clear();
          setFilters();
          void load();
        },
      },
      "subtle",
    ),
  );
  filterForm.addEventListener("submit", (e) => {
    e.preventDefault();
    const chosen: Record<string, string> = { overdue: overdue.checked ? "true" : "" };
    for (const f of selects) chosen[f.name] = f.control.value;
    state.update(chosen);
    void load();
  });

  const results = h("div", { "aria-live": "polite", "data-testid": "signal-results" });
  const columns: DataColumn<Signal>[] = [
    {
      key: "summary",
      header: t("signals.summary"),
      value: (s) => s.summary,
      cell: (s) => link(`/signalen/${s.id}`, s.summary),
    },
    {
      key: "reportedAt",
      header: t("signals.reportedAt"),
      kind: "date",
      value: (s) => s.reportedAt,
      cell: (s) => formatDateTime(s.reportedAt),
    },
    {
      key: "category",
      header: t("signals.category"),
      value: (s) => label("signalCategory", s.category),
    },
    {
      key: "severity",
      header: t("signals.severity"),
      kind: "number",
      value: (s) => RANK[s.severity] ?? 0,
      cell: (s) => label("severity", s.severity),
    },
    {
      key: "location",
      header: t("signals.location"),
      value: (s) => (s.locationId ? (locationName.get(s.locationId) ?? "") : ""),
      cell: (s) => (s.locationId ? undefined : t("signals.noLocation")),
    },
    {
      key: "dueAt",
      header: t("signals.dueAt"),
      kind: "date",
      value: (s) => s.dueAt ?? "",
      cell: (s) => (s.dueAt ? formatDateTime(s.dueAt) : t("common.none")),
    },
    {
      key: "owner",
      header: t("signals.owner"),
      value: (s) => s.ownerEmail,
      cell: (s) => (s.ownerEmail ? undefined : t("signals.noOwner")),
    },
    {
      key: "status",
      header: t("signals.status"),
      value: (s) => label("signalStatus", s.status),
      cell: (s) => [
        label("signalStatus", s.status),
        s.overdue
          ? [
              " ",
              h(
                "span",
                { class: "utrecht-status-badge utrecht-status-badge--warning overdue-badge" },
                t("signals.overdue"),
              ),
            ]
          : null,
      ],
    },
  ];

  async function load(): Promise<void> {
    results.replaceChildren(paragraph(t("common.loading")));
    try {
      const answer = await fetchAll(
        (p, q) => get<Page<Signal>>(p, q),
        "/signals",
        signalListQuery(state.params),
      );
      if (!ctx.alive()) return;
      if (answer.items.length === 0) {
        results.replaceChildren(paragraph(t("signals.none")));
        return;
      }
      results.replaceChildren(
        answer.more
          ? alertBox(
              "info",
              paragraph(t("lists.more", { shown: answer.items.length, total: answer.total })),
            )
          : "",
        dataTable({
          caption: t("signals.title"),
          columns,
          rows: answer.items,
          state,
          fileName: "signalen",
          rowAttrs: (s): Record<string, string> =>
            s.overdue ? { class: "utrecht-table__row row--overdue", "data-overdue": "true" } : {},
        }),
      );
    } catch (error) {
      if (ctx.alive()) results.replaceChildren(errorBox(error));
    }
  }

  ctx.main.append(top, formSlot, filterForm, results);
  await load();
  ctx.ready();
}

function registerForm(
  locationOptions: { value: string; label: string }[],
  owners: Owner[],
  email: string,
  close: () => void,
): HTMLElement {
  const fields = [
    field({ name: "summary", label: t("signals.summary"), required: true, multiline: true }),
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
    field({
      name: "source",
      label: t("signals.source"),
      required: true,
      options: optionList(SIGNAL_SOURCES, (v) => label("signalSource", v)),
    }),
    field({
      name: "reportedAt",
      label: t("signals.reportedAt"),
      type: "datetime-local",
      required: true,
      value: nowLocal(),
    }),
  ];
  // Staff give it an owner at once; by default the one who registers it.
  if (owners.length > 0) {
    const me = owners.find((o) => o.email.toLowerCase() === email.toLowerCase());
    fields.push(
      field({
        name: "ownerUserId",
        label: t("signals.owner"),
        options: [
          { value: "", label: t("signals.noOwner") },
          ...owners.map((o) => ({ value: o.id, label: o.email })),
        ],
        value: me?.id ?? "",
      }),
    );
  }
  const summary = errorSummary();
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
    h(
      "div",
      { class: "button-row" },
      submit,
      button(t("signals.cancel"), { onclick: close }, "secondary"),
    ),
  );
  onSubmit(form, async (e) => {
    e.preventDefault();
    clearProblems(fields, summary);
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
        ...(owners.length > 0 ? { ownerUserId: v.ownerUserId || null } : {}),
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
    form,
  );
}
