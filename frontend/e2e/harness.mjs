// Shared by the end-to-end tests and the first-screen benchmark: a fresh SQLite database
// with the demo data, the real server (`opvang serve`) serving the built dist/, and
// Debian's Chromium driven by playwright-core (no browser download); and the tests' page
// helpers (a page that collects its script errors, a screenshot, the axe check).

import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import assert from "node:assert/strict";
import AxeBuilder from "@axe-core/playwright";
import { chromium } from "playwright-core";

export const FRONTEND = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const ROOT = resolve(FRONTEND, "..");
export const DIST = join(FRONTEND, "dist");
export const ARTIFACTS = join(FRONTEND, "e2e", "artifacts");
export const CHROMIUM = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
const OPVANG = process.env.OPVANG_BIN || join(ROOT, ".venv", "bin", "opvang");

// The users `opvang seed-demo` creates (api/demo/seed.py), all with the demo password.
export const DEMO_PASSWORD = "opvang-demo-2026";
export const USERS = {
  admin: "admin@heemstede.example",
  coordinator: "coordinator@heemstede.example",
  finance: "finance@heemstede.example",
  viewer: "viewer@heemstede.example",
  partner: "coa@coa.example",
};

function freePort() {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", fail);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => ok(port));
    });
  });
}

async function waitUp(url, child, seconds = 30) {
  const until = Date.now() + seconds * 1000;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`opvang serve exited with ${child.exitCode}`);
    try {
      const r = await fetch(url);
      if (r.ok) return;
    } catch {
      /* not yet */
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`server did not answer ${url} within ${seconds} s`);
}

/** Migrate and seed a throw-away database, then serve it with the built dashboard. */
export async function startServer() {
  if (!existsSync(join(DIST, "index.html"))) {
    throw new Error("frontend/dist is missing: run `npm run build` first");
  }
  if (!existsSync(OPVANG)) throw new Error(`${OPVANG} not found (run \`make install\`)`);
  const dir = mkdtempSync(join(tmpdir(), "opvang-e2e-"));
  const env = {
    ...process.env,
    OPVANG_DATABASE_URL: `sqlite:///${join(dir, "demo.db")}`,
    OPVANG_FRONTEND_DIR: DIST,
    OPVANG_ENVIRONMENT: "development",
    // The journeys change data and read the public page back at once: no summary cache.
    OPVANG_PUBLIC_SUMMARY_CACHE_SECONDS: "0",
  };
  execFileSync(OPVANG, ["migrate"], { env, cwd: ROOT, stdio: "ignore" });
  execFileSync(OPVANG, ["seed-demo"], { env, cwd: ROOT, stdio: "ignore" });
  const port = await freePort();
  const child = spawn(OPVANG, ["serve", "--host", "127.0.0.1", "--port", String(port)], {
    env,
    cwd: ROOT,
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (d) => {
    stderr = (stderr + d).slice(-4000);
  });
  const base = `http://127.0.0.1:${port}`;
  try {
    await waitUp(`${base}/api/v1/health`, child);
  } catch (error) {
    child.kill("SIGTERM");
    throw new Error(`${error.message}\n${stderr}`, { cause: error });
  }
  return {
    base,
    async stop() {
      if (child.exitCode === null) {
        child.kill("SIGTERM");
        await new Promise((r) => {
          const timer = setTimeout(() => {
            child.kill("SIGKILL");
            r();
          }, 5000);
          child.once("exit", () => {
            clearTimeout(timer);
            r();
          });
        });
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function launchBrowser() {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} not found: apt-get install -y chromium (or set CHROMIUM_PATH)`);
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"],
  });
}

/** Sign in through the real form; resolves when the landing screen is drawn. */
export async function signIn(page, base, email, next = "") {
  await page.goto(`${base}/inloggen${next ? `?next=${encodeURIComponent(next)}` : ""}`);
  await page.getByLabel(/E-mailadres|Email address/).fill(email);
  await page.getByLabel(/^(Wachtwoord|Password)/).fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: /^(Inloggen|Sign in)$/ }).click();
  try {
    await page.waitForFunction(
      () => !location.pathname.startsWith("/inloggen") && document.body.dataset.ready !== undefined,
      null,
      { timeout: 15000 },
    );
  } catch (error) {
    await page.screenshot({ path: join(ARTIFACTS, `failed-signin-${email}.png`), fullPage: true });
    const message = await page
      .getByTestId("signin-message")
      .textContent()
      .catch(() => "");
    throw new Error(
      `sign-in as ${email} did not land (${page.url()}; ${message}): ${error.message}`,
      { cause: error },
    );
  }
}

export async function waitReady(page, timeout = 15000) {
  await page.waitForFunction(() => document.body.dataset.ready !== undefined, null, { timeout });
}

/** WCAG 2.1 AA, the level Dutch government sites must meet. */
export const WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];
export const WIDE = { width: 1280, height: 900 };
export const NARROW = { width: 360, height: 780 };

/** A Dutch page in its own context; `page.jsErrors` collects uncaught errors (and console
 * errors, unless `console` is false: a test of refused requests sees the browser log
 * each 4xx), so a test can assert that a screen ran clean. */
export async function newPage(browser, viewport = WIDE, { console = true } = {}) {
  const context = await browser.newContext({ viewport, locale: "nl-NL" });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  if (console) page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  page.jsErrors = errors;
  return page;
}

/** A full-page screenshot into e2e/artifacts/<name>.png. */
export async function shot(page, name) {
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

function described(violations) {
  return violations
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help}\n    ${v.nodes
          .slice(0, 3)
          .map((n) => n.target.join(" "))
          .join("\n    ")}`,
    )
    .join("\n  ");
}

async function openDetails(page, open) {
  await page.evaluate(
    (o) => document.querySelectorAll("details").forEach((d) => (d.open = o)),
    open,
  );
}

/**
 * axe-core on the page, with its disclosures open (so chart tables are checked): WCAG 2.1
 * AA, plus the best practice `landmark-unique` (not among those tags). `include`: only
 * these parts; `unique`: where landmark-unique runs (true: the same parts, an array: these
 * selectors, false: not at all); `widths`: check at each viewport and that the page
 * itself does not scroll sideways there (tables scroll in their own box).
 */
export async function checkAxe(page, name, { include = [], unique = true, widths = [] } = {}) {
  const size = page.viewportSize();
  for (const viewport of widths.length ? widths : [null]) {
    if (viewport) await page.setViewportSize(viewport);
    await openDetails(page, true);
    let wcag = new AxeBuilder({ page }).withTags(WCAG);
    for (const selector of include) wcag = wcag.include(selector);
    const violations = [...(await wcag.analyze()).violations];
    if (unique) {
      let landmarks = new AxeBuilder({ page }).withRules(["landmark-unique"]);
      for (const selector of unique === true ? include : unique)
        landmarks = landmarks.include(selector);
      violations.push(...(await landmarks.analyze()).violations);
    }
    const at = viewport ? ` at ${viewport.width}px` : "";
    assert.equal(violations.length, 0, `${name}${at}: axe violations\n  ${described(violations)}`);
    if (viewport) {
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - window.innerWidth,
      );
      assert.ok(overflow <= 1, `${name}${at}: the page is ${overflow}px too wide`);
    }
    await openDetails(page, false);
  }
  if (widths.length) await page.setViewportSize(size);
}
