// End-to-end: the Doelen screen on the demo data, in Debian's Chromium. A coordinator
// reads the goals (sentences, a chart with the target line, the table beside it), adds a
// goal and an indicator with a target (the API's refusal of 0 days shows at its field in
// Dutch), a viewer reads without the forms, a partner has no Doelen, and residents see
// the public goals on /publiek. axe on each screen, at 1280 and 360 px.
// Run alone: `npx vite build && node --test e2e/goals.test.mjs`.

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

describe("goals", () => {
  test("a coordinator reads the goals and adds a goal with an indicator and a target", async () => {
    const page = await newPage();
    await signIn(page, server.base, USERS.coordinator, "/doelen");
    await page.getByRole("heading", { level: 1, name: "Doelen" }).waitFor();
    const language = page.locator("section.goal", {
      has: page.getByRole("heading", { level: 2, name: "Nederlands leren" }),
    });
    await language.waitFor();
    const b1 = language.locator("article.indicator").first();
    assert.match(await b1.textContent(), /kwartaal van 20\d\d had \d+(,\d)?% van de deelnemers/);
    assert.match(await b1.textContent(), /Het doel voor 20\d\d is \d+%\./);
    await b1.locator("canvas").waitFor();
    assert.equal(await b1.getByRole("table").count(), 1);
    await checkBothWidths(page, "goals");

    // A new goal: nothing filled in is refused at the fields, in Dutch.
    await page.getByTestId("add-goal").click();
    const goalForm = page.getByTestId("goal-form");
    await goalForm.getByRole("button", { name: "Opslaan" }).click();
    await goalForm.locator(".utrecht-alert--error").waitFor();
    await goalForm.getByLabel(/^Naam/).fill("Meedoen in de buurt");
    await goalForm.getByLabel(/^Thema/).selectOption("participation");
    await goalForm.getByRole("button", { name: "Opslaan" }).click();
    const mine = page.locator("section.goal", {
      has: page.getByRole("heading", { level: 2, name: "Meedoen in de buurt" }),
    });
    await mine.waitFor();
    assert.match(await mine.textContent(), /nog geen meetpunten/);

    // Its indicator: signals resolved within N days; 0 days is the API's 400, worded.
    await mine.getByRole("button", { name: "Meetpunt toevoegen" }).click();
    const form = page.getByTestId("indicator-form");
    await form.getByLabel(/^Naam/).fill("Signalen binnen twee weken opgelost");
    await form.getByLabel(/^Wat meten we/).selectOption("signals_resolved_within");
    await form.getByLabel(/^Aantal dagen/).fill("0");
    const thisYear = new Date().getFullYear();
    await form.getByLabel(`Doel voor ${thisYear}, in procenten`).fill("80");
    await form.getByRole("button", { name: "Opslaan" }).click();
    const days = form.locator('[data-field="params.days"]');
    await days.locator(".utrecht-form-field-error-message").waitFor();
    assert.match(await days.textContent(), /Vul een aantal dagen in van 1 tot en met 365/);
    await checkAxe(page, "goals-indicator-form");
    await shot(page, "goals-indicator-form");
    await form.getByLabel(/^Aantal dagen/).fill("14");
    await form.getByRole("button", { name: "Opslaan" }).click();
    const added = mine.locator("article.indicator");
    await added.waitFor();
    assert.match(await added.textContent(), /binnen 14 dagen opgelost|geen cijfer/);
    assert.match(await added.textContent(), new RegExp(`Het doel voor ${thisYear} is 80%`));
    assert.deepEqual(unexpected(page.jsErrors), []);
  });

  test("a viewer reads without the forms; a partner has no Doelen", async () => {
    const page = await newPage();
    await signIn(page, server.base, USERS.viewer, "/doelen");
    await page.getByRole("heading", { level: 1, name: "Doelen" }).waitFor();
    await page.locator("article.indicator").first().waitFor();
    assert.equal(await page.getByTestId("add-goal").count(), 0);
    assert.equal(await page.getByRole("button", { name: "Wijzigen" }).count(), 0);
    const partner = await newPage();
    await signIn(partner, server.base, USERS.partner);
    const nav = partner.getByRole("navigation", { name: "Hoofdmenu" });
    await nav.waitFor();
    assert.equal(await nav.getByRole("link", { name: "Doelen" }).count(), 0);
  });

  test("residents see the public goals on /publiek", async () => {
    const page = await newPage();
    await page.goto(`${server.base}/publiek`);
    await waitReady(page);
    const section = page.getByTestId("pub-goals");
    await section.waitFor();
    assert.match(await section.textContent(), /Hoe gaat het met de doelen\?/);
    assert.match(await section.textContent(), /Nederlands leren/);
    // Only public goals: education is not public in the demo.
    assert.doesNotMatch(await section.textContent(), /Onderwijs \(/);
    await section.scrollIntoViewIfNeeded();
    await checkBothWidths(page, "goals-public");
    assert.deepEqual(unexpected(page.jsErrors), []);
  });
});
