// Publiek (/publiek): the public summary for residents, no sign-in. Plain text and
// tables, no charts: quick on any phone and easy for a screen reader.

import { get } from "../api";
import { h } from "../dom";
import { formatDate, formatNumber, label, t } from "../i18n";
import type { ScreenContext } from "../screen";
import { publicCount } from "../shape";
import type { PublicCount, PublicSummary } from "../types";
import { errorBox, heading, link, pageTitle, paragraph, table } from "../ui";

function count(c: PublicCount): string {
  const v = publicCount(c, t("common.suppressed"));
  return typeof v === "number" ? formatNumber(v) : v;
}

export async function render(ctx: ScreenContext): Promise<void> {
  ctx.setTitle(t("public.title"));
  const title = pageTitle(t("public.title"));
  ctx.main.append(title, paragraph(t("public.intro")));
  let s: PublicSummary;
  try {
    s = await get<PublicSummary>("/public/summary", {}, false);
  } catch (error) {
    if (ctx.alive()) ctx.main.append(errorBox(error));
    return;
  }
  if (!ctx.alive()) return;
  const section = (id: string, titleText: string, ...body: (Node | null)[]) =>
    h("section", { "aria-labelledby": id, class: "card" }, heading(2, titleText, { id }), ...body);

  ctx.main.append(
    paragraph(h("strong", {}, t("public.on", { date: formatDate(s.on) }))),
    h(
      "dl",
      { class: "tiles", "data-testid": "public-tiles" },
      tile(t("public.participants"), count(s.participantsTotal)),
      tile(t("public.capacity"), count(s.locationsTotal.capacity)),
      tile(t("public.occupied"), count(s.locationsTotal.occupied)),
      tile(t("public.activities"), count(s.activitiesTotal)),
    ),
    section(
      "pub-locations",
      t("public.locations"),
      table(
        t("public.locations"),
        [
          { header: t("public.kind"), cell: (r) => r.name },
          { header: t("public.capacity"), numeric: true, cell: (r) => count(r.capacity) },
          { header: t("public.occupied"), numeric: true, cell: (r) => count(r.occupied) },
        ],
        [
          ...s.locations.map((l) => ({
            name: label("locationKind", l.kind),
            capacity: l.capacity,
            occupied: l.occupied,
          })),
          {
            name: t("common.total"),
            capacity: s.locationsTotal.capacity,
            occupied: s.locationsTotal.occupied,
          },
        ],
      ),
    ),
    section(
      "pub-participants",
      t("public.participants"),
      table(
        t("public.participants"),
        [
          { header: t("public.group"), cell: (r) => r.name },
          { header: t("public.count"), numeric: true, cell: (r) => count(r.count) },
        ],
        [
          ...s.participants.map((p) => ({ name: label("group", p.group), count: p.participants })),
          { name: t("common.total"), count: s.participantsTotal },
        ],
      ),
    ),
    section(
      "pub-activities",
      t("public.activities"),
      table(
        t("public.activities"),
        [
          { header: t("overview.kind"), cell: (r) => label("activityKind", r.kind) },
          { header: t("public.onOffer"), numeric: true, cell: (r) => count(r.onOffer) },
          {
            header: t("public.participantsCol"),
            numeric: true,
            cell: (r) => count(r.participants),
          },
        ],
        s.activities,
      ),
    ),
    section(
      "pub-signals",
      t("public.signals"),
      paragraph(t("public.signalsSince", { date: formatDate(s.resolvedSince) })),
      table(
        t("public.signals"),
        [
          { header: t("public.category"), cell: (r) => r.name },
          { header: t("public.resolved"), numeric: true, cell: (r) => count(r.resolved) },
          { header: t("public.open"), numeric: true, cell: (r) => count(r.open) },
        ],
        [
          ...s.signals.map((x) => ({
            name: label("signalCategory", x.category),
            resolved: x.resolved,
            open: x.open,
          })),
          { name: t("common.total"), resolved: s.signalsTotal.resolved, open: s.signalsTotal.open },
        ],
      ),
    ),
  );
  if (!ctx.session) ctx.main.append(paragraph(link("/inloggen", t("public.signInLink"))));
  ctx.ready();
}

export function tile(name: string, value: string, tone?: string): HTMLDivElement {
  return h(
    "div",
    { class: `tile${tone ? ` tile--${tone}` : ""}` },
    h("dt", { class: "tile__label" }, name),
    h("dd", { class: "tile__value" }, value),
  );
}
