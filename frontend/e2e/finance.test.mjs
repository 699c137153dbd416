// End-to-end: finance's quarter end on the demo data, in Debian's Chromium. The demo's
// published rates end with 2025 (2026's are only assumed), so this year's quarters have no
// published rate: finance adds the rate (it supersedes the assumed one) for
// the current quarter, computes the draft from "Te declareren", submits it after the
// confirmation, is refused a second draft for the filed quarter, and downloads the XLSX
// (opened with ExcelJS: sheet names and one claim line) and the CSV.
// Run alone: `npx vite build && node --test e2e/finance.test.mjs`.

import assert from "node:assert/strict";
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import ExcelJS from "exceljs";
import {
  ARTIFACTS,
  checkAxe,
  DEMO_PASSWORD,
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

// The current quarter on Heemstede's calendar (the API's "today").
const TODAY = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Amsterdam" }).format(new Date());
const YEAR = Number(TODAY.slice(0, 4));
const Q = Math.floor((Number(TODAY.slice(5, 7)) - 1) / 3) + 1;
const pad = (n) => String(n).padStart(2, "0");
const Q_START = `${YEAR}-${pad(Q * 3 - 2)}-01`;
const Q_END = `${YEAR}-${pad(Q * 3)}-${Q === 1 || Q === 4 ? 31 : 30}`;
const SCHEME = "BOO-GOO";
const ROW = `tr[data-quarter="${SCHEME}:${Q_START}"]`;

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

/** At both widths: axe, and the page itself does not scroll sideways at 360 px. */
async function checkBothWidths(page, name) {
  await checkAxe(page, `${name} (1280)`);
  await page.setViewportSize(NARROW);
  await checkAxe(page, `${name} (360)`);
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  assert.ok(overflow <= 1, `${name}: the page scrolls sideways at 360 px (${overflow} px)`);
  await shot(page, `${name}-360`);
  await page.setViewportSize(WIDE);
}

/** Console errors besides the refusals this journey provokes on purpose. */
function unexpected(errors) {
  return errors.filter((e) => !/status of (400|409) /.test(e));
}

async function api(path) {
  const r = await fetch(`${server.base}/api/v1/auth/token`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "password",
      username: USERS.finance,
      password: DEMO_PASSWORD,
    }).toString(),
  });
  const token = (await r.json()).access_token;
  const answer = await fetch(`${server.base}/api/v1${path}`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  assert.equal(answer.status, 200, path);
  return answer.json();
}

describe("finance's quarter end", () => {
  test("add the rate, draft and submit the quarter's claim, download the XLSX and CSV", async () => {
    const page = await newPage();
    await signIn(page, server.base, USERS.finance, "/financien");
    // Opens on the current year, with "Te declareren" first.
    await page.getByRole("heading", { level: 2, name: "Te declareren" }).waitFor();
    assert.equal(await page.getByLabel(/^Jaar/).first().inputValue(), String(YEAR));
    const row = page.locator(ROW);
    await row.waitFor();
    assert.equal(await row.getAttribute("data-action"), "addRate");
    assert.match(await row.textContent(), /Opvang Oekraïners in gemeentelijke opvang/);
    assert.match(await row.textContent(), /Voor .* is er geen tarief van/);
    await page.getByTestId("budget").locator("canvas").waitFor();
    // The demo's 2026 rates are assumed (not published): the budget marks them provisional.
    await page.getByTestId("budget-provisional").waitFor();
    await shot(page, "finance-claimable-no-rate");
    await checkBothWidths(page, "finance-claimable");

    // 1. The missing rate: the link opens the form with the scheme and the days filled in.
    await row.locator(`a[data-add-rate="${SCHEME}"]`).first().click();
    await page.waitForURL(/\/financien\/tarieven\?regeling=BOO-GOO/);
    await waitReady(page);
    const form = page.getByTestId("rate-form");
    assert.equal(await form.getByLabel(/^Regeling/).inputValue(), SCHEME);
    assert.equal(await form.getByLabel(/^Geldig vanaf/).inputValue(), Q_START);
    assert.equal(await form.getByLabel(/^Geldig tot en met/).inputValue(), Q_END);
    // Without a source and its date the form says so at the fields.
    await form.getByLabel(/^Bedrag/).fill("44,00");
    await form.getByRole("button", { name: "Tarief opslaan" }).click();
    await form.locator('[data-field="source"] .utrecht-form-field-error-message').waitFor();
    await form.locator('[data-field="publishedOn"] .utrecht-form-field-error-message').waitFor();
    await checkAxe(page, "rate form with errors");
    await form.getByLabel(/^Bron/).fill("Staatscourant 2026, 99999 (e2e)");
    await form.getByLabel(/^Datum van de bron/).fill(`${YEAR}-09-15`);
    await form.getByRole("button", { name: "Tarief opslaan" }).click();
    await page
      .getByTestId("rate-done")
      .getByText(/Het tarief van €\s44,00 voor .* is opgeslagen/)
      .waitFor();
    const rates = await api(`/reimbursement-schemes/${SCHEME}/rates`);
    const added = rates.items.find((r) => r.validFrom === Q_START);
    assert.deepEqual(
      [added.validTo, added.amount, added.source, added.publishedOn],
      [Q_END, "44.00", "Staatscourant 2026, 99999 (e2e)", `${YEAR}-09-15`],
    );
    await page
      .locator(`[data-scheme="${SCHEME}"]`)
      .getByText("Staatscourant 2026, 99999")
      .waitFor();
    await shot(page, "finance-rate-added");
    await checkBothWidths(page, "finance-rates");

    // 2. Back to "Te declareren": the quarter can be computed now, in one click.
    await page.getByRole("link", { name: "Terug naar Te declareren" }).click();
    await page.waitForURL(/\/financien\?year=/);
    await page.locator(ROW).waitFor();
    assert.equal(await page.locator(ROW).getAttribute("data-action"), "draft");
    await page
      .locator(ROW)
      .getByRole("button", { name: /^Concept berekenen/ })
      .click();
    await page.waitForURL(/\/financien\/declaraties\/[0-9a-f-]{36}\?created=1/);
    await waitReady(page);
    const id = page.url().match(/declaraties\/([0-9a-f-]{36})/)[1];
    assert.equal(await page.getByTestId("claim-status").textContent(), "Concept");
    const claim = await api(`/reimbursement-claims/${id}`);
    assert.deepEqual(
      [claim.schemeCode, claim.periodStart, claim.periodEnd],
      [SCHEME, Q_START, Q_END],
    );
    assert.ok(Number(claim.totalAmount) > 0, "the demo's GOO places are paid for");

    // 3. Submit asks first; cancelling changes nothing and gives the focus back.
    const submit = page.locator('[data-move="submit"]');
    await submit.click();
    const dialog = page.getByRole("dialog", { name: "Declaratie indienen?" });
    await dialog.waitFor();
    assert.match(await dialog.textContent(), /Daarna liggen de regels en het bedrag vast/);
    assert.equal(await page.evaluate(() => document.activeElement?.dataset.confirm), "no");
    await checkAxe(page, "submit confirmation");
    await page.screenshot({ path: join(ARTIFACTS, "finance-confirm-submit.png") });
    await dialog.getByRole("button", { name: "Annuleren" }).click();
    await dialog.waitFor({ state: "detached" });
    assert.equal(await page.evaluate(() => document.activeElement?.dataset.move), "submit");
    assert.equal((await api(`/reimbursement-claims/${id}`)).status, "draft");
    await submit.click();
    await page.getByRole("dialog").getByRole("button", { name: "Ja, indienen" }).click();
    await page.getByTestId("claim-done").getByText("De declaratie is nu: Ingediend.").waitFor();
    assert.equal((await api(`/reimbursement-claims/${id}`)).status, "submitted");
    await shot(page, "finance-claim-submitted");
    await checkBothWidths(page, "finance-claim-submitted");

    // 4. A second draft for the filed quarter is refused when drafted, in Dutch.
    await page.getByRole("link", { name: "Terug naar financiën" }).click();
    await page.waitForURL(/\/financien$/);
    await page.locator(ROW).waitFor();
    const claimForm = page.getByTestId("claim-form");
    await claimForm.getByLabel(/^Regeling/).selectOption(SCHEME);
    await claimForm.getByLabel(/^Begin periode/).fill(Q_START);
    await claimForm.getByLabel(/^Einde periode/).fill(Q_END);
    await claimForm.getByRole("button", { name: "Concept berekenen" }).click();
    await claimForm
      .locator('[data-field="periodStart"] .utrecht-form-field-error-message')
      .getByText(/al een declaratie ingediend/)
      .waitFor();
    const filedLink = page.getByTestId("claim-help").getByRole("link", {
      name: "Open de ingediende declaratie",
    });
    assert.equal(await filedLink.getAttribute("href"), `/financien/declaraties/${id}`);
    await checkAxe(page, "second draft refused");
    await shot(page, "finance-draft-refused");
    const listed = page.locator(ROW);
    assert.equal(await listed.getAttribute("data-action"), "open");
    assert.match(await listed.textContent(), /Ingediend/);

    // 5. The XLSX: Dutch sheets, and the claim's line location x period x units x rate.
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByTestId("download-xlsx").click(),
    ]);
    assert.equal(download.suggestedFilename(), `opvang-budget-${YEAR}.xlsx`);
    const path = join(ARTIFACTS, `download-budget-${YEAR}.xlsx`);
    await download.saveAs(path);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(path);
    assert.deepEqual(
      book.worksheets.map((ws) => ws.name),
      [
        "Samenvatting",
        "Regelingen",
        "Uitgaven per categorie",
        "Declaraties",
        "Declaratieregels",
        "Uitgavenboekingen",
      ],
    );
    const lines = book.getWorksheet("Declaratieregels");
    assert.deepEqual(lines.getRow(4).values.slice(1, 13), [
      "Regeling", "Begin periode", "Einde periode", "Status", "Correctie", "Locatie", "Van",
      "Tot en met", "Eenheden", "Eenheid", "Tarief", "Bedrag",
    ]); // prettier-ignore
    const iso = (d) => (d instanceof Date ? d.toISOString().slice(0, 10) : d);
    const ours = [];
    lines.eachRow((r, n) => {
      const v = r.values;
      if (n > 4 && v[1] === SCHEME && iso(v[2]) === Q_START) ours.push(v);
    });
    assert.ok(ours.length > 0, "the submitted claim's lines are in the workbook");
    const [line] = ours;
    assert.deepEqual([line[4], iso(line[7]), iso(line[8]), line[10]], [
      "Ingediend", Q_START, Q_END, "plaatsdagen",
    ]); // prettier-ignore
    assert.ok(typeof line[6] === "string" && line[6].length > 0, "a location");
    assert.equal(line[11], 44);
    assert.equal(Math.round(line[9] * 44 * 100), Math.round(line[12] * 100), "units x rate");
    const total = ours.reduce((sum, v) => sum + v[12], 0);
    assert.equal(total.toFixed(2), Number(claim.totalAmount).toFixed(2));
    assert.equal(lines.getCell("G5").numFmt, "dd-mm-yyyy");
    assert.equal(lines.pageSetup.orientation, "landscape");
    assert.ok(lines.autoFilter, "an autofilter");

    // 6. The CSV in Dutch habits.
    const [csv] = await Promise.all([
      page.waitForEvent("download"),
      page.getByTestId("download-csv").click(),
    ]);
    const csvPath = join(ARTIFACTS, `download-budget-${YEAR}.csv`);
    await csv.saveAs(csvPath);
    const bytes = readFileSync(csvPath);
    assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], "a UTF-8 BOM");
    const text = bytes.toString("utf8").slice(1);
    assert.equal(
      text.split("\r\n")[0],
      "onderdeel;periode;regeling;categorie;grootheid;bedrag;toelichting",
    );
    assert.match(text, /\r\nregeling;\de kwartaal;BOO-GOO;;gedeclareerd;\d+,\d\d;/);
    await shot(page, "finance-downloads");
    assert.deepEqual(unexpected(page.jsErrors), []);
    await page.context().close();
  });
});
