// Aankomsten en vertrek: who arrives and who leaves this week and next (GET
// /placements/movements), on Overzicht for all locations and on a location's page for
// that one. A departure after today is a planned one.

import "../placements.css";
import { get } from "../api";
import { h } from "../dom";
import { formatDate, label, t } from "../i18n";
import { amsterdamToday } from "../shape";
import { weekWindow, type Movement } from "../shape-placements";
import { errorBox, heading, link, paragraph, table, type Column } from "../ui";

export interface MovementsOptions {
  locationId?: string;
  /** a name for the ids and headings of this panel, unique on the page */
  idPart: string;
}

function who(m: Movement): string {
  const name = [m.givenName, m.familyName].filter(Boolean).join(" ");
  return name || `${m.reference} ${t("placements.anonymised")}`;
}

function what(m: Movement, today: string): string {
  if (m.kind === "arrival") return t("placements.arrival");
  return m.day > today ? t("placements.departurePlanned") : t("placements.departure");
}

export async function movementsPanel(options: MovementsOptions): Promise<HTMLElement> {
  const today = amsterdamToday();
  const window = weekWindow(today);
  const titleId = `mv-${options.idPart}`;
  const section = h(
    "section",
    { class: "card movements", "aria-labelledby": titleId, "data-testid": "movements" },
    heading(2, t("placements.movementsTitle"), { id: titleId }),
    paragraph(
      t("placements.movementsPeriod", {
        from: formatDate(window.from),
        to: formatDate(window.to),
      }),
    ),
  );
  let items: Movement[];
  try {
    items = await get<{ items: Movement[] }>("/placements/movements", {
      from: window.from,
      to: window.to,
      locationId: options.locationId,
    }).then((r) => r.items);
  } catch (error) {
    section.append(errorBox(error));
    return section;
  }
  const columns: Column<Movement>[] = [
    { header: t("placements.day"), cell: (m) => formatDate(m.day) },
    { header: t("placements.movement"), cell: (m) => what(m, today) },
    { header: t("placements.name"), cell: (m) => link(`/deelnemers/${m.participantId}`, who(m)) },
  ];
  if (!options.locationId) {
    columns.push({
      header: t("placements.location"),
      cell: (m) => link(`/locaties/${m.locationId}`, m.locationName),
    });
  }
  columns.push({
    header: t("placements.endReason"),
    cell: (m) => (m.kind === "departure" ? label("endReason", m.endReason) : ""),
  });
  const weeks: [string, Movement[]][] = [
    [t("placements.thisWeek"), items.filter((m) => m.day < window.nextWeek)],
    [t("placements.nextWeek"), items.filter((m) => m.day >= window.nextWeek)],
  ];
  weeks.forEach(([title, rows], i) => {
    const arrivals = rows.filter((m) => m.kind === "arrival").length;
    const sub = `${titleId}-${i}`;
    section.append(
      h(
        "div",
        { class: "movements__week", "data-testid": `movements-week-${i}` },
        heading(3, title, { id: sub }),
        paragraph(
          `${t("placements.arrivalsCount", { count: arrivals })}, ${t(
            "placements.departuresCount",
            { count: rows.length - arrivals },
          )}`,
        ),
        rows.length === 0
          ? paragraph(t("placements.noMovements"))
          : table(`${t("placements.movementsTitle")}: ${title.toLowerCase()}`, columns, rows),
      ),
    );
  });
  return section;
}
