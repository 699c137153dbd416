// On /publiek: "Opvanglocaties in Heemstede", a card per location the municipality made
// public (what to expect, places in a band, since and until when, whom to call, the
// agreements with the neighbourhood and their status, the meetings held), and "Mogelijke
// nieuwe locaties" with the stage of each public candidate. Residents at a meeting are a
// count only from 5 on (the API hides smaller numbers). Text and lists, no tables: a card
// reads well on a phone and with a screen reader.

import { get } from "../api";
import { h } from "../dom";
import { formatDate, formatNumber, getLang, isMessageKey, label, t } from "../i18n";
import type { components } from "../api-types.gen";
import { amsterdamToday } from "../shape";
import { heading, link, paragraph } from "../ui";
import "../publicinfo.css";

type Schemas = components["schemas"];
type PublicLocation = Schemas["PublicLocationInfo"];
type Candidate = Schemas["PublicCandidate"];
type Meeting = Schemas["PublicMeeting"];
type Message = Schemas["PublicCommunication"];

/** A label from this area's catalogue (`publicinfo.status.done`); unknown: the value. */
function word(prefix: string, value: string | null | undefined): string {
  const key = `publicinfo.${prefix}.${value ?? "unknown"}`;
  return isMessageKey(key) ? t(key) : String(value);
}

function kindName(kind: string): string {
  const key = `public.kinds.${kind}`;
  return isMessageKey(key) ? t(key) : label("locationKind", kind);
}

function month(yyyyMm: string): string {
  const d = new Date(`${yyyyMm}-01T00:00:00`);
  if (Number.isNaN(d.getTime())) return yyyyMm;
  return d.toLocaleDateString(getLang() === "en" ? "en-GB" : "nl-NL", {
    month: "long",
    year: "numeric",
  });
}

function facts(rows: [string, string | Node][]): HTMLElement {
  return h(
    "dl",
    { class: "utrecht-data-list publicinfo-facts" },
    rows.map(([k, v]) =>
      h(
        "div",
        { class: "utrecht-data-list__item" },
        h("dt", { class: "utrecht-data-list__item-key" }, k),
        h("dd", { class: "utrecht-data-list__item-value" }, v),
      ),
    ),
  );
}

function sub(text: string): HTMLElement {
  return h("h4", { class: "utrecht-heading-4" }, text);
}

function list(items: (string | Node)[], testid: string): HTMLElement {
  return h(
    "ul",
    { class: "utrecht-unordered-list", "data-testid": testid },
    items.map((x) => h("li", { class: "utrecht-unordered-list__item" }, x)),
  );
}

function meetings(items: Meeting[]): HTMLElement[] {
  return [
    sub(t("publicinfo.locations.meetings")),
    items.length
      ? list(
          items.map((m) =>
            t("publicinfo.locations.meeting", {
              date: formatDate(m.heldOn),
              kind: word("meeting", m.kind),
              count:
                m.residentsPresent.suppressed || m.residentsPresent.count === null
                  ? t("publicinfo.locations.fewResidents")
                  : t("publicinfo.locations.residents", {
                      count: formatNumber(m.residentsPresent.count),
                    }),
            }),
          ),
          "pub-meetings",
        )
      : paragraph(t("publicinfo.locations.noMeetings")),
  ];
}

function messages(items: Message[]): HTMLElement[] {
  if (!items.length) return [];
  return [
    sub(t("publicinfo.locations.news")),
    list(
      items.map((c) =>
        h(
          "span",
          {},
          t("publicinfo.locations.message", {
            date: formatDate(c.sentOn),
            channel: word("channel", c.channel),
            summary: c.summary,
          }),
          c.link && /^https:\/\//.test(c.link)
            ? h("span", {}, " ", link(c.link, t("publicinfo.locations.more")))
            : null,
        ),
      ),
      "pub-messages",
    ),
  ];
}

function locationCard(l: PublicLocation): HTMLElement {
  const id = `pub-loc-${l.id}`;
  const future = l.openedOn > amsterdamToday();
  const rows: [string, string | Node][] = [
    [t("publicinfo.locations.kind"), kindName(l.kind)],
    [t("publicinfo.locations.places"), word("band", l.placesBand)],
    [
      t(future ? "publicinfo.locations.opens" : "publicinfo.locations.since"),
      formatDate(l.openedOn),
    ],
    l.closedOn
      ? [t("publicinfo.locations.closed"), formatDate(l.closedOn)]
      : [
          t("publicinfo.locations.until"),
          l.availableUntil
            ? t("publicinfo.locations.untilDate", { date: formatDate(l.availableUntil) })
            : t("publicinfo.locations.untilOpen"),
        ],
  ];
  if (l.contact) rows.push([t("publicinfo.locations.contact"), l.contact]);
  const agreements = l.agreements.map((a) =>
    [
      t("publicinfo.locations.agreement", {
        what: a.description,
        status: word("status", a.status),
      }),
      a.dueMonth && a.status !== "done" && a.status !== "cancelled"
        ? t("publicinfo.locations.due", { month: month(a.dueMonth) })
        : "",
      a.partnerName ? t("publicinfo.locations.by", { partner: a.partnerName }) : "",
    ]
      .filter(Boolean)
      .join(" "),
  );
  return h(
    "article",
    { class: "publicinfo-card", "aria-labelledby": id, "data-testid": "pub-location" },
    heading(3, l.name, { id }),
    l.note ? h("div", {}, sub(t("publicinfo.locations.expect")), paragraph(l.note)) : null,
    facts(rows),
    sub(t("publicinfo.locations.agreements")),
    agreements.length
      ? list(agreements, "pub-agreements")
      : paragraph(t("publicinfo.locations.noAgreements")),
    ...meetings(l.meetings),
    ...messages(l.communications),
  );
}

function candidateCard(c: Candidate): HTMLElement {
  const id = `pub-cand-${c.id}`;
  const rows: [string, string][] = [];
  if (c.area) rows.push([t("publicinfo.candidates.area"), c.area]);
  rows.push(
    [t("publicinfo.candidates.kind"), kindName(c.proposedKind)],
    [t("publicinfo.candidates.places"), word("band", c.placesBand)],
    [
      t("publicinfo.candidates.duration"),
      c.plannedMonths
        ? t("publicinfo.candidates.months", { months: formatNumber(c.plannedMonths) })
        : t("publicinfo.locations.untilOpen"),
    ],
    [t("publicinfo.candidates.stage"), word("stage", c.stage)],
  );
  return h(
    "article",
    { class: "publicinfo-card", "aria-labelledby": id, "data-testid": "pub-candidate" },
    heading(3, c.name, { id }),
    facts(rows),
    c.history.length
      ? h(
          "div",
          {},
          sub(t("publicinfo.candidates.history")),
          list(
            c.history.map((s) =>
              t("publicinfo.candidates.step", {
                date: formatDate(s.changedOn),
                stage: word("stage", s.stage),
              }),
            ),
            "pub-history",
          ),
        )
      : null,
    ...(c.meetings.length ? meetings(c.meetings) : []),
    ...messages(c.communications),
  );
}

function section(id: string, title: string, ...body: (Node | null)[]): HTMLElement {
  return h(
    "section",
    { "aria-labelledby": id, class: "card public-section", "data-testid": id },
    heading(2, title, { id }),
    ...body,
  );
}

/** The two sections, or none when the API cannot be reached (the rest of the page stands). */
export async function publicLocations(): Promise<HTMLElement[]> {
  let locations: PublicLocation[];
  let candidates: Candidate[];
  try {
    [locations, candidates] = await Promise.all([
      get<{ items: PublicLocation[] }>("/public/locations", {}, false).then((r) => r.items),
      get<{ items: Candidate[] }>("/public/candidate-locations", {}, false).then((r) => r.items),
    ]);
  } catch {
    return [];
  }
  return [
    section(
      "pub-locations",
      t("publicinfo.locations.title"),
      paragraph(t("publicinfo.locations.intro")),
      locations.length ? null : paragraph(t("publicinfo.locations.none")),
      ...locations.map(locationCard),
    ),
    section(
      "pub-candidates",
      t("publicinfo.candidates.title"),
      paragraph(t("publicinfo.candidates.intro")),
      candidates.length ? null : paragraph(t("publicinfo.candidates.none")),
      ...candidates.map(candidateCard),
    ),
  ];
}
