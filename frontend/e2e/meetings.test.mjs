// End-to-end: Buurt en bewoners on the demo data, in Debian's Chromium. A coordinator reads
// the meetings, agreements and communications, adds a meeting with an agreement (a BSN in
// the summary is refused at the field, in Dutch), and sees the overdue agreements on the
// overview and the location page; the partner COA marks its own agreement done with a
// note; a viewer reads without the forms. axe and screenshots at 1280 and 360 px.
// Run alone: `npx vite build && node --test e2e/meetings.test.mjs`.

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
const DREEF = "AMV Heemsteedse Dreef 156";
const COA_AGREEMENT = "De buren informeren over de vaste contactpersoon van de locatie.";

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
  return errors.filter((e) => !/status of (400|403|409) /.test(e));
}

describe("meetings", () => {
  test("a coordinator reads the neighbourhood and adds a meeting with an agreement", async () => {
    const page = await newPage();
    await signIn(page, server.base, USERS.coordinator, "/buurt");
    await page.getByRole("heading", { level: 1, name: "Buurt en bewoners" }).waitFor();
    const meetings = page.getByTestId("nb-meetings");
    await meetings.locator("article.meeting").first().waitFor();
    assert.match(await meetings.textContent(), /Buurtoverleg/);
    assert.match(await meetings.textContent(), /Klankbordgroep/);
    const agreements = page.getByTestId("agreements");
    await agreements.locator("article.agreement--overdue").first().waitFor();
    assert.match(await page.getByTestId("nb-communications").textContent(), /Brief/);
    await checkBothWidths(page, "neighbourhood");

    // A new meeting: a BSN in the summary is refused at the summary, in Dutch.
    await page.getByTestId("add-meeting").click();
    const form = page.getByTestId("meeting-form");
    await form.getByLabel(/^Datum/).fill("2026-11-20");
    await form.getByLabel(/^Soort bijeenkomst/).selectOption("neighbourhood_meeting");
    await form.getByLabel(/^Locatie/).selectOption({ label: DREEF });
    await form.getByLabel(/^Bewoners aanwezig/).fill("17");
    await form.getByLabel("Nidos").check();
    await form.getByLabel(/^Samenvatting/).fill("Mevrouw met BSN 111222333 vroeg naar de avonden.");
    await form.getByLabel(/^Afspraak 1/).fill("Buurtapp voor de Dreef opzetten.");
    await form.getByRole("button", { name: "Opslaan" }).click();
    const summaryField = form.locator('[data-field="summary"]');
    await summaryField.locator(".utrecht-form-field-error-message").waitFor();
    assert.match(await summaryField.textContent(), /op een BSN lijkt/);
    await checkAxe(page, "neighbourhood-meeting-form");
    await shot(page, "neighbourhood-meeting-form");
    await form.getByLabel(/^Samenvatting/).fill("Vragen over de avonden; een buurtapp gevraagd.");
    await form.getByRole("button", { name: "Opslaan" }).click();
    await page.getByText("Vragen over de avonden; een buurtapp gevraagd.").waitFor();
    await agreements.getByText("Buurtapp voor de Dreef opzetten.").waitFor();

    // The overview names the overdue agreements; the location page shows its section.
    await page.goto(`${server.base}/overzicht`);
    await waitReady(page);
    const card = page.getByTestId("overdue-agreements");
    await card.locator("li").first().waitFor();
    assert.match(await card.textContent(), /afspraken zijn te laat|afspraak is te laat/);
    await checkAxe(page, "overview-overdue-agreements", {
      include: ['[data-testid="overdue-agreements"]'],
    });
    await card.getByRole("link", { name: /Alle afspraken die te laat zijn/ }).click();
    await page.getByTestId("agreements").locator("article.agreement").first().waitFor();
    assert.equal(
      await page.getByTestId("agreements").locator("article:not(.agreement--overdue)").count(),
      0,
    );
    await page.goto(`${server.base}/locaties`);
    await waitReady(page);
    await page.getByRole("link", { name: DREEF }).first().click();
    const section = page.getByTestId("location-meetings");
    await section.getByTestId("loc-agreements").waitFor();
    await checkAxe(page, "location-meetings", { include: ['[data-testid="location-meetings"]'] });
    await section.getByRole("link", { name: /Alles over de buurt/ }).click();
    await page.getByText(/U ziet alleen wat over AMV Heemsteedse Dreef 156 gaat/).waitFor();
    assert.deepEqual(unexpected(page.jsErrors), []);
  });

  test("the partner marks its own agreement done with a note", async () => {
    const page = await newPage();
    await signIn(page, server.base, USERS.partner, "/buurt");
    await page.getByRole("heading", { level: 1, name: "Buurt en bewoners" }).waitFor();
    assert.equal(await page.getByTestId("nb-communications").count(), 0);
    assert.equal(await page.getByTestId("add-meeting").count(), 0);
    const own = page.locator("article.agreement", { hasText: COA_AGREEMENT });
    await own.waitFor();
    assert.match(await own.textContent(), /Deze afspraak is van uw organisatie/);
    await checkBothWidths(page, "neighbourhood-partner");
    await own.locator("summary").click();
    const manage = own.getByTestId("agreement-manage");
    await manage.getByLabel(/^Stand wijzigen/).selectOption("done");
    await manage.getByLabel(/^Nieuwe notitie/).fill("Contactpersoon staat in de nieuwsbrief.");
    await manage.getByRole("button", { name: "Opslaan" }).click();
    // Drawn again: done is not open, so the filter "Klaar" shows it.
    await page.getByLabel("Welke afspraken").selectOption("done");
    const done = page.locator("article.agreement", { hasText: COA_AGREEMENT });
    await done.waitFor();
    assert.match(await done.textContent(), /Klaar/);
    await done.locator("summary").click();
    await done.getByText("Contactpersoon staat in de nieuwsbrief.").waitFor();
    // Another's agreement: no status or note form.
    await page.getByLabel("Welke afspraken").selectOption("all");
    const staffs = page.locator("article.agreement", { hasText: "Extra verlichting" });
    await staffs.locator("summary").click();
    assert.equal(await staffs.getByTestId("agreement-manage").count(), 0);
    assert.deepEqual(unexpected(page.jsErrors), []);
  });

  test("a viewer reads without the forms", async () => {
    const page = await newPage();
    await signIn(page, server.base, USERS.viewer, "/buurt");
    await page.getByRole("heading", { level: 1, name: "Buurt en bewoners" }).waitFor();
    await page.getByTestId("nb-meetings").locator("article.meeting").first().waitFor();
    await page.getByTestId("nb-communications").waitFor();
    assert.equal(await page.getByTestId("add-meeting").count(), 0);
    assert.equal(await page.getByTestId("add-communication").count(), 0);
    await page.locator("article.agreement summary").first().click();
    assert.equal(await page.getByTestId("agreement-manage").count(), 0);
    await checkBothWidths(page, "neighbourhood-viewer");
    assert.deepEqual(unexpected(page.jsErrors), []);
  });
});
