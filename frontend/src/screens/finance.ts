// Financiën: budget neutrality per quarter (chart + tables) and the export downloads for
// viewer, finance and admin; claims (list, filters, a new draft) and expenses (list, a new
// booking, a change with If-Match and the API's errors at the fields) for finance and
// admin. One claim is screens/claim.ts.

import { download, get, patch, post } from "../api";
import { chartSection } from "../chartui";
import { h, onSubmit } from "../dom";
import {
  clearProblems,
  errorSummary,
  isStale,
  setValue,
  showLocalProblems,
  showMessage,
  showProblems,
  values,
} from "../forms";
import { formatDate, label, t } from "../i18n";
import { formatMoney, moneyInput } from "../money";
import { navigate } from "../router";
import type { ScreenContext } from "../screen";
import { pageCount } from "../shape";
import {
  budgetChart,
  budgetRows,
  claimQuery,
  EXPENSE_REFERENCES,
  expenseBody,
  expenseChanges,
  fileNameFrom,
  unpriced,
} from "../shape-finance";
import {
  CLAIM_STATUSES,
  EXPENSE_CATEGORIES,
  type Activity,
  type BudgetReport,
  type Claim,
  type Expense,
  type Location,
  type Page,
  type Partner,
  type Scheme,
} from "../types";
import {
  alertBox,
  button,
  errorBox,
  field,
  heading,
  link,
  optionList,
  pageTitle,
  paragraph,
  table,
} from "../ui";

export function seesClaims(role: string): boolean {
  return role === "finance" || role === "admin";
}

export async function render(ctx: ScreenContext): Promise<void> {
  if (ctx.params.id) return (await import("./claim")).render(ctx);
  const role = ctx.session?.role ?? "";
  ctx.setTitle(t("finance.title"));
  const thisYear = new Date().getFullYear();
  const year = Number(ctx.query.get("year")) || thisYear - 1;
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
    const draw = drawBudget(budgetBox, report);
    draw();
  } catch (error) {
    if (ctx.alive()) budgetBox.replaceChildren(errorBox(error));
  }
  ctx.ready();
}

function drawBudget(box: HTMLElement, report: BudgetReport): () => void {
  const seriesLabels = (["expected", "claimed", "received", "expenses"] as const).map((k) =>
    t(`finance.${k}`),
  );
  const chart = chartSection(
    t("finance.budgetChart", { year: report.year }),
    { type: "bar", data: budgetChart(report), seriesLabels },
    t("finance.quarter"),
    { format: (v) => formatMoney(v) },
  );
  const gaps = unpriced(report);
  const rows = budgetRows(report);
  const balance = h(
    "section",
    { class: "card", "aria-labelledby": "bal-h" },
    heading(2, t("finance.balanceTitle", { year: report.year }), { id: "bal-h" }),
    paragraph(t("finance.balanceIntro")),
    table(
      t("finance.balanceTitle", { year: report.year }),
      [
        {
          header: t("finance.period"),
          cell: (r) => (r.period === "year" ? t("finance.wholeYear") : r.period),
        },
        {
          header: t("finance.expected"),
          cell: (r) => formatMoney(r.expected, t("finance.unknown")),
          numeric: true,
        },
        { header: t("finance.claimed"), cell: (r) => formatMoney(r.claimed), numeric: true },
        { header: t("finance.received"), cell: (r) => formatMoney(r.received), numeric: true },
        { header: t("finance.expenses"), cell: (r) => formatMoney(r.expenses), numeric: true },
        {
          header: t("finance.balance"),
          cell: (r) => formatMoney(r.balance, t("finance.unknown")),
          numeric: true,
        },
        {
          header: t("finance.receivedBalance"),
          cell: (r) => formatMoney(r.receivedBalance),
          numeric: true,
        },
        { header: t("finance.covered"), cell: (r) => t(`finance.covered.${r.coveredText}`) },
      ],
      rows,
      (r): Record<string, string> =>
        r.coveredText === "no"
          ? { class: "utrecht-table__row row--overdue", "data-covered": "no" }
          : {},
    ),
    gaps.length
      ? alertBox(
          "warning",
          paragraph(t("finance.unpriced")),
          h(
            "ul",
            { class: "utrecht-unordered-list" },
            gaps.map((g) =>
              h(
                "li",
                {},
                `${g.period} ${g.schemeCode}: ${formatDate(g.from)} – ${formatDate(g.to)}`,
              ),
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
        { onclick: () => void fetchFile("xlsx"), "data-testid": "download-xlsx" },
        "secondary",
      ),
      button(
        t("finance.downloadCsv"),
        { onclick: () => void fetchFile("csv"), "data-testid": "download-csv" },
        "secondary",
      ),
    ),
    status,
  );
}

function schemeOptions(schemes: Scheme[], all?: string) {
  const opts = schemes.map((s) => ({ value: s.code, label: `${s.code} — ${s.name}` }));
  return all === undefined ? opts : [{ value: "", label: all }, ...opts];
}

function claimsSection(ctx: ScreenContext, schemes: Scheme[], year: number): HTMLElement {
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
          t("finance.claims"),
          [
            {
              header: t("finance.period"),
              cell: (c) =>
                link(
                  `/financien/declaraties/${c.id}`,
                  `${c.schemeCode} ${formatDate(c.periodStart)} – ${formatDate(c.periodEnd)}`,
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

function newClaimSection(role: string, schemes: Scheme[], year: number): HTMLElement {
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
      showProblems(fields, summary, error);
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
  );
}

interface Choices {
  schemes: Scheme[];
  locations: Location[];
  activities: Activity[];
  partners: Partner[];
}

function expensesSection(ctx: ScreenContext, choices: Choices, year: number): HTMLElement {
  const fCategory = field({
    name: "category",
    label: t("finance.category"),
    options: optionList(EXPENSE_CATEGORIES, (v) => label("expenseCategory", v), t("common.all")),
  });
  const filter = h(
    "form",
    { class: "filters", "aria-label": t("finance.expenseFilters") },
    fCategory.wrap,
    h(
      "button",
      { type: "submit", class: "utrecht-button utrecht-button--secondary-action" },
      t("common.filter"),
    ),
  );
  const results = h("div", { "aria-live": "polite", "data-testid": "expense-results" });
  let page = 1;
  async function load(): Promise<void> {
    results.replaceChildren(paragraph(t("common.loading")));
    try {
      const query: Record<string, string | number> = { year, sort: "-date", pageSize: 25 };
      if (fCategory.control.value) query.category = fCategory.control.value;
      if (page > 1) query.page = page;
      const answer = await get<Page<Expense>>("/expenses", query);
      if (!ctx.alive()) return;
      if (answer.items.length === 0) {
        results.replaceChildren(paragraph(t("finance.noExpenses")));
        return;
      }
      const pages = pageCount(answer.total, answer.pageSize);
      results.replaceChildren(
        table(
          t("finance.expensesOf", { year }),
          [
            { header: t("common.date"), cell: (x) => formatDate(x.date) },
            { header: t("finance.category"), cell: (x) => label("expenseCategory", x.category) },
            { header: t("finance.description"), cell: (x) => x.description },
            { header: t("finance.scheme"), cell: (x) => x.schemeCode ?? t("common.none") },
            { header: t("finance.amount"), cell: (x) => formatMoney(x.amount), numeric: true },
            {
              header: t("finance.actions"),
              cell: (x) =>
                button(
                  t("finance.editExpense"),
                  {
                    onclick: () => void startEdit(x.id),
                    "aria-label": t("finance.editExpenseLabel", {
                      description: x.description,
                      date: formatDate(x.date),
                    }),
                    "data-edit": x.id,
                  },
                  "secondary",
                ),
            },
          ],
          answer.items,
          (x) => ({ class: "utrecht-table__row", "data-expense": x.id }),
        ),
        h(
          "nav",
          { class: "pager", "aria-label": t("finance.expensesPagination") },
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
  filter.addEventListener("submit", (e) => {
    e.preventDefault();
    page = 1;
    void load();
  });
  void load();

  // --- one form to book an expense and to change one (PATCH with If-Match) ---
  const none = [{ value: "", label: t("common.none") }];
  const fields = [
    field({ name: "date", label: t("common.date"), type: "date", required: true }),
    field({
      name: "category",
      label: t("finance.category"),
      required: true,
      options: optionList(
        EXPENSE_CATEGORIES,
        (v) => label("expenseCategory", v),
        t("common.choose"),
      ),
    }),
    field({
      name: "amount",
      label: t("finance.amount"),
      required: true,
      description: t("finance.amountHint"),
    }),
    field({ name: "description", label: t("finance.description"), required: true }),
    field({
      name: "schemeCode",
      label: t("finance.scheme"),
      options: schemeOptions(choices.schemes, t("common.none")),
    }),
    field({
      name: "locationId",
      label: t("finance.location"),
      options: [...none, ...choices.locations.map((l) => ({ value: l.id, label: l.name }))],
    }),
    field({
      name: "activityId",
      label: t("activities.activity"),
      options: [...none, ...choices.activities.map((a) => ({ value: a.id, label: a.title }))],
    }),
    field({
      name: "partnerId",
      label: t("finance.partner"),
      options: [...none, ...choices.partners.map((o) => ({ value: o.id, label: o.name }))],
    }),
  ];
  const byName = new Map(fields.map((f) => [f.name, f]));
  byName.get("amount")!.control.setAttribute("inputmode", "decimal");
  const summary = errorSummary();
  const done = h("div", { "aria-live": "polite", "data-testid": "expense-done" });
  const formTitle = heading(3, t("finance.addExpense"), { id: "ex-new", tabindex: "-1" });
  const editing = h("div", { "data-testid": "expense-editing" });
  const submit = h(
    "button",
    { type: "submit", class: "utrecht-button utrecht-button--primary-action" },
    t("finance.addExpense"),
  );
  const cancel = button(
    t("finance.cancelEdit"),
    { onclick: () => stopEdit(true), hidden: true },
    "secondary",
  );
  const form = h(
    "form",
    { novalidate: true, "data-testid": "expense-form", "aria-labelledby": "ex-new" },
    summary,
    editing,
    fields.map((f) => f.wrap),
    h("div", { class: "button-row" }, submit, cancel),
  );
  /** The expense being changed (null: the form books a new one). */
  let current: Expense | null = null;

  const unknownRef = (v: string) => t("finance.unknownRef", { id: v.slice(0, 8) });
  function fill(x: Expense | null): void {
    setValue(byName.get("date")!, x?.date);
    setValue(byName.get("category")!, x?.category);
    setValue(byName.get("amount")!, moneyInput(x?.amount));
    setValue(byName.get("description")!, x?.description);
    for (const key of EXPENSE_REFERENCES) setValue(byName.get(key)!, x?.[key], unknownRef);
  }
  function showMode(): void {
    const text = current ? t("finance.editExpenseTitle") : t("finance.addExpense");
    formTitle.textContent = text;
    submit.textContent = current ? t("finance.saveExpense") : t("finance.addExpense");
    cancel.hidden = !current;
    form.dataset.mode = current ? "edit" : "create";
    editing.replaceChildren(
      current
        ? paragraph(
            t("finance.editingExpense", {
              description: current.description,
              date: formatDate(current.date),
              amount: formatMoney(current.amount),
            }),
          )
        : "",
    );
  }
  async function startEdit(expenseId: string): Promise<void> {
    clearProblems(fields, summary);
    done.replaceChildren();
    try {
      // Read afresh: its version goes in If-Match.
      current = await get<Expense>(`/expenses/${expenseId}`);
    } catch (error) {
      showProblems(fields, summary, error);
      return;
    }
    fill(current);
    showMode();
    formTitle.scrollIntoView({ block: "start" });
    formTitle.focus();
  }
  function stopEdit(focus: boolean): void {
    current = null;
    clearProblems(fields, summary);
    fill(null);
    showMode();
    if (focus) formTitle.focus();
  }

  onSubmit(form, async (e) => {
    e.preventDefault();
    clearProblems(fields, summary);
    done.replaceChildren();
    const v = values(fields);
    const editingNow = current;
    const shaped = editingNow ? expenseChanges(editingNow, v) : expenseBody(v);
    if (shaped.invalid.length) {
      showLocalProblems(
        fields,
        summary,
        shaped.invalid.map((name) => ({ name, detail: t("finance.amountInvalid") })),
      );
      return;
    }
    if (editingNow && Object.keys(shaped.body).length === 0) {
      done.replaceChildren(alertBox("info", paragraph(t("finance.noChanges"))));
      return;
    }
    submit.disabled = true;
    try {
      if (editingNow) {
        const saved = await patch<Expense>(
          `/expenses/${editingNow.id}`,
          shaped.body,
          editingNow.version,
        );
        stopEdit(false);
        done.replaceChildren(
          alertBox(
            "ok",
            paragraph(
              t("finance.expenseSaved", {
                description: saved.description,
                amount: formatMoney(saved.amount),
              }),
            ),
          ),
        );
      } else {
        const added = await post<Expense>("/expenses", shaped.body);
        fill(null);
        done.replaceChildren(
          alertBox(
            "ok",
            paragraph(t("finance.expenseAdded", { amount: formatMoney(added.amount) })),
          ),
        );
      }
      void load();
    } catch (error) {
      if (editingNow && isStale(error)) {
        // Someone changed it since it was read: show the stored version, say so.
        try {
          current = await get<Expense>(`/expenses/${editingNow.id}`);
          fill(current);
          showMode();
          void load();
        } catch (reloadError) {
          showProblems(fields, summary, reloadError);
          return;
        }
        showMessage(fields, summary, 412, t("finance.expenseStale"));
      } else {
        showProblems(fields, summary, error);
      }
    } finally {
      submit.disabled = false;
    }
  });
  showMode();
  return h(
    "section",
    { class: "card", "aria-labelledby": "ex-h" },
    heading(2, t("finance.expensesOf", { year }), { id: "ex-h" }),
    filter,
    results,
    formTitle,
    done,
    form,
  );
}
