// Locatie detail: facts, capacity history, the occupancy chart, and (for roles that may
// see participants) who lives there now.

import { ApiError, get } from "../api";
import { chartSection } from "../chartui";
import { h } from "../dom";
import { formatDate, formatNumber, label, t } from "../i18n";
import { seesResidents } from "../roles";
import type { ScreenContext } from "../screen";
import { amsterdamToday, lastDays, occupancyOverTime } from "../shape";
import type { CapacityChange, Location, OccupancyRow } from "../types";
import { button, errorBox, heading, link, pageTitle, paragraph, table } from "../ui";
import { availabilitySection } from "./location-availability";
import { publicSection } from "./location-public";
import { decisionCell, locationDecisions } from "./location-decisions";
import { meetingsSection } from "./location-meetings";
import { movementsPanel } from "./movements";
import { flashBox } from "./placement-dialogs";
import { openPlace } from "./placement-tasks";
import { residentsPanel } from "./residents";

export async function render(ctx: ScreenContext): Promise<void> {
  const id = ctx.params.id!;
  ctx.setTitle(t("locations.title"));
  const back = paragraph(link("/locaties", t("locations.back")));
  const today = amsterdamToday();
  const role = ctx.session?.role ?? "";
  const showResidents = seesResidents(role);
  const acts = role === "admin" || role === "coordinator";
  let loc: Location;
  let changes: CapacityChange[];
  let rows: OccupancyRow[];
  let people: [HTMLElement, HTMLElement] | null;
  try {
    [loc, changes, rows, people] = await Promise.all([
      get<Location>(`/locations/${id}`),
      get<{ items: CapacityChange[] }>(`/locations/${id}/capacity-changes`).then((r) => r.items),
      get<{ items: OccupancyRow[] }>("/reports/occupancy", {
        ...lastDays(today, 90),
        locationId: id,
      }).then((r) => r.items),
      showResidents
        ? Promise.all([
            residentsPanel({ locationId: id, locationName: () => loc.name, role, acts }),
            movementsPanel({ locationId: id, idPart: "loc" }),
          ])
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
        { header: t("capacity.decision"), cell: (c) => decisionCell(c.decisionId) },
      ],
      [...changes].sort((a, b) => a.validFrom.localeCompare(b.validFrom)),
    ),
  );

  ctx.main.append(
    back,
    pageTitle(loc.name),
    flashBox() ?? "",
    facts,
    h("div", { class: "chart-grid" }, chart.section, history),
    availabilitySection(loc, acts),
    publicSection(loc, acts),
    locationDecisions(ctx.main, id, acts),
    meetingsSection(id, role),
  );
  if (people) {
    const [residents, movements] = people;
    if (acts) {
      const place = button(t("placements.place"), {
        "data-testid": "place-here",
        onclick: () => void openPlace({ role, locationId: id }),
      });
      residents.querySelector("h2")?.after(h("div", { class: "placement-toolbar" }, place));
    }
    ctx.main.append(residents, movements);
  }
  chart.draw();
  requestAnimationFrame(() => ctx.ready());
}
