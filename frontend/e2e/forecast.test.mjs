// End-to-end: the forecast and the scenarios on the demo data, in Debian's Chromium.
// Finance opens Prognose (the lead sentence, the legend, the chart and the table with each
// figure's certainty), then Scenario's: compares the demo's two scenarios with the base,
// adds a scenario with a cost change, and is shown its 400 at the field first. Viewer
// reads both screens without the write buttons. axe on each screen at 1280 and 360 px;
// screenshots in e2e/artifacts/. Run alone: `npx vite build && node --test e2e/forecast.test.mjs`.

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

describe("forecast and scenarios", () => {
  test("finance reads the forecast, compares the demo scenarios and adds one", async () => {
    const page = await newPage();
    await signIn(page, server.base, USERS.finance, "/prognose");
    await waitReady(page);
    const box = page.getByTestId("forecast");
    await box.locator("canvas").waitFor();
    const lead = await box.locator(".utrecht-alert").first().textContent();
    assert.match(lead, /budgetneutraal/);
    await page.getByTestId("forecast-legend").waitFor();
    const rows = box.locator("tr[data-quarter]");
    assert.equal(await rows.count(), 9, "2026Q4 to 2028Q4");
    assert.match(
      await box.locator("[data-certainty]").first().textContent(),
      /\((bekend|voorlopig|aangenomen)\)/,
    );
    await checkBothWidths(page, "forecast");

    await page.getByRole("link", { name: "Scenario's bekijken en vergelijken" }).click();
    await page.waitForURL(/\/scenarios$/);
    await waitReady(page);
    const list = page.getByTestId("scenario-list");
    await list.getByText("BOO-GOO-tarief 20 % lager in 2027").waitFor();
    for (const name of [
      "BOO-GOO-tarief 20 % lager in 2027",
      "AMV Heemsteedse Dreef van 20 naar 25 plaatsen vanaf 1-7-2027",
    ]) {
      await page.getByLabel(`Vergelijk ${name}`).check();
    }
    await page.getByTestId("compare").click();
    const compare = page.getByTestId("scenario-compare");
    await compare.locator("tr[data-quarter='2027Q1']").first().waitFor();
    const cells = await compare
      .locator("tr[data-quarter='2027Q1']")
      .first()
      .locator("td")
      .allTextContents();
    assert.equal(cells.length, 5, "base, two scenarios, two differences");
    assert.match(cells[3] ?? "", /-|−/, "20 % less BOO-GOO is less money in 2027Q1");
    await checkBothWidths(page, "scenarios-compare");

    // A new scenario: first a percentage that cannot be read, then a valid cost change.
    await page.getByRole("button", { name: "Nieuw scenario" }).click();
    await page.getByLabel(/^Naam/).first().fill("Meer personeel vanaf 2027");
    await page.getByRole("button", { name: "Wijziging toevoegen" }).click();
    const change = page.getByTestId("change-0");
    await change.getByLabel(/^Soort wijziging/).selectOption("occupancy");
    const fresh = page.getByTestId("change-0");
    await fresh.getByLabel(/^Vanaf/).fill("2027-01-01");
    await fresh.getByLabel(/^Soort locatie/).selectOption("municipal_ukrainian");
    await fresh.getByLabel(/^Bezetting in procent/).fill("120");
    await page.getByRole("button", { name: "Opslaan" }).click();
    await page.getByText("Vul een getal van 0 tot en met 100 in.").first().waitFor();
    await shot(page, "scenarios-form-error");
    await fresh.getByLabel(/^Bezetting in procent/).fill("97,5");
    await page.getByRole("button", { name: "Opslaan" }).click();
    await page.getByText("Het scenario is opgeslagen.").waitFor();
    await list.getByText("Meer personeel vanaf 2027").waitFor();
    await checkBothWidths(page, "scenarios");
    assert.deepEqual(
      page.jsErrors.filter((e) => !/status of 400 /.test(e)),
      [],
    );
  });

  test("viewer reads both screens, without the write buttons", async () => {
    const page = await newPage();
    await signIn(page, server.base, USERS.viewer, "/scenarios");
    await waitReady(page);
    await page
      .getByTestId("scenario-list")
      .getByText("BOO-GOO-tarief 20 % lager in 2027")
      .waitFor();
    assert.equal(await page.getByRole("button", { name: "Nieuw scenario" }).count(), 0);
    assert.equal(await page.getByRole("button", { name: "Wijzig" }).count(), 0);
    await page.getByRole("navigation").getByRole("link", { name: "Prognose" }).click();
    await waitReady(page);
    await page.getByTestId("forecast").locator("canvas").waitFor();
    await checkAxe(page, "forecast (viewer)");
    assert.deepEqual(page.jsErrors, []);
  });
});
