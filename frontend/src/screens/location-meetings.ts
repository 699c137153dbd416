// On the location page: the location's last meetings with residents and its open
// agreements (overdue ones marked), with a link to Buurt en bewoners filtered on it.
// For whom sees that screen; it fills itself in when the answers come.

import { get } from "../api";
import { h } from "../dom";
import { formatDate, t } from "../i18n";
import { canSee } from "../roles";
import type { Page } from "../types";
import { heading, link, paragraph } from "../ui";
import {
  agreementMeta,
  filtered,
  word,
  type Agreement,
  type Meeting,
} from "./neighbourhood-shared";
import "../meetings.css";

export function meetingsSection(locationId: string, role: string): HTMLElement | string {
  if (!canSee(role, "neighbourhood")) return "";
  const id = "loc-nb-h";
  const body = h("div", {}, paragraph(t("common.loading")));
  void Promise.all([
    get<Page<Meeting>>("/meetings", { locationId, pageSize: 3 }),
    get<Page<Agreement>>("/agreements", { locationId, pageSize: 500 }),
  ])
    .then(([meetings, agreements]) => {
      const open = filtered(agreements.items, "open");
      body.replaceChildren(
        heading(3, t("meetings.location.lastMeetings")),
        meetings.items.length
          ? h(
              "ul",
              { class: "utrecht-unordered-list nb-list" },
              meetings.items.map((m) =>
                h("li", {}, `${formatDate(m.heldOn)}: ${word("kind", m.kind)}`),
              ),
            )
          : paragraph(t("meetings.none")),
        heading(3, t("meetings.location.openAgreements")),
        open.length
          ? h(
              "ul",
              { class: "utrecht-unordered-list nb-list", "data-testid": "loc-agreements" },
              open.map((a) =>
                h(
                  "li",
                  { class: a.overdue ? "agreement agreement--overdue" : "agreement" },
                  a.description,
                  agreementMeta(a),
                ),
              ),
            )
          : paragraph(t("meetings.location.noOpen")),
      );
    })
    .catch(() => body.replaceChildren(paragraph(t("problem.unknown"))));
  return h(
    "section",
    { class: "card", "aria-labelledby": id, "data-testid": "location-meetings" },
    heading(2, t("meetings.location.heading"), { id }),
    body,
    paragraph(
      link(`/buurt?locationId=${encodeURIComponent(locationId)}`, t("meetings.location.more")),
    ),
  );
}
