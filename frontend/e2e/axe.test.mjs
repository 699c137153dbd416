// The accessibility sweep: every screen, as each role that sees it, at 1280 and at 360 px,
// in Chromium on the demo data. Each must have 0 axe violations (WCAG 2.1 A/AA plus
// landmark-unique and the other landmark rules), nothing with the hidden attribute may be
// displayed, and the page itself must not scroll sideways at 360 px. A screenshot of each lands in e2e/artifacts/axe/.
//
// A new screen is one row in SCREENS: its name, its path (or how to find a detail page's
// path through the API, as that role), and the roles that see it.

import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import AxeBuilder from "@axe-core/playwright";
import {
  ARTIFACTS,
  DEMO_PASSWORD,
  USERS,
  launchBrowser,
  signIn,
  startServer,
  waitReady,
} from "./harness.mjs";

const STAFF = ["admin", "coordinator", "finance", "viewer"];
const WORKERS = ["admin", "coordinator", "partner"]; // participant-level screens

/** The first item of a list the role may see, as a detail page's path; null when the
 * demo gives this role none (the partner has no activities), and the screen is skipped. */
const first = (listPath, pagePath) => async (api) => {
  const body = await api(listPath);
  const item = body.items?.[0];
  return item ? `${pagePath}/${item.id}` : null;
};

// name, path (a string, or an async function of the role's API getter), roles.
// `null` as a role: without signing in.
const SCREENS = [
  { name: "publiek", path: "/publiek", roles: [null, "coordinator"] },
  { name: "inloggen", path: "/inloggen", roles: [null] },
  { name: "niet-gevonden", path: "/bestaat-niet", roles: ["coordinator"] },
  { name: "overzicht", path: "/overzicht", roles: STAFF },
  { name: "locaties", path: "/locaties", roles: ["admin", "coordinator", "finance", "partner"] },
  {
    name: "locatie",
    path: first("/locations?pageSize=1", "/locaties"),
    roles: ["admin", "coordinator", "finance", "partner"],
  },
  { name: "deelnemers", path: "/deelnemers", roles: WORKERS },
  { name: "deelnemer-nieuw", path: "/deelnemers/nieuw", roles: WORKERS },
  { name: "deelnemer", path: first("/participants?pageSize=1", "/deelnemers"), roles: WORKERS },
  { name: "activiteiten", path: "/activiteiten", roles: WORKERS },
  { name: "activiteit", path: first("/activities?pageSize=1", "/activiteiten"), roles: WORKERS },
  { name: "signalen", path: "/signalen", roles: WORKERS },
  { name: "signaal", path: first("/signals?pageSize=1", "/signalen"), roles: WORKERS },
  { name: "financien", path: "/financien", roles: ["admin", "finance", "viewer"] },
  {
    name: "declaratie",
    path: first("/reimbursement-claims?pageSize=1", "/financien/declaraties"),
    roles: ["admin", "finance"],
  },
  { name: "geen-toegang", path: "/financien", roles: ["coordinator"] },
  { name: "importeren", path: "/importeren", roles: ["admin", "coordinator", "finance"] },
];

const WIDTHS = [
  { width: 1280, height: 900 },
  { width: 360, height: 780 },
];
const WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];
// Best-practice rules beyond WCAG that the issue asks for: landmarks named apart and whole.
const LANDMARK_RULES = [
  "landmark-unique",
  "landmark-one-main",
  "landmark-no-duplicate-main",
  "landmark-no-duplicate-banner",
  "landmark-no-duplicate-contentinfo",
  "landmark-banner-is-top-level",
  "landmark-contentinfo-is-top-level",
  "landmark-main-is-top-level",
  "landmark-complementary-is-top-level",
  "page-has-heading-one",
  "heading-order",
  "region",
];
const SHOTS = join(ARTIFACTS, "axe");

let server;
let browser;

before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  server = await startServer();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

async function token(role) {
  const r = await fetch(`${server.base}/api/v1/auth/token`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "password",
      username: USERS[role],
      password: DEMO_PASSWORD,
    }).toString(),
  });
  assert.equal(r.status, 200, `token for ${role}`);
  return (await r.json()).access_token;
}

function apiAs(bearer) {
  return async (path) => {
    const r = await fetch(`${server.base}/api/v1${path}`, {
      headers: { Authorization: `Bearer ${bearer}` },
    });
    assert.equal(r.status, 200, `GET ${path}: ${r.status}`);
    return r.json();
  };
}

/** The screen at `path`, drawn by the app's own router (a reload would sign out while the
 * token is in memory only), and settled: ready, and nothing busy any more. */
async function open(page, path) {
  await page.evaluate((to) => {
    delete document.body.dataset.ready;
    history.pushState(null, "", to);
    dispatchEvent(new PopStateEvent("popstate"));
  }, path);
  await settle(page);
}

async function settle(page) {
  await page.waitForFunction(
    () =>
      (document.body.dataset.ready !== undefined || document.querySelector("form.signin-form")) &&
      !document.querySelector('[aria-busy="true"]'),
    null,
    { timeout: 20000 },
  );
  await page.evaluate(() => document.fonts.ready);
}

async function axeProblems(page) {
  await page.evaluate(() => document.querySelectorAll("details").forEach((d) => (d.open = true)));
  const wcag = await new AxeBuilder({ page }).withTags(WCAG).analyze();
  const landmarks = await new AxeBuilder({ page }).withRules(LANDMARK_RULES).analyze();
  await page.evaluate(() => document.querySelectorAll("details").forEach((d) => (d.open = false)));
  return [...wcag.violations, ...landmarks.violations].map(
    (v) =>
      `${v.id} (${v.impact}): ${v.help}\n      ${v.nodes
        .slice(0, 4)
        .map((n) => n.target.join(" "))
        .join("\n      ")}`,
  );
}

/** Elements wider than the viewport (the page scrolls sideways); tables scroll in their box. */
async function overflow(page) {
  return page.evaluate(() => {
    const extra = document.documentElement.scrollWidth - window.innerWidth;
    if (extra <= 1) return null;
    const culprits = [...document.querySelectorAll("body *")]
      .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1)
      .filter((el) => !el.closest(".table-scroll"))
      .slice(0, 5)
      .map((el) => `${el.tagName.toLowerCase()}.${[...el.classList].join(".")}`);
    return `${extra}px wider than the viewport: ${culprits.join(", ")}`;
  });
}

const roles = [...new Set(SCREENS.flatMap((s) => s.roles))];

describe("axe sweep: every screen, each role, 1280 and 360 px", () => {
  for (const viewport of WIDTHS) {
    for (const role of roles) {
      const screens = SCREENS.filter((s) => s.roles.includes(role));
      const who = role ?? "anonymous";
      test(`${who} at ${viewport.width}px: ${screens.map((s) => s.name).join(", ")}`, async (t) => {
        const context = await browser.newContext({ viewport, locale: "nl-NL" });
        const page = await context.newPage();
        const jsErrors = [];
        page.on("pageerror", (e) => jsErrors.push(String(e)));
        const api = role ? apiAs(await token(role)) : null;
        if (role) await signIn(page, server.base, USERS[role]);
        else {
          await page.goto(`${server.base}/publiek`);
          await waitReady(page);
        }
        const failures = [];
        for (const screen of screens) {
          const path = typeof screen.path === "function" ? await screen.path(api) : screen.path;
          if (path === null) {
            t.diagnostic(`${screen.name}: nothing to open for ${who}`);
            continue;
          }
          await open(page, path);
          const label = `${screen.name} (${who}, ${viewport.width}px, ${path})`;
          const problems = await axeProblems(page);
          if (problems.length) failures.push(`${label}:\n    ${problems.join("\n    ")}`);
          const shown = await page.evaluate(() =>
            [...document.querySelectorAll("[hidden]")]
              .filter((el) => getComputedStyle(el).display !== "none")
              .map((el) => el.outerHTML.slice(0, 100)),
          );
          if (shown.length) failures.push(`${label}: hidden but shown: ${shown.join(", ")}`);
          if (viewport.width < 400) {
            const wide = await overflow(page);
            if (wide) failures.push(`${label}: ${wide}`);
          }
          await page.screenshot({
            path: join(SHOTS, `${screen.name}-${who}-${viewport.width}.png`),
            fullPage: true,
          });
        }
        assert.deepEqual(jsErrors, []);
        assert.equal(failures.length, 0, `\n${failures.join("\n")}`);
        await context.close();
      });
    }
  }
});
