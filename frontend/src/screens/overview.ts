// Overzicht: the overview report as tiles and charts, each chart with its table.

import { get } from "../api";
import { chartSection, type ChartSection } from "../chartui";
import { h } from "../dom";
import { formatDate, formatNumber, label, t, type MessageKind } from "../i18n";
import type { ScreenContext } from "../screen";
import {
  activityRates,
  amsterdamToday,
  dutchLevels,
  lastDays,
  occupancyNow,
  occupancyOverTime,
  overviewTiles,
  participantsByGroup,
  signalsBySeverity,
} from "../shape";
import type { OccupancyRow, OverviewReport } from "../types";
import { errorBox, pageTitle, paragraph, table } from "../ui";
import { seesResidents } from "../roles";
import { movementsPanel } from "./movements";
import { tile } from "./public";

const percent = (v: number | null) => (v === null ? t("common.none") : `${formatNumber(v, 1)}%`);

export async function render(ctx: ScreenContext): Promise<void> {
  ctx.setTitle(t("overview.title"));
  const status = paragraph(t("common.loading"));
  status.setAttribute("role", "status");
  ctx.main.append(pageTitle(t("overview.title")), status);

  // Both requests at once: the occupancy window ends today, which the browser knows.
  const today = amsterdamToday();
  const window90 = lastDays(today, 90);
  // Aankomsten en vertrek (names people: admin and coordinator), asked beside the report.
  const movements = seesResidents(ctx.session?.role ?? "")
    ? movementsPanel({ idPart: "ov" })
    : null;
  let report: OverviewReport;
  let rows: OccupancyRow[];
  try {
    [report, rows] = await Promise.all([
      get<OverviewReport>("/reports/overview"),
      get<{ items: OccupancyRow[] }>("/reports/occupancy", window90).then((r) => r.items),
    ]);
  } catch (error) {
    if (ctx.alive()) status.replaceWith(errorBox(error));
    return;
  }
  if (!ctx.alive()) return;
  status.textContent = t("overview.on", { date: formatDate(report.on) });
  status.removeAttribute("role");

  const tiles = h(
    "section",
    { "aria-labelledby": "kf" },
    h("h2", { class: "visually-hidden", id: "kf" }, t("overview.keyFigures")),
    h(
      "dl",
      { class: "tiles", "data-testid": "overview-tiles" },
      overviewTiles(report).map((x) => tile(t(x.key), formatNumber(x.value), x.tone)),
    ),
  );

  const names = (kind: MessageKind, value: string) => label(kind, value);
  const occupied = t("overview.occupied");
  const capacity = t("overview.capacity");

  // Occupancy over time: all locations summed, or one chosen in the select.
  const select = h(
    "select",
    { id: "occ-location", class: "utrecht-select utrecht-select--html-select" },
    h("option", { value: "" }, t("common.all")),
    report.occupancy.locations.map((l) => h("option", { value: l.locationId }, l.name)),
  );
  const overTimeHolder = h("div", {});
  const drawOverTime = () => {
    const id = select.value || null;
    const name = id
      ? report.occupancy.locations.find((l) => l.locationId === id)?.name
      : t("common.all");
    const section = chartSection(
      `${t("overview.occupancyOverTime")} — ${name}`,
      {
        type: "line",
        data: occupancyOverTime(rows, id),
        seriesLabels: [occupied, capacity],
        dashed: 1,
      },
      t("common.date"),
    );
    overTimeHolder.replaceChildren(section.section);
    section.draw();
  };
  select.addEventListener("change", drawOverTime);
  const picker = h(
    "div",
    { class: "utrecht-form-field chart-picker" },
    h("label", { class: "utrecht-form-label", for: "occ-location" }, t("overview.location")),
    select,
  );

  const a = report.attendance;
  const sections: ChartSection[] = [
    chartSection(
      t("overview.occupancyNow"),
      {
        type: "bar",
        data: occupancyNow(report),
        seriesLabels: [occupied, capacity],
        horizontal: true,
      },
      t("overview.location"),
    ),
    chartSection(
      t("overview.byGroup"),
      {
        type: "bar",
        data: participantsByGroup(report, names),
        seriesLabels: [t("overview.count")],
        horizontal: true,
      },
      t("overview.group"),
    ),
    chartSection(
      t("overview.activityRates", { from: formatDate(a.from), to: formatDate(a.to) }),
      {
        type: "bar",
        data: activityRates(report, names),
        seriesLabels: [t("overview.participationRate"), t("overview.attendanceRate")],
        percent: true,
      },
      t("overview.kind"),
      { format: percent },
    ),
    chartSection(
      t("overview.cefr"),
      { type: "bar", data: dutchLevels(report, names), seriesLabels: [t("overview.count")] },
      t("overview.level"),
    ),
    chartSection(
      t("overview.signals"),
      {
        type: "bar",
        data: signalsBySeverity(report, names),
        seriesLabels: [t("overview.open"), t("overview.overdue")],
      },
      t("overview.severity"),
    ),
  ];

  const p = report.progress;
  const progress = h(
    "section",
    { class: "card", "aria-labelledby": "progress-h" },
    h(
      "h2",
      { class: "utrecht-heading-2", id: "progress-h" },
      t("overview.progress", { from: formatDate(p.from), to: formatDate(p.to) }),
    ),
    table(
      t("overview.progress", { from: formatDate(p.from), to: formatDate(p.to) }),
      [
        { header: t("overview.group"), cell: (r) => r.name },
        {
          header: t("overview.participantsCol"),
          numeric: true,
          cell: (r) => formatNumber(r.participants),
        },
        { header: t("overview.movedUp"), numeric: true, cell: (r) => formatNumber(r.movedUp) },
        { header: t("overview.reachedB1"), numeric: true, cell: (r) => formatNumber(r.reachedB1) },
        { header: t("overview.working"), numeric: true, cell: (r) => formatNumber(r.working) },
        {
          header: t("overview.volunteering"),
          numeric: true,
          cell: (r) => formatNumber(r.volunteering),
        },
      ],
      [
        ...p.groups.map((g) => ({ ...g, name: label("group", g.group) })),
        { ...p.total, name: t("common.total") },
      ],
    ),
  );

  const grid = h(
    "div",
    { class: "chart-grid" },
    sections.map((s) => s.section),
    progress,
  );
  ctx.main.append(tiles, h("div", { class: "over-time" }, picker, overTimeHolder), grid);
  drawOverTime();
  for (const s of sections) s.draw();
  if (movements) {
    const panel = await movements;
    if (!ctx.alive()) return;
    tiles.after(panel);
  }
  // Charts are drawn synchronously (no animation); the next frame has them on screen.
  requestAnimationFrame(() => ctx.ready());
}
