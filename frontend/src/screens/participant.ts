// One participant: what the API answers for this role (a field it leaves out is not
// shown, so a partner never sees a BSN), the progress history, placements, enrollments,
// and for staff the edit form with the API's errors at their fields.

import { ApiError, get, patch } from "../api";
import { append, h, onSubmit } from "../dom";
import { clearProblems, errorSummary, showProblems, values } from "../forms";
import { formatDate, getLang, label, t, type MessageKey } from "../i18n";
import { countryName, languageName, loadIsoNames } from "../iso-names";
import type { ScreenContext } from "../screen";
import { participantChanges, participantName } from "../shape-participants";
import type { Activity, Enrollment, Location, Page, ParticipantFull, Placement } from "../types";
import { alertBox, errorBox, heading, link, pageTitle, paragraph, table } from "../ui";
import { allowancePanel } from "./participant-allowance";
import { editsParticipants, participantFields, partnerOptions } from "./participant-form";
import { flashBox } from "./placement-dialogs";
import { placementActions, placeButton } from "./placement-tasks";

const FACTS: [keyof ParticipantFull, MessageKey, (v: unknown) => string][] = [
  ["reference", "participants.reference", String],
  ["bsn", "participants.bsn", String],
  ["vNumber", "participants.vNumber", String],
  ["givenName", "participants.givenName", String],
  ["familyName", "participants.familyName", String],
  ["dateOfBirth", "participants.dateOfBirth", (v) => formatDate(String(v))],
  ["nationality", "participants.nationality", (v) => countryName(String(v), getLang())],
  ["group", "participants.group", (v) => label("group", String(v))],
  ["householdRef", "participants.household", String],
  [
    "languages",
    "participants.languages",
    (v) =>
      (v as string[]).length
        ? (v as string[]).map((c) => languageName(c, getLang())).join(", ")
        : t("common.none"),
  ],
  ["dutchLevel", "participants.dutchLevel", (v) => label("dutchLevel", String(v))],
  [
    "employmentStatus",
    "participants.employmentStatus",
    (v) => label("employmentStatus", String(v)),
  ],
];

export async function render(ctx: ScreenContext): Promise<void> {
  const id = ctx.params.id!;
  const role = ctx.session?.role ?? "";
  ctx.setTitle(t("participants.title"));
  const back = paragraph(link("/deelnemers", t("participants.back")));
  let p: ParticipantFull;
  try {
    p = await get<ParticipantFull>(`/participants/${id}`);
  } catch (error) {
    if (!ctx.alive()) return;
    const notFound = error instanceof ApiError && error.status === 404;
    ctx.main.append(
      back,
      pageTitle(notFound ? t("common.notFound") : t("participants.title")),
      notFound ? paragraph(t("common.notFoundText")) : errorBox(error),
    );
    return;
  }
  const [placements, enrollments, locations, activities, partners] = await Promise.all([
    get<Page<Placement>>("/placements", {
      participantId: id,
      pageSize: 100,
      sort: "-startDate",
    }).then(
      (r) => r.items,
      () => null,
    ),
    get<Page<Enrollment>>("/enrollments", { participantId: id, pageSize: 100 }).then(
      (r) => r.items,
      () => null,
    ),
    get<Page<Location>>("/locations", { pageSize: 200 }).then(
      (r) => r.items,
      () => [] as Location[],
    ),
    get<Page<Activity>>("/activities", { pageSize: 500 }).then(
      (r) => r.items,
      () => [] as Activity[],
    ),
    editsParticipants(role) ? partnerOptions() : Promise.resolve([]),
    // Nationality and languages by their names, not their codes (issue 16).
    loadIsoNames(getLang(), p.languages ?? []).catch(() => undefined),
  ]);
  if (!ctx.alive()) return;
  const locationName = new Map(locations.map((l) => [l.id, l.name]));
  const activityTitle = new Map(activities.map((a) => [a.id, a.title]));
  const partnerName = new Map(partners.map((o) => [o.value, o.label]));

  const title = pageTitle(participantName(p));
  const facts = h("dl", { class: "utrecht-data-list facts", "data-testid": "participant-facts" });
  const progress = h("div");
  const drawFacts = () => {
    ctx.setTitle(participantName(p));
    title.textContent = participantName(p);
    const rows: [string, string][] = [];
    for (const [key, text, fmt] of FACTS) {
      if (!(key in p)) continue; // the API did not answer it for this role
      const v = p[key];
      rows.push([t(text), v === null || v === undefined || v === "" ? t("common.none") : fmt(v)]);
    }
    if ("guardianPartnerId" in p)
      rows.push([
        t("participants.guardian"),
        p.guardianPartnerId
          ? (partnerName.get(p.guardianPartnerId) ?? p.guardianPartnerId)
          : t("common.none"),
      ]);
    facts.replaceChildren(
      ...rows.map(([k, v]) =>
        h(
          "div",
          { class: "utrecht-data-list__item" },
          h("dt", { class: "utrecht-data-list__item-key" }, k),
          h(
            "dd",
            { class: "utrecht-data-list__item-value utrecht-data-list__item-value--html-dd" },
            v,
          ),
        ),
      ),
    );
    const history = p.progress ?? [];
    progress.replaceChildren(
      history.length === 0
        ? paragraph(t("participants.noProgress"))
        : table(
            t("participants.progress"),
            [
              { header: t("participants.validFrom"), cell: (r) => formatDate(r.validFrom) },
              {
                header: t("participants.progressField"),
                cell: (r) => t(`participants.${r.field}`),
              },
              { header: t("participants.progressValue"), cell: (r) => label(r.field, r.value) },
            ],
            history,
          ),
    );
  };
  drawFacts();

  const placementsBox =
    placements === null
      ? paragraph(t("participants.notAvailable"))
      : placements.length === 0
        ? paragraph(t("participants.noPlacements"))
        : table(
            t("participants.placements"),
            [
              {
                header: t("participants.location"),
                cell: (r) => locationName.get(r.locationId) ?? r.locationId,
              },
              { header: t("participants.startDate"), cell: (r) => formatDate(r.startDate) },
              {
                header: t("participants.endDate"),
                cell: (r) => (r.endDate ? formatDate(r.endDate) : t("participants.current")),
              },
              { header: t("participants.endReason"), cell: (r) => label("endReason", r.endReason) },
              ...placementActions(role, p, locationName),
            ],
            placements,
          );
  const enrollmentsBox =
    enrollments === null
      ? paragraph(t("participants.notAvailable"))
      : enrollments.length === 0
        ? paragraph(t("participants.noEnrollments"))
        : table(
            t("participants.enrollments"),
            [
              {
                header: t("activities.activity"),
                cell: (r) =>
                  link(
                    `/activiteiten/${r.activityId}`,
                    activityTitle.get(r.activityId) ?? t("activities.activity"),
                  ),
              },
              { header: t("activities.enrolledOn"), cell: (r) => formatDate(r.enrolledOn) },
              { header: t("activities.status"), cell: (r) => label("enrollmentStatus", r.status) },
              {
                header: t("activities.endedOn"),
                cell: (r) => (r.endedOn ? formatDate(r.endedOn) : t("common.none")),
              },
            ],
            enrollments,
          );

  const section = (idPart: string, text: string, ...body: Node[]) =>
    h(
      "section",
      { class: "card", "aria-labelledby": `pp-${idPart}` },
      heading(2, text, { id: `pp-${idPart}` }),
      ...body,
    );
  append(ctx.main, [
    back,
    title,
    flashBox(),
    ctx.query.get("created") ? alertBox("ok", paragraph(t("participants.created"))) : null,
    section("d", t("participants.details"), facts),
    section("pr", t("participants.progress"), progress),
    section("pl", t("participants.placements"), ...placeButton(role, p, placements), placementsBox),
    section("en", t("participants.enrollments"), enrollmentsBox),
  ]);
  const allowance = await allowancePanel(id, role);
  if (!ctx.alive()) return;
  if (allowance) ctx.main.append(allowance);

  if (editsParticipants(role)) {
    const fields = participantFields({ role, partners, creating: false, current: p });
    const summary = errorSummary();
    const done = h("div", { "aria-live": "polite" });
    const submit = h(
      "button",
      { type: "submit", class: "utrecht-button utrecht-button--primary-action" },
      t("common.save"),
    );
    const form = h(
      "form",
      { novalidate: true, "data-testid": "participant-edit" },
      summary,
      fields.map((f) => f.wrap),
      submit,
    );
    onSubmit(form, async (e) => {
      e.preventDefault();
      clearProblems(fields, summary);
      done.replaceChildren();
      const v = values(fields);
      const changes = participantChanges(p, v);
      if (Object.keys(changes).length === 0) {
        done.replaceChildren(alertBox("info", paragraph(t("participants.noChanges"))));
        return;
      }
      submit.disabled = true;
      try {
        p = await patch<ParticipantFull>(`/participants/${id}`, changes, p.version);
        drawFacts();
        done.replaceChildren(alertBox("ok", paragraph(t("participants.saved"))));
      } catch (error) {
        showProblems(fields, summary, error);
      } finally {
        submit.disabled = false;
      }
    });
    ctx.main.append(section("ed", t("participants.edit"), done, form));
  }
  ctx.ready();
}
