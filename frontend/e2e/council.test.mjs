// End-to-end: the council report (/raadsrapportage) and the public money per quarter
// (/publiek) on the demo data, in Debian's Chromium. A viewer reads the current quarter,
// picks another, prints it (print media) and downloads the DOCX; a partner has no entry
// and is refused; signed out, the public page tells the money per quarter and whether the
// Rijk's money covers the costs. axe at 1280 and 360 px, screenshots in e2e/artifacts.
//
//   cd frontend && npx vite build && node --test e2e/council.test.mjs

import assert from "node:assert/strict";
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
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

const TODAY = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Amsterdam" }).format(new Date());
const YEAR = Number(TODAY.slice(0, 4));
const Q = Math.floor((Number(TODAY.slice(5, 7)) - 1) / 3) + 1;
const PREVIOUS = Q === 1 ? `${YEAR - 1}Q4` : `${YEAR}Q${Q - 1}`;

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
  await shot(page, name);
  await page.setViewportSize(NARROW);
  await checkAxe(page, `${name} (360)`);
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  assert.ok(overflow <= 1, `${name}: the page scrolls sideways at 360 px (${overflow} px)`);
  await shot(page, `${name}-360`);
  await page.setViewportSize(WIDE);
}

const HEADINGS = [
  "Bezetting en capaciteit",
  "Deelnemers",
  "Aankomst en vertrek",
  "Signalen",
  "Activiteiten",
  "Geld: inkomsten en uitgaven",
];

describe("the council report", () => {
  test("a viewer reads, picks a quarter, prints and downloads the DOCX", async () => {
    const page = await newPage();
    await signIn(page, server.base, USERS.viewer, "/overzicht");
    await page.getByTestId("main-nav").getByRole("link", { name: "Raadsrapportage" }).click();
    await page.waitForURL(/\/raadsrapportage/);
    await waitReady(page);
    await page.getByRole("heading", { level: 1, name: "Raadsrapportage" }).waitFor();
    const report = page.getByTestId("council-report");
    await report.getByRole("heading", { level: 2, name: /Raadsinformatiebrief/ }).waitFor();
    for (const name of HEADINGS) {
      await report.getByRole("heading", { level: 2, name, exact: true }).waitFor();
    }
    assert.equal(await page.getByLabel(/^Kwartaal/).inputValue(), `${YEAR}Q${Q}`);
    // Each chart has its table right below it; the occupancy table ends with the total.
    const occupancy = page.getByTestId("council-occupancy");
    assert.ok((await occupancy.locator("canvas").count()) >= 1);
    const lastRow = occupancy.locator("table tbody tr").last();
    assert.match(await lastRow.innerText(), /^Totaal/);
    assert.match(await occupancy.innerText(), /Bezettingsgraad/);
    await checkBothWidths(page, "council-report");

    // Another quarter through the picker.
    await page.getByLabel(/^Kwartaal/).selectOption(PREVIOUS);
    await page.getByRole("button", { name: "Toon", exact: true }).click();
    await page.waitForURL(new RegExp(`quarter=${PREVIOUS}`));
    await waitReady(page);
    await report.getByRole("heading", { level: 2, name: "Signalen", exact: true }).waitFor();

    // On paper: no navigation, no picker, no buttons; the tables are there.
    await page.emulateMedia({ media: "print" });
    assert.equal(await page.getByTestId("main-nav").isVisible(), false);
    assert.equal(await page.getByTestId("council-docx").isVisible(), false);
    assert.ok(await occupancy.locator("table").first().isVisible());
    await shot(page, "council-report-print");
    await page.emulateMedia({ media: "screen" });

    // The DOCX, as the clerk gets it: a zip (PK) under the quarter's name.
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByTestId("council-docx").click(),
    ]);
    assert.equal(download.suggestedFilename(), `raadsinformatiebrief-${PREVIOUS}.docx`);
    const path = join(ARTIFACTS, `raadsinformatiebrief-${PREVIOUS}.docx`);
    await download.saveAs(path);
    assert.equal(readFileSync(path).subarray(0, 2).toString(), "PK");
    await page
      .getByTestId("council-status")
      .getByText(/Gedownload/)
      .waitFor();
    assert.deepEqual(page.jsErrors, []);
    await page.context().close();
  });

  test("a partner has no entry and is refused", async () => {
    const page = await newPage();
    await signIn(page, server.base, USERS.partner);
    assert.equal(
      await page.getByTestId("main-nav").getByRole("link", { name: "Raadsrapportage" }).count(),
      0,
    );
    await page.goto(`${server.base}/raadsrapportage`);
    await page.waitForFunction(() => document.body.dataset.ready === "forbidden");
    await page.context().close();
  });
});

test("the public page tells the money per quarter, signed out", async () => {
  const page = await newPage();
  await page.goto(`${server.base}/publiek`);
  await waitReady(page);
  const quarters = page.getByTestId(`pub-quarters-${YEAR - 1}`);
  await quarters.waitFor();
  const text = await quarters.innerText();
  // A sentence per quarter, then the same figures as a table (four quarters of last year).
  assert.match(text, /1e kwartaal/);
  assert.match(text, /De kosten in 1e kwartaal|De kosten van 1e kwartaal tonen we niet/);
  assert.equal(await quarters.locator("table").first().locator("tbody tr").count(), 4);
  await page.getByTestId("pub-neutral").getByText(/.+/).first().waitFor();
  // And by the forecast, made today: to the end of next year, in one plain sentence.
  const forecast = await page.getByTestId("pub-neutral-forecast").innerText();
  assert.match(forecast, new RegExp(`^En straks\\? .*tot eind ${YEAR + 1}`));
  await page.getByTestId("pub-quarters-" + YEAR).waitFor();
  // Per quarter, the schemes and cost categories behind the totals, folded away; opened
  // here so that axe and the screenshot see them.
  await quarters.locator("details > summary").click();
  await quarters.getByRole("table", { name: /^Kosten in 1e kwartaal/ }).waitFor();
  assert.doesNotMatch(await quarters.innerText(), /Leefgeld/);
  await checkBothWidths(page, "public-money-quarters");
  assert.deepEqual(page.jsErrors, []);
  await page.context().close();
});
