// End-to-end: the public page (/publiek, issue 16 §7) on the demo data, signed out, in
// Debian's Chromium: the story, where (no addresses), the figures, the money, whom to call.
// Screenshots and axe at 1280 and 360 px.
//
//   cd frontend && npx vite build && node --test e2e/public.test.mjs

import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import AxeBuilder from "@axe-core/playwright";
import { ARTIFACTS, launchBrowser, startServer, waitReady } from "./harness.mjs";

const WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];
const WIDTHS = { wide: { width: 1280, height: 900 }, narrow: { width: 360, height: 780 } };

let server;
let browser;

before(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  server = await startServer();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

async function openPublic(viewport, locale = "nl-NL") {
  const context = await browser.newContext({ viewport, locale });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  await page.goto(`${server.base}/publiek`);
  await waitReady(page);
  assert.equal(await page.evaluate(() => document.body.dataset.ready), "public");
  return { context, page, errors };
}

async function axe(page, name) {
  const result = await new AxeBuilder({ page }).withTags(WCAG).analyze();
  const all = await new AxeBuilder({ page }).withRules(["landmark-unique", "region"]).analyze();
  const violations = [...result.violations, ...all.violations];
  const text = violations.map((v) => `${v.id}: ${v.help} (${v.nodes[0]?.target.join(" ")})`);
  assert.deepEqual(text, [], `${name}: axe violations`);
}

for (const [width, viewport] of Object.entries(WIDTHS)) {
  test(`the public page tells the story, signed out (${width})`, async () => {
    const { context, page, errors } = await openPublic(viewport);
    const main = page.locator("main");
    const text = await main.innerText();

    // What and why, in plain words; the formal term explained once.
    await page
      .getByRole("heading", { level: 1, name: "Opvang in Heemstede", exact: true })
      .waitFor();
    assert.match(text, /mensen uit Oekraïne/);
    assert.equal(text.match(/ontheemden/gi)?.length, 1, "the formal term once, explained");
    for (const title of [
      "Wat doet de gemeente?",
      "Waarom doet de gemeente dit?",
      "Waar is de opvang?",
      "Wat doet de gemeente met het geld van het Rijk?",
      "Overlast melden of een vraag stellen",
    ]) {
      await page.getByRole("heading", { level: 2, name: title }).waitFor();
    }

    // Where: kind and postcode area; no address, no location name, host families by count.
    const where = page.getByTestId("pub-where");
    const whereText = await where.innerText();
    assert.match(whereText, /Opvang van de gemeente voor mensen uit Oekraïne/);
    assert.match(whereText, /\b2101\b/);
    assert.match(whereText, /gastgezinnen/);
    // Names only where the municipality chose to tell more: the cards of the locations and
    // candidates it marked public (issue 18). Nowhere else; unmarked ones nowhere at all.
    const told = (
      await page
        .locator('[data-testid="pub-locations"], [data-testid="pub-candidates"]')
        .allInnerTexts()
    ).join("\n");
    let rest = text;
    for (const part of told.split("\n").filter((l) => l.trim())) rest = rest.replace(part, "");
    for (const secret of ["Kerklaan", "Glipperweg", "Heemsteedse Dreef", "Gastgezin ", "2101 HL"]) {
      assert.ok(!whereText.includes(secret), `"Waar is de opvang?" names ${secret}`);
      assert.ok(!rest.includes(secret), `the page names ${secret} outside the public cards`);
    }
    for (const unmarked of ["Glipperweg", "Gastgezin ", "Princehof"]) {
      assert.ok(!text.includes(unmarked), `the page names ${unmarked}, which is not marked public`);
    }

    // Activities on offer are counted as they are (not people): no "minder dan 5" there.
    const offer = await page
      .getByRole("table", { name: "Activiteiten per soort" })
      .locator("tbody tr td:nth-child(2)")
      .allInnerTexts();
    assert.ok(offer.length > 0 && offer.every((n) => /^\d+$/.test(n)), offer.join(","));

    // The money: this year and last, income per scheme, costs per category, the balance.
    const money = page.getByTestId("pub-money");
    assert.equal(await money.locator(".public-money-year").count(), 2);
    const moneyText = await money.innerText();
    assert.match(moneyText, /Geld van het Rijk in \d{4}/);
    assert.match(moneyText, /Kosten in \d{4}/);
    assert.match(moneyText, /€/);
    assert.match(moneyText, /min de kosten/);

    // Whom to call: the municipality's number and website.
    const contact = await page.getByTestId("pub-contact").innerText();
    assert.match(contact, /14 023/);
    assert.match(contact, /112/);
    assert.equal(
      await page.getByTestId("pub-contact-web").getAttribute("href"),
      "https://www.heemstede.nl",
    );
    await page.getByRole("link", { name: "Inloggen voor medewerkers" }).waitFor();

    await page.screenshot({ path: join(ARTIFACTS, `public-${width}.png`), fullPage: true });
    await axe(page, `public ${width}`);
    if (width === "narrow") {
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow}px at 360 px`);
    }
    assert.deepEqual(errors, []);
    await context.close();
  });
}

test("the public page in English", async () => {
  const { context, page, errors } = await openPublic(WIDTHS.wide);
  await page.getByTestId("lang-switch").click();
  await page.waitForFunction(() => document.body.dataset.ready === "public");
  await page.getByRole("heading", { level: 1, name: "Refugee reception in Heemstede" }).waitFor();
  assert.match(await page.locator("main").innerText(), /Report nuisance or ask a question/);
  await axe(page, "public en");
  assert.deepEqual(errors, []);
  await context.close();
});
