// Leefgeld (living allowance) on a participant's page: the dated ranges in which the
// person receives it, and a form for staff to add one or end it. The Rijk pays the POO
// amount only for these persons. Partners never see this panel (the API answers 403).

import { del, get, post } from "../api";
import { h, onSubmit } from "../dom";
import { clearProblems, errorSummary, showProblems, values } from "../forms";
import { formatDate, t } from "../i18n";
import type { components } from "../api-types.gen";
import { alertBox, errorBox, field, heading, paragraph, table } from "../ui";

type Allowance = components["schemas"]["LivingAllowanceRead"];

/** The panel, for admin and coordinator (who set it); null for other roles. */
export async function allowancePanel(
  participantId: string,
  role: string,
): Promise<HTMLElement | null> {
  if (role !== "admin" && role !== "coordinator") return null;
  const url = `/participants/${participantId}/living-allowances`;
  const list = h("div", { "data-testid": "allowance-list" });
  const done = h("div", { "aria-live": "polite" });

  async function draw(): Promise<void> {
    let items: Allowance[];
    try {
      items = (await get<{ items: Allowance[] }>(url)).items;
    } catch (error) {
      list.replaceChildren(errorBox(error));
      return;
    }
    list.replaceChildren(
      items.length === 0
        ? paragraph(t("rates.allowance.none"))
        : table(
            t("rates.allowance.caption"),
            [
              {
                header: t("rates.allowance.startsOn"),
                cell: (a: Allowance) => formatDate(a.startsOn),
              },
              {
                header: t("rates.allowance.endsOn"),
                cell: (a: Allowance) =>
                  a.endsOn ? formatDate(a.endsOn) : t("rates.allowance.ongoing"),
              },
              { header: t("rates.allowance.remove"), cell: (a: Allowance) => removeButton(a) },
            ],
            items,
          ),
    );
  }

  function removeButton(a: Allowance): HTMLButtonElement {
    const b = h(
      "button",
      {
        type: "button",
        class: "utrecht-button utrecht-button--secondary-action",
        "aria-label": t("rates.allowance.removeLabel", { from: formatDate(a.startsOn) }),
      },
      t("rates.allowance.remove"),
    );
    b.addEventListener("click", () => {
      void (async () => {
        try {
          await del(`${url}/${a.id}`, a.version);
          await draw();
        } catch (error) {
          done.replaceChildren(errorBox(error));
        }
      })();
    });
    return b;
  }

  const fields = [
    field({ name: "startsOn", label: t("rates.allowance.startsOn"), type: "date", required: true }),
    field({
      name: "endsOn",
      label: t("rates.allowance.endsOn"),
      type: "date",
      description: t("rates.allowance.endsOnHint"),
    }),
  ];
  const summary = errorSummary();
  const submit = h(
    "button",
    { type: "submit", class: "utrecht-button utrecht-button--primary-action" },
    t("rates.allowance.add"),
  );
  const form = h(
    "form",
    { novalidate: true, "data-testid": "allowance-form", "aria-labelledby": "pp-la" },
    summary,
    fields.map((f) => f.wrap),
    submit,
  );
  onSubmit(form, async (e) => {
    e.preventDefault();
    clearProblems(fields, summary);
    done.replaceChildren();
    const v = values(fields);
    submit.disabled = true;
    try {
      await post<Allowance>(url, { startsOn: v.startsOn || null, endsOn: v.endsOn || null });
      done.replaceChildren(alertBox("ok", paragraph(t("rates.allowance.added"))));
      for (const f of fields) f.control.value = "";
      await draw();
    } catch (error) {
      showProblems(fields, summary, error);
    } finally {
      submit.disabled = false;
    }
  });
  await draw();
  return h(
    "section",
    { class: "card", "aria-labelledby": "pp-la", "data-testid": "allowance-panel" },
    heading(2, t("rates.allowance.title"), { id: "pp-la" }),
    paragraph(t("rates.allowance.intro")),
    list,
    done,
    form,
  );
}
