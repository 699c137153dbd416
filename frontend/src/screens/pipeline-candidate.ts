// One candidate location (/locatiezoektocht/:id): its details, the score in a B1 sentence
// with the table per criterion (criterion, weight, score, note), and the stage history as a
// dated timeline. Admins and coordinators move its stage, score it and, once decided, make
// it a location (pipeline-forms.ts); finance and viewers read.

import { get } from "../api";
import { clear, h } from "../dom";
import { formatDate, formatNumber, label, t } from "../i18n";
import type { ScreenContext } from "../screen";
import {
  MOVES,
  scoreSentences,
  stageName,
  type Candidate,
  type Criterion,
  type Scores,
  type ScoreItem,
  type StageChange,
} from "../shape-pipeline";
import type { Page } from "../types";
import { button, errorBox, heading, link, loading, pageTitle, paragraph, table } from "../ui";
import { locationForm, moveForm, scoreForm, type PartnerOption } from "./pipeline-forms";
import "../pipeline.css";

interface Loaded {
  candidate: Candidate;
  stages: StageChange[];
  scores: Scores;
}

async function load(id: string): Promise<Loaded> {
  const [candidate, stages, scores] = await Promise.all([
    get<Candidate>(`/candidate-locations/${id}`),
    get<{ items: StageChange[] }>(`/candidate-locations/${id}/stages`),
    get<Scores>(`/candidate-locations/${id}/scores`),
  ]);
  return { candidate, stages: stages.items, scores };
}

function facts(c: Candidate): HTMLElement {
  const none = t("common.none");
  const rows: [string, string][] = [
    [t("pipeline.col.stage"), stageName(c.stage)],
    [t("pipeline.detail.address"), c.address ?? none],
    [t("pipeline.col.kind"), label("locationKind", c.proposedKind)],
    [t("pipeline.col.places"), c.proposedPlaces === null ? none : formatNumber(c.proposedPlaces)],
    [
      t("pipeline.detail.months"),
      c.plannedMonths === null
        ? none
        : t("pipeline.detail.monthsValue", { months: c.plannedMonths }),
    ],
    [t("pipeline.detail.owner"), c.owner ?? none],
    [t("pipeline.col.public"), c.public ? t("pipeline.detail.publicYes") : t("common.no")],
    [t("pipeline.detail.note"), c.note ?? none],
  ];
  return h(
    "dl",
    { class: "pipeline-facts" },
    rows.map(([k, v]) => [h("dt", {}, k), h("dd", {}, v)]),
  );
}

function timeline(stages: StageChange[]): HTMLElement {
  return h(
    "ol",
    { class: "pipeline-timeline", "aria-label": t("pipeline.history.caption") },
    stages.map((s) =>
      h(
        "li",
        { class: "pipeline-timeline__item", "data-stage": s.stage },
        h("time", { datetime: s.changedOn }, formatDate(s.changedOn)),
        " ",
        h("strong", {}, stageName(s.stage)),
        s.note ? h("span", { class: "pipeline-timeline__note" }, ` ${s.note}`) : null,
      ),
    ),
  );
}

function scoreTable(scores: Scores): HTMLElement {
  if (scores.items.length === 0) return paragraph(t("pipeline.scores.none"));
  return table(
    t("pipeline.scores.caption"),
    [
      { header: t("pipeline.scores.criterion"), cell: (s: ScoreItem) => s.criterionName },
      { header: t("pipeline.scores.weight"), numeric: true, cell: (s) => formatNumber(s.weight) },
      { header: t("pipeline.scores.score"), numeric: true, cell: (s) => formatNumber(s.score) },
      { header: t("pipeline.scores.note"), cell: (s) => s.note ?? "" },
    ],
    scores.items,
  );
}

export async function render(ctx: ScreenContext): Promise<void> {
  const role = ctx.session?.role ?? "";
  const writes = role === "admin" || role === "coordinator";
  const id = ctx.params.id ?? "";
  ctx.setTitle(t("pipeline.title"));
  const body = h("div", { "data-testid": "candidate" }, loading());
  ctx.main.append(body);

  const draw = async (): Promise<void> => {
    let data: Loaded;
    try {
      data = await load(id);
    } catch (error) {
      if (ctx.alive()) body.replaceChildren(errorBox(error));
      return;
    }
    if (!ctx.alive()) return;
    const c = data.candidate;
    ctx.setTitle(c.name);
    const panel = h("div", { "data-testid": "candidate-panel" });
    const again = () => {
      clear(panel);
      void draw();
    };
    const tools = writes
      ? h(
          "div",
          { class: "pipeline-tools" },
          MOVES[c.stage].length
            ? button(t("pipeline.action.move"), {
                "data-testid": "move-stage",
                onclick: () => moveForm(panel, c, again),
              })
            : null,
          button(
            t("pipeline.action.score"),
            {
              "data-testid": "score",
              onclick: async () => {
                const criteria = await get<Page<Criterion>>("/housing-criteria", {
                  pageSize: 500,
                });
                scoreForm(panel, c, criteria.items, data.scores, again);
              },
            },
            "secondary",
          ),
          c.stage === "decided" && c.locationId === null
            ? button(
                t("pipeline.action.makeLocation"),
                {
                  "data-testid": "make-location",
                  onclick: async () => {
                    const partners = await get<Page<PartnerOption>>("/partners", {
                      pageSize: 500,
                    });
                    locationForm(panel, c, partners.items, again);
                  },
                },
                "secondary",
              )
            : null,
        )
      : null;
    body.replaceChildren(
      paragraph(link("/locatiezoektocht", t("pipeline.backToList"))),
      pageTitle(c.name),
      h(
        "div",
        { class: "pipeline-score", "data-testid": "score-sentence" },
        scoreSentences(data.scores).map((s) => paragraph(s)),
      ),
      c.locationId
        ? paragraph(
            t("pipeline.detail.location"),
            " ",
            link(`/locaties/${c.locationId}`, t("pipeline.detail.locationLink")),
          )
        : "",
      tools ?? "",
      panel,
      h(
        "section",
        { class: "pipeline-section", "aria-labelledby": "pipeline-facts" },
        heading(2, t("pipeline.detail.facts"), { id: "pipeline-facts" }),
        facts(c),
      ),
      h(
        "section",
        { class: "pipeline-section", "aria-labelledby": "pipeline-scores" },
        heading(2, t("pipeline.scores.title"), { id: "pipeline-scores" }),
        scoreTable(data.scores),
      ),
      h(
        "section",
        { class: "pipeline-section", "aria-labelledby": "pipeline-history" },
        heading(2, t("pipeline.history.title"), { id: "pipeline-history" }),
        timeline(data.stages),
      ),
    );
  };
  await draw();
  ctx.ready();
}
