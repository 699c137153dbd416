// "Beschikbaar tot" on a location's page: until when the municipality makes its places
// available. Five years or more from the day places are added makes them durable
// (Spreidingswet; the API decides, by the regulation's rule). Staff may set it.

import { patch } from "../api";
import { h, onSubmit } from "../dom";
import { clearProblems, errorSummary, showProblems, values } from "../forms";
import { formatDate, t } from "../i18n";
import type { Location } from "../types";
import { alertBox, field, heading, paragraph } from "../ui";

export function availabilitySection(loc: Location, acts: boolean): HTMLElement {
  const until = loc.availableUntil;
  const shown = h(
    "p",
    { class: "utrecht-paragraph", "data-testid": "available-until" },
    `${t("rates.location.availableUntil")}: ${until ? formatDate(until) : t("common.none")}`,
  );
  const body: HTMLElement[] = [shown];
  if (acts) {
    const fields = [
      field({
        name: "availableUntil",
        label: t("rates.location.availableUntil"),
        type: "date",
        value: until ?? "",
        description: t("rates.location.availableUntilHint"),
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
      { novalidate: true, "data-testid": "availability-form", "aria-labelledby": "loc-av" },
      summary,
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
          { availableUntil: v.availableUntil || null },
          version,
        );
        version = saved.version;
        shown.textContent = `${t("rates.location.availableUntil")}: ${
          saved.availableUntil ? formatDate(saved.availableUntil) : t("common.none")
        }`;
        done.replaceChildren(alertBox("ok", paragraph(t("rates.allowance.added"))));
      } catch (error) {
        showProblems(fields, summary, error);
      } finally {
        submit.disabled = false;
      }
    });
    body.push(done, form);
  }
  return h(
    "section",
    { class: "card", "aria-labelledby": "loc-av" },
    heading(2, t("rates.location.availableUntil"), { id: "loc-av" }),
    paragraph(t("rates.location.availableUntilHint")),
    ...body,
  );
}
