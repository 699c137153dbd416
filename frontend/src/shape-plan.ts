// The begroting's words and figures, without the DOM (unit-tested in tests/plan.test.ts).

import { t } from "./i18n";
import { formatMoney } from "./money";
import type { BudgetPlanReport } from "./plan-types";

function mutationSentence(amount: string): string {
  const n = Number(amount);
  if (n === 0) return t("plan.reserve.noMutations");
  return n > 0
    ? t("plan.reserve.deposited", { amount: formatMoney(amount) })
    : t("plan.reserve.withdrawn", { amount: formatMoney(String(-n)) });
}

/** The reserve in B1 sentences: what it held, what the council moved, the year's result,
 * what it holds at the end. */
export function reserveSentences(report: BudgetPlanReport): string[] {
  const { year, reserve } = report;
  const out = [
    reserve.opening === null
      ? t("plan.reserve.openingUnknown", { year })
      : t("plan.reserve.opening", { year, amount: formatMoney(reserve.opening) }),
    mutationSentence(reserve.mutations),
  ];
  const result = reserve.result === null ? null : Number(reserve.result);
  if (result === null) out.push(t("plan.reserve.unknown"));
  else if (result >= 0)
    out.push(t("plan.reserve.surplus", { amount: formatMoney(reserve.result) }));
  else out.push(t("plan.reserve.deficit", { amount: formatMoney(String(-result)) }));
  // A result priced with a rate not yet published reads as a fact unless we say so.
  if (result !== null && report.income.some((s) => s.expectedCertainty !== "known")) {
    out.push(t("plan.reserve.estimated", { year }));
  }
  if (reserve.closing !== null) {
    out.push(t("plan.reserve.closing", { year, amount: formatMoney(reserve.closing) }));
  }
  return out;
}
