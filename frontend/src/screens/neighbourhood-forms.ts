// The forms of Buurt en bewoners, for staff: a meeting with the agreements made there, an
// agreement on its own, and a communication. Shown in one panel above the lists; a save
// calls `done` so the screen draws again. Every problem of the API shows at its field in
// Dutch, from its code (problems.ts): a BSN in a summary is refused at the summary.

import { ApiError, post } from "../api";
import { clear, h, onSubmit } from "../dom";
import { clearProblems, errorSummary, showMessage, showProblems, values } from "../forms";
import { t } from "../i18n";
import { button, field, heading, optionList, type Field } from "../ui";
import { AUDIENCES, CHANNELS, MEETING_KINDS, word, type Meeting } from "./neighbourhood-shared";

export interface Choices {
  locations: { id: string; name: string }[];
  partners: { id: string; name: string }[];
  staff: { id: string; email: string }[];
  meetings: Meeting[];
}

function shell(panel: HTMLElement, title: string, form: HTMLFormElement): void {
  clear(panel);
  const id = "nb-form-title";
  panel.append(
    h(
      "section",
      { class: "card nb-form", "aria-labelledby": id },
      heading(2, title, { id, tabindex: "-1" }),
      form,
    ),
  );
  panel.querySelector<HTMLElement>(`#${id}`)?.focus();
}

function actions(panel: HTMLElement): HTMLElement {
  return h(
    "div",
    { class: "nb-actions" },
    h(
      "button",
      { type: "submit", class: "utrecht-button utrecht-button--primary-action" },
      t("common.save"),
    ),
    button(t("common.cancel"), { onclick: () => clear(panel) }, "secondary"),
  );
}

function locationField(c: Choices, name: string, empty: string, value = ""): Field {
  return field({
    name,
    label: t("meetings.form.location"),
    value,
    options: [
      { value: "", label: empty },
      ...c.locations.map((l) => ({ value: l.id, label: l.name })),
    ],
  });
}

/** Who does it: a staff user or a partner, as one choice (`user:<id>`, `partner:<id>`). */
function ownerField(c: Choices): Field {
  return field({
    name: "partnerId",
    label: t("meetings.agreement.owner"),
    options: [
      { value: "", label: t("meetings.agreement.ownerNone") },
      ...c.staff.map((u) => ({
        value: `user:${u.id}`,
        label: `${t("meetings.agreement.staff")}: ${u.email}`,
      })),
      ...c.partners.map((p) => ({ value: `partner:${p.id}`, label: p.name })),
    ],
  });
}

function ownerBody(choice: string): Record<string, string> {
  const [kind, id] = choice.split(":");
  if (kind === "user" && id) return { ownerUserId: id };
  if (kind === "partner" && id) return { partnerId: id };
  return {};
}

/** A group of checkboxes as one field (`partnerIds`): its errors show above the boxes. */
function partnersField(c: Choices): Field & { chosen: () => string[] } {
  const errorId = "nb-partners-error";
  const error = h("div", { class: "utrecht-form-field-error-message", id: errorId, hidden: true });
  const boxes = c.partners.map((p) => {
    const id = `nb-partner-${p.id}`;
    const box = h("input", { type: "checkbox", id, value: p.id, class: "utrecht-checkbox" });
    return {
      box,
      el: h(
        "div",
        { class: "nb-check" },
        box,
        h("label", { for: id, class: "utrecht-form-label utrecht-form-label--checkbox" }, p.name),
      ),
    };
  });
  const legend = h("legend", { class: "utrecht-form-fieldset__legend" }, t("meetings.partners"));
  const wrap = h(
    "div",
    { class: "utrecht-form-field", "data-field": "partnerIds" },
    h(
      "fieldset",
      { class: "utrecht-form-fieldset nb-checks", "aria-describedby": "nb-partners-hint" },
      legend,
      h(
        "p",
        { class: "utrecht-form-field-description", id: "nb-partners-hint" },
        t("meetings.form.partnersHint"),
      ),
      error,
      boxes.map((b) => b.el),
    ),
  );
  const control = boxes[0]?.box ?? h("input", { type: "hidden" });
  return {
    name: "partnerIds",
    wrap,
    control,
    read: () => "",
    setErrors: (messages) => {
      error.replaceChildren(messages.join(" "));
      error.hidden = messages.length === 0;
    },
    chosen: () => boxes.filter((b) => b.box.checked).map((b) => b.box.value),
  };
}

function agreementFields(c: Choices, n: number): Field[] {
  return [
    field({
      name: "description",
      label: t("meetings.form.agreement", { n }),
      description: t("meetings.form.agreementHint"),
    }),
    ownerField(c),
    field({ name: "dueOn", label: t("meetings.agreement.dueOn"), type: "date" }),
  ];
}

async function saving(
  fields: Field[],
  summary: HTMLElement,
  work: () => Promise<void>,
): Promise<boolean> {
  try {
    await work();
    return true;
  } catch (error) {
    if (error instanceof ApiError && error.status === 412)
      showMessage(fields, summary, 412, t("meetings.form.stale"));
    else showProblems(fields, summary, error);
    return false;
  }
}

/** A new meeting and up to three agreements made there. The meeting is saved first; an
 * agreement the API refuses shows its problem at its own fields, and saving again adds
 * only the agreements not saved yet. */
export function meetingForm(
  panel: HTMLElement,
  c: Choices,
  locationId: string,
  done: () => void,
): void {
  const fields = [
    field({ name: "heldOn", label: t("meetings.heldOn"), type: "date", required: true }),
    field({
      name: "kind",
      label: t("meetings.kind"),
      required: true,
      options: [
        { value: "", label: t("common.choose") },
        ...optionList(MEETING_KINDS, (v) => word("kind", v)),
      ],
    }),
    locationField(c, "locationId", t("meetings.form.noLocation"), locationId),
    field({
      name: "residentsPresent",
      label: t("meetings.residents"),
      type: "number",
      value: "0",
      description: t("meetings.form.residentsHint"),
    }),
    field({
      name: "summary",
      label: t("meetings.summary"),
      required: true,
      multiline: true,
      description: t("meetings.form.summaryHint"),
    }),
  ];
  const partners = partnersField(c);
  const all = [...fields, partners];
  const groups = [1, 2, 3].map((n) => agreementFields(c, n));
  const saved = new Set<number>();
  let meetingId: string | null = null;
  const summary = errorSummary();
  const form = h(
    "form",
    { novalidate: true, "data-testid": "meeting-form" },
    summary,
    fields.map((f) => f.wrap),
    partners.wrap,
    heading(3, t("meetings.form.agreementsHeading")),
    groups.map((g) =>
      h(
        "div",
        { class: "nb-agreement" },
        g.map((f) => f.wrap),
      ),
    ),
    actions(panel),
  );
  onSubmit(form, async (event) => {
    event.preventDefault();
    clearProblems([...all, ...groups.flat()], summary);
    const v = values(fields);
    if (meetingId === null) {
      const body: Record<string, unknown> = {
        heldOn: v.heldOn,
        kind: v.kind || null,
        residentsPresent: v.residentsPresent === "" ? 0 : Number(v.residentsPresent),
        summary: v.summary,
        partnerIds: partners.chosen(),
      };
      if (v.locationId) body.locationId = v.locationId;
      const ok = await saving(all, summary, async () => {
        meetingId = (await post<Meeting>("/meetings", body)).id;
      });
      if (!ok) return;
    }
    for (const [i, group] of groups.entries()) {
      const a = values(group);
      if (saved.has(i) || !a.description) continue;
      const body = {
        description: a.description,
        meetingId,
        dueOn: a.dueOn || null,
        ...ownerBody(a.partnerId ?? ""),
      };
      const ok = await saving(group, summary, async () => {
        await post("/agreements", body);
        saved.add(i);
      });
      if (!ok) return;
    }
    done();
  });
  shell(panel, t("meetings.form.title"), form);
}

export function agreementForm(
  panel: HTMLElement,
  c: Choices,
  locationId: string,
  done: () => void,
): void {
  const fields = [
    field({
      name: "description",
      label: t("meetings.agreement.description"),
      required: true,
      multiline: true,
      description: t("meetings.agreement.noteHint"),
    }),
    field({
      name: "meetingId",
      label: t("meetings.agreement.meeting"),
      options: [
        { value: "", label: t("meetings.agreement.noMeeting") },
        ...c.meetings.map((m) => ({
          value: m.id,
          label: `${m.heldOn} · ${word("kind", m.kind)} · ${m.locationName ?? t("meetings.general")}`,
        })),
      ],
    }),
    locationField(c, "locationId", t("meetings.form.noLocation"), locationId),
    ownerField(c),
    field({ name: "dueOn", label: t("meetings.agreement.dueOn"), type: "date" }),
  ];
  const summary = errorSummary();
  const form = h(
    "form",
    { novalidate: true, "data-testid": "agreement-form" },
    summary,
    fields.map((f) => f.wrap),
    actions(panel),
  );
  onSubmit(form, async (event) => {
    event.preventDefault();
    const v = values(fields);
    const body: Record<string, unknown> = {
      description: v.description,
      dueOn: v.dueOn || null,
      ...ownerBody(v.partnerId ?? ""),
    };
    if (v.meetingId) body.meetingId = v.meetingId;
    if (v.locationId) body.locationId = v.locationId;
    if (await saving(fields, summary, () => post("/agreements", body).then(() => undefined)))
      done();
  });
  shell(panel, t("meetings.agreement.formTitle"), form);
}

export function communicationForm(
  panel: HTMLElement,
  c: Choices,
  locationId: string,
  done: () => void,
): void {
  const fields = [
    field({ name: "sentOn", label: t("meetings.comm.sentOn"), type: "date", required: true }),
    field({
      name: "channel",
      label: t("meetings.comm.channel"),
      required: true,
      options: [
        { value: "", label: t("common.choose") },
        ...optionList(CHANNELS, (v) => word("channel", v)),
      ],
    }),
    field({
      name: "audience",
      label: t("meetings.comm.audience"),
      required: true,
      options: [
        { value: "", label: t("common.choose") },
        ...optionList(AUDIENCES, (v) => word("audience", v)),
      ],
    }),
    locationField(c, "locationId", t("meetings.general"), locationId),
    field({
      name: "summary",
      label: t("meetings.comm.summary"),
      required: true,
      multiline: true,
      description: t("meetings.form.summaryHint"),
    }),
    field({
      name: "link",
      label: t("meetings.comm.link"),
      type: "url",
      description: t("meetings.comm.linkHint"),
    }),
  ];
  const summary = errorSummary();
  const form = h(
    "form",
    { novalidate: true, "data-testid": "communication-form" },
    summary,
    fields.map((f) => f.wrap),
    actions(panel),
  );
  onSubmit(form, async (event) => {
    event.preventDefault();
    const v = values(fields);
    const body: Record<string, unknown> = {
      sentOn: v.sentOn,
      channel: v.channel || null,
      audience: v.audience || null,
      summary: v.summary,
    };
    if (v.locationId) body.locationId = v.locationId;
    if (v.link) body.link = v.link;
    if (await saving(fields, summary, () => post("/communications", body).then(() => undefined)))
      done();
  });
  shell(panel, t("meetings.comm.formTitle"), form);
}
