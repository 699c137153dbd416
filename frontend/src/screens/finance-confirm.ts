// An accessible confirmation before a claim's status moves (submit, approve, reject, pay):
// a modal <dialog> (the browser keeps focus inside and Escape cancels), named by its
// heading and described by its text; the safe choice ("Annuleren") has the focus first,
// and the focus returns to the button that opened it.

import { h } from "../dom";
import { formatDate, t } from "../i18n";
import { formatMoney } from "../money";
import type { ClaimMove } from "../shape-finance";
import type { Claim } from "../types";
import { button, heading, paragraph } from "../ui";
import { schemeLabel } from "./finance-words";
import "../finance.css";

export interface Confirmation {
  title: string;
  text: string;
  confirm: string;
}

let seq = 0;

export function confirmMove(c: Confirmation): Promise<boolean> {
  const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  seq += 1;
  const titleId = `confirm-title-${seq}`;
  const textId = `confirm-text-${seq}`;
  return new Promise((resolve) => {
    const yes = button(c.confirm, { "data-confirm": "yes" });
    const no = button(t("finance.confirm.cancel"), { "data-confirm": "no" }, "secondary");
    const dialog = h(
      "dialog",
      {
        class: "finance-confirm",
        "aria-labelledby": titleId,
        "aria-describedby": textId,
        "data-testid": "confirm-dialog",
      },
      heading(2, c.title, { id: titleId }),
      paragraph(c.text),
      h("div", { class: "button-row" }, yes, no),
    );
    dialog.querySelector("p")!.id = textId;
    let answer = false;
    yes.addEventListener("click", () => {
      answer = true;
      dialog.close();
    });
    no.addEventListener("click", () => dialog.close());
    dialog.addEventListener("close", () => {
      dialog.remove();
      opener?.focus();
      resolve(answer);
    });
    document.body.append(dialog);
    dialog.showModal();
    no.focus();
  });
}

/** What the dialog asks before a move (none before reopening a rejected claim, nor
 * before a payment without its amount and date: the API names those at the fields). */
export function moveConfirmation(
  name: ClaimMove,
  claim: Claim,
  body: Record<string, unknown>,
): Confirmation | null {
  const facts = {
    scheme: schemeLabel(claim.schemeCode),
    from: formatDate(claim.periodStart),
    to: formatDate(claim.periodEnd),
  };
  if (name === "submit")
    return {
      title: t("finance.confirm.submit.title"),
      text: t("finance.confirm.submit.text", {
        ...facts,
        amount: formatMoney(claim.claimedAmount ?? claim.totalAmount),
      }),
      confirm: t("finance.confirm.submit.yes"),
    };
  if (name === "approve" || name === "reject")
    return {
      title: t(`finance.confirm.${name}.title`),
      text: t(`finance.confirm.${name}.text`, facts),
      confirm: t(`finance.confirm.${name}.yes`),
    };
  if (name === "pay") {
    const amount = (body.receivedAmount as string | undefined) ?? claim.receivedAmount;
    const on = (body.receivedOn as string | undefined) ?? claim.receivedOn;
    if (!amount || !on) return null;
    return {
      title: t("finance.confirm.pay.title"),
      text: t("finance.confirm.pay.text", {
        ...facts,
        amount: formatMoney(amount),
        on: formatDate(on),
      }),
      confirm: t("finance.confirm.pay.yes"),
    };
  }
  return null;
}
