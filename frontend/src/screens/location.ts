// Locatie detail: facts, capacity history, the occupancy chart, and (for roles that may
// see participants) who lives there now.

import { ApiError, get } from "../api";
import { chartSection } from "../chartui";
import { h } from "../dom";
import { formatDate, formatNumber, label, t } from "../i18n";
import { seesResidents } from "../roles";
import type { ScreenContext } from "../screen";
import { amsterdamToday, lastDays, occupancyOverTime } from "../shape";
import type { CapacityChange, Location, OccupancyRow, Page, Participant } from "../types";
import { errorBox, heading, link, pageTitle, paragraph, table } from "../ui";

export async function render(ctx: ScreenContext): Promise<void> {
  const id = ctx.params.id!;
  ctx.setTitle(t("locations.title"));
  const back = paragraph(link("/locaties", t("locations.back")));
  const today = amsterdamToday();
  const showResidents = seesResidents(ctx.session?.role ?? "");
  let loc: Location;
  let changes: CapacityChange[];
  let rows: OccupancyRow[];
  let residents: Participant[] | null;
  try {
    [loc, changes, rows, residents] = await Promise.all([
      get<Location>(`/locations/${id}`),
      get<{ items: CapacityChange[] }>(`/locations/${id}/capacity-changes`).then((r) => r.items),
      get<{ items: OccupancyRow[] }>("/reports/occupancy", {
        ...lastDays(today, 90),
        locationId: id,
      }).then((r) => r.items),
      showResidents
        ? get<Page<Participant>>("/participants", {
            locationId: id,
            active: "true",
            pageSize: 500,
            sort: "familyName",
          }).then((r) => r.items)
        : Promise.resolve(null),
    ]);
  } catch (error) {
    if (!ctx.alive()) return;
    const notFound = error instanceof ApiError && error.status === 404;
    ctx.main.append(
      back,
      pageTitle(notFound ? t("common.notFound") : t("locations.title")),
      notFound ? paragraph(t("common.notFoundText")) : errorBox(error),
    );
    return;
  }
  if (!ctx.alive()) return;
  ctx.setTitle(loc.name);

  const facts = h(
    "dl",
    { class: "utrecht-data-list facts" },
    [
      [t("locations.kind"), label("locationKind", loc.kind)],
      [t("locations.address"), `${loc.address}, ${loc.postcode}`],
      [t("locations.capacity"), formatNumber(loc.capacity)],
      [t("locations.occupied"), formatNumber(loc.occupied)],
      [t("locations.free"), formatNumber(loc.free)],
      [t("locations.openedOn"), formatDate(loc.openedOn)],
      [t("locations.closedOn"), formatDate(loc.closedOn)],
      [t("locations.externalCode"), loc.externalCode ?? t("common.none")],
    ].map(([k, v]) =>
      h(
        "div",
        { class: "utrecht-data-list__item" },
        h("dt", { class: "utrecht-data-list__item-key" }, k),
        h(
          "dd",
          { class: "utrecht-data-list__item-value utrecht-data-list__item-value--html-dd" },
          v,
        ),
      ),
    ),
  );

  const chart = chartSection(
    t("locations.occupancyChart"),
    {
      type: "line",
      data: occupancyOverTime(rows, id),
      seriesLabels: [t("locations.occupied"), t("locations.capacity")],
      dashed: 1,
    },
    t("common.date"),
  );

  const history = h(
    "section",
    { class: "card", "aria-labelledby": "cap-h" },
    heading(2, t("locations.capacityHistory"), { id: "cap-h" }),
    table(
      t("locations.capacityHistory"),
      [
        { header: t("locations.validFrom"), cell: (c) => formatDate(c.validFrom) },
        { header: t("locations.capacity"), numeric: true, cell: (c) => formatNumber(c.capacity) },
      ],
      [...changes].sort((a, b) => a.validFrom.localeCompare(b.validFrom)),
    ),
  );

  ctx.main.append(
    back,
    pageTitle(loc.name),
    facts,
    h("div", { class: "chart-grid" }, chart.section, history),
  );
  if (residents) {
    ctx.main.append(
      h(
        "section",
        { class: "card", "aria-labelledby": "res-h", "data-testid": "residents" },
        heading(2, `${t("locations.residents")} (${formatNumber(residents.length)})`, {
          id: "res-h",
        }),
        residents.length === 0
          ? paragraph(t("locations.noResidents"))
          : table(
              t("locations.residents"),
              [
                {
                  header: t("locations.reference"),
                  cell: (p) => link(`/deelnemers/${p.id}`, p.reference),
                },
                {
                  header: t("locations.residentName"),
                  cell: (p) =>
                    [p.givenName, p.familyName].filter(Boolean).join(" ") || t("common.none"),
                },
                { header: t("locations.group"), cell: (p) => label("group", p.group) },
              ],
              residents,
            ),
      ),
    );
  }
  chart.draw();
  requestAnimationFrame(() => ctx.ready());
}
