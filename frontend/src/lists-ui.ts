// Markup shared by the lists and the overview: the "Vol" badge and the table of free
// places per target group (location kind).

import { h } from "./dom";
import { formatNumber, isMessageKey, label, t } from "./i18n";
import { placesByGroup } from "./shape-lists";
import { table } from "./ui";

/** "Vol", with the full sentence for a screen reader (the badge is not colour alone). */
export function fullBadge(name: string): HTMLSpanElement {
  return h(
    "span",
    { class: "badge badge--full", "data-testid": "full-badge" },
    h("span", { "aria-hidden": "true" }, t("lists.full")),
    h("span", { class: "visually-hidden" }, t("lists.fullRow", { name })),
  );
}

/** The name of a location kind as the target group its places are for. */
export function placeGroupName(kind: string): string {
  const key = `lists.placeGroup.${kind}`;
  return isMessageKey(key) ? t(key) : label("locationKind", kind);
}

/** Capacity, occupied, free and full locations per target group, with a total. */
export function placesByGroupTable(
  caption: string,
  locations: { kind: string; capacity: number; occupied: number; free: number }[],
): HTMLDivElement {
  const groups = placesByGroup(locations);
  const sum = (f: (g: (typeof groups)[number]) => number) => groups.reduce((n, g) => n + f(g), 0);
  return table(
    caption,
    [
      { header: t("lists.target"), cell: (g) => g.name },
      {
        header: t("lists.locationsCol"),
        numeric: true,
        cell: (g) => formatNumber(g.locations),
      },
      { header: t("locations.capacity"), numeric: true, cell: (g) => formatNumber(g.capacity) },
      { header: t("locations.occupied"), numeric: true, cell: (g) => formatNumber(g.occupied) },
      { header: t("lists.freePlaces"), numeric: true, cell: (g) => formatNumber(g.free) },
      { header: t("lists.fullCol"), numeric: true, cell: (g) => formatNumber(g.full) },
    ],
    [
      ...groups.map((g) => ({ ...g, name: placeGroupName(g.kind) })),
      {
        name: t("common.total"),
        locations: sum((g) => g.locations),
        capacity: sum((g) => g.capacity),
        occupied: sum((g) => g.occupied),
        free: sum((g) => g.free),
        full: sum((g) => g.full),
      },
    ],
    (g) => ({ "data-group": "kind" in g ? String(g.kind) : "total" }),
  );
}
