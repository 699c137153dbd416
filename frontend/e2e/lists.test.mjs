// End-to-end for the lists and the overview that leads to action (issue 16 §3, §4 lists):
// sort, filter, and the filter kept when coming back (back button and nav link); CSV and
// XLSX export opened and checked; "Vol" on full locations and activities; the overdue
// signals tile opening its filtered list, and a signal followed up from there; axe on
// every screen touched, at 1280 and 360 px. Screenshots in e2e/artifacts/lists-*.png.

import assert from "node:assert/strict";
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import readXlsxFile from "read-excel-file/node";
import {
  ARTIFACTS,
  checkAxe,
  launchBrowser,
  NARROW,
  newPage as openPage,
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

const shot = (page, name) =>
  page.screenshot({ path: join(ARTIFACTS, `lists-${name}.png`), fullPage: true });

/** No horizontal scrolling of the page itself (tables scroll in their own box). */
async function assertFits(page, name) {
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  assert.ok(overflow <= 1, `${name}: the page scrolls sideways by ${overflow}px`);
}

/** The first cells (row headers) of a list's table body, as shown. */
const firstCells = (page, list) =>
  page.getByTestId(list).locator("tbody tr > th").allTextContents();

const rowCount = (page, list) => page.getByTestId(list).locator("tbody tr").count();

async function download(page, testid) {
  const [file] = await Promise.all([
    page.waitForEvent("download"),
    page.getByTestId(testid).click(),
  ]);
  return { name: file.suggestedFilename(), path: await file.path() };
}

describe("lists", () => {
  test("sort and filter participants; back and the nav link keep the filter", async () => {
    const page = await newPage();
    await signIn(page, server.base, USERS.coordinator, "/deelnemers");
    await waitReady(page);
    const results = page.getByTestId("participant-results");
    const all = await rowCount(page, "participant-results");
    await page.getByLabel("Doelgroep").selectOption("unaccompanied_minor");
    await page.getByLabel("Nu in de opvang").selectOption("true");
    await page.getByRole("button", { name: "Filteren" }).click();
    await page.waitForURL((u) => u.searchParams.get("group") === "unaccompanied_minor");
    await results.locator("tbody tr").first().waitFor();
    const filtered = await rowCount(page, "participant-results");
    assert.ok(filtered > 0 && filtered < all, `filtered ${filtered} of ${all}`);
    for (const text of await results.locator("tbody tr td:nth-child(3)").allTextContents()) {
      assert.match(text, /minderjarig/i);
    }
    // Sort by reference, descending: the header button says so (aria-sort) and so do the rows.
    const sortButton = results.getByRole("button", { name: /^Referentie/ });
    await sortButton.click();
    await sortButton.click();
    const th = results.locator('th[data-key="reference"]');
    assert.equal(await th.getAttribute("aria-sort"), "descending");
    const refs = await firstCells(page, "participant-results");
    const sorted = [...refs].sort((a, b) => b.localeCompare(a, "nl", { numeric: true }));
    assert.deepEqual(refs, sorted);
    // The keyboard works the same: focus stays on the button, Enter turns the order.
    await page.keyboard.press("Enter");
    assert.equal(await th.getAttribute("aria-sort"), "ascending");
    assert.equal((await firstCells(page, "participant-results"))[0], [...refs].reverse()[0]);
    await page.keyboard.press("Enter");
    await shot(page, "participants-filtered");
    const listUrl = new URL(page.url());
    assert.equal(listUrl.searchParams.get("sort"), "-reference");

    // Open a participant, come back with the back button: same filter, same order.
    await results.getByRole("link").first().click();
    await page.waitForURL(/\/deelnemers\/[0-9a-f-]{36}$/);
    await waitReady(page);
    await page.goBack();
    await page.waitForURL((u) => u.pathname === "/deelnemers");
    await waitReady(page);
    assert.equal(new URL(page.url()).search, listUrl.search);
    assert.equal(await page.getByLabel("Doelgroep").inputValue(), "unaccompanied_minor");
    assert.deepEqual(await firstCells(page, "participant-results"), refs);
    assert.equal(
      await results.locator('th[data-key="reference"]').getAttribute("aria-sort"),
      "descending",
    );

    // Away through the navigation and back through it: the list is as it was left.
    await page.getByTestId("main-nav").getByRole("link", { name: "Activiteiten" }).click();
    await waitReady(page);
    await page.getByTestId("main-nav").getByRole("link", { name: "Deelnemers" }).click();
    await page.waitForURL((u) => u.pathname === "/deelnemers");
    await waitReady(page);
    assert.equal(new URL(page.url()).search, listUrl.search);
    assert.equal(await rowCount(page, "participant-results"), filtered);
    assert.deepEqual(await firstCells(page, "participant-results"), refs);

    // Clearing forgets it.
    await page.getByTestId("clear-filters").click();
    await page.waitForURL((u) => u.search === "");
    await results.locator("tbody tr").nth(filtered).waitFor();
    assert.equal(await rowCount(page, "participant-results"), all);
    assert.deepEqual(page.jsErrors, []);
    await page.context().close();
  });

  test("export the shown rows as CSV and XLSX", async () => {
    const page = await newPage();
    await signIn(page, server.base, USERS.coordinator, "/activiteiten?sort=-free");
    await waitReady(page);
    const shown = await rowCount(page, "activity-results");
    const titles = await firstCells(page, "activity-results");

    const csv = await download(page, "export-csv");
    assert.equal(csv.name, "activiteiten.csv");
    const bytes = readFileSync(csv.path);
    assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], "UTF-8 byte order mark");
    const lines = bytes.toString("utf8").slice(1).trimEnd().split("\r\n");
    assert.equal(
      lines[0],
      "Activiteit;Soort;Begint op;Eindigt op;Rooster;Plaatsen;Ingeschreven;Vrije plekken",
    );
    assert.equal(lines.length, shown + 1);
    assert.match(lines[1], /;\d{2}-\d{2}-\d{4};/, "dates as dd-mm-jjjj");
    // The same rows in the same order as on screen.
    assert.deepEqual(
      lines
        .slice(1)
        .map((l) => (l.startsWith('"') ? l.slice(1, l.indexOf('";')) : l.split(";")[0])),
      titles.map((t) =>
        t
          .replace(/Vol$/, "")
          .replace(/ is vol$/, "")
          .trim()
          .replace(/\s*Vol.*$/, ""),
      ),
    );

    const xlsx = await download(page, "export-xlsx");
    assert.equal(xlsx.name, "activiteiten.xlsx");
    const [sheet] = await readXlsxFile(readFileSync(xlsx.path));
    assert.equal(sheet.sheet, "Activiteiten");
    assert.deepEqual(sheet.data[0], [
      "Activiteit",
      "Soort",
      "Begint op",
      "Eindigt op",
      "Rooster",
      "Plaatsen",
      "Ingeschreven",
      "Vrije plekken",
    ]);
    assert.equal(sheet.data.length, shown + 1);
    const nt2 = sheet.data.find((r) => String(r[0]).startsWith("NT2-les A1"));
    assert.ok(nt2, "NT2 A1 is in the sheet");
    assert.ok(nt2[2] instanceof Date, "a start date is a date in the sheet");
    assert.equal(typeof nt2[5], "number");
    assert.deepEqual(page.jsErrors, []);
    await page.context().close();
  });

  test("full activities and locations say so", async () => {
    const page = await newPage();
    await signIn(page, server.base, USERS.coordinator, "/activiteiten");
    await waitReady(page);
    const row = page
      .getByTestId("activity-results")
      .locator("tbody tr", { hasText: "NT2-les A1 (Bibliotheek Heemstede)" });
    const cells = await row.locator("td").allTextContents();
    assert.equal(cells.at(-3), "16"); // places
    assert.equal(cells.at(-2), "16"); // enrolled
    assert.equal(cells.at(-1), "0"); // free
    assert.equal(await row.getByTestId("full-badge").count(), 1);
    await page.getByLabel("Plekken").selectOption("full");
    await page.getByRole("button", { name: "Filteren" }).click();
    await page.waitForURL((u) => u.searchParams.get("places") === "full");
    for (const r of await page.getByTestId("activity-results").locator("tbody tr").all()) {
      assert.equal(await r.getByTestId("full-badge").count(), 1);
    }
    await shot(page, "activities-full");

    await page.getByTestId("main-nav").getByRole("link", { name: "Locaties" }).click();
    await waitReady(page);
    const groups = await page.locator("[data-group]").allTextContents();
    assert.ok(
      groups.some((g) => g.startsWith("AMV")),
      groups.join(" | "),
    );
    assert.ok(
      groups.some((g) => g.startsWith("GOO")),
      groups.join(" | "),
    );
    await shot(page, "locations");
    await page.context().close();
  });
});

describe("overview leads to action", () => {
  test("the overdue tile opens those signals, and one is followed up", async () => {
    const page = await newPage();
    await signIn(page, server.base, USERS.coordinator, "/overzicht");
    await waitReady(page);
    const tile = page.locator('a[data-tile="overview.tile.overdueSignals"]');
    const figure = Number((await tile.locator(".action-tile__value").textContent()).trim());
    assert.ok(figure > 0, "the demo has overdue signals");
    assert.match(await tile.textContent(), /langer dan \d+ dagen/);
    // Every figure says what it counts.
    for (const t of await page.locator(".action-tile__explain").allTextContents()) {
      assert.ok(t.trim().length > 10, t);
    }
    // "Nu in de opvang" opens exactly those participants; "Vrije plekken" the locations
    // whose free places add up to the figure.
    const figureOf = async (key) =>
      Number(
        (await page.locator(`a[data-tile="${key}"] .action-tile__value`).textContent())
          .replace(/\./g, "")
          .trim(),
      );
    const placed = await figureOf("overview.tile.placedNow");
    await page.locator('a[data-tile="overview.tile.placedNow"]').click();
    await page.waitForURL((u) => u.pathname === "/deelnemers" && u.search === "?active=true");
    await waitReady(page);
    await page.getByTestId("participant-results").locator("tbody tr").first().waitFor();
    assert.equal(await rowCount(page, "participant-results"), placed);
    await page.goBack();
    await waitReady(page);
    const free = await figureOf("overview.tile.free");
    await page.locator('a[data-tile="overview.tile.free"]').click();
    await page.waitForURL((u) => u.pathname === "/locaties" && u.search === "?places=free");
    await waitReady(page);
    const freeCells = await page
      .getByTestId("location-results")
      .locator("tbody tr td:last-child")
      .allTextContents();
    assert.equal(
      freeCells.reduce((n, c) => n + Number(c.replace(/\./g, "")), 0),
      free,
    );
    await page.goBack();
    await waitReady(page);
    await page.getByTestId("places-by-group").waitFor();
    await page.getByTestId("activity-places").getByTestId("full-badge").first().waitFor();
    await shot(page, "overview");
    await tile.click();
    await page.waitForURL(
      (u) => u.pathname === "/signalen" && u.searchParams.get("overdue") === "true",
    );
    await waitReady(page);
    const rows = page.getByTestId("signal-results").locator("tbody tr");
    await rows.first().waitFor();
    assert.equal(await rows.count(), figure, "the list shows exactly the tile's signals");
    await shot(page, "overdue-signals");

    // Follow one up from there.
    await page.getByTestId("signal-results").getByRole("link").first().click();
    await page.waitForURL(/\/signalen\/[0-9a-f-]{36}$/);
    await waitReady(page);
    const note = "Gebeld met de beheerder; morgen langs.";
    const form = page.getByTestId("action-form");
    await form.locator("textarea").fill(note);
    await form.locator('button[type="submit"]').click();
    await page.getByText(note).first().waitFor();
    await shot(page, "signal-followed-up");
    assert.deepEqual(page.jsErrors, []);
    await page.context().close();
  });

  test("a viewer sees the figures without links to lists it cannot open", async () => {
    const page = await newPage();
    await signIn(page, server.base, USERS.viewer, "/overzicht");
    await waitReady(page);
    assert.equal(await page.locator("a[data-tile]").count(), 0);
    assert.ok((await page.locator("[data-tile]").count()) >= 5);
    assert.equal(await page.getByTestId("activity-places").count(), 0);
    assert.deepEqual(page.jsErrors, []);
    await page.context().close();
  });
});

describe("axe and layout on the lists and the overview", () => {
  for (const viewport of [WIDE, NARROW]) {
    const size = viewport.width;
    test(`at ${size}px`, async () => {
      const page = await newPage(viewport);
      await signIn(page, server.base, USERS.admin, "/overzicht");
      for (const [name, path] of [
        ["overzicht", "/overzicht"],
        ["locaties", "/locaties?places=full"],
        ["deelnemers", "/deelnemers?group=asylum_seeker&sort=-name"],
        ["activiteiten", "/activiteiten?now=true&sort=free"],
      ]) {
        await page.evaluate((p) => {
          history.pushState(null, "", p);
          dispatchEvent(new PopStateEvent("popstate"));
        }, path);
        await waitReady(page);
        await checkAxe(page, `${name} ${size}`);
        await assertFits(page, `${name} ${size}`);
        await shot(page, `${name}-${size}`);
      }
      assert.deepEqual(page.jsErrors, []);
      await page.context().close();
    });
  }
});
