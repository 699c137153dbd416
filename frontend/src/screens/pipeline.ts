// Locatiezoektocht (/locatiezoektocht): the candidate locations, best weighted score first,
// with their stage, kind, places and score; a table on wide screens, a list of cards on
// narrow ones (pipeline.css). Admins and coordinators add a candidate here; finance and
// viewers (council members) read. Partners do not see this screen (the API answers 403).

import { get } from "../api";
import { clear, h } from "../dom";
import { navigate } from "../router";
import { formatNumber, label, t } from "../i18n";
import type { ScreenContext } from "../screen";
import { scoreText, stageName, type Candidate } from "../shape-pipeline";
import type { Page } from "../types";
import { button, errorBox, link, loading, pageTitle, paragraph, table } from "../ui";
import { candidateForm } from "./pipeline-forms";
import "../pipeline.css";

const href = (c: Candidate) => `/locatiezoektocht/${c.id}`;

function places(c: Candidate): string {
  return c.proposedPlaces === null ? t("common.none") : formatNumber(c.proposedPlaces);
}

function candidateTable(items: Candidate[]): HTMLElement {
  return table(
    t("pipeline.table.caption"),
    [
      { header: t("pipeline.col.name"), cell: (c: Candidate) => link(href(c), c.name) },
      { header: t("pipeline.col.stage"), cell: (c) => stageName(c.stage) },
      { header: t("pipeline.col.kind"), cell: (c) => label("locationKind", c.proposedKind) },
      { header: t("pipeline.col.places"), numeric: true, cell: places },
      { header: t("pipeline.col.score"), numeric: true, cell: (c) => scoreText(c.score) },
      {
        header: t("pipeline.col.public"),
        cell: (c) => t(c.public ? "common.yes" : "common.no"),
      },
    ],
    items,
    (c) => ({ "data-candidate": c.id }),
  );
}

function candidateCards(items: Candidate[]): HTMLElement {
  return h(
    "ul",
    { class: "pipeline-cards", "aria-label": t("pipeline.table.caption") },
    items.map((c) =>
      h(
        "li",
        { class: "pipeline-card" },
        h("p", { class: "pipeline-card__name" }, link(href(c), c.name)),
        paragraph(
          t("pipeline.cardLine", {
            stage: stageName(c.stage),
            kind: label("locationKind", c.proposedKind),
            places: places(c),
          }),
        ),
        paragraph(
          c.score === null
            ? t("pipeline.notScored")
            : t("pipeline.cardScore", { score: scoreText(c.score) }),
        ),
      ),
    ),
  );
}

export async function render(ctx: ScreenContext): Promise<void> {
  const role = ctx.session?.role ?? "";
  const writes = role === "admin" || role === "coordinator";
  ctx.setTitle(t("pipeline.title"));
  const panel = h("div", { "data-testid": "pipeline-panel" });
  const body = h("div", { "data-testid": "pipeline" }, loading());
  const redraw = async (): Promise<void> => {
    let page: Page<Candidate>;
    try {
      page = await get<Page<Candidate>>("/candidate-locations", { sort: "-score", pageSize: 500 });
    } catch (error) {
      if (ctx.alive()) body.replaceChildren(errorBox(error));
      return;
    }
    if (!ctx.alive()) return;
    clear(body);
    if (page.items.length === 0) body.append(paragraph(t("pipeline.none")));
    else body.append(candidateTable(page.items), candidateCards(page.items));
  };
  const tools = h(
    "div",
    { class: "pipeline-tools" },
    writes
      ? button(t("pipeline.add"), {
          "data-testid": "add-candidate",
          onclick: () => candidateForm(panel, (id) => navigate(`/locatiezoektocht/${id}`)),
        })
      : null,
    link("/locatiezoektocht/criteria", t("pipeline.criteriaLink")),
  );
  ctx.main.append(
    pageTitle(t("pipeline.title")),
    paragraph(t("pipeline.lead")),
    paragraph(t("pipeline.scoreHelp")),
    tools,
    panel,
    body,
  );
  await redraw();
  ctx.ready();
}
