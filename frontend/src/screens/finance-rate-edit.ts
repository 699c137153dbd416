// Changing a provisional rate (announced or assumed) on the Tarieven screen: its amount,
// certainty and basis; "published" makes it final (the API refuses later changes).

import { patch } from "../api";
import { h, onSubmit } from "../dom";
import { clearProblems, errorSummary, showLocalProblems, showProblems, values } from "../forms";
import { formatDate, isMessageKey, t } from "../i18n";
import { formatMoney, parseMoney } from "../money";
import type { Rate } from "../shape-finance";
import { alertBox, field, heading, paragraph } from "../ui";

export const CERTAINTIES = ["published", "announced", "assumed"] as const;

/** "Gepubliceerd", "Aangekondigd (voorlopig)", "Aangenomen (voorlopig)". */
export function certaintyWord(value: string | null | undefined): string {
  const key = `rates.certainty.${value ?? "published"}`;
  return isMessageKey(key) ? t(key) : (value ?? "");
}

export function certaintyField(value = "published") {
  return field({
    name: "certainty",
    label: t("rates.certainty"),
    required: true,
    value,
    description: t("rates.certaintyHint"),
    options: CERTAINTIES.map((c) => ({ value: c, label: certaintyWord(c) })),
  });
}

/** A form to change ``rate`` of scheme ``code``; ``saved`` redraws the lists. */
export function editForm(
  code: string,
  rate: Rate,
  saved: (rate: Rate) => Promise<void>,
  close: () => void,
): HTMLElement {
  const fields = [
    field({ name: "amount", label: t("finance.rates.amount"), required: true, value: rate.amount }),
    certaintyField(rate.certainty),
    field({
      name: "source",
      label: t("finance.rates.source"),
      required: true,
      value: rate.source ?? "",
      description: t("finance.rates.sourceHint"),
    }),
    field({
      name: "publishedOn",
      label: t("finance.rates.publishedOn"),
      type: "date",
      value: rate.publishedOn ?? "",
    }),
  ];
  fields[0]!.control.setAttribute("inputmode", "decimal");
  const summary = errorSummary();
  const done = h("div", { "aria-live": "polite" });
  const submit = h(
    "button",
    { type: "submit", class: "utrecht-button utrecht-button--primary-action" },
    t("rates.save"),
  );
  const cancel = h(
    "button",
    { type: "button", class: "utrecht-button utrecht-button--secondary-action" },
    t("rates.cancel"),
  );
  cancel.addEventListener("click", close);
  const titleId = `rt-edit-${rate.id}`;
  const form = h(
    "form",
    { novalidate: true, "data-testid": "rate-edit", "aria-labelledby": titleId },
    summary,
    fields.map((f) => f.wrap),
    h("div", { class: "actions" }, submit, cancel),
  );
  onSubmit(form, async (e) => {
    e.preventDefault();
    clearProblems(fields, summary);
    const v = values(fields);
    const amount = parseMoney(v.amount ?? "");
    if (amount === null || !v.amount?.trim()) {
      showLocalProblems(fields, summary, [{ name: "amount", detail: t("finance.amountInvalid") }]);
      return;
    }
    submit.disabled = true;
    try {
      const changed = await patch<Rate>(
        `/reimbursement-schemes/${encodeURIComponent(code)}/rates/${rate.id}`,
        {
          amount,
          certainty: v.certainty,
          source: v.source?.trim() || null,
          publishedOn: v.publishedOn || null,
        },
      );
      done.replaceChildren(
        alertBox(
          "ok",
          paragraph(
            t("rates.saved", {
              from: formatDate(changed.validFrom),
              amount: formatMoney(changed.amount),
              certainty: certaintyWord(changed.certainty),
            }),
          ),
        ),
      );
      await saved(changed);
    } catch (error) {
      showProblems(fields, summary, error);
    } finally {
      submit.disabled = false;
    }
  });
  return h(
    "section",
    { class: "card", "aria-labelledby": titleId, "data-testid": "rate-edit-card" },
    heading(2, t("rates.editTitle"), { id: titleId }),
    paragraph(t("rates.editIntro")),
    done,
    form,
  );
}
