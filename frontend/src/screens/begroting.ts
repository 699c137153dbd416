// Begroting (finance, admin; the viewer reads): per year the council's decisions (the
// primitive begroting and its wijzigingen), the begroting beside what was spent per
// category (a bar chart with its table, and the full table), the Rijk's income per scheme,
// the net result per scheme, and the reserve in plain sentences. Finance and admin also
// get the forms (begroting-forms.ts): a new decision, its amounts, a reserve mutation.

import { get } from "../api";
import { chartSection } from "../chartui";
import { h } from "../dom";
import { formatDate, formatNumber, label, t } from "../i18n";
import { formatMoney, moneyNumber } from "../money";
import type { BudgetPlanReport, BudgetVersionSummary } from "../plan-types";
import { navigate } from "../router";
import type { ScreenContext } from "../screen";
import { amsterdamToday } from "../shape";
import { errorBox, field, heading, pageTitle, paragraph, table } from "../ui";
import { reserveSentences } from "../shape-plan";
import { formsSection, versionName } from "./begroting-forms";
import { schemeLabel } from "./finance-words";

export function writesBegroting(role: string): boolean {
  return role === "finance" || role === "admin";
}

export async function render(ctx: ScreenContext): Promise<void> {
  const role = ctx.session?.role ?? "";
  ctx.setTitle(t("plan.title"));
  const thisYear = Number(amsterdamToday().slice(0, 4));
  const year = Number(ctx.query.get("year")) || thisYear;
  const years = Array.from({ length: 5 }, (_, i) => String(thisYear - 3 + i)).reverse();
  const fYear = field({
    name: "year",
    label: t("finance.year"),
    options: years.map((y) => ({ value: y, label: y })),
    value: String(year),
  });
  const yearForm = h(
    "form",
    { class: "filters", "aria-label": t("plan.yearPick") },
    fYear.wrap,
    h(
      "button",
      { type: "submit", class: "utrecht-button utrecht-button--secondary-action" },
      t("plan.show"),
    ),
  );
  yearForm.addEventListener("submit", (e) => {
    e.preventDefault();
    navigate(`/begroting?year=${encodeURIComponent(fYear.control.value)}`);
  });
  const box = h("div", { "data-testid": "begroting" }, paragraph(t("common.loading")));
  ctx.main.append(pageTitle(t("plan.title")), paragraph(t("plan.intro")), yearForm, box);
  const reload = () => navigate(`/begroting?year=${year}`);
  try {
    const report = await get<BudgetPlanReport>("/reports/budget-plan", { year });
    if (!ctx.alive()) return;
    const chart = chartSection(
      t("plan.chartTitle", { year }),
      {
        type: "bar",
        horizontal: true,
        data: {
          labels: report.expenses.map((e) => label("expenseCategory", e.category)),
          series: [
            { label: "current", data: report.expenses.map((e) => moneyNumber(e.current)) },
            { label: "actual", data: report.expenses.map((e) => moneyNumber(e.actual)) },
          ],
        },
        seriesLabels: [t("plan.current"), t("plan.actual")],
      },
      t("plan.category"),
      { format: (v) => formatMoney(v) },
    );
    box.replaceChildren(
      versionsSection(report.versions, year),
      chart.section,
      expensesSection(report),
      incomeSection(report),
      netSection(report),
      reserveSection(report),
      writesBegroting(role) ? formsSection(ctx, report, reload) : "",
    );
    chart.draw();
  } catch (error) {
    if (ctx.alive()) box.replaceChildren(errorBox(error));
  }
  ctx.ready();
}

function versionsSection(versions: BudgetVersionSummary[], year: number): HTMLElement {
  return h(
    "section",
    { class: "card", "aria-labelledby": "bv-h" },
    heading(2, t("plan.versions", { year }), { id: "bv-h" }),
    versions.length === 0
      ? paragraph(t("plan.noVersions", { year }))
      : table(
          t("plan.versions", { year }),
          [
            { header: t("plan.version"), cell: (v) => versionName(v) },
            { header: t("plan.decidedOn"), cell: (v) => formatDate(v.decidedOn) },
            { header: t("plan.decision"), cell: (v) => v.decisionReference ?? t("common.none") },
            { header: t("plan.description"), cell: (v) => v.description },
          ],
          versions,
          (v) => ({ "data-version": String(v.number) }),
        ),
  );
}

const share = (v: number | null | undefined) =>
  v === null || v === undefined ? t("common.none") : `${formatNumber(v * 100, 1)}%`;

function expensesSection(report: BudgetPlanReport): HTMLElement {
  const year = report.year;
  return h(
    "section",
    { class: "card", "aria-labelledby": "be-h" },
    heading(2, t("plan.expensesTitle", { year }), { id: "be-h" }),
    table(
      t("plan.expensesCaption", { year }),
      [
        { header: t("plan.category"), cell: (e) => label("expenseCategory", e.category) },
        { header: t("plan.primitive"), cell: (e) => formatMoney(e.primitive), numeric: true },
        { header: t("plan.changes"), cell: (e) => formatMoney(e.changes), numeric: true },
        { header: t("plan.current"), cell: (e) => formatMoney(e.current), numeric: true },
        { header: t("plan.actual"), cell: (e) => formatMoney(e.actual), numeric: true },
        { header: t("plan.remaining"), cell: (e) => formatMoney(e.remaining), numeric: true },
        { header: t("plan.shareUsed"), cell: (e) => share(e.shareUsed), numeric: true },
      ],
      report.expenses,
      (e) => ({ "data-category": e.category }),
    ),
  );
}

function incomeSection(report: BudgetPlanReport): HTMLElement {
  const year = report.year;
  return h(
    "section",
    { class: "card", "aria-labelledby": "bi-h" },
    heading(2, t("plan.incomeTitle", { year }), { id: "bi-h" }),
    table(
      t("plan.incomeCaption", { year }),
      [
        { header: t("plan.scheme"), cell: (s) => schemeLabel(s.schemeCode, s.schemeName) },
        { header: t("plan.planned"), cell: (s) => formatMoney(s.planned), numeric: true },
        {
          header: t("plan.expected"),
          cell: (s) => formatMoney(s.expected, t("plan.noRate")),
          numeric: true,
        },
        { header: t("plan.claimed"), cell: (s) => formatMoney(s.claimed), numeric: true },
        { header: t("plan.received"), cell: (s) => formatMoney(s.received), numeric: true },
      ],
      report.income,
      (s) => ({ "data-scheme": s.schemeCode }),
    ),
  );
}

function netSection(report: BudgetPlanReport): HTMLElement {
  const year = report.year;
  return h(
    "section",
    { class: "card", "aria-labelledby": "bn-h" },
    heading(2, t("plan.netTitle", { year }), { id: "bn-h" }),
    paragraph(t("plan.netIntro")),
    table(
      t("plan.netCaption", { year }),
      [
        { header: t("plan.scheme"), cell: (s) => schemeLabel(s.schemeCode, s.schemeName) },
        {
          header: t("plan.expected"),
          cell: (s) => formatMoney(s.expected, t("plan.noRate")),
          numeric: true,
        },
        { header: t("plan.charged"), cell: (s) => formatMoney(s.chargedExpenses), numeric: true },
        {
          header: t("plan.net"),
          cell: (s) => formatMoney(s.netResult, t("plan.noRate")),
          numeric: true,
        },
      ],
      report.income,
    ),
    paragraph(t("plan.uncharged", { amount: formatMoney(report.totals.unchargedExpenses) })),
  );
}

function reserveSection(report: BudgetPlanReport): HTMLElement {
  return h(
    "section",
    { class: "card", "aria-labelledby": "br-h", "data-testid": "reserve" },
    heading(2, t("plan.reserveTitle", { year: report.year }), { id: "br-h" }),
    reserveSentences(report).map((s) => paragraph(s)),
  );
}
