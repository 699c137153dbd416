// One agreement on Buurt en bewoners: what, who, when, its status (overdue ones marked as
// on the signals screen), and under "Notities" its notes. Who manages it (staff, or the
// partner it is assigned to) changes its status and adds notes there; a partner cannot
// reopen a finished agreement (the API would answer 403), so it is not offered.

import { get, patch, post } from "../api";
import { h, onSubmit, uid } from "../dom";
import { clearProblems, errorSummary, showMessage, showProblems, values } from "../forms";
import { formatDateTime, t, type MessageKey } from "../i18n";
import { field, paragraph } from "../ui";
import {
  STATUSES,
  agreementMeta,
  word,
  type Agreement,
  type AgreementNote,
} from "./neighbourhood-shared";

const MOVES: Record<string, readonly string[]> = {
  open: ["in_progress", "done", "cancelled"],
  in_progress: ["open", "done", "cancelled"],
  done: ["open", "in_progress"],
  cancelled: ["open", "in_progress"],
};

export interface AgreementOptions {
  role: string;
  partnerId: string | null;
  changed: () => void;
}

function manages(a: Agreement, o: AgreementOptions): boolean {
  if (o.role === "admin" || o.role === "coordinator") return true;
  return o.role === "partner" && a.partnerId !== null && a.partnerId === o.partnerId;
}

function noteList(notes: AgreementNote[]): HTMLElement {
  if (!notes.length) return paragraph(t("meetings.agreement.noNotes"));
  return h(
    "ul",
    { class: "utrecht-unordered-list nb-notes" },
    notes.map((n) =>
      h(
        "li",
        {},
        n.note,
        h(
          "span",
          { class: "nb-note__by" },
          ` (${t("meetings.agreement.byRole", {
            role: t(`meetings.role.${n.authorRole ?? "system"}` as MessageKey),
            when: formatDateTime(n.createdAt),
          })})`,
        ),
      ),
    ),
  );
}

/** The status control and the note form, for whom manages the agreement. */
function tools(a: Agreement, o: AgreementOptions, reload: () => Promise<void>): HTMLElement {
  const staff = o.role !== "partner";
  const reopening = a.status === "done" || a.status === "cancelled";
  const moves = staff || !reopening ? (MOVES[a.status] ?? []) : [];
  const status = field({
    name: "status",
    label: t("meetings.agreement.setStatus"),
    options: [a.status, ...moves]
      .filter((s) => (STATUSES as readonly string[]).includes(s))
      .map((s) => ({ value: s, label: word("status", s) })),
    value: a.status,
  });
  const note = field({
    name: "note",
    label: t("meetings.agreement.note"),
    multiline: true,
    description: t("meetings.agreement.noteHint"),
  });
  const fields = [status, note];
  const summary = errorSummary();
  const form = h(
    "form",
    { novalidate: true, class: "nb-manage", "data-testid": "agreement-manage" },
    summary,
    moves.length ? status.wrap : null,
    note.wrap,
    h(
      "button",
      { type: "submit", class: "utrecht-button utrecht-button--primary-action" },
      t("common.save"),
    ),
  );
  onSubmit(form, async (event) => {
    event.preventDefault();
    clearProblems(fields, summary);
    const v = values(fields);
    try {
      if (v.status && v.status !== a.status)
        await patch(`/agreements/${a.id}`, { status: v.status }, a.version);
      if (v.note) await post(`/agreements/${a.id}/notes`, { note: v.note });
    } catch (error) {
      if (error instanceof Error && "status" in error && error.status === 412)
        showMessage(fields, summary, 412, t("meetings.form.stale"));
      else showProblems(fields, summary, error);
      return;
    }
    o.changed();
    await reload();
  });
  return form;
}

export function agreementCard(a: Agreement, o: AgreementOptions): HTMLElement {
  const id = uid("agr");
  const notesBox = h("div", { class: "nb-notes-box" });
  const reload = async (): Promise<void> => {
    try {
      const notes = await get<AgreementNote[]>(`/agreements/${a.id}/notes`);
      notesBox.replaceChildren(noteList(notes));
    } catch (error) {
      showProblems([], h("div"), error);
    }
  };
  let loaded = false;
  const details = h(
    "details",
    { class: "nb-details" },
    h("summary", {}, t("meetings.agreement.notes")),
    notesBox,
    manages(a, o) ? tools(a, o, reload) : null,
  );
  details.addEventListener("toggle", () => {
    if (details.open && !loaded) {
      loaded = true;
      void reload();
    }
  });
  return h(
    "article",
    {
      class: `agreement${a.overdue ? " agreement--overdue" : ""}`,
      "aria-labelledby": id,
      "data-agreement": a.id,
      "data-overdue": a.overdue ? "true" : null,
    },
    h("h3", { class: "utrecht-heading-3 agreement__title", id }, a.description),
    agreementMeta(a),
    o.role === "partner" && a.partnerId === o.partnerId
      ? paragraph(t("meetings.agreement.yours"))
      : null,
    details,
  );
}
