// "Publieke pagina" on a location's page: whether the location is shown on /publiek, the
// contact line for the neighbourhood and what residents can expect (issue 18). Admin and
// coordinator change it; other roles read whether it is shown. The API refuses text with a
// BSN-like number; its answer shows in Dutch at the field.

import { patch } from "../api";
import { h, onSubmit } from "../dom";
import { clearProblems, errorSummary, showProblems, values } from "../forms";
import { t } from "../i18n";
import type { Location } from "../types";
import { alertBox, field, heading, link, paragraph } from "../ui";
import "../publicinfo.css";

const PREVIEW = "/publiek#pub-locations";

function state(loc: Location): string {
  return t(loc.public ? "publicinfo.edit.shown" : "publicinfo.edit.hidden");
}

export function publicSection(loc: Location, acts: boolean): HTMLElement {
  const shown = h("p", { class: "utrecht-paragraph", "data-testid": "public-state" }, state(loc));
  const preview = paragraph(
    link(PREVIEW, t("publicinfo.edit.preview"), { "data-testid": "public-preview" }),
  );
  const section = h(
    "section",
    { class: "card", "aria-labelledby": "loc-pub", "data-testid": "location-public" },
    heading(2, t("publicinfo.edit.title"), { id: "loc-pub" }),
    shown,
  );
  if (!acts) {
    section.append(preview);
    return section;
  }
  section.insertBefore(paragraph(t("publicinfo.edit.intro")), shown);
  const boxId = "loc-pub-public";
  const box = h("input", {
    type: "checkbox",
    id: boxId,
    name: "public",
    class: "utrecht-checkbox utrecht-checkbox--html-input",
    checked: loc.public,
  });
  const fields = [
    field({
      name: "publicContact",
      label: t("publicinfo.edit.contact"),
      value: loc.publicContact ?? "",
      description: t("publicinfo.edit.contactHint"),
    }),
    field({
      name: "publicNote",
      label: t("publicinfo.edit.note"),
      value: loc.publicNote ?? "",
      multiline: true,
      description: t("publicinfo.edit.noteHint"),
    }),
  ];
  const summary = errorSummary();
  const done = h("div", { "aria-live": "polite" });
  const submit = h(
    "button",
    { type: "submit", class: "utrecht-button utrecht-button--primary-action" },
    t("common.save"),
  );
  let version = loc.version;
  const form = h(
    "form",
    { novalidate: true, "data-testid": "public-form", "aria-labelledby": "loc-pub" },
    summary,
    h(
      "div",
      { class: "utrecht-form-field utrecht-form-field--checkbox publicinfo-check" },
      box,
      h(
        "label",
        { class: "utrecht-form-label utrecht-form-label--checkbox", for: boxId },
        t("publicinfo.edit.public"),
      ),
    ),
    fields.map((f) => f.wrap),
    submit,
  );
  onSubmit(form, async (e) => {
    e.preventDefault();
    clearProblems(fields, summary);
    done.replaceChildren();
    submit.disabled = true;
    try {
      const v = values(fields);
      const saved = await patch<Location>(
        `/locations/${loc.id}`,
        {
          public: box.checked,
          publicContact: v.publicContact || null,
          publicNote: v.publicNote || null,
        },
        version,
      );
      version = saved.version;
      shown.textContent = state(saved);
      done.replaceChildren(alertBox("ok", paragraph(t("publicinfo.edit.saved"))));
    } catch (error) {
      showProblems(fields, summary, error);
    } finally {
      submit.disabled = false;
    }
  });
  section.append(done, form, preview);
  return section;
}
