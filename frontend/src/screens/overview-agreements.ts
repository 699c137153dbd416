// On the overview, for staff: "Afspraken te laat", like the overdue signals tile: how many
// agreements with the neighbourhood are past their date and not done, the first few named,
// and a link to Buurt en bewoners showing them.

import { get } from "../api";
import { h } from "../dom";
import { formatDate, t } from "../i18n";
import type { Page } from "../types";
import { heading, link, paragraph } from "../ui";
import { owner, type Agreement } from "./neighbourhood-shared";
import "../meetings.css";

export function overdueAgreements(role: string): HTMLElement | string {
  if (role !== "admin" && role !== "coordinator") return "";
  const id = "ov-agreements-h";
  const body = h("div", {}, paragraph(t("common.loading")));
  void get<Page<Agreement>>("/agreements", { overdue: true, sort: "dueOn", pageSize: 5 })
    .then((page) => {
      body.replaceChildren(
        paragraph(
          page.total === 0
            ? t("meetings.overview.none")
            : page.total === 1
              ? t("meetings.overview.one")
              : t("meetings.overview.count", { n: page.total }),
        ),
        page.items.length
          ? h(
              "ul",
              { class: "utrecht-unordered-list nb-list" },
              page.items.map((a) =>
                h(
                  "li",
                  { class: "agreement agreement--overdue" },
                  `${a.description} (${owner(a)}, ${formatDate(a.dueOn)})`,
                ),
              ),
            )
          : "",
        page.total ? paragraph(link("/buurt?afspraken=overdue", t("meetings.overview.more"))) : "",
      );
    })
    .catch(() => body.replaceChildren(paragraph(t("problem.unknown"))));
  return h(
    "section",
    { class: "card", "aria-labelledby": id, "data-testid": "overdue-agreements" },
    heading(2, t("meetings.overview.heading"), { id }),
    body,
  );
}
