// Scenario's: the list, a form to create or change one (scenario-form.ts, finance and
// admin), and the comparison of up to four with the base: per quarter the balance and the
// reserve at the end, each scenario's and its difference to the base. Viewer reads and
// compares.

import { get, request } from "../api";
import { h } from "../dom";
import {
  compareRows,
  MAX_COMPARED,
  type CompareRow,
  type ForecastReport,
  type ScenarioRead,
} from "../forecast-shape";
import { t } from "../i18n";
import { formatMoney } from "../money";
import type { ScreenContext } from "../screen";
import type { Location, Page, Scheme } from "../types";
import { alertBox, button, errorBox, heading, pageTitle, paragraph, table } from "../ui";
import "../finance.css";
import { legend } from "./forecast";
import { scenarioForm, type Choices } from "./scenario-form";

const writes = (role: string) => role === "finance" || role === "admin";

export async function render(ctx: ScreenContext): Promise<void> {
  ctx.setTitle(t("scenarios.title"));
  const role = ctx.session?.role ?? "";
  const status = h("div", { "aria-live": "polite", "data-testid": "scenario-status" });
  const listBox = h("div", { "data-testid": "scenario-list" }, paragraph(t("common.loading")));
  const formBox = h("div", {});
  const compareBox = h("div", { "data-testid": "scenario-compare" });
  ctx.main.append(
    pageTitle(t("scenarios.title")),
    paragraph(t("scenarios.intro")),
    status,
    listBox,
    formBox,
    compareBox,
  );
  let choices: Choices | null = null;
  const loadChoices = async (): Promise<Choices> => {
    choices ??= {
      schemes: (await get<Page<Scheme>>("/reimbursement-schemes", { pageSize: 100 })).items,
      locations: (await get<Page<Location>>("/locations", { sort: "name", pageSize: 200 })).items,
    };
    return choices;
  };
  const chosen = new Set<string>();

  const openForm = async (existing: ScenarioRead | null) => {
    try {
      const c = await loadChoices();
      formBox.replaceChildren(
        scenarioForm(
          c,
          existing,
          (saved) => {
            formBox.replaceChildren();
            status.replaceChildren(alertBox("ok", paragraph(t("scenarios.saved"))));
            void load(saved.id);
          },
          () => formBox.replaceChildren(),
        ),
      );
      formBox.querySelector("input")?.focus();
    } catch (error) {
      formBox.replaceChildren(errorBox(error));
    }
  };

  const compare = async () => {
    if (chosen.size === 0) {
      compareBox.replaceChildren(alertBox("warning", paragraph(t("scenarios.compareNone"))));
      return;
    }
    const query = [...chosen].map((id) => `scenario=${encodeURIComponent(id)}`).join("&");
    try {
      const report = await get<ForecastReport>(`/reports/forecast?${query}`);
      compareBox.replaceChildren(comparison(report));
    } catch (error) {
      compareBox.replaceChildren(errorBox(error));
    }
  };

  const load = async (focusId?: string) => {
    try {
      const items = await get<ScenarioRead[]>("/scenarios");
      if (!ctx.alive()) return;
      listBox.replaceChildren(list(items));
      if (focusId) listBox.querySelector<HTMLElement>(`[data-id="${focusId}"]`)?.focus();
    } catch (error) {
      if (ctx.alive()) listBox.replaceChildren(errorBox(error));
    }
  };

  const list = (items: ScenarioRead[]): HTMLElement => {
    const tooMany = h("div", { "aria-live": "polite" });
    const box = (s: ScenarioRead) => {
      const input = h("input", {
        type: "checkbox",
        class: "utrecht-checkbox",
        checked: chosen.has(s.id),
        "aria-label": t("scenarios.compareWith", { name: s.name }),
        "data-id": s.id,
      });
      input.addEventListener("change", () => {
        if (input.checked && chosen.size >= MAX_COMPARED) {
          input.checked = false;
          tooMany.replaceChildren(alertBox("warning", paragraph(t("scenarios.compareTooMany"))));
          return;
        }
        tooMany.replaceChildren();
        if (input.checked) chosen.add(s.id);
        else chosen.delete(s.id);
      });
      return input;
    };
    const actions = (s: ScenarioRead) =>
      h(
        "div",
        { class: "button-row" },
        button(t("scenarios.edit"), { onclick: () => openForm(s) }, "secondary"),
        button(
          t("scenarios.delete"),
          {
            onclick: async () => {
              try {
                await request<void>("DELETE", `/scenarios/${s.id}`, {
                  headers: { "If-Match": `"${s.version}"` },
                });
                chosen.delete(s.id);
                status.replaceChildren(alertBox("ok", paragraph(t("scenarios.deleted"))));
                await load();
              } catch (error) {
                status.replaceChildren(errorBox(error));
              }
            },
          },
          "subtle",
        ),
      );
    return h(
      "section",
      { class: "card", "aria-labelledby": "sc-list-h" },
      heading(2, t("scenarios.listCaption"), { id: "sc-list-h" }),
      items.length === 0
        ? paragraph(t("scenarios.none"))
        : table<ScenarioRead>(
            t("scenarios.listCaption"),
            [
              { header: t("scenarios.name"), cell: (s) => s.name },
              { header: t("scenarios.description"), cell: (s) => s.description ?? "" },
              {
                header: t("scenarios.changes"),
                numeric: true,
                cell: (s) => String(s.changes.length),
              },
              { header: t("scenarios.compareCol"), cell: box },
              ...(writes(role) ? [{ header: t("scenarios.edit"), cell: actions }] : []),
            ],
            items,
          ),
      tooMany,
      h(
        "div",
        { class: "button-row" },
        button(t("scenarios.compare"), { onclick: compare, "data-testid": "compare" }),
        writes(role)
          ? button(t("scenarios.new"), { onclick: () => openForm(null) }, "secondary")
          : null,
      ),
    );
  };

  await load();
  ctx.ready();
}

function comparison(report: ForecastReport): HTMLElement {
  const names = report.scenarios.map((s) => s.name);
  const columns = (rows: CompareRow[], caption: string) =>
    table<CompareRow>(
      caption,
      [
        { header: t("forecast.quarter"), cell: (r) => r.quarter },
        ...[
          t("scenarios.base"),
          ...names,
          ...names.map((name) => t("scenarios.difference", { name })),
        ].map((header, j) => ({
          header,
          numeric: true,
          cell: (r: CompareRow) => formatMoney(r.values[j] ?? null, t("forecast.unknown")),
        })),
      ],
      rows,
      (r): Record<string, string> => ({ "data-quarter": r.quarter }),
    );
  return h(
    "section",
    { class: "card scenario-compare", "aria-labelledby": "sc-cmp-h" },
    heading(2, t("scenarios.compareTitle"), { id: "sc-cmp-h" }),
    // Two tables of the same shape under one h2: each needs a visible name (a card hides
    // its tables' captions), or the reserve reads as a second balance.
    heading(3, t("scenarios.balanceTitle")),
    columns(compareRows(report, "balance"), t("scenarios.compareCaption")),
    heading(3, t("scenarios.reserveTitle")),
    columns(compareRows(report, "reserveEnd"), t("scenarios.reserveCaption")),
    legend(),
  );
}
