// A location's "Besluiten en voorwaarden" (issue 18), and the decision behind a capacity
// change in its capacity history ("besluit: <kenmerk>").

import { h } from "../dom";
import { t } from "../i18n";
import { decisionsSection, type Decision } from "./decisions-view";

const CELL = "data-decision-id";

/** The capacity history's cell for a change's decision: filled in once the decisions
 * have loaded (the section below reads them anyway). */
export function decisionCell(decisionId: string | null | undefined): HTMLElement | string {
  return decisionId ? h("span", { [CELL]: decisionId }) : "";
}

function nameCells(root: ParentNode, decisions: Decision[]): void {
  const byId = new Map(decisions.map((d) => [d.id, d.reference]));
  for (const cell of root.querySelectorAll<HTMLElement>(`[${CELL}]`)) {
    const reference = byId.get(cell.getAttribute(CELL) ?? "");
    cell.textContent = reference ? t("capacity.decisionRef", { reference }) : "";
  }
}

export function locationDecisions(
  root: ParentNode,
  locationId: string,
  acts: boolean,
): HTMLElement {
  return decisionsSection({
    locationId,
    acts,
    onLoad: (decisions) => nameCells(root, decisions),
  });
}
