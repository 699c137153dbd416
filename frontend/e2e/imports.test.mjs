// Importeren (issue 16 §6): a coordinator checks a participants file with one bad row
// ("Alleen controleren") and reads the row's problem in Dutch, nothing stored; then sends a
// good file for real and reads how many rows were saved. The upload shows a real progress
// bar (XMLHttpRequest upload events) that reaches 100%. Axe: 0 violations at 1280 and 360 px.

import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import AxeBuilder from "@axe-core/playwright";
import { ARTIFACTS, USERS, launchBrowser, signIn, startServer, waitReady } from "./harness.mjs";

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

const RUN = Date.now().toString(36).toUpperCase();
const HEADER = "reference,givenName,familyName,group,languages";
const GOOD = `IMP-E2E-${RUN}-1,Anna,Importa,ukrainian_displaced,uk`;
const BAD = `IMP-E2E-${RUN}-2,Bohdan,Importa,martians,uk`;

function csv(name, lines) {
  const path = join(ARTIFACTS, name);
  writeFileSync(path, `${lines.join("\r\n")}\r\n`);
  return path;
}

async function axe(page, width) {
  await page.setViewportSize({ width, height: 900 });
  const result = await new AxeBuilder({ page })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])
    .withRules(["landmark-unique", "region", "page-has-heading-one", "heading-order"])
    .analyze();
  const found = [
    ...result.violations,
    ...(await new AxeBuilder({ page }).withRules(["landmark-unique"]).analyze()).violations,
  ];
  assert.deepEqual(
    found.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(" ")}`),
    [],
    `axe at ${width}px`,
  );
}

/** Sends the chosen file and waits for the report; answers every text the progress bar
 * showed meanwhile (its live text changes with each upload event). */
async function send(page, file, dryRun) {
  await page.getByLabel("Wat wilt u importeren?").selectOption("participants");
  await page.getByLabel("Bestand (verplicht)").setInputFiles(file);
  await page.getByLabel(/Alleen controleren/).setChecked(dryRun);
  await page.evaluate(() => {
    window.progressTexts = [];
    const slot = document.querySelector('[data-testid="import-progress"]');
    new MutationObserver(() => {
      const text = slot.querySelector("span")?.textContent;
      if (text) window.progressTexts.push(text);
    }).observe(slot, { subtree: true, childList: true, characterData: true });
  });
  await page.getByRole("button", { name: "Bestand versturen" }).click();
  await page.locator('[data-testid="import-report"], main .utrecht-alert').first().waitFor();
  assert.equal(
    await page.getByTestId("import-report").count(),
    1,
    await page.locator("main").innerText(),
  );
  return page.evaluate(() => window.progressTexts);
}

describe("Importeren", () => {
  test("coordinator: a bad row checked in Dutch, nothing stored; then a good file saved", async () => {
    const context = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      locale: "nl-NL",
    });
    const page = await context.newPage();
    const jsErrors = [];
    page.on("pageerror", (e) => jsErrors.push(String(e)));
    await signIn(page, server.base, USERS.coordinator, "/importeren");
    await waitReady(page);
    assert.equal(await page.getByRole("link", { name: "Importeren" }).count(), 1, "in the nav");
    await page.getByRole("heading", { level: 1, name: "Importeren" }).waitFor();

    // 1. dry run with one bad row
    const texts = await send(page, csv("imports-bad.csv", [HEADER, GOOD, BAD]), true);
    assert.ok(
      texts.some((x) => x.includes("100")),
      `progress reached 100%: ${JSON.stringify(texts)}`,
    );
    const progress = page.getByRole("progressbar", { name: "Bestand versturen:" });
    assert.equal(await progress.evaluate((p) => p.value), 100);
    const report = page.getByTestId("import-report");
    await report.getByText("1 van de 2 regels zijn goed").waitFor();
    await report.getByText("Regels met een fout: 1. Verbeter het bestand").waitFor();
    const problems = page.getByTestId("import-problem");
    assert.equal(await problems.count(), 1);
    const cells = await problems.first().locator("td, th").allInnerTexts();
    assert.equal(cells[0].trim(), "2", "the bad row's number");
    assert.equal(cells[1].trim(), "group", "the bad column");
    assert.match(cells[2], /Kies een van de mogelijkheden uit de lijst\./);
    assert.doesNotMatch(await report.innerText(), /Input should|enumeration/i, "no English");
    await page.screenshot({ path: join(ARTIFACTS, "imports-dry-run.png"), fullPage: true });
    await axe(page, 1280);
    await axe(page, 360);
    await page.setViewportSize({ width: 1280, height: 900 });

    // 2. the good row for real: saved as new, so the dry run stored nothing
    const texts2 = await send(page, csv("imports-good.csv", [HEADER, GOOD]), false);
    assert.ok(
      texts2.some((x) => x.includes("100")),
      "progress reached 100% again",
    );
    await page
      .getByTestId("import-report")
      .getByText("Opgeslagen: 1 van de 1 regels. Nieuw: 1.")
      .waitFor();
    assert.equal(await page.getByTestId("import-problem").count(), 0);
    await page.screenshot({ path: join(ARTIFACTS, "imports-saved.png"), fullPage: true });
    await axe(page, 1280);
    await axe(page, 360);
    assert.deepEqual(jsErrors, []);
    await context.close();
  });

  test("a partner does not see Importeren", async () => {
    const context = await browser.newContext({ locale: "nl-NL" });
    const page = await context.newPage();
    await signIn(page, server.base, USERS.partner, "/locaties");
    await waitReady(page);
    assert.equal(await page.getByRole("link", { name: "Importeren" }).count(), 0);
    await context.close();
  });
});
