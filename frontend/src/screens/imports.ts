// Importeren (/importeren, issue 16 §6): a CSV or XLSX file into POST /imports/{kind}, with
// a real upload progress bar (loading.ts), "Alleen controleren" (dryRun=true), and the
// API's report in words: how many rows were good, and each row's problem in a table.

import { ApiError } from "../api";
import { h, onSubmit } from "../dom";
import { t, type MessageKey } from "../i18n";
import type { ScreenContext } from "../screen";
import { type ImportReport, kindsFor, reportRows } from "../shape-imports";
import {
  alertBox,
  button,
  errorBox,
  field,
  pageTitle,
  paragraph,
  progressBar,
  table,
  uploadWithProgress,
} from "../ui";
import "../imports.css";

function isReport(value: unknown): value is ImportReport {
  return typeof value === "object" && value !== null && "rowsTotal" in value;
}

function reportView(report: ImportReport, dryRun: boolean): HTMLElement {
  const counts = { valid: report.rowsValid, total: report.rowsTotal };
  const bad = report.errors.length > 0 || report.errorsOmitted > 0;
  const summary = bad
    ? alertBox(
        "warning",
        paragraph(dryRun ? t("imports.checked", counts) : t("imports.refused")),
        paragraph(t("imports.badRows", { bad: report.rowsTotal - report.rowsValid })),
      )
    : alertBox(
        "ok",
        paragraph(
          dryRun
            ? t("imports.checked", counts)
            : t("imports.saved", {
                ...counts,
                created: report.created,
                updated: report.updated,
                unchanged: report.unchanged,
              }),
        ),
      );
  const out = h("section", { "data-testid": "import-report", "aria-live": "polite" }, summary);
  if (report.errors.length)
    out.append(
      table(
        t("imports.problems"),
        [
          { header: t("imports.row"), cell: (r) => String(r.row || "–"), numeric: true },
          { header: t("imports.column"), cell: (r) => r.column || t("imports.wholeFile") },
          { header: t("imports.message"), cell: (r) => r.text },
        ],
        reportRows(report),
        () => ({ "data-testid": "import-problem" }),
      ),
    );
  if (report.errorsOmitted)
    out.append(paragraph(t("imports.omitted", { n: report.errorsOmitted })));
  return out;
}

export function render(ctx: ScreenContext): void {
  ctx.setTitle(t("imports.title"));
  const kinds = kindsFor(ctx.session?.role ?? "");
  if (!kinds.length) {
    ctx.main.append(pageTitle(t("common.forbidden")));
    ctx.ready();
    return;
  }
  const kind = field({
    name: "kind",
    label: t("imports.kind"),
    required: true,
    options: kinds.map((k) => ({ value: k, label: t(`imports.kind.${k}` as MessageKey) })),
  });
  const file = field({
    name: "file",
    label: t("imports.file"),
    type: "file",
    required: true,
    description: t("imports.fileHint"),
  });
  file.control.setAttribute(
    "accept",
    ".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  );
  const dry = h("input", { type: "checkbox", id: "import-dry-run", name: "dryRun", checked: true });
  const dryWrap = h(
    "div",
    { class: "utrecht-form-field utrecht-form-field--distanced imports-dry" },
    dry,
    h(
      "label",
      { class: "utrecht-form-label", for: "import-dry-run" },
      t("imports.dryRun"),
      h("span", { class: "imports-hint" }, ` — ${t("imports.dryRunHint")}`),
    ),
  );
  const progressSlot = h("div", { "data-testid": "import-progress" });
  const result = h("div");
  const form = h(
    "form",
    { class: "imports-form", novalidate: true },
    kind.wrap,
    file.wrap,
    dryWrap,
    button(t("imports.submit"), { type: "submit" }),
  );
  onSubmit(form, async (event) => {
    event.preventDefault();
    const chosen = (file.control as HTMLInputElement).files?.[0];
    file.setErrors(chosen ? [] : [t("imports.noFile")]);
    if (!chosen) {
      file.control.focus();
      return;
    }
    result.replaceChildren();
    const bar = progressBar(t("imports.progress"));
    progressSlot.replaceChildren(bar.element);
    const body = new FormData();
    body.append("file", chosen);
    const dryRun = dry.checked;
    try {
      const report = await uploadWithProgress<ImportReport>(
        `/imports/${kind.control.value}`,
        body,
        (loaded, total) => bar.set(loaded, total),
        dryRun ? { dryRun: "true" } : {},
      );
      bar.done(t("imports.progressDone"));
      if (ctx.alive()) result.append(reportView(report, dryRun));
    } catch (error) {
      bar.done(t("imports.progressDone"));
      if (!ctx.alive()) return;
      const problem = error instanceof ApiError ? (error.problem as unknown) : null;
      result.append(isReport(problem) ? reportView(problem, dryRun) : errorBox(error));
    }
  });
  ctx.main.append(
    pageTitle(t("imports.title")),
    paragraph(t("imports.intro")),
    form,
    progressSlot,
    result,
  );
  ctx.ready();
}
