// End-to-end: the Spreidingswet screen on the demo data, in Debian's Chromium. A
// coordinator reads the task against the places by phase (sentences, the stacked chart,
// its table, the incentive), adds a task period (an overlapping one is refused at its
// field in Dutch), a viewer reads without the forms, a partner has no Spreidingswet, and
// residents see "Hoeveel opvangplekken moet Heemstede regelen?" on /publiek. axe on each
// screen, at 1280 and 360 px.
// Run alone: `npx vite build && node --test e2e/spreiding.test.mjs`.

import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { after, before, describe, test } from "node:test";
import {
  ARTIFACTS,
  checkAxe,
  launchBrowser,
  NARROW,
  newPage as openPage,
  shot,
  signIn,
  startServer,
  USERS,
  waitReady,
  WIDE,
} from "./harness.mjs";

let server;
let browser;

const newPage = (viewport = WIDE) => openPage(browser, viewport);

before(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  server = await startServer();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

async function checkBothWidths(page, name) {
  await checkAxe(page, `${name} (1280)`);
  await shot(page, `${name}-1280`);
  await page.setViewportSize(NARROW);
  await checkAxe(page, `${name} (360)`);
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  assert.ok(overflow <= 1, `${name}: the page scrolls sideways at 360 px (${overflow} px)`);
  await shot(page, `${name}-360`);
  await page.setViewportSize(WIDE);
}

function unexpected(errors) {
  return errors.filter((e) => !/status of (400|409) /.test(e));
}

describe("spreiding", () => {
  test("a coordinator reads the task and adds a task period", async () => {
    const page = await newPage();
    await signIn(page, server.base, USERS.coordinator, "/spreidingswet");
    await page.getByRole("heading", { level: 1, name: "Spreidingswet" }).waitFor();
    const text = page.getByTestId("spreiding-sentences");
    await text.waitFor();
    assert.match(await text.textContent(), /Heemstede moet 191 opvangplekken regelen tussen/);
    assert.match(await text.textContent(), /Er zijn er nu \d+\./);
    assert.match(await text.textContent(), /Er zijn er nog \d+ gepland\./);
    await page.locator("canvas").first().waitFor();
    const phases = page.getByRole("table", { name: /Plekken per fase/ });
    assert.equal(await phases.locator("tbody tr").count(), 4);
    assert.match(await page.getByTestId("incentive").textContent(), /Verdiend sinds het begin/);
    assert.match(await page.getByTestId("tasks").textContent(), /Staatscourant/);
    await checkBothWidths(page, "spreiding");

    // A period that overlaps the demo's task is refused at its field, in Dutch.
    await page.getByTestId("add-task").click();
    const form = page.getByTestId("task-form");
    await form.getByLabel(/^Eerste dag/).fill("2026-06-01");
    await form.getByLabel(/^Laatste dag/).fill("2027-06-30");
    await form.getByLabel(/^Aantal plekken/).fill("120");
    await form.getByLabel(/^Bron/).fill("Verdeelbesluit provincie Noord-Holland, 2026");
    await form.getByRole("button", { name: "Opslaan" }).click();
    const start = form.locator('[data-field="startsOn"]');
    await start.locator(".utrecht-form-field-error-message").waitFor();
    assert.match(await start.textContent(), /Deze periode overlapt met de taak van/);
    await checkAxe(page, "spreiding-form");
    await shot(page, "spreiding-form");
    // A period after the others is added and listed with its source.
    await form.getByLabel(/^Eerste dag/).fill("2029-01-01");
    await form.getByLabel(/^Laatste dag/).fill("2030-12-31");
    await form.getByRole("button", { name: "Opslaan" }).click();
    await page.getByTestId("edit-task-2029-01-01").waitFor();
    assert.match(await page.getByTestId("tasks").textContent(), /Noord-Holland, 2026/);
    assert.deepEqual(unexpected(page.jsErrors), []);
  });

  test("a viewer reads without the forms; a partner has no Spreidingswet", async () => {
    const page = await newPage();
    await signIn(page, server.base, USERS.viewer, "/spreidingswet");
    await page.getByTestId("spreiding-sentences").waitFor();
    assert.equal(await page.getByTestId("add-task").count(), 0);
    assert.equal(await page.getByRole("button", { name: "Taak wijzigen" }).count(), 0);
    const partner = await newPage();
    await signIn(partner, server.base, USERS.partner);
    const nav = partner.getByRole("navigation", { name: "Hoofdmenu" });
    await nav.waitFor();
    assert.equal(await nav.getByRole("link", { name: "Spreidingswet" }).count(), 0);
  });

  test("residents see how many places Heemstede must provide on /publiek", async () => {
    const page = await newPage();
    await page.goto(`${server.base}/publiek`);
    await waitReady(page);
    const section = page.getByTestId("pub-spreiding");
    await section.waitFor();
    await page.locator('[data-testid="pub-spreiding"][data-loaded="true"]').waitFor();
    const text = await section.textContent();
    assert.match(text, /Hoeveel opvangplekken moet Heemstede regelen\?/);
    assert.match(text, /Heemstede moet 191 opvangplekken regelen/);
    assert.match(text, /Er zijn er nu \d+\./);
    await section.scrollIntoViewIfNeeded();
    await checkBothWidths(page, "spreiding-public");
    assert.deepEqual(unexpected(page.jsErrors), []);
  });
});
