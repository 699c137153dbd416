// "Te declareren": finance's list for the quarter end (GET /reports/claimable). Per scheme
// and quarter (this year's begun quarters and last year's open ones): is there a claim,
// its status, the deadline, and what to do next: add the missing rate, compute the draft
// (one click: POST /reimbursement-claims, then its page), or open the claim.

import { get, post } from "../api";
import { h } from "../dom";
import { formatDate, label, t } from "../i18n";
import { formatMoney } from "../money";
import { navigate } from "../router";
import type { ScreenContext } from "../screen";
import {
  claimableAction,
  claimableOrder,
  type ClaimableQuarter,
  type ClaimableReport,
} from "../shape-finance";
import type { Claim } from "../types";
import { alertBox, button, errorBox, heading, link, paragraph, table } from "../ui";
import { claimRefusal, gapItem, quarterLabel, schemeLabel } from "./finance-words";
import "../finance.css";

export function claimableSection(ctx: ScreenContext, year: number): HTMLElement {
  const box = h("div", { "aria-live": "polite", "data-testid": "claimable" });
  const status = h("div", { "aria-live": "polite", "data-testid": "claimable-status" });
  box.append(paragraph(t("common.loading")));

  async function draft(item: ClaimableQuarter, trigger: HTMLButtonElement): Promise<void> {
    trigger.disabled = true;
    status.replaceChildren(paragraph(t("finance.claimable.computing")));
    try {
      const claim = await post<Claim>("/reimbursement-claims", {
        schemeCode: item.schemeCode,
        periodStart: item.periodStart,
        periodEnd: item.periodEnd,
      });
      navigate(`/financien/declaraties/${claim.id}?created=1`);
    } catch (error) {
      const refusal = claimRefusal(error, (code) =>
        code === item.schemeCode ? item.schemeName : null,
      );
      status.replaceChildren(
        refusal ? alertBox("error", paragraph(refusal.text), refusal.help) : errorBox(error),
      );
      trigger.disabled = false;
    }
  }

  function nextStep(item: ClaimableQuarter): Node {
    const what = claimableAction(item);
    const period = quarterLabel(item.year, item.quarter);
    const scheme = schemeLabel(item.schemeCode, item.schemeName);
    if (what === "open")
      return link(`/financien/declaraties/${item.claim!.id}`, t("finance.claimable.open"), {
        "aria-label": t("finance.claimable.openLabel", { scheme, period }),
      });
    if (what === "addRate")
      return h(
        "ul",
        { class: "utrecht-unordered-list claimable-gap" },
        item.uncoveredRanges.map((r) => gapItem(item.schemeCode, item.schemeName, r, year)),
      );
    const b = button(
      t("finance.claimable.draft"),
      {
        "aria-label": t("finance.claimable.draftLabel", { scheme, period }),
        "data-draft": `${item.schemeCode}:${item.periodStart}`,
      },
      "secondary",
    );
    b.addEventListener("click", () => void draft(item, b));
    return b;
  }

  function claimCell(item: ClaimableQuarter): Node[] | string {
    if (!item.claim) return t("finance.claimable.none");
    const parts: Node[] = [
      h("span", {}, label("claimStatus", item.claim.status)),
      document.createTextNode(` · ${formatMoney(item.claim.totalAmount)}`),
    ];
    if (item.drafts > 1 || (item.drafts > 0 && item.claim.status !== "draft"))
      parts.push(
        document.createTextNode(` (${t("finance.claimable.drafts", { count: item.drafts })})`),
      );
    return parts;
  }

  async function load(): Promise<void> {
    try {
      const report = await get<ClaimableReport>("/reports/claimable", { year });
      if (!ctx.alive()) return;
      if (report.items.length === 0) {
        box.replaceChildren(paragraph(t("finance.claimable.empty")));
        return;
      }
      box.replaceChildren(
        table(
          t("finance.claimable.caption", { year }),
          [
            {
              header: t("finance.claimable.period"),
              cell: (x) => quarterLabel(x.year, x.quarter),
            },
            {
              header: t("finance.scheme"),
              cell: (x) => [
                schemeLabel(x.schemeCode, x.schemeName),
                h("span", { class: "claimable-code" }, x.schemeCode),
              ],
            },
            { header: t("finance.claimable.claim"), cell: claimCell },
            {
              header: t("finance.claimable.deadline"),
              cell: (x) => [
                formatDate(x.deadline),
                x.overdue
                  ? h("span", { class: "claimable-late" }, ` ${t("finance.claimable.late")}`)
                  : "",
              ],
            },
            { header: t("finance.claimable.next"), cell: nextStep },
          ],
          claimableOrder(report.items),
          (x) => ({
            class: "utrecht-table__row",
            "data-quarter": `${x.schemeCode}:${x.periodStart}`,
            "data-action": claimableAction(x),
          }),
        ),
      );
    } catch (error) {
      if (ctx.alive()) box.replaceChildren(errorBox(error));
    }
  }
  void load();
  return h(
    "section",
    { class: "card", "aria-labelledby": "tdc-h" },
    heading(2, t("finance.claimable.title"), { id: "tdc-h" }),
    paragraph(t("finance.claimable.intro")),
    paragraph(link("/financien/tarieven", t("finance.rates.manage"))),
    status,
    box,
  );
}
