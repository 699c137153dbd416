// The council's housing criteria (/locatiezoektocht/criteria): name, weight, explanation.
// Admins and coordinators add one or change a weight; the others read.

import { get } from "../api";
import { clear, h } from "../dom";
import { formatNumber, t } from "../i18n";
import type { ScreenContext } from "../screen";
import type { Criterion } from "../shape-pipeline";
import type { Page } from "../types";
import { button, errorBox, link, loading, pageTitle, paragraph, table, type Column } from "../ui";
import { criterionForm } from "./pipeline-forms";
import "../pipeline.css";

export async function render(ctx: ScreenContext): Promise<void> {
  const role = ctx.session?.role ?? "";
  const writes = role === "admin" || role === "coordinator";
  ctx.setTitle(t("pipeline.criteria.title"));
  const panel = h("div", { "data-testid": "criteria-panel" });
  const body = h("div", { "data-testid": "criteria" }, loading());
  const redraw = async (): Promise<void> => {
    clear(panel);
    let page: Page<Criterion>;
    try {
      page = await get<Page<Criterion>>("/housing-criteria", { pageSize: 500 });
    } catch (error) {
      if (ctx.alive()) body.replaceChildren(errorBox(error));
      return;
    }
    if (!ctx.alive()) return;
    if (page.items.length === 0) {
      body.replaceChildren(paragraph(t("pipeline.criteria.none")));
      return;
    }
    const columns: Column<Criterion>[] = [
      { header: t("pipeline.criteria.name"), cell: (c: Criterion) => c.name },
      {
        header: t("pipeline.criteria.weight"),
        numeric: true,
        cell: (c: Criterion) => formatNumber(c.weight),
      },
      { header: t("pipeline.criteria.description"), cell: (c: Criterion) => c.description ?? "" },
    ];
    if (writes)
      columns.push({
        header: t("pipeline.criteria.editTitle"),
        cell: (c: Criterion) =>
          button(
            t("pipeline.criteria.change"),
            {
              "aria-label": t("pipeline.criteria.edit", { name: c.name }),
              onclick: () => criterionForm(panel, c, () => void redraw()),
            },
            "subtle",
          ),
      });
    body.replaceChildren(table(t("pipeline.criteria.caption"), columns, page.items));
  };
  ctx.main.append(
    paragraph(link("/locatiezoektocht", t("pipeline.backToList"))),
    pageTitle(t("pipeline.criteria.title")),
    paragraph(t("pipeline.criteria.lead")),
    writes
      ? h(
          "div",
          { class: "pipeline-tools" },
          button(t("pipeline.criteria.add"), {
            "data-testid": "add-criterion",
            onclick: () => criterionForm(panel, null, () => void redraw()),
          }),
        )
      : "",
    panel,
    body,
  );
  await redraw();
  ctx.ready();
}
