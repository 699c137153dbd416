// End-to-end: the Locatiezoektocht on the demo data, in Debian's Chromium. A coordinator
// reads the candidates (best score first), adds a candidate, scores it on every criterion
// and reads the total in a sentence, moves it to investigation, and is told in Dutch
// which moves there are when a move is refused; a viewer reads the Dreef's page (score,
// history) without the forms; a partner has no Locatiezoektocht. axe at 1280 and 360 px.
// Run alone: `npx vite build && node --test e2e/pipeline.test.mjs`.

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

function unexpected(errors) {
  return errors.filter((e) => !/status of (400|409) /.test(e));
}

describe("pipeline", () => {
  test("a coordinator adds a candidate, scores it, moves it, and meets a refused move", async () => {
    const page = await newPage();
    await signIn(page, server.base, USERS.coordinator, "/locatiezoektocht");
    await page.getByRole("heading", { level: 1, name: "Locatiezoektocht" }).waitFor();
    const table = page.getByRole("table");
    await table.waitFor();
    const firstRow = table.locator("tbody tr").first();
    assert.match(await firstRow.textContent(), /Heemsteedse Dreef 156/);
    assert.match(await firstRow.textContent(), /Besluit genomen/);
    assert.match(await firstRow.textContent(), /3,8/);
    await checkBothWidths(page, "pipeline");

    // A new candidate: an empty name is refused at the field, in Dutch.
    await page.getByTestId("add-candidate").click();
    const form = page.getByTestId("candidate-form");
    await form.getByLabel(/^Soort opvang/).selectOption("amv_small_scale");
    await form.getByRole("button", { name: "Opslaan" }).click();
    await form.locator(".utrecht-alert--error").waitFor();
    await form.getByLabel(/^Naam/).fill("Pand aan de Binnenweg");
    await form.getByLabel(/^Adres of gebied/).fill("Binnenweg (centrum)");
    await form.getByLabel(/^Aantal plekken/).fill("12");
    await form.getByRole("button", { name: "Opslaan" }).click();
    await page.getByRole("heading", { level: 1, name: "Pand aan de Binnenweg" }).waitFor();
    const sentence = page.getByTestId("score-sentence");
    assert.match(await sentence.textContent(), /nog geen score/);

    // Scores on every criterion: all 4 -> the weighted total is 4,0.
    await page.getByTestId("score").click();
    const scores = page.getByTestId("score-form");
    await scores.waitFor();
    const selects = scores.locator("select");
    const n = await selects.count();
    assert.ok(n >= 5, `expected the council's criteria, found ${n}`);
    for (let i = 0; i < n; i += 1) await selects.nth(i).selectOption(i === 0 ? "2" : "4");
    await scores.getByRole("button", { name: "Opslaan" }).click();
    await page
      .getByText(/Deze locatie scoort \d,\d van de 5 op de criteria van de raad\./)
      .waitFor();
    assert.match(await sentence.textContent(), /scoort 3,\d van de 5/);
    const scoreTable = page.getByRole("table", { name: "Gewicht en score per criterium" });
    assert.equal(await scoreTable.locator("tbody tr").count(), n);

    // To investigation (the form offers the next stage), dated today.
    await page.getByTestId("move-stage").click();
    const move = page.getByTestId("move-form");
    await move.getByLabel(/^Waarom/).fill("Eerste gesprek met de eigenaar");
    await move.getByRole("button", { name: "Opslaan" }).click();
    const history = page.getByRole("list", { name: /De stappen van deze locatie/ });
    await history.locator('[data-stage="investigation"]').waitFor();
    assert.match(await history.textContent(), /Idee.*Onderzoek/s);

    // Straight to decided is refused; the message names the moves there are.
    await page.getByTestId("move-stage").click();
    await move.getByLabel(/^Nieuwe stap/).selectOption("decided");
    await move.getByRole("button", { name: "Opslaan" }).click();
    const alert = move.locator(".utrecht-alert--error");
    await alert.waitFor();
    assert.match(
      await alert.textContent(),
      /Deze stap kan niet\. Vanaf 'Onderzoek' kan de locatie alleen naar: Voorstel aan de raad, Afgewezen, Ingetrokken\./,
    );
    await checkBothWidths(page, "pipeline-candidate");
    assert.deepEqual(unexpected(page.jsErrors), []);
  });

  test("a viewer reads the Dreef's page and the criteria without the forms", async () => {
    const page = await newPage();
    await signIn(page, server.base, USERS.viewer, "/locatiezoektocht");
    await page.getByRole("link", { name: "Heemsteedse Dreef 156" }).first().click();
    await page.getByRole("heading", { level: 1, name: "Heemsteedse Dreef 156" }).waitFor();
    const sentence = page.getByTestId("score-sentence");
    await sentence.waitFor();
    assert.match(
      await sentence.textContent(),
      /Deze locatie scoort 3,8 van de 5 op de criteria van de raad\./,
    );
    const history = page.getByRole("list", { name: /De stappen van deze locatie/ });
    assert.equal(await history.locator("li").count(), 4);
    assert.match(await history.textContent(), /13 juli 2023|13-07-2023|13 jul/);
    assert.equal(await page.getByTestId("move-stage").count(), 0);
    assert.equal(await page.getByTestId("score").count(), 0);
    await checkBothWidths(page, "pipeline-viewer");
    await page.goto(`${server.base}/locatiezoektocht/criteria`);
    await page.getByRole("heading", { level: 1, name: "Criteria van de raad" }).waitFor();
    await page.getByRole("table").waitFor();
    assert.equal(await page.getByTestId("add-criterion").count(), 0);
    await checkBothWidths(page, "pipeline-criteria");
    const partner = await newPage();
    await signIn(partner, server.base, USERS.partner);
    const nav = partner.getByRole("navigation", { name: "Hoofdmenu" });
    await nav.waitFor();
    assert.equal(await nav.getByRole("link", { name: "Locatiezoektocht" }).count(), 0);
    assert.deepEqual(unexpected(page.jsErrors), []);
  });
});
