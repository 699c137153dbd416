// Benchmark (not a test): time from navigating to the dashboard to the Overzicht's charts
// drawn, on the demo data, in Debian's Chromium. Each round is a fresh browser context
// (empty cache): goto /overzicht -> the sign-in page (the token lives in memory only) ->
// the form is filled at once -> the overview's requests -> Chart.js draws -> the app marks
// `opvang:ready`. The time is that mark's performance.now(), i.e. since navigation start.
// Also the JavaScript the browser fetched on the way (the built files it asked for,
// gzipped: e2e/budget.mjs counts the same from Vite's manifest, and the build fails above
// 150 kB). Prints one JSON line: {"rounds": [...seconds], "median": s, "jsGzipKb": kB,
// "jsFiles": n}.
//
//   node e2e/first-screen.mjs [--rounds N]   (needs a built dist/)

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gzippedSize } from "./budget.mjs";
import { DIST, USERS, DEMO_PASSWORD, launchBrowser, startServer } from "./harness.mjs";

const argRounds = process.argv.indexOf("--rounds");
const rounds = argRounds > 0 ? Number(process.argv[argRounds + 1]) : 7;

const server = await startServer();
const browser = await launchBrowser();
const times = [];
const scripts = new Set(); // the dist/ paths of the JS files the first screen fetched
try {
  for (let i = 0; i <= rounds; i++) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    page.on("request", (r) => {
      const url = new URL(r.url());
      if (r.resourceType() === "script" && url.pathname.startsWith("/assets/")) {
        scripts.add(url.pathname.slice(1));
      }
    });
    await page.goto(`${server.base}/overzicht`);
    await page.getByLabel(/E-mailadres/).fill(USERS.admin);
    await page.getByLabel(/^Wachtwoord/).fill(DEMO_PASSWORD);
    await page.getByRole("button", { name: "Inloggen" }).click();
    await page.waitForFunction(() => document.body.dataset.ready === "overview", null, {
      timeout: 30000,
    });
    const ms = await page.evaluate(
      () => performance.getEntriesByName("opvang:ready").at(-1).startTime,
    );
    if (i > 0) times.push(ms / 1000); // the first round warms the server, not counted
    await context.close();
  }
} finally {
  await browser.close();
  await server.stop();
}
const sorted = [...times].sort((a, b) => a - b);
const median = sorted[Math.floor(sorted.length / 2)];
const jsGzip = [...scripts].reduce((n, f) => n + gzippedSize(readFileSync(join(DIST, f))), 0);
const jsGzipKb = Math.round((jsGzip / 1024) * 10) / 10;
console.log(JSON.stringify({ rounds: times, median, jsGzipKb, jsFiles: scripts.size }));
