// Financiën: budget neutrality per quarter (chart + tables) and the export downloads for
// viewer, finance and admin; for finance and admin also the claims (finance-claims.ts:
// list, filters, a new draft) and the expenses (finance-expenses.ts: list, a new booking,
// a change with If-Match and the API's errors at the fields). One claim is claim.ts.

import { download, get } from "../api";
import { chartSection } from "../chartui";
import { type Child, h } from "../dom";
import { t } from "../i18n";
import { formatMoney } from "../money";
import { navigate } from "../router";
import type { ScreenContext } from "../screen";
import { amsterdamToday } from "../shape";
import { budgetChart, budgetRows, fileNameFrom, unpricedByScheme } from "../shape-finance";
import type { Activity, BudgetReport, Location, Page, Partner, Scheme } from "../types";
import { alertBox, button, errorBox, field, heading, pageTitle, paragraph, table } from "../ui";
import { claimableSection } from "./finance-claimable";
import { claimsSection, newClaimSection } from "./finance-claims";
import { expensesSection } from "./finance-expenses";
import { gapItem, gapText, schemeLabel } from "./finance-words";

export function seesClaims(role: string): boolean {
  return role === "finance" || role === "admin";
}

export async function render(ctx: ScreenContext): Promise<void> {
  if (ctx.params.id) return (await import("./claim")).render(ctx);
  const role = ctx.session?.role ?? "";
  ctx.setTitle(t("finance.title"));
  // The current year on Heemstede's calendar: the quarter end is this year's work.
  const thisYear = Number(amsterdamToday().slice(0, 4));
  const year = Number(ctx.query.get("year")) || thisYear;
  const years = Array.from({ length: 6 }, (_, i) => String(thisYear - 4 + i)).reverse();

  const fYear = field({
    name: "year",
    label: t("finance.year"),
    options: years.map((y) => ({ value: y, label: y })),
    value: String(year),
  });
  const yearForm = h(
    "form",
    { class: "filters", "aria-label": t("finance.yearPick") },
    fYear.wrap,
    h(
      "button",
      { type: "submit", class: "utrecht-button utrecht-button--secondary-action" },
      t("finance.show"),
    ),
  );
  yearForm.addEventListener("submit", (e) => {
    e.preventDefault();
    navigate(`/financien?year=${encodeURIComponent(fYear.control.value)}`);
  });
  ctx.main.append(
    pageTitle(t("finance.title")),
    paragraph(seesClaims(role) ? t("finance.intro") : t("finance.introViewer")),
    yearForm,
  );
  if (seesClaims(role)) ctx.main.append(claimableSection(ctx, year));

  // --- budget neutrality ---
  const budgetBox = h("div", { "data-testid": "budget" }, paragraph(t("common.loading")));
  ctx.main.append(budgetBox, exportSection(year));
  const claimsAndExpenses = seesClaims(role);
  if (claimsAndExpenses) {
    const [schemes, locations, activities, partners] = await Promise.all([
      get<Page<Scheme>>("/reimbursement-schemes", { pageSize: 100 }).then(
        (r) => r.items,
        () => [] as Scheme[],
      ),
      get<Page<Location>>("/locations", { sort: "name", pageSize: 200 }).then(
        (r) => r.items,
        () => [] as Location[],
      ),
      get<Page<Activity>>("/activities", { sort: "title", pageSize: 500 }).then(
        (r) => r.items,
        () => [] as Activity[],
      ),
      get<Page<Partner>>("/partners", { sort: "name", pageSize: 200 }).then(
        (r) => r.items,
        () => [] as Partner[],
      ),
    ]);
    if (!ctx.alive()) return;
    ctx.main.append(
      claimsSection(ctx, schemes, year),
      newClaimSection(role, schemes, year),
      expensesSection(ctx, { schemes, locations, activities, partners }, year),
    );
  }

  try {
    const report = await get<BudgetReport>("/reports/budget", { year });
    if (!ctx.alive()) return;
    const draw = drawBudget(budgetBox, report, seesClaims(role));
    draw();
  } catch (error) {
    if (ctx.alive()) budgetBox.replaceChildren(errorBox(error));
  }
  ctx.ready();
}

/** An expected amount, marked "voorlopig" when a rate not yet published priced it. */
function expectedCell(amount: string | null, certainty: string | null | undefined): Child {
  const money = formatMoney(amount, t("finance.gap.noRate"));
  if (certainty !== "provisional" && certainty !== "assumed") return money;
  return h(
    "span",
    { "data-certainty": certainty },
    money,
    " ",
    h("span", { class: "provisional-mark" }, `(${t("rates.provisionalMark")})*`),
  );
}

/** Under the table: which schemes' expected amounts are provisional, and why. */
function provisionalNote(report: BudgetReport): HTMLElement | null {
  const marked = report.wholeYear.schemes.filter(
    (s) => s.expectedCertainty === "provisional" || s.expectedCertainty === "assumed",
  );
  if (!marked.length) return null;
  return alertBox(
    "info",
    paragraph(t("rates.budgetNote")),
    h(
      "ul",
      { class: "utrecht-unordered-list", "data-testid": "budget-provisional" },
      marked.map((s) =>
        h(
          "li",
          {},
          `${schemeLabel(s.schemeCode, s.schemeName)}: ${t(
            s.expectedCertainty === "assumed"
              ? "rates.expected.assumed"
              : "rates.expected.provisional",
          )}`,
        ),
      ),
    ),
  );
}

function drawBudget(box: HTMLElement, report: BudgetReport, addsRates: boolean): () => void {
  const seriesLabels = (["expected", "claimed", "received", "expenses"] as const).map((k) =>
    t(`finance.${k}`),
  );
  const chart = chartSection(
    t("finance.budgetChart", { year: report.year }),
    { type: "bar", data: budgetChart(report), seriesLabels },
    t("finance.quarter"),
    { format: (v) => formatMoney(v) },
  );
  const gaps = unpricedByScheme(report);
  const rows = budgetRows(report);
  const balance = h(
    "section",
    { class: "card", "aria-labelledby": "bal-h" },
    heading(2, t("finance.balanceTitle", { year: report.year }), { id: "bal-h" }),
    paragraph(t("finance.balanceIntro")),
    table(
      t("finance.caption.balance", { year: report.year }),
      [
        {
          header: t("finance.period"),
          cell: (r) => (r.period === "year" ? t("finance.wholeYear") : r.period),
        },
        {
          header: t("finance.expected"),
          cell: (r) => expectedCell(r.expected, r.expectedCertainty),
          numeric: true,
        },
        { header: t("finance.claimed"), cell: (r) => formatMoney(r.claimed), numeric: true },
        { header: t("finance.received"), cell: (r) => formatMoney(r.received), numeric: true },
        { header: t("finance.expenses"), cell: (r) => formatMoney(r.expenses), numeric: true },
        {
          header: t("finance.balance"),
          cell: (r) => formatMoney(r.balance, t("finance.gap.noRate")),
          numeric: true,
        },
        {
          header: t("finance.receivedBalance"),
          cell: (r) => formatMoney(r.receivedBalance),
          numeric: true,
        },
        {
          header: t("finance.covered"),
          cell: (r) =>
            r.coveredText === "unknown"
              ? t("finance.gap.coveredUnknown")
              : t(`finance.covered.${r.coveredText}`),
        },
      ],
      rows,
      (r): Record<string, string> =>
        r.coveredText === "no"
          ? { class: "utrecht-table__row row--overdue", "data-covered": "no" }
          : {},
    ),
    provisionalNote(report),
    gaps.length
      ? alertBox(
          "warning",
          paragraph(t("finance.gap.budget")),
          h(
            "ul",
            { class: "utrecht-unordered-list", "data-testid": "budget-gaps" },
            gaps.map((g) =>
              addsRates
                ? gapItem(g.schemeCode, g.schemeName, g, report.year)
                : h("li", {}, gapText(g.schemeCode, g.schemeName, g)),
            ),
          ),
        )
      : null,
  );
  box.replaceChildren(chart.section, balance);
  return chart.draw;
}

function exportSection(year: number): HTMLElement {
  const status = h("div", { "aria-live": "polite", "data-testid": "export-status" });
  const fetchFile = async (format: "xlsx" | "csv") => {
    status.replaceChildren(paragraph(t("finance.downloading")));
    try {
      const file = await download("/exports/budget", { year, format });
      const name = fileNameFrom(file.disposition, `opvang-budget-${year}.${format}`);
      const url = URL.createObjectURL(file.blob);
      const a = h("a", { href: url, download: name, hidden: true });
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
      status.replaceChildren(paragraph(t("finance.downloaded", { name })));
    } catch (error) {
      status.replaceChildren(errorBox(error));
    }
  };
  return h(
    "section",
    { class: "card", "aria-labelledby": "exp-h" },
    heading(2, t("finance.exportTitle", { year }), { id: "exp-h" }),
    paragraph(t("finance.exportIntro")),
    h(
      "div",
      { class: "button-row" },
      button(
        t("finance.downloadXlsx"),
        { onclick: () => fetchFile("xlsx"), "data-testid": "download-xlsx" },
        "secondary",
      ),
      button(
        t("finance.downloadCsv"),
        { onclick: () => fetchFile("csv"), "data-testid": "download-csv" },
        "secondary",
      ),
    ),
    status,
  );
}
