import { describe, expect, it } from "vitest";
import { setLang } from "../src/i18n";
import { MOVES, refusedMove, scoreSentences, scoreText } from "../src/shape-pipeline";

describe("pipeline words", () => {
  it("says the score in a B1 sentence, with one decimal and a comma", () => {
    setLang("nl");
    expect(scoreText("3.84")).toBe("3,8");
    expect(scoreSentences({ score: "3.84", scoredCriteria: 9, criteriaCount: 9 })).toEqual([
      "Deze locatie scoort 3,8 van de 5 op de criteria van de raad.",
    ]);
    expect(scoreSentences({ score: "1.00", scoredCriteria: 1, criteriaCount: 3 })[1]).toBe(
      "Er is gescoord op 1 van de 3 criteria.",
    );
    expect(scoreSentences({ score: null, scoredCriteria: 0, criteriaCount: 3 })).toEqual([
      "Deze locatie heeft nog geen score.",
    ]);
  });

  it("names the moves there are when one is refused", () => {
    setLang("nl");
    expect(MOVES.idea).toEqual(["investigation", "rejected", "withdrawn"]);
    expect(refusedMove("idea", MOVES.idea)).toBe(
      "Deze stap kan niet. Vanaf 'Idee' kan de locatie alleen naar: Onderzoek, Afgewezen, Ingetrokken.",
    );
    expect(refusedMove("decided", [])).toBe(
      "Deze stap kan niet. 'Besluit genomen' is de laatste stap.",
    );
  });
});
