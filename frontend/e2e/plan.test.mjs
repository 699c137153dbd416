// End-to-end: the begroting and the capacity plan on the demo data, in Debian's Chromium.
// Finance opens the 2026 begroting (a primitive and a wijziging), reads the reserve in
// sentences, adds an amount to the wijziging and books a reserve mutation; the viewer
// reads the same without forms. The coordinator plans a capacity change, sees the API's
// refusal of a past day at the field in Dutch, removes the change, and sets an occupancy
// assumption. axe (WCAG 2.1 AA) on each screen at 1280 and 360 px, with screenshots.
// Run alone: `npx vite build && node --test e2e/plan.test.mjs`.

import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import {
  ARTIFACTS,
  checkAxe,
  launchBrowser,
  NARROW,
  newPage as openPage,
  signIn,
  USERS,
  waitReady,
  WIDE,
  startServer,
} from "./harness.mjs";

let server;
let browser;

const newPage = () => openPage(browser);

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
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
  await checkAxe(page, `${name} (1280)`);
  await page.setViewportSize(NARROW);
  await checkAxe(page, `${name} (360)`);
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  assert.ok(overflow <= 1, `${name}: the page scrolls sideways at 360 px (${overflow} px)`);
  await page.screenshot({ path: join(ARTIFACTS, `${name}-360.png`), fullPage: true });
  await page.setViewportSize(WIDE);
}

/** Console errors besides the refusals the journey provokes on purpose. */
const unexpected = (errors) => errors.filter((e) => !/status of (400|409) /.test(e));

describe("the begroting", () => {
  test("finance reads 2026, adds an amount and a reserve mutation", async () => {
    const page = await newPage();
    await signIn(page, server.base, USERS.finance, "/begroting?year=2026");
    await page.getByRole("heading", { level: 1, name: "Begroting" }).waitFor();
    const box = page.getByTestId("begroting");
    await box.locator("tr[data-version='1']").waitFor();
    assert.match(await box.locator("tr[data-version='0']").textContent(), /Primitieve begroting/);
    assert.match(await box.locator("tr[data-version='1']").textContent(), /Wijziging 1/);
    await box.locator("canvas").waitFor();
    const reserve = await page.getByTestId("reserve").textContent();
    assert.match(reserve, /Op 1 januari 2026 stond er .* in de reserve\./);
    // 2026 is priced with the assumed 2026 rates: a result, said to be an estimate.
    assert.match(reserve, /Dit jaar houden we .* over\./);
    assert.match(reserve, /Dat is een schatting: het Rijk heeft nog niet alle tarieven/);
    await page
      .getByTestId("lines")
      .getByRole("heading", { name: /Wijziging 1/ })
      .waitFor();
    await checkBothWidths(page, "begroting-finance");

    // An amount for transport in the wijziging: the table of amounts grows by one.
    const lines = page.getByTestId("line-form");
    await lines.getByLabel(/^Soort/).selectOption("expense");
    await lines.getByLabel(/^Kostensoort/).selectOption("transport");
    await lines.getByLabel(/^Bedrag/).fill("1.500,00");
    await lines.getByRole("button", { name: "Bedrag toevoegen" }).click();
    await page.getByTestId("lines-done").getByText("Het bedrag is opgeslagen.").waitFor();
    // The same category again: refused, worded in Dutch at the field.
    await lines.getByLabel(/^Soort/).selectOption("expense");
    await lines.getByLabel(/^Kostensoort/).selectOption("transport");
    await lines.getByLabel(/^Bedrag/).fill("10");
    await lines.getByRole("button", { name: "Bedrag toevoegen" }).click();
    await page.getByText("Hiervoor is al een bedrag in dit besluit.").first().waitFor();

    const mutation = page.getByTestId("mutation-form");
    await mutation.getByLabel(/^Datum/).fill("2026-11-20");
    await mutation.getByLabel(/^Bedrag/).fill("-10.000,00");
    await mutation.getByLabel(/^Omschrijving/).fill("Onttrekking voor taalcursussen");
    await mutation.getByLabel(/^Raadsbesluit/).fill("Raadsbesluit 2026/88 (demo)");
    await mutation.getByRole("button", { name: "Boeken" }).click();
    await page
      .getByTestId("mutation-done")
      .getByText(/is geboekt op de reserve/)
      .waitFor();
    await waitReady(page);
    await page
      .getByTestId("reserve")
      .getByText(/uit de reserve gehaald\./)
      .waitFor();
    assert.deepEqual(unexpected(page.jsErrors), []);
  });

  test("the viewer reads 2025 without forms", async () => {
    const page = await newPage();
    await signIn(page, server.base, USERS.viewer, "/begroting?year=2025");
    await page.getByTestId("reserve").waitFor();
    const reserve = await page.getByTestId("reserve").textContent();
    assert.match(reserve, /Op 1 januari 2025 stond er €\s0,00 in de reserve\./);
    assert.match(reserve, /De raad heeft dit jaar €\s250\.000,00 in de reserve gestort\./);
    assert.match(reserve, /Aan het eind van 2025 staat er dan .* in de reserve\./);
    assert.equal(await page.getByTestId("mutation-form").count(), 0);
    await checkBothWidths(page, "begroting-viewer");
    assert.deepEqual(unexpected(page.jsErrors), []);
  });
});

describe("the capacity plan", () => {
  test("the coordinator plans, is refused a past day, removes, and sets an occupancy", async () => {
    const page = await newPage();
    await signIn(page, server.base, USERS.coordinator, "/capaciteitsplan");
    const list = page.getByTestId("plan-list");
    await list.locator("tr[data-plan]").first().waitFor();
    // plan.py's two GOO changes and the AMV's growth of the Spreidingswet demo.
    assert.equal(await list.locator("tr[data-plan]").count(), 3);
    assert.match(await list.textContent(), /GOO Princehof.*Sluiting/s);
    await checkBothWidths(page, "capaciteitsplan");

    const form = page.getByTestId("plan-form");
    await form.getByLabel(/^Locatie/).selectOption({ label: "GOO Kerklaan" });
    await form.getByLabel(/^Wat/).selectOption("capacity");
    await form.getByLabel(/^Vanaf/).fill("2020-01-01");
    await form.getByLabel(/^Plekken/).fill("44");
    await form.getByRole("button", { name: "Verandering plannen" }).click();
    await page.getByText("Kies een dag na vandaag.").first().waitFor();
    await form.getByLabel(/^Vanaf/).fill("2027-05-01");
    await form.getByRole("button", { name: "Verandering plannen" }).click();
    await page.getByTestId("plan-done").getByText("De verandering is opgeslagen.").waitFor();
    await list.locator("tr[data-plan]").nth(3).waitFor();
    await page.getByRole("button", { name: /Verwijder de verandering van GOO Kerklaan/ }).click();
    await page.getByTestId("plan-done").getByText("De verandering is verwijderd.").waitFor();

    const occ = page.getByTestId("assumption-form");
    await occ.getByLabel(/^Locatie/).selectOption({ label: "GOO Kerklaan" });
    await occ.getByLabel(/^Bezetting/).fill("97");
    await occ.getByLabel(/^Toelichting/).fill("Wachtlijst COA");
    await occ.getByRole("button", { name: "Bezetting instellen" }).click();
    await page.getByTestId("assumption-done").getByText("De bezetting is ingesteld.").waitFor();
    await page.getByTestId("assumptions").getByText("Wachtlijst COA").waitFor();
    await checkBothWidths(page, "capaciteitsplan-after");
    assert.deepEqual(unexpected(page.jsErrors), []);
  });

  test("finance reads the plan and may set an occupancy, not plan", async () => {
    const page = await newPage();
    await signIn(page, server.base, USERS.finance, "/capaciteitsplan");
    await page.getByTestId("plan-list").locator("tr[data-plan]").first().waitFor();
    assert.equal(await page.getByTestId("plan-form").count(), 0);
    assert.equal(await page.getByRole("button", { name: /Verwijder de verandering/ }).count(), 0);
    await page.getByTestId("assumption-form").waitFor();
    await checkBothWidths(page, "capaciteitsplan-finance");
    assert.deepEqual(unexpected(page.jsErrors), []);
  });
});
