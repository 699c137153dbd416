// The attendance of one session of an activity, the task its page opens with: the date
// defaults to the last session day by the activity's weekdays and its list loads at once;
// "Iedereen aanwezig" marks everyone present, then the exceptions are marked, and the
// whole list is PUT at once. The save button exists only while a list is shown.

import { ApiError, get, put } from "../api";
import { h, onSubmit, uid } from "../dom";
import { clearProblems, errorSummary, showProblems } from "../forms";
import { formatDate, label, t } from "../i18n";
import { amsterdamToday } from "../shape";
import {
  allPresent,
  attendanceBody,
  attendanceRows,
  lastSessionDay,
  type AttendanceRow,
} from "../shape-activities";
import {
  ATTENDANCE_STATUSES,
  type Activity,
  type AttendanceEntry,
  type Enrollment,
} from "../types";
import { alertBox, button, field, paragraph } from "../ui";

export function attendanceForm(
  activity: Activity,
  enrollments: () => Enrollment[],
  nameOf: (id: string) => string,
): HTMLElement {
  const usual = lastSessionDay(
    amsterdamToday(),
    activity.startsOn,
    activity.endsOn,
    activity.weekdays,
  );
  const dateField = field({
    name: "date",
    label: t("activities.sessionDate"),
    type: "date",
    required: true,
    value: usual,
    description: activity.weekdays.length
      ? t("activity.lastSession", { date: formatDate(usual) })
      : undefined,
  });
  dateField.control.setAttribute("min", activity.startsOn);
  if (activity.endsOn) dateField.control.setAttribute("max", activity.endsOn);
  const summary = errorSummary();
  const done = h("div", { "aria-live": "polite" });
  const list = h("div", { "data-testid": "attendance-list" });
  const tools = h("div", { class: "button-row attendance-tools" });
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
  // Not in the page until a list is loaded: nothing to save before (and no CSS can show it).
  const save = h(
    "button",
    { type: "submit", class: "utrecht-button utrecht-button--primary-action" },
    t("activities.saveAttendance"),
  );
  const form = h("form", { novalidate: true, "data-testid": "attendance-form" }, tools, list);

  async function load(): Promise<void> {
    clearProblems([dateField], summary);
    done.replaceChildren();
    save.remove();
    tools.replaceChildren();
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
      list.replaceChildren();
      return;
    }
    list.replaceChildren(paragraph(t("common.loading")));
    try {
      const recorded = await get<AttendanceEntry[]>(`/activities/${activity.id}/attendance/${day}`);
      if (dateField.control.value !== day) return; // another date was chosen meanwhile
      rows = attendanceRows(enrollments(), day, recorded);
      draw();
    } catch (error) {
      list.replaceChildren();
      showProblems([dateField], summary, error);
    }
  }
  onSubmit(pick, async (e) => {
    e.preventDefault();
    await load();
  });
  dateField.control.addEventListener("change", () => void load());

  const draw = () => {
    if (rows.length === 0) {
      save.remove();
      tools.replaceChildren();
      list.replaceChildren(paragraph(t("activities.nobodyOn", { date: formatDate(day) })));
      return;
    }
    tools.replaceChildren(
      button(
        t("activity.allPresent"),
        {
          "data-testid": "all-present",
          onclick: () => {
            rows = allPresent(rows);
            draw();
            list.querySelector<HTMLInputElement>("input[type=radio]")?.focus();
          },
        },
        "secondary",
      ),
    );
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
    form.append(save);
  };

  onSubmit(form, async (e) => {
    e.preventDefault();
    if (rows.length === 0 || !day) return;
    clearProblems([dateField], summary);
    done.replaceChildren();
    for (const fs of list.querySelectorAll("fieldset"))
      fs.classList.remove("attendance-row--invalid");
    save.disabled = true;
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
    } finally {
      save.disabled = false;
    }
  });

  void load();
  return h("div", {}, paragraph(t("activity.attendanceIntro")), summary, done, pick, form);
}
