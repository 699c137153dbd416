// Bewoners: who stays at a location tonight, since when and for how many days, sortable
// by each column; staff can move someone (Verhuizen) or register a departure from here.
// Names come from GET /participants, which answers only roles that may see them; the
// stays from GET /placements (both within the caller's scope).

import "../placements.css";
import { get } from "../api";
import { h } from "../dom";
import { formatDate, formatNumber, label, t } from "../i18n";
import { amsterdamToday } from "../shape";
import { daysInStay, sortRows, type SortDir } from "../shape-placements";
import type { Page, Participant, Placement } from "../types";
import { button, heading, link, paragraph } from "../ui";
import { openDeparture, openTransfer } from "./placement-tasks";

interface Resident {
  stay: Placement;
  person: Participant | null;
  name: string;
  days: number;
}

interface SortColumn {
  key: string;
  header: string;
  value: (r: Resident) => string | number | null;
  cell: (r: Resident) => Node | string;
  numeric?: boolean;
}

export interface ResidentsOptions {
  locationId: string;
  /** the location's name (known once its own read has answered) */
  locationName: () => string;
  role: string;
  /** may place, move and register departures (admin, coordinator) */
  acts: boolean;
}

export async function residentsPanel(o: ResidentsOptions): Promise<HTMLElement> {
  const today = amsterdamToday();
  const [stays, people] = await Promise.all([
    get<Page<Placement>>("/placements", {
      locationId: o.locationId,
      activeOn: today,
      pageSize: 500,
    }).then((r) => r.items),
    get<Page<Participant>>("/participants", {
      locationId: o.locationId,
      active: "true",
      pageSize: 500,
    }).then((r) => r.items),
  ]);
  const byId = new Map(people.map((p) => [p.id, p]));
  const rows: Resident[] = stays.map((stay) => {
    const person = byId.get(stay.participantId) ?? null;
    const name = person
      ? [person.givenName, person.familyName].filter(Boolean).join(" ") ||
        t("placements.anonymised")
      : t("placements.unknownName");
    return { stay, person, name, days: daysInStay(stay.startDate, today) };
  });
  const columns: SortColumn[] = [
    {
      key: "reference",
      header: t("placements.reference"),
      value: (r) => r.person?.reference ?? null,
      cell: (r) =>
        link(`/deelnemers/${r.stay.participantId}`, r.person?.reference ?? r.stay.participantId),
    },
    { key: "name", header: t("placements.name"), value: (r) => r.name, cell: (r) => r.name },
    {
      key: "group",
      header: t("placements.group"),
      value: (r) => (r.person ? label("group", r.person.group) : null),
      cell: (r) => (r.person ? label("group", r.person.group) : t("common.none")),
    },
    {
      key: "since",
      header: t("placements.since"),
      value: (r) => r.stay.startDate,
      cell: (r) => formatDate(r.stay.startDate),
    },
    {
      key: "days",
      header: t("placements.daysInStay"),
      value: (r) => r.days,
      cell: (r) => formatNumber(r.days),
      numeric: true,
    },
    {
      key: "end",
      header: t("placements.plannedDeparture"),
      value: (r) => r.stay.endDate ?? null,
      cell: (r) => (r.stay.endDate ? formatDate(r.stay.endDate) : t("common.none")),
    },
  ];
  const titleId = `res-${o.locationId.slice(0, 8)}`;
  const holder = h("div", {});
  const section = h(
    "section",
    { class: "card", "aria-labelledby": titleId, "data-testid": "residents" },
    heading(2, t("placements.residentsTitle", { count: formatNumber(rows.length) }), {
      id: titleId,
    }),
    holder,
  );
  if (rows.length === 0) {
    holder.append(paragraph(t("placements.noResidents")));
    return section;
  }
  let sortKey = "name";
  let dir: SortDir = "asc";
  const draw = (focusKey?: string) => {
    const column = columns.find((c) => c.key === sortKey)!;
    const sorted = sortRows(rows, column.value, dir);
    const head = h(
      "tr",
      { class: "utrecht-table__row" },
      columns.map((c) =>
        h(
          "th",
          {
            class: `utrecht-table__header-cell${c.numeric ? " utrecht-table__header-cell--numeric-column" : ""}`,
            scope: "col",
            "aria-sort": c.key === sortKey ? (dir === "asc" ? "ascending" : "descending") : null,
          },
          h(
            "button",
            {
              type: "button",
              class: "sort-button",
              "data-sort": c.key,
              onclick: () => {
                dir = sortKey === c.key && dir === "asc" ? "desc" : "asc";
                sortKey = c.key;
                draw(c.key);
              },
            },
            c.header,
            h(
              "span",
              { class: "sort-mark", "aria-hidden": "true" },
              c.key === sortKey ? (dir === "asc" ? " ▲" : " ▼") : "",
            ),
          ),
        ),
      ),
      o.acts
        ? h("th", { class: "utrecht-table__header-cell", scope: "col" }, t("placements.actions"))
        : null,
    );
    const body = sorted.map((r) =>
      h(
        "tr",
        { class: "utrecht-table__row" },
        columns.map((c, i) =>
          h(
            i === 0 ? "th" : "td",
            {
              class: `utrecht-table__cell${c.numeric ? " utrecht-table__cell--numeric-data" : ""}`,
              scope: i === 0 ? "row" : null,
            },
            c.cell(r),
          ),
        ),
        o.acts ? h("td", { class: "utrecht-table__cell" }, actions(r, o)) : null,
      ),
    );
    holder.replaceChildren(
      h(
        "div",
        {
          class: "utrecht-table-container table-scroll",
          tabindex: "0",
          role: "region",
          "aria-label": t("locations.residents"),
        },
        h(
          "table",
          { class: "utrecht-table utrecht-table--html-table", "data-testid": "residents-table" },
          h(
            "caption",
            { class: "utrecht-table__caption visually-hidden" },
            t("locations.residents"),
          ),
          h("thead", { class: "utrecht-table__header" }, head),
          h("tbody", { class: "utrecht-table__body" }, body),
        ),
      ),
    );
    if (focusKey) holder.querySelector<HTMLButtonElement>(`[data-sort="${focusKey}"]`)?.focus();
  };
  draw();
  return section;
}

function actions(r: Resident, o: ResidentsOptions): HTMLElement {
  // Built when a button is pressed: the location's name is known by then.
  const stay = () => ({
    placement: r.stay,
    locationName: o.locationName(),
    personName: r.name,
    group: r.person?.group ?? null,
    role: o.role,
  });
  return h(
    "div",
    { class: "placement-actions" },
    button(
      t("placements.transfer"),
      {
        "aria-label": t("placements.actionsFor", {
          action: t("placements.transfer"),
          name: r.name,
        }),
        onclick: () => void openTransfer(stay()),
      },
      "secondary",
    ),
    button(
      t("placements.depart"),
      {
        "aria-label": t("placements.actionsFor", { action: t("placements.depart"), name: r.name }),
        onclick: () => void openDeparture(stay()),
      },
      "secondary",
    ),
  );
}
