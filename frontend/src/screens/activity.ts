// One activity, task first: attendance for the last session day (activity-attendance.ts:
// radio groups per enrolled participant, "iedereen aanwezig", the whole list PUT at once),
// then the current enrollments with their status moves (past ones folded away), the
// facts, and the enroll form. Names where the role may see the person, else the reference
// or a short id.

import "../activity.css";
import { ApiError, get, patch, post } from "../api";
import { combobox } from "../combobox";
import { append, h, onSubmit } from "../dom";
import { clearProblems, errorSummary, setValue, showProblems, values } from "../forms";
import { formatDate, getLang, label, t, type MessageKey } from "../i18n";
import type { ScreenContext } from "../screen";
import { enrollmentMoves, splitEnrollments } from "../shape-activities";
import { participantName } from "../shape-participants";
import type { Activity, Enrollment, Location, Page, ParticipantFull } from "../types";
import {
  alertBox,
  button,
  errorBox,
  field,
  heading,
  link,
  pageTitle,
  paragraph,
  table,
} from "../ui";
import { attendanceForm } from "./activity-attendance";

const MOVE_KEYS: Record<string, MessageKey> = {
  active: "activities.moveActive",
  completed: "activities.moveCompleted",
  dropped_out: "activities.moveDropped",
};

export async function render(ctx: ScreenContext): Promise<void> {
  const id = ctx.params.id!;
  const role = ctx.session?.role ?? "";
  ctx.setTitle(t("activities.title"));
  const back = paragraph(link("/activiteiten", t("activities.back")));
  let activity: Activity;
  try {
    activity = await get<Activity>(`/activities/${id}`);
  } catch (error) {
    if (!ctx.alive()) return;
    const notFound = error instanceof ApiError && error.status === 404;
    ctx.main.append(
      back,
      pageTitle(notFound ? t("common.notFound") : t("activities.title")),
      notFound ? paragraph(t("common.notFoundText")) : errorBox(error),
    );
    return;
  }
  const locationName = activity.locationId
    ? await get<Location>(`/locations/${activity.locationId}`).then(
        (l) => l.name,
        () => t("common.none"),
      )
    : t("common.none");
  if (!ctx.alive()) return;
  ctx.setTitle(activity.title);

  let enrollments: Enrollment[] = [];
  const names = new Map<string, string>();
  const nameOf = (pid: string) =>
    names.get(pid) ?? t("activities.participantId", { id: pid.slice(0, 8) });
  const seesNames = role === "admin" || role === "coordinator" || role === "partner";
  async function loadEnrollments(): Promise<void> {
    enrollments = (
      await get<Page<Enrollment>>("/enrollments", {
        activityId: id,
        pageSize: 500,
        sort: "enrolledOn",
      })
    ).items;
    if (!seesNames) return;
    // Names only where the API shows the person to this role; otherwise the short id.
    const unknown = [...new Set(enrollments.map((e) => e.participantId))].filter(
      (p) => !names.has(p),
    );
    // One at a time: each read is audited, and a burst of writes would only contend.
    for (const pid of unknown) {
      const p = await get<ParticipantFull>(`/participants/${pid}`).catch(() => null);
      if (p)
        names.set(
          pid,
          `${participantName(p)}${participantName(p) !== p.reference ? ` (${p.reference})` : ""}`,
        );
    }
  }
  try {
    await loadEnrollments();
  } catch (error) {
    if (ctx.alive()) ctx.main.append(back, pageTitle(activity.title), errorBox(error));
    return;
  }
  if (!ctx.alive()) return;

  const facts = h(
    "dl",
    { class: "utrecht-data-list facts" },
    (
      [
        [t("activities.kind"), label("activityKind", activity.kind)],
        [t("activities.location"), locationName],
        [t("activities.startsOn"), formatDate(activity.startsOn)],
        [
          t("activities.endsOn"),
          activity.endsOn ? formatDate(activity.endsOn) : t("activities.open"),
        ],
        [t("activities.schedule"), activity.schedule ?? t("common.none")],
        [
          t("activity.weekdays"),
          activity.weekdays.length ? weekdayNames(activity.weekdays) : t("activity.noWeekdays"),
        ],
        [
          t("activities.capacity"),
          activity.capacity === null ? t("activities.noLimit") : String(activity.capacity),
        ],
        [
          t("activities.targetGroups"),
          activity.targetGroups.length
            ? activity.targetGroups.map((g) => label("group", g)).join(", ")
            : t("activities.everyone"),
        ],
      ] as [string, string][]
    ).map(([k, v]) =>
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

  // --- enrollments, with their status moves ---
  const enrollBox = h("div", { "data-testid": "enrollments" });
  const moveSummary = errorSummary();
  const moveDone = h("div", { "aria-live": "polite" });
  const enrollmentTable = (caption: string, rows: Enrollment[]) =>
    table(
      caption,
      [
        { header: t("activities.participant"), cell: (e) => nameOf(e.participantId) },
        { header: t("activities.enrolledOn"), cell: (e) => formatDate(e.enrolledOn) },
        { header: t("activities.status"), cell: (e) => label("enrollmentStatus", e.status) },
        {
          header: t("activities.endedOn"),
          cell: (e) => (e.endedOn ? formatDate(e.endedOn) : t("common.none")),
        },
        {
          header: t("activities.moves"),
          cell: (e) => {
            const moves = enrollmentMoves(e.status);
            if (moves.length === 0) return t("common.none");
            return h(
              "div",
              { class: "button-row" },
              moves.map((to) =>
                button(
                  t(MOVE_KEYS[to]!),
                  {
                    "aria-label": `${t(MOVE_KEYS[to]!)}: ${nameOf(e.participantId)}`,
                    onclick: () => void move(e, to),
                  },
                  "secondary",
                ),
              ),
            );
          },
        },
      ],
      rows,
    );
  const drawEnrollments = () => {
    const { current, past } = splitEnrollments(enrollments);
    enrollBox.replaceChildren(
      current.length === 0
        ? paragraph(t("activities.noEnrollments"))
        : enrollmentTable(t("activity.currentEnrollments"), current),
      // Past enrollments stay out of the way: folded, opened on demand.
      past.length === 0
        ? ""
        : h(
            "details",
            { class: "past-enrollments", "data-testid": "past-enrollments" },
            h("summary", {}, t("activity.pastEnrollments", { count: past.length })),
            enrollmentTable(t("activity.pastEnrollmentsTable"), past),
          ),
    );
  };
  async function move(e: Enrollment, to: string): Promise<void> {
    clearProblems([], moveSummary);
    moveDone.replaceChildren();
    try {
      const updated = await patch<Enrollment>(`/enrollments/${e.id}`, { status: to }, e.version);
      enrollments = enrollments.map((x) => (x.id === e.id ? updated : x));
      drawEnrollments();
      moveDone.replaceChildren(
        alertBox(
          "ok",
          paragraph(
            t("activities.moved", {
              who: nameOf(e.participantId),
              status: label("enrollmentStatus", to),
            }),
          ),
        ),
      );
    } catch (error) {
      showProblems([], moveSummary, error);
    }
  }
  drawEnrollments();

  const section = (key: string, text: string, ...body: (Node | null)[]) =>
    h(
      "section",
      { class: "card", "aria-labelledby": `act-${key}` },
      heading(2, text, { id: `act-${key}` }),
      ...body,
    );
  const edits = role === "admin" || role === "coordinator" || role === "partner";
  append(ctx.main, [
    back,
    pageTitle(activity.title),
    activity.schedule ? paragraph(activity.schedule) : null,
    edits
      ? section(
          "att",
          t("activities.attendance"),
          attendanceForm(activity, () => enrollments, nameOf),
        )
      : null,
    section("e", t("activities.enrollments"), moveSummary, moveDone, enrollBox),
    section("d", t("activities.details"), facts),
  ]);

  if (edits) {
    ctx.main.append(
      await enrollForm(ctx, id, role, async () => {
        await loadEnrollments();
        drawEnrollments();
      }),
    );
  }
  ctx.ready();
}

async function enrollForm(
  ctx: ScreenContext,
  activityId: string,
  role: string,
  reload: () => Promise<void>,
): Promise<HTMLElement> {
  // Whom this role may enroll: the people the API lists for it (a partner: its own).
  const query: Record<string, string | number> = { sort: "reference", pageSize: 500 };
  if (role !== "partner") query.active = "true";
  const people = await get<Page<ParticipantFull>>("/participants", query).then(
    (r) => r.items,
    () => [] as ParticipantFull[],
  );
  // A searchable list, sorted by name (a hundred people or more; issue 16).
  const collator = new Intl.Collator("nl-NL");
  const fields = [
    combobox({
      name: "participantId",
      label: t("activities.participant"),
      required: true,
      description: t("activities.participantHint"),
      options: people
        .map((p) => ({
          value: p.id,
          label:
            participantName(p) === p.reference
              ? p.reference
              : `${participantName(p)} (${p.reference})`,
        }))
        .sort((a, b) => collator.compare(a.label, b.label)),
    }),
    field({
      name: "enrolledOn",
      label: t("activities.enrolledOn"),
      type: "date",
      description: t("activities.enrolledOnHint"),
    }),
    field({
      name: "status",
      label: t("activities.status"),
      options: [
        { value: "enrolled", label: label("enrollmentStatus", "enrolled") },
        { value: "active", label: label("enrollmentStatus", "active") },
      ],
    }),
  ];
  const summary = errorSummary();
  const done = h("div", { "aria-live": "polite" });
  const form = h(
    "form",
    { novalidate: true, "data-testid": "enroll-form" },
    summary,
    fields.map((f) => f.wrap),
    h(
      "button",
      { type: "submit", class: "utrecht-button utrecht-button--primary-action" },
      t("activities.enroll"),
    ),
  );
  onSubmit(form, async (e) => {
    e.preventDefault();
    clearProblems(fields, summary);
    done.replaceChildren();
    const v = values(fields);
    try {
      await post<Enrollment>("/enrollments", {
        activityId,
        participantId: v.participantId || null,
        enrolledOn: v.enrolledOn || undefined,
        status: v.status,
      });
      if (!ctx.alive()) return;
      await reload();
      setValue(fields[0]!, "");
      done.replaceChildren(alertBox("ok", paragraph(t("activities.enrolled"))));
    } catch (error) {
      showProblems(fields, summary, error);
    }
  });
  return h(
    "section",
    { class: "card", "aria-labelledby": "act-enroll" },
    heading(2, t("activities.enroll"), { id: "act-enroll" }),
    done,
    form,
  );
}

/** ISO weekdays as the language's day names ("dinsdag, donderdag"). */
function weekdayNames(days: readonly number[]): string {
  const name = new Intl.DateTimeFormat(getLang() === "nl" ? "nl-NL" : "en-GB", {
    weekday: "long",
    timeZone: "UTC",
  });
  // 2024-01-01 was a Monday: ISO day d is 2024-01-0d.
  return days.map((d) => name.format(new Date(Date.UTC(2024, 0, d)))).join(", ");
}
