// The finance screens' words: Dutch scheme names per code, and the API's finance refusals
// (no rate for some days, a claim already filed) said in B1 with a link onward.

import { describe, expect, it } from "vitest";
import { ApiError } from "../src/api";
import { claimRefusal, gapText, schemeLabel, unitLabel } from "../src/screens/finance-words";

const PREFIX = "urn:opvang:problem:";

describe("finance words", () => {
  it("names the published schemes in Dutch, a later one by its own name", () => {
    expect(schemeLabel("BOO-GOO", "BooO: municipal reception")).toBe(
      "Opvang Oekraïners in gemeentelijke opvang (BooO, GOO)",
    );
    expect(schemeLabel("T-NIEUW", "Nieuwe regeling")).toBe("Nieuwe regeling");
    expect(schemeLabel("T-NIEUW")).toBe("T-NIEUW");
    expect(unitLabel("per_place_day")).toBe("per plek per dag");
    expect(unitLabel("nonsense")).toBe("");
  });

  it("says which scheme and which days have no rate, with a link to add it", () => {
    const error = new ApiError(400, {
      type: `${PREFIX}uncovered-days`,
      title: "Bad Request",
      status: 400,
      detail: "No rate of scheme BOO-GOO covers 2026-10-01..2026-12-31.",
      errors: [
        { in: "body", name: "periodStart", detail: "No rate covers 2026-10-01..2026-12-31." },
      ],
      schemeCode: "BOO-GOO",
      uncoveredRanges: [{ from: "2026-10-01", to: "2026-12-31" }],
    } as never);
    const refusal = claimRefusal(error, () => "English name")!;
    expect(refusal.field).toBe("periodStart");
    expect(refusal.text).toBe(
      "Voor Opvang Oekraïners in gemeentelijke opvang (BooO, GOO) is er geen tarief van " +
        "1 oktober 2026 tot en met 31 december 2026.",
    );
    expect(refusal.text).not.toMatch(/No rate|onbekend/);
    const a = refusal.help.querySelector("a")!;
    expect(a.getAttribute("href")).toBe(
      "/financien/tarieven?regeling=BOO-GOO&van=2026-10-01&tot=2026-12-31",
    );
    expect(a.textContent).toBe("Tarief toevoegen");
    expect(gapText("BOO-POO", null, { from: "2026-01-01", to: "2026-01-01" })).toMatch(
      /^Voor Opvang Oekraïners bij gastgezinnen/,
    );
  });

  it("explains a refused second draft and links to the filed claim", () => {
    const error = new ApiError(409, {
      type: `${PREFIX}claim-already-filed`,
      title: "Conflict",
      status: 409,
      detail: "Another claim for this scheme and period is already filed",
      claimId: "c0ffee00-0000-4000-8000-000000000001",
    } as never);
    const refusal = claimRefusal(error, () => null)!;
    expect(refusal.text).toMatch(/al een declaratie ingediend/);
    expect(refusal.help.querySelector("a")!.getAttribute("href")).toBe(
      "/financien/declaraties/c0ffee00-0000-4000-8000-000000000001",
    );
  });

  it("leaves any other error to the form", () => {
    const other = new ApiError(400, { type: `${PREFIX}invalid-input`, title: "", status: 400 });
    expect(claimRefusal(other, () => null)).toBeNull();
    expect(claimRefusal(new Error("network"), () => null)).toBeNull();
  });
});
