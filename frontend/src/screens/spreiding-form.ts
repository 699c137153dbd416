// The form of the Spreidingswet screen: a task of the province (period, places, source,
// date of the decision, note). Shown in a panel above the figures; a save or a delete
// calls `done` so the screen draws again. Every problem of the API shows at its field in
// Dutch from its code (problems.ts), the overlap with another task too (field.task_overlap).

import { ApiError, patch, post, request } from "../api";
import type { components } from "../api-types.gen";
import { clear, h, onSubmit } from "../dom";
import {
  clearProblems,
  errorSummary,
  isStale,
  setValue,
  showMessage,
  showProblems,
  values,
} from "../forms";
import { t } from "../i18n";
import { button, field, heading, type Field } from "../ui";

export type Task = components["schemas"]["TaskRead"];

const del = (path: string, version: number) =>
  request<void>("DELETE", path, { headers: { "If-Match": `"${version}"` } });

async function saving(
  fields: Field[],
  summary: HTMLElement,
  work: () => Promise<unknown>,
  done: () => void,
): Promise<void> {
  try {
    await work();
    done();
  } catch (error) {
    if (isStale(error)) showMessage(fields, summary, 412, t("spreiding.form.stale"));
    else if (error instanceof ApiError || error instanceof Error)
      showProblems(fields, summary, error);
    else throw error;
  }
}

function deleteButton(run: () => Promise<void>): HTMLButtonElement {
  let armed = false;
  const b = button(
    t("spreiding.form.delete"),
    {
      "data-testid": "task-delete",
      onclick: async () => {
        if (!armed) {
          armed = true;
          b.textContent = t("spreiding.form.confirmDelete");
          return;
        }
        await run();
      },
    },
    "subtle",
  );
  return b;
}

/** A whole number as typed, or the text itself (the API names what is wrong). */
function places(text: string): number | string | null {
  if (text === "") return null;
  const n = Number(text);
  return Number.isInteger(n) ? n : text;
}

export function taskForm(panel: HTMLElement, task: Task | null, done: () => void): void {
  const fields = [
    field({ name: "startsOn", label: t("spreiding.form.startsOn"), type: "date", required: true }),
    field({ name: "endsOn", label: t("spreiding.form.endsOn"), type: "date", required: true }),
    field({ name: "places", label: t("spreiding.form.places"), type: "number", required: true }),
    field({
      name: "source",
      label: t("spreiding.form.source"),
      required: true,
      description: t("spreiding.form.sourceHint"),
    }),
    field({ name: "decidedOn", label: t("spreiding.form.decidedOn"), type: "date" }),
    field({ name: "note", label: t("spreiding.form.note"), multiline: true }),
  ];
  const [fStart, fEnd, fPlaces, fSource, fDecided, fNote] = fields;
  setValue(fStart!, task?.startsOn);
  setValue(fEnd!, task?.endsOn);
  setValue(fPlaces!, task ? String(task.places) : "");
  setValue(fSource!, task?.source);
  setValue(fDecided!, task?.decidedOn);
  setValue(fNote!, task?.note);
  const summary = errorSummary();
  const remove = task
    ? deleteButton(() =>
        saving(fields, summary, () => del(`/spreiding-tasks/${task.id}`, task.version), done),
      )
    : null;
  const form = h(
    "form",
    { novalidate: true, "data-testid": "task-form" },
    summary,
    fields.map((f) => f.wrap),
    h(
      "div",
      { class: "spreiding-actions" },
      h(
        "button",
        { type: "submit", class: "utrecht-button utrecht-button--primary-action" },
        t("common.save"),
      ),
      button(t("common.cancel"), { onclick: () => clear(panel) }, "secondary"),
      remove,
    ),
  );
  onSubmit(form, async (e) => {
    e.preventDefault();
    clearProblems(fields, summary);
    const v = values(fields);
    const body = {
      startsOn: v.startsOn || null,
      endsOn: v.endsOn || null,
      places: places(v.places ?? ""),
      source: v.source || null,
      decidedOn: v.decidedOn || null,
      note: v.note || null,
    };
    await saving(
      fields,
      summary,
      () =>
        task
          ? patch(`/spreiding-tasks/${task.id}`, body, task.version)
          : post("/spreiding-tasks", body),
      done,
    );
  });
  clear(panel);
  const id = "task-form-title";
  panel.append(
    h(
      "section",
      { class: "card spreiding-form", "aria-labelledby": id },
      heading(2, t(task ? "spreiding.form.edit" : "spreiding.form.add"), { id, tabindex: "-1" }),
      form,
    ),
  );
  panel.querySelector<HTMLElement>(`#${id}`)?.focus();
}
