// The goals on /publiek: the public indicators of the public goals, each with its latest
// quarter in plain sentences and the quarters as a small table (no chart: the public page
// stays text and tables). Figures about fewer than 5 people come from the API as hidden.

import { get } from "../api";
import { h } from "../dom";
import { t, type MessageKey } from "../i18n";
import { byTheme, formatValue, latest, quarterShort, sentences } from "../shape-goals";
import type { IndicatorSeries, SeriesPoint } from "../types";
import { heading, paragraph, table } from "../ui";
import "../goals.css";

function block(s: IndicatorSeries): HTMLElement {
  const id = `pub-ind-${s.indicatorId}`;
  const point = latest(s);
  return h(
    "div",
    { class: "public-indicator", "data-indicator": s.indicatorId },
    h("h4", { class: "utrecht-heading-4", id }, s.title),
    ...(point ? sentences(s, point).map((x) => paragraph(x)) : []),
    table(
      t("goals.table.caption", { title: s.title }),
      [
        { header: t("goals.table.quarter"), cell: (p: SeriesPoint) => quarterShort(p) },
        {
          header: t("goals.series.value"),
          numeric: true,
          cell: (p: SeriesPoint) =>
            p.suppressed ? t("goals.hidden") : formatValue(p.value, s.unit),
        },
        {
          header: t("goals.series.target"),
          numeric: true,
          cell: (p: SeriesPoint) => formatValue(p.target, s.unit),
        },
      ],
      // The last four quarters: enough to see the trend on a phone.
      s.points.slice(-4),
    ),
  );
}

/** The section, or null when the API cannot be reached (the rest of the page stands). */
export async function publicGoals(): Promise<HTMLElement | null> {
  let items: IndicatorSeries[];
  try {
    items = (await get<{ items: IndicatorSeries[] }>("/public/indicators", {}, false)).items;
  } catch {
    return null;
  }
  const id = "pub-goals";
  const ordered = byTheme(
    items,
    (s) => s.goalTheme,
    (s) => s.goalTitle,
  );
  const goals = [...new Set(ordered.map((s) => s.goalId))];
  return h(
    "section",
    { "aria-labelledby": id, class: "card public-section", "data-testid": id },
    heading(2, t("goals.public.title"), { id }),
    paragraph(t("goals.public.lead")),
    goals.length === 0 ? paragraph(t("goals.public.none")) : null,
    ...goals.map((goalId) => {
      const mine = items.filter((s) => s.goalId === goalId);
      const first = mine[0]!;
      return h(
        "div",
        { class: "public-goal", "data-goal": goalId },
        heading(3, `${first.goalTitle} (${t(`goals.theme.${first.goalTheme}` as MessageKey)})`),
        ...mine.map(block),
      );
    }),
  );
}
