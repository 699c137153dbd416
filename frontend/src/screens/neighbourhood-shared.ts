// What the Buurt en bewoners screen, the location page's section and the overview card
// share: the API shapes of meetings, agreements and communications, their words, and the
// agreement filter (open / te laat / klaar).

import type { components } from "../api-types.gen";
import { h } from "../dom";
import { formatDate, t, type MessageKey } from "../i18n";

type Schemas = components["schemas"];
export type Meeting = Schemas["MeetingRead"];
export type Agreement = Schemas["AgreementRead"];
export type AgreementNote = Schemas["AgreementNoteRead"];
export type Communication = Schemas["CommunicationRead"];

export const MEETING_KINDS = ["neighbourhood_meeting", "information_evening", "sounding_board"];
export const STATUSES = ["open", "in_progress", "done", "cancelled"] as const;
export const CHANNELS = ["letter", "newsletter", "website", "meeting", "social_media"];
export const AUDIENCES = ["street", "neighbourhood", "municipality"];
export const FILTERS = ["open", "overdue", "done", "all"] as const;
export type Filter = (typeof FILTERS)[number];

/** A word from this area's catalogue for an API value (`meetings.kind.<value>`). */
export function word(group: string, value: string | null | undefined): string {
  const key = `meetings.${group}.${value ?? ""}`;
  return t(key as MessageKey);
}

export function isFilter(value: string | null): value is Filter {
  return (FILTERS as readonly string[]).includes(value ?? "");
}

/** Which agreements a filter shows: open (open or in progress), te laat, klaar, alle. */
export function filtered(items: Agreement[], filter: Filter): Agreement[] {
  if (filter === "overdue") return items.filter((a) => a.overdue);
  if (filter === "done") return items.filter((a) => a.status === "done");
  if (filter === "open")
    return items.filter((a) => a.status === "open" || a.status === "in_progress");
  return items;
}

/** Who does it: the partner's name, the municipality, or nobody yet. */
export function owner(a: Agreement): string {
  if (a.partnerName) return a.partnerName;
  return a.ownerUserId ? t("meetings.agreement.staff") : t("meetings.agreement.nobody");
}

/** The overdue badge, as on the signals screen. */
export function overdueBadge(): HTMLElement {
  return h(
    "span",
    { class: "utrecht-status-badge utrecht-status-badge--warning overdue-badge" },
    t("meetings.agreement.overdue"),
  );
}

export function statusBadge(a: Agreement): HTMLElement {
  return h(
    "span",
    { class: `utrecht-status-badge agreement-status agreement-status--${a.status}` },
    word("status", a.status),
  );
}

/** One line about an agreement: who, when due, its status, overdue. */
export function agreementMeta(a: Agreement): HTMLElement {
  return h(
    "p",
    { class: "utrecht-paragraph agreement__meta" },
    `${t("meetings.agreement.who")}: ${owner(a)}`,
    a.dueOn ? ` · ${t("meetings.agreement.dueOn")}: ${formatDate(a.dueOn)}` : "",
    a.doneOn ? ` · ${t("meetings.agreement.doneOn")}: ${formatDate(a.doneOn)}` : "",
    " ",
    statusBadge(a),
    a.overdue ? [" ", overdueBadge()] : null,
  );
}

/** Where a meeting or a communication is about. */
export function about(x: { locationName?: string | null; candidateId?: string | null }): string {
  if (x.locationName) return x.locationName;
  return x.candidateId ? t("meetings.candidate") : t("meetings.general");
}
