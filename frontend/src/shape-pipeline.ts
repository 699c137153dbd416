// The location pipeline's shapes and the words for them: stages in order, the moves the
// API allows from each (the same table as api/pipeline/stages.py), the score as people
// read it ("3,8"), and the B1 sentence under a candidate's scores.

import { formatNumber, t, type MessageKey } from "./i18n";

export type Stage = "idea" | "investigation" | "proposed" | "decided" | "rejected" | "withdrawn";

export const STAGES: readonly Stage[] = [
  "idea",
  "investigation",
  "proposed",
  "decided",
  "rejected",
  "withdrawn",
];

const ENDS: Stage[] = ["rejected", "withdrawn"];
export const MOVES: Record<Stage, readonly Stage[]> = {
  idea: ["investigation", ...ENDS],
  investigation: ["proposed", ...ENDS],
  proposed: ["decided", ...ENDS],
  decided: [],
  rejected: [],
  withdrawn: [],
};

export interface Candidate {
  id: string;
  version: number;
  name: string;
  address: string | null;
  proposedKind: string;
  proposedPlaces: number | null;
  plannedMonths: number | null;
  owner: string | null;
  operatorPartnerId: string | null;
  stage: Stage;
  public: boolean;
  note: string | null;
  locationId: string | null;
  score: string | null;
  scoredCriteria: number;
  criteriaCount: number;
}

export interface Criterion {
  id: string;
  version: number;
  name: string;
  description: string | null;
  weight: number;
  position: number;
}

export interface StageChange {
  id: number;
  stage: Stage;
  changedOn: string;
  note: string | null;
}

export interface ScoreItem {
  criterionId: string;
  criterionName: string;
  weight: number;
  score: number;
  note: string | null;
}

export interface Scores {
  score: string | null;
  scoredCriteria: number;
  criteriaCount: number;
  items: ScoreItem[];
}

export function stageName(stage: string): string {
  return t(`pipeline.stage.${stage}` as MessageKey);
}

/** "3.84" -> "3,8" (one decimal: what a reader compares). */
export function scoreText(score: string | null): string {
  return score === null ? t("pipeline.notScored") : formatNumber(Number(score), 1);
}

/** The sentences under the scores: the total, and how complete it is. */
export function scoreSentences(s: Pick<Scores, "score" | "scoredCriteria" | "criteriaCount">) {
  if (s.score === null) return [t("pipeline.sentence.noScore")];
  const out = [t("pipeline.sentence.score", { score: scoreText(s.score) })];
  if (s.scoredCriteria < s.criteriaCount)
    out.push(t("pipeline.sentence.partly", { scored: s.scoredCriteria, total: s.criteriaCount }));
  return out;
}

/** The Dutch sentence for a refused move (the API's 409 names the allowed moves). */
export function refusedMove(stage: Stage, allowed: readonly string[]): string {
  if (allowed.length === 0) return t("pipeline.form.moveFinal", { stage: stageName(stage) });
  return t("pipeline.form.moveRefused", {
    stage: stageName(stage),
    allowed: allowed.map(stageName).join(", "),
  });
}
