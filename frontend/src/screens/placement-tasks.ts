// The coordinator's placement tasks: Plaatsen (from a participant or a location),
// Verhuizen (POST /placements/{id}/_transfer: one stay ends, the next starts, all or
// nothing) and Vertrek registreren (PATCH endDate + endReason), as dialogs
// (placement-dialogs.ts), and the buttons on a participant's page that open them.

import { get, patch, post, request } from "../api";
import { h } from "../dom";
import { formatDate, label, t } from "../i18n";
import { amsterdamToday } from "../shape";
import { END_REASONS, type Group, type TransferRead } from "../shape-placements";
import type { Page, Participant, Placement } from "../types";
import { field, paragraph } from "../ui";
import {
  checkEnd,
  endBody,
  endFields,
  locationField,
  locationName,
  openDialog,
  overrideField,
  personName,
  watchAvailability,
} from "./placement-dialogs";

// --- Plaatsen --------------------------------------------------------------------------

export interface PlaceFrom {
  role: string;
  /** from a participant's page */
  participant?: { id: string; name: string; group: Group };
  /** from a location's page: preselected */
  locationId?: string;
}

export async function openPlace(from: PlaceFrom): Promise<HTMLDialogElement> {
  const today = amsterdamToday();
  let people: Participant[] = [];
  if (!from.participant) {
    people = await get<Page<Participant>>("/participants", {
      active: "false",
      sort: "familyName",
      pageSize: 500,
    }).then((r) => r.items);
  }
  const who = from.participant
    ? null
    : field({
        name: "participantId",
        label: t("placements.participant"),
        required: true,
        description: t("placements.participantHint"),
        options: [
          { value: "", label: t("placements.chooseParticipant") },
          ...people.map((p) => ({
            value: p.id,
            label: `${personName(p)} (${p.reference}), ${label("group", p.group)}`,
          })),
        ],
      });
  const start = field({
    name: "startDate",
    label: t("placements.startDate"),
    type: "date",
    required: true,
    value: today,
  });
  const where = locationField("locationId", "placements.location");
  const fields = [...(who ? [who] : []), start, where, ...endFields(), ...overrideField(from.role)];
  const groupOf = (): Group | null => {
    if (from.participant) return from.participant.group;
    return people.find((p) => p.id === who?.control.value)?.group ?? null;
  };
  const free = h("div", { class: "placement-free", "aria-live": "polite" });
  const load = watchAvailability(start, where, free, groupOf, null);
  who?.control.addEventListener("change", () => void load());
  await load();
  if (from.locationId) where.control.value = from.locationId;
  where.wrap.append(free);
  return openDialog({
    title: from.participant
      ? `${t("placements.placeTitle")}: ${from.participant.name}`
      : t("placements.placeTitle"),
    intro: [paragraph(t("placements.placeIntro"))],
    fields,
    submitText: t("placements.place"),
    testId: "place-dialog",
    check: (v, fail) => {
      if (!from.participant && !v.participantId) fail("participantId", "placements.required");
      if (!v.startDate) fail("startDate", "placements.required");
      if (!v.locationId) fail("locationId", "placements.required");
      checkEnd(v, v.startDate ?? "", fail);
    },
    submit: async (v) => {
      const participantId = from.participant?.id ?? v.participantId ?? "";
      const placed = await post<Placement>("/placements", {
        participantId,
        locationId: v.locationId,
        startDate: v.startDate,
        ...endBody(v),
      });
      return t("placements.placed", {
        name: from.participant?.name ?? personName(people.find((p) => p.id === participantId)),
        location: locationName(where, placed.locationId),
        date: formatDate(placed.startDate),
      });
    },
  });
}

// --- Verhuizen -------------------------------------------------------------------------

export interface StayRef {
  placement: Placement;
  locationName: string;
  personName: string;
  group: Group | null;
  role: string;
}

export async function openTransfer(stay: StayRef): Promise<HTMLDialogElement> {
  const date = field({
    name: "date",
    label: t("placements.transferDate"),
    type: "date",
    required: true,
    value: amsterdamToday(),
  });
  const where = locationField("locationId", "placements.transferTo");
  const fields = [date, where, ...endFields(), ...overrideField(stay.role)];
  const free = h("div", { class: "placement-free", "aria-live": "polite" });
  await watchAvailability(date, where, free, () => stay.group, stay.placement.locationId)();
  where.wrap.append(free);
  return openDialog({
    title: `${t("placements.transferTitle")}: ${stay.personName}`,
    intro: [paragraph(t("placements.transferIntro", { location: stay.locationName }))],
    fields,
    submitText: t("placements.transfer"),
    testId: "transfer-dialog",
    rename: { startDate: "date" },
    check: (v, fail) => {
      const start = stay.placement.startDate;
      if (!v.date) fail("date", "placements.required");
      else if (v.date <= start)
        fail("date", "placements.departAfterStart", { date: formatDate(start) });
      if (!v.locationId) fail("locationId", "placements.required");
      if (v.locationId === stay.placement.locationId) fail("locationId", "placements.sameLocation");
      checkEnd(v, v.date ?? "", fail);
    },
    submit: async (v) => {
      const moved = await request<TransferRead>(
        "POST",
        `/placements/${stay.placement.id}/_transfer`,
        {
          body: { locationId: v.locationId, date: v.date, ...endBody(v) },
          headers: { "If-Match": `"${stay.placement.version}"` },
        },
      );
      return t("placements.transferred", {
        location: locationName(where, moved.started.locationId),
        date: formatDate(moved.started.startDate),
      });
    },
  });
}

// --- Vertrek registreren ---------------------------------------------------------------

export function openDeparture(stay: StayRef): HTMLDialogElement {
  const date = field({
    name: "endDate",
    label: t("placements.departDate"),
    type: "date",
    required: true,
    value: amsterdamToday(),
    description: t("placements.departDateHint"),
  });
  const reason = field({
    name: "endReason",
    label: t("placements.endReason"),
    required: true,
    options: [
      { value: "", label: t("placements.chooseReason") },
      ...END_REASONS.map((r) => ({ value: r, label: label("endReason", r) })),
    ],
  });
  const start = stay.placement.startDate;
  return openDialog({
    title: `${t("placements.departTitle")}: ${stay.personName}`,
    intro: [
      paragraph(
        t("placements.departIntro", { location: stay.locationName, date: formatDate(start) }),
      ),
    ],
    fields: [date, reason],
    submitText: t("placements.depart"),
    testId: "departure-dialog",
    check: (v, fail) => {
      if (!v.endDate) fail("endDate", "placements.required");
      else if (v.endDate <= start)
        fail("endDate", "placements.departAfterStart", { date: formatDate(start) });
      if (!v.endReason) fail("endReason", "placements.required");
    },
    submit: async (v) => {
      const ended = await patch<Placement>(
        `/placements/${stay.placement.id}`,
        { endDate: v.endDate, endReason: v.endReason },
        stay.placement.version,
      );
      return t("placements.departed", { date: formatDate(ended.endDate) });
    },
  });
}

// --- the buttons on a participant's page ----------------------------------------------

function actsOn(role: string): boolean {
  return role === "admin" || role === "coordinator";
}

function fullName(p: Participant): string {
  return [p.givenName, p.familyName].filter(Boolean).join(" ") || p.reference;
}

/** "Plaatsen" above a participant's stays, for staff; hidden while the person has a stay
 * that has not ended (then it is Verhuizen or Vertrek registreren). */
export function placeButton(
  role: string,
  p: Participant,
  stays: Placement[] | null,
): HTMLElement[] {
  if (!actsOn(role) || stays === null) return [];
  const today = amsterdamToday();
  if (stays.some((s) => !s.endDate || s.endDate > today)) return [];
  return [
    h(
      "div",
      { class: "placement-toolbar" },
      h(
        "button",
        {
          type: "button",
          class: "utrecht-button utrecht-button--primary-action",
          "data-testid": "place-participant",
          onclick: () =>
            void openPlace({ role, participant: { id: p.id, name: fullName(p), group: p.group } }),
        },
        t("placements.place"),
      ),
    ),
  ];
}

/** An "Acties" column for a participant's stays: Verhuizen and Vertrek registreren on a
 * stay that has not ended yet. */
export function placementActions(
  role: string,
  p: Participant,
  locationName: Map<string, string>,
): { header: string; cell: (r: Placement) => HTMLElement | string }[] {
  if (!actsOn(role)) return [];
  const today = amsterdamToday();
  return [
    {
      header: t("placements.actions"),
      cell: (r) => {
        if (r.endDate && r.endDate <= today) return "";
        const stay: StayRef = {
          placement: r,
          locationName: locationName.get(r.locationId) ?? "",
          personName: fullName(p),
          group: p.group,
          role,
        };
        const act = (text: string, open: () => void) =>
          h(
            "button",
            {
              type: "button",
              class: "utrecht-button utrecht-button--secondary-action",
              onclick: open,
            },
            text,
          );
        return h(
          "div",
          { class: "placement-actions" },
          act(t("placements.transfer"), () => void openTransfer(stay)),
          act(t("placements.depart"), () => void openDeparture(stay)),
        );
      },
    },
  ];
}
