// Tarieven (/financien/tarieven): the rates of every scheme, and a form for finance (and
// admin) to add one with its source and the source's date. Opened from a missing rate
// (?regeling=CODE&van=YYYY-MM-DD&tot=YYYY-MM-DD), the form holds exactly those days.

import { ApiError, get, post } from "../api";
import { h, onSubmit } from "../dom";
import { clearProblems, errorSummary, showLocalProblems, showProblems, values } from "../forms";
import { formatDate, t } from "../i18n";
import { formatMoney } from "../money";
import type { ScreenContext } from "../screen";
import { amsterdamToday } from "../shape";
import { type Rate, rateBody } from "../shape-finance";
import type { Page, Scheme } from "../types";
import { alertBox, errorBox, field, heading, link, pageTitle, paragraph, table } from "../ui";
import { certaintyField, certaintyWord, editForm } from "./finance-rate-edit";
import { problemType, schemeLabel, unitLabel } from "./finance-words";
import "../finance.css";

export async function render(ctx: ScreenContext): Promise<void> {
  const role = ctx.session?.role ?? "";
  const year = Number(ctx.query.get("jaar")) || Number(amsterdamToday().slice(0, 4));
  ctx.setTitle(t("finance.rates.title"));
  const back = paragraph(link(`/financien?year=${year}`, t("finance.back")));
  if (role !== "finance" && role !== "admin") {
    ctx.main.append(back, pageTitle(t("common.forbidden")));
    ctx.ready();
    return;
  }
  let schemes: Scheme[];
  try {
    schemes = (await get<Page<Scheme>>("/reimbursement-schemes", { pageSize: 100 })).items;
  } catch (error) {
    if (ctx.alive()) ctx.main.append(back, pageTitle(t("finance.rates.title")), errorBox(error));
    return;
  }
  if (!ctx.alive()) return;
  const wanted = ctx.query.get("regeling") ?? "";
  const from = ctx.query.get("van") ?? "";
  const to = ctx.query.get("tot") ?? "";
  const chosen = schemes.find((s) => s.code === wanted);

  const fields = [
    field({
      name: "schemeCode",
      label: t("finance.scheme"),
      required: true,
      value: chosen?.code ?? "",
      options: [
        { value: "", label: t("common.choose") },
        ...schemes.map((s) => ({ value: s.code, label: schemeLabel(s.code, s.name) })),
      ],
    }),
    field({
      name: "validFrom",
      label: t("finance.rates.validFrom"),
      type: "date",
      required: true,
      value: from,
    }),
    field({
      name: "validTo",
      label: t("finance.rates.validTo"),
      type: "date",
      value: to,
      description: t("finance.rates.validToHint"),
    }),
    field({
      name: "amount",
      label: t("finance.rates.amount"),
      required: true,
      description: t("finance.rates.amountHint"),
    }),
    certaintyField(),
    field({
      name: "source",
      label: t("finance.rates.source"),
      required: true,
      description: t("finance.rates.sourceHint"),
    }),
    field({
      name: "publishedOn",
      label: t("finance.rates.publishedOn"),
      type: "date",
      required: true,
    }),
  ];
  const [fScheme, , , fAmount] = fields;
  fAmount!.control.setAttribute("inputmode", "decimal");
  const unit = h("p", { class: "utrecht-paragraph", "data-testid": "rate-unit" });
  const showUnit = () => {
    const s = schemes.find((x) => x.code === fScheme!.control.value);
    unit.textContent = s ? t("finance.rates.unitIs", { unit: unitLabel(s.basis) }) : "";
  };
  fScheme!.control.addEventListener("change", showUnit);
  showUnit();
  const summary = errorSummary();
  const done = h("div", { "aria-live": "polite", "data-testid": "rate-done" });
  const submit = h(
    "button",
    { type: "submit", class: "utrecht-button utrecht-button--primary-action" },
    t("finance.rates.add"),
  );
  const form = h(
    "form",
    { novalidate: true, "data-testid": "rate-form", "aria-labelledby": "rt-add" },
    summary,
    fields.map((f) => f.wrap),
    unit,
    submit,
  );
  const lists = h("div", { "data-testid": "rate-lists" });
  // The form to change a provisional rate, opened from its row.
  const editing = h("div", { "data-testid": "rate-editing" });

  async function drawLists(): Promise<void> {
    const all = await Promise.all(
      schemes.map((s) =>
        get<{ items: Rate[] }>(`/reimbursement-schemes/${encodeURIComponent(s.code)}/rates`).then(
          (r) => r.items,
        ),
      ),
    );
    if (!ctx.alive()) return;
    lists.replaceChildren(
      ...schemes.map((s, i) =>
        h(
          "div",
          { class: "subsection", "data-scheme": s.code },
          heading(3, schemeLabel(s.code, s.name)),
          paragraph(`${s.code} · ${t("finance.rates.unitIs", { unit: unitLabel(s.basis) })}`),
          all[i]!.length === 0
            ? paragraph(t("finance.rates.none"))
            : table(
                t("finance.rates.caption", { scheme: s.code }),
                [
                  {
                    header: t("finance.rates.validFrom"),
                    cell: (r: Rate) => formatDate(r.validFrom),
                  },
                  {
                    header: t("finance.rates.validTo"),
                    cell: (r: Rate) =>
                      r.validTo ? formatDate(r.validTo) : t("finance.rates.open"),
                  },
                  {
                    header: t("finance.rates.amount"),
                    cell: (r: Rate) => formatMoney(r.amount),
                    numeric: true,
                  },
                  {
                    header: t("rates.certainty"),
                    cell: (r: Rate) => certaintyWord(r.certainty),
                  },
                  {
                    header: t("finance.rates.source"),
                    cell: (r: Rate) => r.source ?? t("common.none"),
                  },
                  {
                    header: t("finance.rates.publishedOn"),
                    cell: (r: Rate) => formatDate(r.publishedOn),
                  },
                  {
                    header: t("rates.edit"),
                    cell: (r: Rate) => (r.certainty === "published" ? "" : editButton(s.code, r)),
                  },
                ],
                all[i]!,
                (r: Rate) => ({ "data-certainty": r.certainty }),
              ),
        ),
      ),
    );
  }

  function editButton(code: string, rate: Rate): HTMLButtonElement {
    const button = h(
      "button",
      {
        type: "button",
        class: "utrecht-button utrecht-button--secondary-action",
        "aria-label": t("rates.editLabel", { from: formatDate(rate.validFrom) }),
        "data-testid": "rate-edit-open",
      },
      t("rates.edit"),
    );
    button.addEventListener("click", () => {
      editing.replaceChildren(editForm(code, rate, drawLists, () => editing.replaceChildren()));
      editing.querySelector<HTMLElement>("h2")?.setAttribute("tabindex", "-1");
      editing.querySelector<HTMLElement>("h2")?.focus();
    });
    return button;
  }

  // Opened from a missing rate: say which, until the rate is saved.
  const missing = h(
    "div",
    {},
    chosen && from && to
      ? alertBox(
          "info",
          paragraph(
            t("finance.rates.missingFor", {
              scheme: schemeLabel(chosen.code, chosen.name),
              from: formatDate(from),
              to: formatDate(to),
            }),
          ),
        )
      : "",
  );

  onSubmit(form, async (e) => {
    e.preventDefault();
    clearProblems(fields, summary);
    done.replaceChildren();
    const v = values(fields);
    const shaped = rateBody(v);
    const local = [...(v.schemeCode ? [] : ["schemeCode"]), ...shaped.missing].map((name) => ({
      name,
      detail: t("finance.rates.required"),
    }));
    if (shaped.invalid.length) local.push({ name: "amount", detail: t("finance.amountInvalid") });
    if (local.length) {
      showLocalProblems(fields, summary, local);
      return;
    }
    submit.disabled = true;
    try {
      const rate = await post<Rate>(
        `/reimbursement-schemes/${encodeURIComponent(v.schemeCode!)}/rates`,
        shaped.body,
      );
      const scheme = schemes.find((s) => s.code === v.schemeCode);
      done.replaceChildren(
        alertBox(
          "ok",
          paragraph(
            t("finance.rates.added", {
              amount: formatMoney(rate.amount),
              scheme: schemeLabel(v.schemeCode!, scheme?.name),
              from: formatDate(rate.validFrom),
            }),
          ),
          paragraph(link(`/financien?year=${year}`, t("finance.rates.backToClaimable"))),
        ),
      );
      for (const f of fields.slice(1)) f.control.value = "";
      missing.replaceChildren();
      done.querySelector<HTMLElement>(".utrecht-alert")?.setAttribute("tabindex", "-1");
      done.querySelector<HTMLElement>(".utrecht-alert")?.focus();
      await drawLists();
    } catch (error) {
      if (problemType(error) === "overlapping-rate" && error instanceof ApiError) {
        const p = error.problem as unknown as { validFrom?: string; validTo?: string | null };
        showLocalProblems(fields, summary, [
          {
            name: "validFrom",
            detail: t("finance.rates.overlap", {
              from: formatDate(p.validFrom),
              to: p.validTo ? formatDate(p.validTo) : t("finance.rates.open"),
            }),
          },
        ]);
      } else {
        showProblems(fields, summary, error);
      }
    } finally {
      submit.disabled = false;
    }
  });

  ctx.main.append(
    back,
    pageTitle(t("finance.rates.title")),
    paragraph(t("finance.rates.intro")),
    missing,
    h(
      "section",
      { class: "card", "aria-labelledby": "rt-add" },
      heading(2, t("finance.rates.addTitle"), { id: "rt-add" }),
      done,
      form,
    ),
    h(
      "section",
      { class: "card", "aria-labelledby": "rt-list" },
      heading(2, t("finance.rates.listTitle"), { id: "rt-list" }),
      lists,
    ),
    editing,
  );
  try {
    await drawLists();
  } catch (error) {
    if (ctx.alive()) lists.replaceChildren(errorBox(error));
  }
  ctx.ready();
}
