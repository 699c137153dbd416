// The JavaScript budget (issue 16): the dashboard's first screen, the Overzicht reached
// through the sign-in page, loads at most 150 kB of gzipped JavaScript. From Vite's
// manifest (dist/.vite/manifest.json): the entry chunk and every chunk it imports
// statically, plus each first-screen route's chunk with its static imports (what the
// router's dynamic import() fetches). Each file counted once, gzipped at level 9 (as a
// server would send it). Run after `vite build` by `npm run build`: above the budget the
// build fails. A size check, not a timer.
//
//   node e2e/budget.mjs [--json]

import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

export const BUDGET_BYTES = 150 * 1024;
// The screens on the way to the first screen: what /overzicht shows signed out, then
// the Overzicht itself (src/main.ts's ROUTES).
export const FIRST_SCREEN_ROUTES = ["src/screens/signin.ts", "src/screens/overview.ts"];

/** The JS files (paths under dist/) the first screen loads, entry first. */
export function firstScreenFiles(manifest, routes = FIRST_SCREEN_ROUTES) {
  const entry = Object.keys(manifest).find((key) => manifest[key].isEntry);
  if (!entry) throw new Error("the manifest names no entry chunk");
  const files = [];
  const seen = new Set();
  const visit = (key) => {
    if (seen.has(key)) return;
    const chunk = manifest[key];
    if (!chunk) throw new Error(`the manifest has no chunk ${key}`);
    seen.add(key);
    if (chunk.file.endsWith(".js")) files.push(chunk.file);
    for (const imported of chunk.imports ?? []) visit(imported);
  };
  visit(entry);
  for (const route of routes) {
    if (!(manifest[entry].dynamicImports ?? []).includes(route)) {
      throw new Error(`${route} is not loaded by the entry (renamed? update the budget)`);
    }
    visit(route);
  }
  return files;
}

export function gzippedSize(bytes) {
  return gzipSync(bytes, { level: 9 }).length;
}

export function measure(dist) {
  const manifest = JSON.parse(readFileSync(join(dist, ".vite", "manifest.json"), "utf8"));
  const files = firstScreenFiles(manifest).map((file) => ({
    file,
    gzip: gzippedSize(readFileSync(join(dist, file))),
  }));
  const total = files.reduce((sum, f) => sum + f.gzip, 0);
  return { files, total, budget: BUDGET_BYTES };
}

export const DIST = join(dirname(fileURLToPath(import.meta.url)), "..", "dist");

/** The measure of the build in dist/, or null when there is no build. */
export function measureBuilt() {
  return existsSync(join(DIST, ".vite", "manifest.json")) ? measure(DIST) : null;
}

const kB = (n) => `${(n / 1024).toFixed(1)} kB`;

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const result = measure(DIST);
  if (process.argv.includes("--json")) {
    console.log(JSON.stringify(result));
  } else {
    for (const f of result.files) console.log(`  ${f.file.padEnd(40)} ${kB(f.gzip)} gzipped`);
    console.log(`first-screen JS: ${kB(result.total)} gzipped of a ${kB(result.budget)} budget`);
  }
  if (result.total > result.budget) {
    console.error(
      `the first screen's JavaScript is over budget by ${kB(result.total - result.budget)}`,
    );
    process.exit(1);
  }
}
