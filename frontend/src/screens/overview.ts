// Overzicht: key figures that lead to action (each a link to the list that shows the same
// rows, with what it counts), free places per target group and per running activity, and
// the overview report's charts, each chart with its table.

import { get } from "../api";
import { chartSection, type ChartSection } from "../chartui";
import { h } from "../dom";
import { formatDate, formatNumber, getLang, label, t, type MessageKind } from "../i18n";
import { fullBadge, placesByGroupTable } from "../lists-ui";
import { canSee } from "../roles";
import type { ScreenContext } from "../screen";
import {
  activityRates,
  amsterdamToday,
  dutchLevels,
  lastDays,
  occupancyNow,
  occupancyOverTime,
  participantsByGroup,
  signalsBySeverity,
} from "../shape";
import {
  actionTiles,
  activityFull,
  locationFull,
  shortDate,
  type SignalCounts,
} from "../shape-lists";
import type { ActivityListItem, OccupancyRow, OverviewReport, Page } from "../types";
import { errorBox, link, pageTitle, paragraph, table } from "../ui";
import "../lists.css";
import { seesResidents } from "../roles";
import { movementsPanel } from "./movements";
import { conditionsCard } from "./overview-conditions";
import { overdueAgreements } from "./overview-agreements";

const percent = (v: number | null) => (v === null ? t("common.none") : `${formatNumber(v, 1)}%`);

export async function render(ctx: ScreenContext): Promise<void> {
  ctx.setTitle(t("overview.title"));
  const status = paragraph(t("common.loading"));
  status.setAttribute("role", "status");
  ctx.main.append(pageTitle(t("overview.title")), status);

  // All requests at once: the occupancy window ends today, which the browser knows; the
  // signal counts and running activities only for a role that sees those lists.
  const today = amsterdamToday();
  const window90 = lastDays(today, 90);
  const role = ctx.session?.role ?? "";
  // The signals list's own totals per status, so each tile shows what its list shows.
  const total = (status: string) =>
    get<Page<unknown>>("/signals", { status, pageSize: 1 }).then((p) => p.total);
  const signalCounts: Promise<SignalCounts | undefined> = canSee(role, "signals")
    ? Promise.all([total("open"), total("in_progress")]).then(([open, inProgress]) => ({
        open,
        inProgress,
      }))
    : Promise.resolve(undefined);
  const running: Promise<ActivityListItem[] | null> = canSee(role, "activities")
    ? get<Page<ActivityListItem>>("/activities", {
        activeOn: today,
        sort: "title",
        pageSize: 500,
      }).then((p) => p.items)
    : Promise.resolve(null);
  // Aankomsten en vertrek (names people: admin and coordinator), asked beside the report.
  const movements = seesResidents(ctx.session?.role ?? "")
    ? movementsPanel({ idPart: "ov" })
    : null;
  let report: OverviewReport;
  let rows: OccupancyRow[];
  let signals: SignalCounts | undefined;
  let activities: ActivityListItem[] | null;
  try {
    [report, rows, signals, activities] = await Promise.all([
      get<OverviewReport>("/reports/overview"),
      get<{ items: OccupancyRow[] }>("/reports/occupancy", window90).then((r) => r.items),
      signalCounts,
      running,
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
      "ul",
      { class: "action-tiles", "data-testid": "overview-tiles" },
      actionTiles(report, signals).map((x) => {
        const name = t(x.key);
        const value = formatNumber(x.value);
        const body = [
          h("span", { class: "action-tile__label" }, name),
          h("span", { class: "action-tile__value" }, value),
          h(
            "span",
            { class: "action-tile__explain" },
            t(x.explain, { days: report.signals.overdueDays }),
          ),
        ];
        const linked = x.href && x.screen && canSee(role, x.screen);
        return h(
          "li",
          { class: `action-tile${x.tone ? ` action-tile--${x.tone}` : ""}` },
          linked
            ? h("a", { class: "action-tile__link", href: x.href, "data-tile": x.key }, body)
            : h("div", { class: "action-tile__body", "data-tile": x.key }, body),
        );
      }),
    ),
  );

  // Places per target group, the full locations named, and (for whom sees activities)
  // the places left in the activities running today.
  const full = report.occupancy.locations.filter(locationFull);
  const places = h(
    "section",
    { class: "card", "aria-labelledby": "places-h", "data-testid": "places-by-group" },
    h("h2", { class: "utrecht-heading-2", id: "places-h" }, t("lists.placesByGroup")),
    paragraph(t("overview.placesHint"), " ", t("lists.placesByGroupHint")),
    placesByGroupTable(t("lists.placesByGroup"), report.occupancy.locations),
    full.length
      ? h(
          "ul",
          { class: "full-list", "aria-label": t("overview.tile.full") },
          full.map((l) =>
            h(
              "li",
              {},
              canSee(role, "locations") ? link(`/locaties/${l.locationId}`, l.name) : l.name,
              fullBadge(l.name),
            ),
          ),
        )
      : null,
  );
  const activityPlaces = activities
    ? h(
        "section",
        { class: "card", "aria-labelledby": "act-places-h", "data-testid": "activity-places" },
        h("h2", { class: "utrecht-heading-2", id: "act-places-h" }, t("lists.activitiesFree")),
        paragraph(t("lists.activitiesFreeHint")),
        table(
          t("lists.activitiesFree"),
          [
            {
              header: t("activities.activity"),
              cell: (a) => [
                link(`/activiteiten/${a.id}`, a.title),
                activityFull(a) ? fullBadge(a.title) : null,
              ],
            },
            {
              header: t("activities.capacity"),
              numeric: true,
              cell: (a) => (a.capacity === null ? t("lists.noLimit") : formatNumber(a.capacity)),
            },
            { header: t("lists.enrolled"), numeric: true, cell: (a) => formatNumber(a.enrolled) },
            {
              header: t("lists.freePlaces"),
              numeric: true,
              cell: (a) => (a.free === null ? t("lists.noLimit") : formatNumber(a.free)),
            },
          ],
          // Full ones first, then fewest places left; no limit last.
          [...activities].sort(
            (x, y) => (x.free ?? Infinity) - (y.free ?? Infinity) || x.title.localeCompare(y.title),
          ),
          (a): Record<string, string> =>
            activityFull(a) ? { class: "utrecht-table__row row--full" } : {},
        ),
      )
    : null;

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
    const data = occupancyOverTime(rows, id);
    const locale = getLang() === "nl" ? "nl-NL" : "en-GB";
    const name = id
      ? report.occupancy.locations.find((l) => l.locationId === id)?.name
      : t("common.all");
    const section = chartSection(
      `${t("overview.occupancyOverTime")} — ${name}`,
      {
        type: "line",
        data: { ...data, labels: data.labels.map((d) => shortDate(d, locale)) },
        seriesLabels: [occupied, capacity],
        dashed: 1,
      },
      t("common.date"),
      { tableLabels: data.labels.map((d) => formatDate(d)) },
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
    paragraph(t("overview.progressHint")),
    table(
      t("overview.progress", { from: formatDate(p.from), to: formatDate(p.to) }),
      [
        { header: t("overview.group"), cell: (r) => r.name },
        {
          header: t("overview.progressCount"),
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
  ctx.main.append(
    tiles,
    conditionsCard(role) ?? "",
    h("div", { class: "chart-grid" }, places, activityPlaces),
    h("div", { class: "over-time" }, picker, overTimeHolder),
    grid,
  );
  tiles.after(overdueAgreements(role));
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
