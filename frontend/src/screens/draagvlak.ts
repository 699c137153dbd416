// Draagvlak (/draagvlak): one row per location with what tells how the neighbourhood is
// doing: open and overdue signals, open and overdue agreements, the last meeting, the
// conditions to evaluate soon, and the signals of the last 3 months against the 3 before.
// Each location links to its own view (draagvlak-location.ts). Staff and viewers see every
// location, a partner the locations it operates (the API decides).

import { get } from "../api";
import { h } from "../dom";
import { formatDate, formatNumber, t } from "../i18n";
import type { ScreenContext } from "../screen";
import type { DraagvlakSummary } from "../shape-draagvlak";
import { errorBox, link, pageTitle, paragraph, table } from "../ui";
import "../draagvlak.css";

function late(n: number): HTMLElement | string {
  if (n === 0) return formatNumber(0);
  return h(
    "span",
    { class: "utrecht-status-badge utrecht-status-badge--warning draagvlak-late" },
    formatNumber(n),
  );
}

export function summaryTable(rows: DraagvlakSummary[]): HTMLDivElement {
  return table(
    t("draagvlak.list.caption"),
    [
      {
        header: t("draagvlak.col.location"),
        cell: (r: DraagvlakSummary) => link(`/draagvlak/${r.locationId}`, r.name),
      },
      {
        header: t("draagvlak.col.openSignals"),
        numeric: true,
        cell: (r) => formatNumber(r.openSignals),
      },
      {
        header: t("draagvlak.col.overdueSignals"),
        numeric: true,
        cell: (r) => late(r.overdueSignals),
      },
      {
        header: t("draagvlak.col.openAgreements"),
        numeric: true,
        cell: (r) => formatNumber(r.openAgreements),
      },
      {
        header: t("draagvlak.col.overdueAgreements"),
        numeric: true,
        cell: (r) => late(r.overdueAgreements),
      },
      { header: t("draagvlak.col.lastMeeting"), cell: (r) => formatDate(r.lastMeetingOn) },
      {
        header: t("draagvlak.col.conditionsDue"),
        numeric: true,
        cell: (r) => formatNumber(r.conditionsDue),
      },
      {
        header: t("draagvlak.col.last3"),
        numeric: true,
        cell: (r) =>
          `${formatNumber(r.signals.last3)} (${t(`draagvlak.dir.${r.signals.direction}`)})`,
      },
    ],
    rows,
    (r) => ({ "data-location": r.locationId }),
  );
}

export async function render(ctx: ScreenContext): Promise<void> {
  ctx.setTitle(t("draagvlak.title"));
  const body = h("div", { "data-testid": "draagvlak-list" }, paragraph(t("common.loading")));
  ctx.main.append(pageTitle(t("draagvlak.title")), paragraph(t("draagvlak.lead")), body);
  try {
    const answer = await get<{ items: DraagvlakSummary[] }>("/reports/draagvlak");
    if (!ctx.alive()) return;
    body.replaceChildren(
      answer.items.length ? summaryTable(answer.items) : paragraph(t("draagvlak.none")),
    );
  } catch (error) {
    if (ctx.alive()) body.replaceChildren(errorBox(error));
  }
  ctx.ready();
}
