import { beforeEach, describe, expect, it } from "vitest";
import type { components } from "../src/api-types.gen";
import { setLang } from "../src/i18n";
import { publicSentences } from "../src/screens/public-spreiding";
import { sentences } from "../src/screens/spreiding";

type Report = components["schemas"]["SpreidingReport"];
type Phase = components["schemas"]["PhaseRow"]["phase"];

const task = {
  id: "t",
  version: 1,
  createdAt: "2026-01-01T00:00:00Z",
  updatedAt: "2026-01-01T00:00:00Z",
  startsOn: "2024-01-01",
  endsOn: "2026-07-01",
  places: 80,
  source: "Verdeelbesluit provincie Noord-Holland, 2024",
  decidedOn: null,
  note: null,
};

function report(places: Record<Phase, number>, withTask = true): Report {
  let cumulative = 0;
  const phases = (["realised", "planned", "decided", "preparation"] as Phase[]).map((phase) => {
    cumulative += places[phase];
    return {
      phase,
      places: places[phase],
      cumulative,
      gap: withTask ? 80 - cumulative : null,
      items: [],
    };
  });
  return {
    on: "2026-03-01",
    task: withTask ? task : null,
    kinds: ["asylum_center", "amv_small_scale", "emergency"],
    phases,
    incentive: null,
    tasks: withTask ? [task] : [],
  };
}

describe("spreiding sentences", () => {
  beforeEach(() => setLang("nl"));

  it("says the task, what is there and what is planned, in B1", () => {
    const out = sentences(report({ realised: 20, planned: 30, decided: 0, preparation: 10 }));
    expect(out).toEqual([
      "Heemstede moet 80 opvangplekken regelen tussen 1 januari 2024 en 1 juli 2026.",
      "Er zijn er nu 20.",
      "Er zijn er nog 30 gepland.",
      "Voor 10 plekken onderzoekt de gemeente nog een locatie.",
      "Dan ontbreken er nog 20.",
    ]);
  });

  it("says when there are enough, and a plan that takes places away", () => {
    const out = sentences(report({ realised: 90, planned: -5, decided: 0, preparation: 0 }));
    expect(out.slice(1)).toEqual([
      "Er zijn er nu 90.",
      "Volgens de planning gaan er 5 plekken af.",
      "Dan zijn er genoeg plekken voor de taak.",
    ]);
  });

  it("words the public answer", () => {
    const s = { on: "2026-03-01", task, realised: 20, planned: 30, toArrange: 30 };
    expect(publicSentences(s)).toEqual([
      "Heemstede moet 80 opvangplekken regelen tussen 1 januari 2024 en 1 juli 2026.",
      "Er zijn er nu 20.",
      "Er zijn er nog 30 gepland.",
      "Er moeten nog 30 plekken bij komen.",
    ]);
    expect(publicSentences({ ...s, task: null, toArrange: null })).toEqual([
      "Er is nu geen taak van de provincie bekend.",
    ]);
  });
});
