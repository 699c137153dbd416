// The Spreidingswet on /publiek: "Hoeveel opvangplekken moet Heemstede regelen?" The
// section is returned at once and fills itself from GET /public/spreiding; when the API
// cannot be reached it removes itself (the rest of the page stands). Text only, no chart.

import { get } from "../api";
import type { components } from "../api-types.gen";
import { h } from "../dom";
import { formatDate, formatNumber, t } from "../i18n";
import { heading, paragraph } from "../ui";
import "../spreiding.css";

type PublicSpreiding = components["schemas"]["PublicSpreiding"];

export function publicSentences(s: PublicSpreiding): string[] {
  if (!s.task) return [t("spreiding.public.noTask")];
  const out = [
    t("spreiding.task.sentence", {
      places: formatNumber(s.task.places),
      from: formatDate(s.task.startsOn),
      to: formatDate(s.task.endsOn),
    }),
    t("spreiding.realised.sentence", { count: formatNumber(s.realised) }),
    s.planned >= 0
      ? t("spreiding.planned.sentence", { count: formatNumber(s.planned) })
      : t("spreiding.planned.less", { count: formatNumber(-s.planned) }),
    s.toArrange
      ? t("spreiding.public.toArrange", { count: formatNumber(s.toArrange) })
      : t("spreiding.public.enough"),
  ];
  return out;
}

/** The section, filled when the answer comes in. */
export function publicSpreiding(): HTMLElement {
  const id = "pub-spreiding";
  const content = h("div", { class: "spreiding-sentences" });
  const section = h(
    "section",
    { "aria-labelledby": `${id}-h`, class: "card public-section", "data-testid": id },
    heading(2, t("spreiding.public.title"), { id: `${id}-h` }),
    paragraph(t("spreiding.public.lead")),
    content,
  );
  get<PublicSpreiding>("/public/spreiding", {}, false).then(
    (s) => {
      content.append(
        ...publicSentences(s).map((x) => paragraph(x)),
        s.task
          ? h(
              "p",
              { class: "utrecht-paragraph spreiding-source" },
              t("spreiding.public.source", { source: s.task.source }),
            )
          : "",
      );
      section.dataset.loaded = "true";
    },
    () => section.remove(),
  );
  return section;
}
