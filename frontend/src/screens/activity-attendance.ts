// The attendance of one session date of an activity: a radio group per participant
// enrolled on that date (and anyone already recorded), the whole list PUT at once.

import { ApiError, get, put } from "../api";
import { h, onSubmit, uid } from "../dom";
import { clearProblems, errorSummary, showProblems } from "../forms";
import { formatDate, label, t } from "../i18n";
import { amsterdamToday } from "../shape";
import { attendanceBody, attendanceRows, clampDay, type AttendanceRow } from "../shape-activities";
import {
  ATTENDANCE_STATUSES,
  type Activity,
  type AttendanceEntry,
  type Enrollment,
} from "../types";
import { alertBox, field, paragraph } from "../ui";

export function attendanceForm(
  activity: Activity,
  enrollments: () => Enrollment[],
  nameOf: (id: string) => string,
): HTMLElement {
  const dateField = field({
    name: "date",
    label: t("activities.sessionDate"),
    type: "date",
    required: true,
    value: clampDay(amsterdamToday(), activity.startsOn, activity.endsOn),
  });
  dateField.control.setAttribute("min", activity.startsOn);
  if (activity.endsOn) dateField.control.setAttribute("max", activity.endsOn);
  const summary = errorSummary();
  const done = h("div", { "aria-live": "polite" });
  const list = h("div", { "data-testid": "attendance-list" });
  let rows: AttendanceRow[] = [];
  let day = "";
  const pick = h(
    "form",
    { novalidate: true, class: "filters", "data-testid": "attendance-pick" },
    dateField.wrap,
    h(
      "button",
      { type: "submit", class: "utrecht-button utrecht-button--secondary-action" },
      t("activities.loadSession"),
    ),
  );
  const save = h(
    "button",
    { type: "submit", class: "utrecht-button utrecht-button--primary-action", hidden: true },
    t("activities.saveAttendance"),
  );
  const form = h("form", { novalidate: true, "data-testid": "attendance-form" }, list, save);

  onSubmit(pick, async (e) => {
    e.preventDefault();
    clearProblems([dateField], summary);
    done.replaceChildren();
    day = dateField.control.value;
    if (!day) {
      showProblems(
        [dateField],
        summary,
        new ApiError(400, {
          title: "",
          status: 400,
          errors: [{ in: "body", name: "date", detail: t("activities.dateRequired") }],
        }),
      );
      return;
    }
    list.replaceChildren(paragraph(t("common.loading")));
    try {
      const recorded = await get<AttendanceEntry[]>(`/activities/${activity.id}/attendance/${day}`);
      rows = attendanceRows(enrollments(), day, recorded);
      draw();
    } catch (error) {
      list.replaceChildren();
      save.hidden = true;
      showProblems([dateField], summary, error);
    }
  });

  const draw = () => {
    save.hidden = rows.length === 0;
    if (rows.length === 0) {
      list.replaceChildren(paragraph(t("activities.nobodyOn", { date: formatDate(day) })));
      return;
    }
    const options = [...ATTENDANCE_STATUSES, ""] as const;
    list.replaceChildren(
      h(
        "p",
        { class: "utrecht-paragraph" },
        t("activities.sessionOf", { date: formatDate(day), count: rows.length }),
      ),
      ...rows.map((row) => {
        const group = uid("att");
        return h(
          "fieldset",
          { class: "utrecht-form-fieldset attendance-row", "data-participant": row.participantId },
          h("legend", { class: "utrecht-form-fieldset__legend" }, nameOf(row.participantId)),
          h(
            "div",
            { class: "attendance-options" },
            options.map((status) => {
              const optId = `${group}-${status || "none"}`;
              return h(
                "div",
                { class: "utrecht-form-field utrecht-form-field--radio" },
                h("input", {
                  type: "radio",
                  id: optId,
                  name: group,
                  value: status,
                  class: "utrecht-radio-button utrecht-radio-button--html-input",
                  checked: (row.status ?? "") === status,
                  onchange: () => {
                    row.status = status || null;
                  },
                }),
                h(
                  "label",
                  { class: "utrecht-form-label utrecht-form-label--radio-button", for: optId },
                  status ? label("attendanceStatus", status) : t("activities.notRecorded"),
                ),
              );
            }),
          ),
        );
      }),
    );
  };

  onSubmit(form, async (e) => {
    e.preventDefault();
    clearProblems([dateField], summary);
    done.replaceChildren();
    for (const fs of list.querySelectorAll("fieldset"))
      fs.classList.remove("attendance-row--invalid");
    try {
      const saved = await put<AttendanceEntry[]>(
        `/activities/${activity.id}/attendance/${day}`,
        attendanceBody(rows),
      );
      done.replaceChildren(
        alertBox(
          "ok",
          paragraph(
            t("activities.attendanceSaved", { date: formatDate(day), count: saved.length }),
          ),
        ),
      );
    } catch (error) {
      // A 409 names the participants without an open enrollment: mark their rows too.
      const ids =
        error instanceof ApiError
          ? ((error.problem as unknown as { participantIds?: string[] })?.participantIds ?? [])
          : [];
      for (const pid of ids)
        list
          .querySelector(`fieldset[data-participant="${pid}"]`)
          ?.classList.add("attendance-row--invalid");
      showProblems([dateField], summary, error);
    }
  });

  return h("div", {}, paragraph(t("activities.attendanceIntro")), summary, done, pick, form);
}
