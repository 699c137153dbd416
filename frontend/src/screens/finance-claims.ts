// The claims of the finance screen (finance and admin): the list with its filters and a
// new draft claim. One claim is screens/claim.ts.

import { get, post } from "../api";
import { h, onSubmit } from "../dom";
import { clearProblems, errorSummary, showLocalProblems, showProblems, values } from "../forms";
import { formatDate, label, t } from "../i18n";
import { formatMoney } from "../money";
import { navigate } from "../router";
import type { ScreenContext } from "../screen";
import { pageCount } from "../shape";
import { claimQuery } from "../shape-finance";
import { CLAIM_STATUSES, type Claim, type Page, type Scheme } from "../types";
import {
  alertBox,
  button,
  errorBox,
  field,
  heading,
  link,
  optionList,
  paragraph,
  table,
} from "../ui";
import { claimRefusal, schemeLabel } from "./finance-words";

export function schemeOptions(schemes: Scheme[], all?: string) {
  const opts = schemes.map((s) => ({
    value: s.code,
    label: `${schemeLabel(s.code, s.name)} (${s.code})`,
  }));
  return all === undefined ? opts : [{ value: "", label: all }, ...opts];
}

export function claimsSection(ctx: ScreenContext, schemes: Scheme[], year: number): HTMLElement {
  const fScheme = field({
    name: "schemeCode",
    label: t("finance.scheme"),
    options: schemeOptions(schemes, t("common.all")),
  });
  const fStatus = field({
    name: "status",
    label: t("finance.status"),
    options: optionList(CLAIM_STATUSES, (v) => label("claimStatus", v), t("common.all")),
  });
  const fYear = field({
    name: "claimYear",
    label: t("finance.periodEndYear"),
    type: "number",
    value: String(year),
  });
  const form = h(
    "form",
    { class: "filters", "aria-label": t("finance.claimFilters") },
    fScheme.wrap,
    fStatus.wrap,
    fYear.wrap,
    h(
      "button",
      { type: "submit", class: "utrecht-button utrecht-button--secondary-action" },
      t("common.filter"),
    ),
  );
  const results = h("div", { "aria-live": "polite", "data-testid": "claim-results" });
  let page = 1;
  async function load(): Promise<void> {
    results.replaceChildren(paragraph(t("common.loading")));
    try {
      const answer = await get<Page<Claim>>(
        "/reimbursement-claims",
        claimQuery({
          schemeCode: fScheme.control.value,
          status: fStatus.control.value,
          year: fYear.control.value.trim(),
          page,
        }),
      );
      if (!ctx.alive()) return;
      if (answer.items.length === 0) {
        results.replaceChildren(paragraph(t("finance.noClaims")));
        return;
      }
      const pages = pageCount(answer.total, answer.pageSize);
      results.replaceChildren(
        table(
          t("finance.caption.claims"),
          [
            {
              header: t("finance.period"),
              cell: (c) =>
                link(
                  `/financien/declaraties/${c.id}`,
                  `${c.schemeCode} ${formatDate(c.periodStart)} – ${formatDate(c.periodEnd)}`,
                  { title: schemeLabel(c.schemeCode) },
                ),
            },
            {
              header: t("finance.status"),
              cell: (c) => [
                label("claimStatus", c.status),
                c.correctsClaimId ? ` (${t("finance.correction")})` : "",
              ],
            },
            {
              header: t("finance.totalAmount"),
              cell: (c) => formatMoney(c.totalAmount),
              numeric: true,
            },
            {
              header: t("finance.claimedAmount"),
              cell: (c) => formatMoney(c.claimedAmount),
              numeric: true,
            },
            {
              header: t("finance.receivedAmount"),
              cell: (c) => formatMoney(c.receivedAmount),
              numeric: true,
            },
          ],
          answer.items,
          (c) => ({ class: "utrecht-table__row", "data-status": c.status }),
        ),
        h(
          "nav",
          { class: "pager", "aria-label": t("finance.claimsPagination") },
          page > 1
            ? button(
                t("common.previous"),
                {
                  onclick: () => {
                    page -= 1;
                    void load();
                  },
                },
                "secondary",
              )
            : null,
          h("span", {}, t("common.pageOf", { page, pages, total: answer.total })),
          page < pages
            ? button(
                t("common.next"),
                {
                  onclick: () => {
                    page += 1;
                    void load();
                  },
                },
                "secondary",
              )
            : null,
        ),
      );
    } catch (error) {
      if (ctx.alive()) results.replaceChildren(errorBox(error));
    }
  }
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    page = 1;
    void load();
  });
  void load();
  return h(
    "section",
    { class: "card", "aria-labelledby": "cl-h" },
    heading(2, t("finance.claims"), { id: "cl-h" }),
    form,
    results,
  );
}

export function newClaimSection(role: string, schemes: Scheme[], year: number): HTMLElement {
  const fields = [
    field({
      name: "schemeCode",
      label: t("finance.scheme"),
      required: true,
      options: schemeOptions(schemes, t("common.choose")),
    }),
    field({
      name: "periodStart",
      label: t("finance.periodStart"),
      type: "date",
      required: true,
      value: `${year}-01-01`,
    }),
    field({
      name: "periodEnd",
      label: t("finance.periodEnd"),
      type: "date",
      required: true,
      value: `${year}-03-31`,
    }),
    field({ name: "note", label: t("finance.note"), multiline: true }),
  ];
  const summary = errorSummary();
  const help = h("div", { "data-testid": "claim-help" });
  const submit = h(
    "button",
    { type: "submit", class: "utrecht-button utrecht-button--primary-action" },
    t("finance.createDraft"),
  );
  const form = h(
    "form",
    { novalidate: true, "data-testid": "claim-form" },
    summary,
    fields.map((f) => f.wrap),
    submit,
  );
  onSubmit(form, async (e) => {
    e.preventDefault();
    clearProblems(fields, summary);
    help.replaceChildren();
    const v = values(fields);
    submit.disabled = true;
    try {
      const claim = await post<Claim>("/reimbursement-claims", {
        schemeCode: v.schemeCode,
        periodStart: v.periodStart || null,
        periodEnd: v.periodEnd || null,
        note: v.note || undefined,
      });
      navigate(`/financien/declaraties/${claim.id}?created=1`);
    } catch (error) {
      // No rate for some days, or a claim already filed: said in Dutch at the period,
      // with the way forward below the form.
      const refusal = claimRefusal(error, (code) => schemes.find((s) => s.code === code)?.name);
      if (refusal) {
        showLocalProblems(fields, summary, [{ name: refusal.field, detail: refusal.text }]);
        help.replaceChildren(alertBox("warning", refusal.help));
      } else {
        showProblems(fields, summary, error);
      }
    } finally {
      submit.disabled = false;
    }
  });
  return h(
    "section",
    { class: "card", "aria-labelledby": "ncl-h" },
    heading(2, t("finance.newClaim"), { id: "ncl-h" }),
    paragraph(role === "admin" ? t("finance.newClaimAdmin") : t("finance.newClaimIntro")),
    form,
    help,
  );
}
