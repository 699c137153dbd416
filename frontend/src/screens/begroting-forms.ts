// The begroting's forms (finance and admin): a new decision of the year (the primitive
// begroting, then wijzigingen), the amounts of the year's latest decision (the whole set
// PUT with If-Match; a 412 reloads it and says so), and a reserve mutation. The API's
// problems appear at the fields, worded from their codes (problems.ts).

import { ApiError, get, post, request } from "../api";
import { h, onSubmit } from "../dom";
import {
  clearProblems,
  errorSummary,
  isStale,
  showLocalProblems,
  showMessage,
  showProblems,
  values,
} from "../forms";
import { label, t } from "../i18n";
import { formatMoney, parseMoney } from "../money";
import type { BudgetPlanReport, BudgetLineWrite, BudgetVersion } from "../plan-types";
import type { ScreenContext } from "../screen";
import { EXPENSE_CATEGORIES } from "../types";
import {
  alertBox,
  button,
  errorBox,
  field,
  heading,
  optionList,
  paragraph,
  table,
  type Field,
} from "../ui";
import { schemeLabel } from "./finance-words";

export function versionName(v: { number: number }): string {
  return v.number === 0 ? t("plan.version.0") : t("plan.version.n", { number: v.number });
}

function submitButton(text: string): HTMLButtonElement {
  return h(
    "button",
    { type: "submit", class: "utrecht-button utrecht-button--primary-action" },
    text,
  );
}

function ok(box: HTMLElement, text: string): void {
  box.replaceChildren(alertBox("ok", paragraph(text)));
}

export function formsSection(
  ctx: ScreenContext,
  report: BudgetPlanReport,
  reload: () => void,
): HTMLElement {
  const latest = report.versions.at(-1);
  const linesBox = h("div", { "data-testid": "lines" });
  if (latest) void drawLines(ctx, linesBox, latest.id, report);
  return h(
    "div",
    {},
    versionForm(report.year, reload),
    latest ? linesBox : "",
    mutationForm(reload),
  );
}

function versionForm(year: number, reload: () => void): HTMLElement {
  const fields = [
    field({ name: "decidedOn", label: t("plan.decidedOn"), type: "date", required: true }),
    field({ name: "decisionReference", label: t("plan.decision") }),
    field({ name: "description", label: t("plan.description"), required: true }),
  ];
  const summary = errorSummary();
  const done = h("div", { "aria-live": "polite" });
  const form = h(
    "form",
    { novalidate: true, "data-testid": "version-form", "aria-labelledby": "vf-h" },
    summary,
    fields.map((f) => f.wrap),
    submitButton(t("plan.addVersion")),
  );
  onSubmit(form, async (e) => {
    e.preventDefault();
    clearProblems(fields, summary);
    const v = values(fields);
    const body: Record<string, unknown> = {
      year,
      decidedOn: v.decidedOn,
      description: v.description,
    };
    if (v.decisionReference) body.decisionReference = v.decisionReference;
    try {
      const made = await post<BudgetVersion>("/budget-versions", body);
      ok(done, t("plan.versionAdded", { version: versionName(made) }));
      setTimeout(reload, 600);
    } catch (error) {
      showProblems(fields, summary, error);
    }
  });
  return h(
    "section",
    { class: "card", "aria-labelledby": "vf-h" },
    heading(2, t("plan.addVersion"), { id: "vf-h" }),
    paragraph(t("plan.addVersionIntro")),
    form,
    done,
  );
}

/** Problems of a PUT of the whole set (`[3].amount`) named as the form's own fields. */
function asFormProblem(error: unknown): unknown {
  if (!(error instanceof ApiError) || !error.problem?.errors) return error;
  const errors = error.problem.errors.map((p) => ({
    ...p,
    name: p.name.replace(/^(body)?\[\d+\]\./, ""),
  }));
  return new ApiError(error.status, { ...error.problem, errors }, error.retryAfter);
}

async function drawLines(
  ctx: ScreenContext,
  box: HTMLElement,
  versionId: string,
  report: BudgetPlanReport,
): Promise<void> {
  let version: BudgetVersion;
  try {
    version = await get<BudgetVersion>(`/budget-versions/${versionId}`);
  } catch (error) {
    box.replaceChildren(errorBox(error));
    return;
  }
  if (!ctx.alive()) return;
  const schemes = report.income.map((s) => ({
    value: s.schemeCode,
    label: schemeLabel(s.schemeCode, s.schemeName),
  }));
  const fields: Field[] = [
    field({
      name: "kind",
      label: t("plan.kind"),
      required: true,
      options: optionList(["expense", "income"], (k) =>
        t(`plan.kind.${k as "expense" | "income"}`),
      ),
    }),
    field({
      name: "category",
      label: t("plan.category"),
      options: optionList(EXPENSE_CATEGORIES, (v) => label("expenseCategory", v), t("common.none")),
    }),
    field({
      name: "schemeCode",
      label: t("plan.scheme"),
      options: [{ value: "", label: t("common.none") }, ...schemes],
    }),
    field({
      name: "amount",
      label: t("plan.amount"),
      required: true,
      description: t("plan.amountHint"),
    }),
  ];
  const summary = errorSummary();
  const done = h("div", { "aria-live": "polite", "data-testid": "lines-done" });
  const current: BudgetLineWrite[] = version.lines.map((l) => ({
    kind: l.kind,
    category: l.category,
    schemeCode: l.schemeCode,
    amount: l.amount,
    note: l.note,
  }));
  const nameOf = (l: BudgetLineWrite) =>
    l.kind === "expense"
      ? label("expenseCategory", l.category ?? "")
      : (schemes.find((s) => s.value === l.schemeCode)?.label ?? l.schemeCode ?? "");
  async function save(lines: BudgetLineWrite[], message: string): Promise<void> {
    clearProblems(fields, summary);
    try {
      await request<BudgetVersion>("PUT", `/budget-versions/${version.id}/lines`, {
        body: lines,
        headers: { "If-Match": `"${version.version}"` },
      });
      await drawLines(ctx, box, version.id, report);
      ok(box.querySelector<HTMLElement>("[data-testid=lines-done]") ?? done, message);
    } catch (error) {
      if (isStale(error)) {
        await drawLines(ctx, box, version.id, report);
        const again = box.querySelector<HTMLElement>("[data-testid=lines-done]");
        if (again) again.replaceChildren(alertBox("warning", paragraph(t("plan.stale"))));
      } else {
        showProblems(fields, summary, asFormProblem(error));
      }
    }
  }
  const form = h(
    "form",
    { novalidate: true, "data-testid": "line-form", "aria-labelledby": "lf-h" },
    summary,
    fields.map((f) => f.wrap),
    submitButton(t("plan.addLine")),
  );
  onSubmit(form, async (e) => {
    e.preventDefault();
    const v = values(fields);
    const amount = parseMoney(v.amount ?? "");
    if (amount === null) {
      showLocalProblems(fields, summary, [{ name: "amount", detail: t("plan.amountInvalid") }]);
      return;
    }
    const line: BudgetLineWrite = { kind: v.kind as BudgetLineWrite["kind"], amount };
    if (v.category) line.category = v.category as BudgetLineWrite["category"];
    if (v.schemeCode) line.schemeCode = v.schemeCode;
    await save([...current, line], t("plan.lineSaved"));
  });
  box.replaceChildren(
    h(
      "section",
      { class: "card", "aria-labelledby": "lf-h" },
      heading(2, t("plan.linesTitle", { version: versionName(version) }), { id: "lf-h" }),
      paragraph(t("plan.linesIntro")),
      current.length
        ? table(
            t("plan.linesTitle", { version: versionName(version) }),
            [
              { header: t("plan.kind"), cell: (l) => t(`plan.kind.${l.kind}`) },
              { header: t("plan.description"), cell: (l) => nameOf(l) },
              { header: t("plan.amount"), cell: (l) => formatMoney(l.amount), numeric: true },
              {
                header: t("plan.cap.actions"),
                cell: (l) =>
                  button(
                    t("plan.removeLine"),
                    {
                      onclick: () =>
                        save(
                          current.filter((x) => x !== l),
                          t("plan.lineSaved"),
                        ),
                      "aria-label": t("plan.removeLineLabel", { name: nameOf(l) }),
                    },
                    "secondary",
                  ),
              },
            ],
            current,
          )
        : "",
      form,
      done,
    ),
  );
}

function mutationForm(reload: () => void): HTMLElement {
  const fields = [
    field({ name: "bookedOn", label: t("plan.bookedOn"), type: "date", required: true }),
    field({
      name: "amount",
      label: t("plan.amount"),
      required: true,
      description: t("plan.amountHint"),
    }),
    field({ name: "description", label: t("plan.description"), required: true }),
    field({ name: "decisionReference", label: t("plan.decision"), required: true }),
  ];
  const summary = errorSummary();
  const done = h("div", { "aria-live": "polite", "data-testid": "mutation-done" });
  const form = h(
    "form",
    { novalidate: true, "data-testid": "mutation-form", "aria-labelledby": "mf-h" },
    summary,
    fields.map((f) => f.wrap),
    submitButton(t("plan.addMutation")),
  );
  onSubmit(form, async (e) => {
    e.preventDefault();
    clearProblems(fields, summary);
    const v = values(fields);
    const amount = parseMoney(v.amount ?? "");
    if (amount === null) {
      showLocalProblems(fields, summary, [{ name: "amount", detail: t("plan.amountInvalid") }]);
      return;
    }
    try {
      await post("/reserve-mutations", { ...v, amount });
      ok(done, t("plan.mutationAdded", { amount: formatMoney(amount) }));
      setTimeout(reload, 600);
    } catch (error) {
      if (error instanceof ApiError && error.status === 412)
        showMessage(fields, summary, 412, t("plan.stale"));
      else showProblems(fields, summary, error);
    }
  });
  return h(
    "section",
    { class: "card", "aria-labelledby": "mf-h" },
    heading(2, t("plan.mutationTitle"), { id: "mf-h" }),
    paragraph(t("plan.mutationIntro")),
    form,
    done,
  );
}
