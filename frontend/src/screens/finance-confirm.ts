// An accessible confirmation before a claim's status moves (submit, approve, reject, pay):
// a modal <dialog> (the browser keeps focus inside and Escape cancels), named by its
// heading and described by its text; the safe choice ("Annuleren") has the focus first,
// and the focus returns to the button that opened it.

import { h } from "../dom";
import { t } from "../i18n";
import { button, heading, paragraph } from "../ui";
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
