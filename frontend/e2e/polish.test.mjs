// Polish that users notice (issue 16 §6), checked where the cascade is computed: in Chromium.
// Hidden buttons stay hidden; selects have an arrow; a label sits with its own field; a
// required field is not red before anyone typed; amounts are right-aligned in tabular
// figures; headings have room; print leaves out navigation and forms and keeps tables whole;
// a slow screen, a claim calculation and an export show that they are loading.

import assert from "node:assert/strict";
import { mkdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import {
  ARTIFACTS,
  launchBrowser,
  newPage as openPage,
  signIn,
  startServer,
  USERS,
  waitReady,
  WIDE,
} from "./harness.mjs";

let server;
let browser;

const newPage = (viewport = WIDE) => openPage(browser, viewport, { console: false });

before(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  server = await startServer();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

const shot = (page, name) =>
  page.screenshot({ path: join(ARTIFACTS, `polish-${name}.png`), fullPage: true });

/** In-app navigation (a reload would sign out while the token is in memory only). */
async function go(page, path) {
  await page.evaluate((to) => {
    delete document.body.dataset.ready;
    history.pushState(null, "", to);
    dispatchEvent(new PopStateEvent("popstate"));
  }, path);
  await waitReady(page);
}

/** Every element with the hidden attribute is really not displayed. */
async function hiddenShown(page) {
  return page.evaluate(() =>
    [...document.querySelectorAll("[hidden]")]
      .filter((el) => getComputedStyle(el).display !== "none")
      .map((el) => el.outerHTML.slice(0, 120)),
  );
}

describe("hidden means hidden", () => {
  test("nothing marked hidden shows on an activity page, nor 'Annuleren' before an expense is opened", async () => {
    const page = await newPage();
    await signIn(page, server.base, USERS.admin, "/activiteiten");
    await page.getByTestId("activity-results").getByRole("link").first().click();
    await page.waitForURL(/\/activiteiten\/[0-9a-f-]{36}$/);
    await waitReady(page);
    // The activity page now loads the last session's list at once and adds "Aanwezigheid
    // opslaan" only with a list; whatever else is marked hidden on it stays out of sight.
    await page.getByRole("button", { name: "Aanwezigheid opslaan" }).waitFor();
    assert.deepEqual(await hiddenShown(page), []);

    await go(page, "/financien?year=2025");
    const cancel = page.getByRole("button", {
      name: /^Annuleren, nieuwe uitgave boeken/,
      includeHidden: true,
    });
    await cancel.waitFor({ state: "attached" });
    assert.equal(await cancel.isVisible(), false);
    assert.deepEqual(await hiddenShown(page), []);
    await page.context().close();
  });
});

describe("forms and tables", () => {
  test("selects have an arrow; a label sits closer to its own field than to the one above", async () => {
    const page = await newPage();
    await signIn(page, server.base, USERS.finance, "/financien?year=2025");
    const form = page.getByTestId("expense-form");
    await form.waitFor();
    const selects = await form
      .locator("select")
      .evaluateAll((els) => els.map((s) => getComputedStyle(s).backgroundImage));
    assert.ok(selects.length > 0);
    for (const image of selects) assert.match(image, /^url\("data:image\/svg\+xml/);
    // For each field after the first: the gap label→own control is smaller than the gap
    // from the control above to this label.
    const gaps = await form.locator("[data-field]").evaluateAll((wraps) =>
      wraps.map((w) => {
        const label = w.querySelector("label").getBoundingClientRect();
        // What sits between a label and its control (a description) belongs to it.
        const above =
          w.querySelector(".utrecht-form-field-description") ?? w.querySelector("label");
        const control = w.querySelector("input, select, textarea").getBoundingClientRect();
        const prev = w.previousElementSibling?.querySelector?.("input, select, textarea");
        return {
          own: control.top - above.getBoundingClientRect().bottom,
          above: prev ? label.top - prev.getBoundingClientRect().bottom : null,
        };
      }),
    );
    for (const { own, above } of gaps.filter((g) => g.above !== null)) {
      assert.ok(own < above, `label ${own}px from its field, ${above}px from the one above`);
    }
    await shot(page, "expense-form");
    await page.context().close();
  });

  test("a required field is not red before anyone typed, and is after it was emptied", async () => {
    const page = await newPage();
    await signIn(page, server.base, USERS.coordinator, "/signalen");
    await page.getByTestId("new-signal").click(); // the form opens on demand
    const summary = page.getByTestId("signal-form").getByLabel(/^Samenvatting/);
    await summary.waitFor();
    const border = () => summary.evaluate((el) => getComputedStyle(el).borderTopColor);
    const untouched = await border();
    await summary.fill("Iets");
    await summary.blur();
    const valid = await border();
    assert.equal(untouched, valid, "an untouched required field looks like a valid one");
    await summary.fill("");
    await summary.blur();
    assert.notEqual(await border(), valid, "emptied by the user, it is marked");
    await page.context().close();
  });

  test("amounts right-aligned in tabular figures; headings with room below", async () => {
    const page = await newPage();
    await signIn(page, server.base, USERS.finance, "/financien?year=2025");
    const cells = page.getByTestId("claim-results").locator("td.utrecht-table__cell--numeric-data");
    await cells.first().waitFor();
    const styles = await cells.evaluateAll((els) =>
      els.map((el) => {
        const s = getComputedStyle(el);
        return { align: s.textAlign, numeric: s.fontVariantNumeric };
      }),
    );
    for (const s of styles) {
      assert.match(s.align, /^(end|right)$/);
      assert.match(s.numeric, /tabular-nums/);
    }
    const headers = await page
      .getByTestId("claim-results")
      .locator("th.utrecht-table__header-cell--numeric-column")
      .evaluateAll((els) => els.map((el) => getComputedStyle(el).textAlign));
    for (const a of headers) assert.match(a, /^(end|right)$/);
    const margins = await page
      .locator(".site-main h1, .site-main h2:not(.visually-hidden)")
      .evaluateAll((els) => els.map((el) => parseFloat(getComputedStyle(el).marginBottom)));
    for (const m of margins) assert.ok(m >= 8, `a heading has ${m}px below it`);
    await page.context().close();
  });
});

describe("print", () => {
  const screens = [
    ["overzicht", "coordinator", "/overzicht"],
    ["locatie", "coordinator", null],
    ["financien", "finance", "/financien?year=2025"],
  ];
  for (const [name, role, path] of screens) {
    test(`${name}: no navigation or forms, tables whole, chart tables on paper`, async () => {
      const page = await newPage();
      await signIn(page, server.base, USERS[role], path ?? "/locaties");
      if (!path) {
        await page.getByTestId("main-nav").waitFor();
        await page.locator("tbody a").first().click();
        await page.waitForURL(/\/locaties\/[0-9a-f-]{36}$/);
        await waitReady(page);
      }
      await page.evaluate(() => document.fonts.ready);
      await page.waitForFunction(() => !document.querySelector('[aria-busy="true"]'));
      await page.emulateMedia({ media: "print" });
      const seen = await page.evaluate(() => {
        const shown = (el) => el.getClientRects().length > 0;
        const all = (sel) => [...document.querySelectorAll(sel)];
        return {
          nav: all("nav, .site-footer, .utrecht-skip-link").filter(shown).length,
          forms: all("form, button, select, input, textarea").filter(shown).length,
          tables: all("table").length,
          tablesShown: all("table").filter(shown).length,
          scrolling: all(".table-scroll").filter(
            (el) => getComputedStyle(el).overflowX !== "visible",
          ).length,
          rowsSplittable: all("tr").filter((tr) => getComputedStyle(tr).breakInside !== "avoid")
            .length,
          headerRepeats: all("thead").every(
            (el) => getComputedStyle(el).display === "table-header-group",
          ),
          printedOn: document.querySelector(".site-header__printed")?.textContent ?? "",
        };
      });
      assert.equal(seen.nav, 0, "navigation and footer are left out");
      assert.equal(seen.forms, 0, "forms and buttons are left out");
      assert.ok(seen.tables > 0);
      assert.equal(seen.tablesShown, seen.tables, "every table, also a chart's, is printed");
      assert.equal(seen.scrolling, 0, "no table is cut off in a scrolling box");
      assert.equal(seen.rowsSplittable, 0, "no row is split over two pages");
      assert.ok(seen.headerRepeats);
      assert.match(seen.printedOn, /^Afgedrukt op \d+ \w+ \d{4}$/);
      await page.screenshot({ path: join(ARTIFACTS, `print-${name}.png`), fullPage: true });
      const pdf = join(ARTIFACTS, `print-${name}.pdf`);
      await page.pdf({ path: pdf, format: "A4", printBackground: true });
      assert.ok(statSync(pdf).size > 10_000);
      assert.deepEqual(page.jsErrors, []);
      await page.context().close();
    });
  }
});

describe("loading", () => {
  /** Holds the API's answers to `pattern` for `ms` while the test looks. */
  async function slow(page, pattern, ms, method = null) {
    await page.route(pattern, async (route) => {
      if (!method || route.request().method() === method) {
        await new Promise((r) => setTimeout(r, ms));
      }
      await route.continue();
    });
  }

  test("a slow screen shows the top bar and a skeleton until it is drawn", async () => {
    const page = await newPage();
    await signIn(page, server.base, USERS.coordinator, "/locaties");
    await slow(page, "**/api/v1/reports/overview**", 1500);
    await page.getByTestId("main-nav").getByRole("link", { name: "Overzicht" }).click();
    await page.getByTestId("route-progress").waitFor();
    await shot(page, "loading-screen");
    await waitReady(page);
    await page.getByTestId("route-progress").waitFor({ state: "detached" });
    assert.equal(await page.getByTestId("skeleton").count(), 0);
    await page.context().close();
  });

  test("the claim calculation and the export show they are working", async () => {
    const page = await newPage();
    await signIn(page, server.base, USERS.finance, "/financien?year=2025");
    await slow(page, "**/api/v1/exports/budget**", 1200);
    const xlsx = page.getByTestId("download-xlsx");
    const download = page.waitForEvent("download");
    await xlsx.click();
    assert.equal(await xlsx.getAttribute("aria-busy"), "true");
    await page.getByTestId("route-progress").waitFor();
    await download;
    await page.getByTestId("route-progress").waitFor({ state: "detached" });
    assert.equal(await xlsx.getAttribute("aria-busy"), null);

    await slow(page, "**/api/v1/reimbursement-claims", 1500, "POST");
    const form = page.getByTestId("claim-form");
    await form.getByLabel(/^Regeling/).selectOption("BOO-GOO");
    await form.getByLabel(/^Begin periode/).fill("2025-02-01");
    await form.getByLabel(/^Einde periode/).fill("2025-02-28");
    const submit = form.getByRole("button", { name: "Concept berekenen" });
    await submit.click();
    assert.equal(await submit.getAttribute("aria-busy"), "true");
    await page.getByTestId("route-progress").waitFor();
    await shot(page, "loading-claim");
    await page.waitForURL(/\/financien\/declaraties\/[0-9a-f-]{36}\?created=1/);
    await waitReady(page);
    assert.deepEqual(page.jsErrors, []);
    await page.context().close();
  });
});
