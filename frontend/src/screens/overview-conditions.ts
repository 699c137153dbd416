// "Voorwaarden om te toetsen" on the overview, for admin and coordinator: the open
// conditions to evaluate in the next 60 days, the overdue ones first (the list is sorted
// by evaluation date, so those come first by themselves), each linking to its location.

import "../decisions.css";
import { get } from "../api";
import { h } from "../dom";
import { formatDate, t } from "../i18n";
import type { Page } from "../types";
import { errorBox, heading, link, paragraph } from "../ui";
import type { Condition } from "./decisions-view";

const SHOWN = 10;

export function conditionsCard(role: string): HTMLElement | null {
  if (role !== "admin" && role !== "coordinator") return null;
  const body = h("div", {}, paragraph(t("common.loading")));
  void get<Page<Condition>>("/conditions", {
    dueWithinDays: 60,
    status: "open",
    pageSize: SHOWN,
  }).then(
    (page) => {
      if (!page.items.length) return body.replaceChildren(paragraph(t("conditions.due.none")));
      body.replaceChildren(
        h(
          "ul",
          { class: "due-list" },
          page.items.map((c) =>
            h(
              "li",
              { "data-testid": "due-condition" },
              c.locationId ? link(`/locaties/${c.locationId}`, c.locationName ?? "") : "",
              h(
                "div",
                {},
                `${t("conditions.evaluateOn")}: ${formatDate(c.evaluateOn)}`,
                c.overdue
                  ? h("strong", { class: "overdue-badge" }, ` (${t("conditions.overdue")})`)
                  : "",
              ),
              h("div", {}, c.description),
            ),
          ),
        ),
        page.total > SHOWN ? paragraph(t("conditions.due.more", { n: page.total - SHOWN })) : "",
      );
    },
    (error: unknown) => body.replaceChildren(errorBox(error)),
  );
  return h(
    "section",
    { class: "card", "aria-labelledby": "due-cond-h", "data-testid": "conditions-due" },
    heading(2, t("conditions.due.title"), { id: "due-cond-h" }),
    paragraph(t("conditions.due.hint")),
    body,
  );
}
