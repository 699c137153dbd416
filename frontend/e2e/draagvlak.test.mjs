// End-to-end: the Draagvlak screen on the demo data, in Debian's Chromium. A coordinator
// opens Draagvlak from the menu, reads the list of locations and opens the Dreef's view:
// sentences, a chart of signals per month with its table, resolution per month, beside
// the agreements, meetings and conditions. A viewer reads it too; the COA partner sees
// only the locations it operates; a signal's page shows its due date. axe on each screen,
// at 1280 and 360 px. Run alone: `npx vite build && node --test e2e/draagvlak.test.mjs`.

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

const DREEF = "AMV Heemsteedse Dreef 156";

describe("draagvlak", () => {
  test("a coordinator opens the list and the Dreef's view with chart and tables", async () => {
    const page = await newPage();
    await signIn(page, server.base, USERS.coordinator);
    const nav = page.getByRole("navigation", { name: "Hoofdmenu" });
    await nav.getByRole("link", { name: "Draagvlak" }).click();
    await page.getByRole("heading", { level: 1, name: "Draagvlak" }).waitFor();
    const list = page.getByTestId("draagvlak-list").getByRole("table");
    await list.waitFor();
    assert.ok((await list.locator("tbody tr").count()) >= 5, "one row per location");
    await checkBothWidths(page, "draagvlak-list");

    await list.getByRole("link", { name: DREEF }).click();
    await page.getByRole("heading", { level: 1, name: `Draagvlak: ${DREEF}` }).waitFor();
    const say = page.getByTestId("draagvlak-say");
    assert.match(
      await say.textContent(),
      /(Signalen in de laatste 3 maanden: \d+|In de laatste 6 maanden kwamen er geen signalen binnen)/,
    );
    assert.match(
      await say.textContent(),
      /Signalen die nu open staan: \d+\. Daarvan te laat: \d+\./,
    );
    const view = page.getByTestId("draagvlak-view");
    await view.locator("canvas").waitFor();
    const chartTable = view.getByRole("table", { name: "Signalen per maand, per soort" });
    assert.equal(await chartTable.locator("tbody tr").count(), 12, "12 months in the table");
    const resolution = view.getByRole("table", { name: "Afhandeling van signalen per maand" });
    assert.equal(await resolution.locator("tbody tr").count(), 12);
    for (const name of [
      "Open afspraken met de buurt",
      "Laatste overleggen",
      "Voorwaarden uit het besluit",
    ]) {
      await view.getByRole("heading", { level: 2, name }).waitFor();
    }
    await checkBothWidths(page, "draagvlak-dreef");
    assert.deepEqual(page.jsErrors, []);
  });

  test("a viewer reads; the COA partner sees only its own locations", async () => {
    const viewer = await newPage();
    await signIn(viewer, server.base, USERS.viewer, "/draagvlak");
    const list = viewer.getByTestId("draagvlak-list").getByRole("table");
    await list.waitFor();
    const all = await list.locator("tbody tr").count();
    await list.getByRole("link", { name: DREEF }).click();
    await viewer.getByTestId("draagvlak-view").locator("canvas").waitFor();
    await checkAxe(viewer, "draagvlak-viewer");

    const partner = await newPage();
    await signIn(partner, server.base, USERS.partner, "/draagvlak");
    const mine = partner.getByTestId("draagvlak-list").getByRole("table");
    await mine.waitFor();
    const names = await mine.locator("tbody tr th").allTextContents();
    assert.ok(names.includes(DREEF), "COA operates the Dreef");
    assert.ok(names.length < all, "and not every location");
    assert.ok(!names.some((n) => n.startsWith("GOO ")), "the municipality's GOO are not COA's");
    await mine.getByRole("link", { name: DREEF }).click();
    await partner.getByTestId("draagvlak-view").locator("canvas").waitFor();
    await checkAxe(partner, "draagvlak-partner");
    await shot(partner, "draagvlak-partner-1280");
  });

  test("the signals list and a signal's page show the due date", async () => {
    const page = await newPage();
    await signIn(page, server.base, USERS.coordinator, "/signalen?overdue=true");
    const table = page.getByRole("table").first();
    await table.waitFor();
    await table.getByRole("columnheader", { name: /Uiterlijk klaar op/ }).waitFor();
    await table.locator("tbody tr a").first().click();
    const state = page.getByTestId("signal-state");
    await state.waitFor();
    assert.match(await state.textContent(), /Uiterlijk klaar op /);
    await page.locator(".overdue-badge").first().waitFor();
    await checkAxe(page, "signal-due");
    await shot(page, "signal-due-1280");
  });
});
