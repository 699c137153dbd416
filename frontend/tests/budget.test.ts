// The JavaScript budget (issue 16): the first screen loads at most 150 kB of gzipped JS.
// `npm run build` fails above it (e2e/budget.mjs); this checks the counting and, when a
// build is there, the build itself.

import { describe, expect, it } from "vitest";
import { BUDGET_BYTES, firstScreenFiles, gzippedSize, measureBuilt } from "../e2e/budget.mjs";

const MANIFEST = {
  "index.html": {
    file: "assets/index.js",
    isEntry: true,
    imports: ["_types.js"],
    dynamicImports: ["src/screens/signin.ts", "src/screens/overview.ts", "src/screens/claim.ts"],
  },
  "_types.js": { file: "assets/types.js" },
  "_chart.js": { file: "assets/chart.js", imports: ["_types.js"] },
  "_big.js": { file: "assets/big.js" },
  "src/screens/signin.ts": { file: "assets/signin.js", imports: ["_types.js"] },
  "src/screens/overview.ts": { file: "assets/overview.js", imports: ["_chart.js"] },
  "src/screens/claim.ts": { file: "assets/claim.js", imports: ["_big.js"] },
};

describe("the first screen's JavaScript", () => {
  it("is the entry, its static imports and the first routes' chunks, each once", () => {
    expect(firstScreenFiles(MANIFEST)).toEqual([
      "assets/index.js",
      "assets/types.js",
      "assets/signin.js",
      "assets/overview.js",
      "assets/chart.js",
    ]);
  });

  it("refuses a route the entry does not load (a renamed screen)", () => {
    expect(() => firstScreenFiles(MANIFEST, ["src/screens/gone.ts"])).toThrow(/not loaded/);
  });

  it("is measured gzipped", () => {
    const text = new TextEncoder().encode("const a = 1;\n".repeat(1000));
    expect(gzippedSize(text)).toBeLessThan(text.length / 20);
  });

  const result = measureBuilt();
  it.runIf(result !== null)("stays under 150 kB in the current build", () => {
    if (result) {
      expect(result.budget).toBe(150 * 1024);
      expect(result.files.some((f) => f.file.includes("chartui"))).toBe(true);
      expect(result.total).toBeLessThanOrEqual(BUDGET_BYTES);
    }
  });
});
