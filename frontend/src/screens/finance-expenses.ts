// The expenses of the finance screen (finance and admin): the list, one form that books
// a new expense or changes a listed one (PATCH with If-Match; a 412 reloads the record into
// the form and says so), the API's errors at the fields.

import { get, patch, post } from "../api";
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
import type { ScreenContext } from "../screen";
import { pageCount } from "../shape";
import { EXPENSE_REFERENCES, expenseBody, expenseChanges } from "../shape-finance";
import {
  EXPENSE_CATEGORIES,
  type Activity,
  type Expense,
  type Location,
  type Page,
  type Partner,
  type Scheme,
} from "../types";
import { alertBox, button, errorBox, field, heading, optionList, paragraph, table } from "../ui";
import { schemeOptions } from "./finance-claims";

export interface Choices {
  schemes: Scheme[];
  locations: Location[];
  activities: Activity[];
  partners: Partner[];
}

export function expensesSection(ctx: ScreenContext, choices: Choices, year: number): HTMLElement {
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
          t("finance.caption.expenses", { year }),
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
