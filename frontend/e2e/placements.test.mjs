// End-to-end: the coordinator's placement work on the demo data in Chromium. Place a new
// participant (refused once: the location is full that night; then placed elsewhere),
// move them (Verhuizen), register their departure; the residents list and the arrivals
// and departures panel of a location and of Overzicht; axe at 1280 and 360 px on every
// new dialog and panel. Screenshots in e2e/artifacts/placements-*.png.

import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { after, before, describe, test } from "node:test";
import {
  ARTIFACTS,
  checkAxe as axeCheck,
  DEMO_PASSWORD,
  launchBrowser,
  NARROW,
  newPage as openPage,
  shot as screenshot,
  signIn,
  startServer,
  USERS,
  waitReady,
  WIDE,
} from "./harness.mjs";

let server;
let browser;
let token;
const ids = {};

const TODAY = new Intl.DateTimeFormat("sv-SE", { timeZone: "Europe/Amsterdam" }).format(new Date());
function plus(days) {
  return new Date(Date.parse(`${TODAY}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

async function api(method, path, body) {
  const r = await fetch(`${server.base}/api/v1${path}`, {
    method,
    headers: {
      Authorization: `Bearer ${token}`,
      "Content-Type": "application/json",
      Accept: "application/json",
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const answer = await r.json();
  assert.ok(r.ok, `${method} ${path}: ${r.status} ${JSON.stringify(answer)}`);
  return answer;
}

async function locationId(name) {
  const page = await api("GET", `/locations?q=${encodeURIComponent(name)}`);
  const found = page.items.find((l) => l.name === name);
  assert.ok(found, `no location ${name}`);
  return found.id;
}

const newPage = (viewport = WIDE) => openPage(browser, viewport, { console: false });
const shot = (page, name) => screenshot(page, `placements-${name}`);
/** WCAG on the whole page; landmark-unique on this parts that are on it. */
async function checkAxe(page, name) {
  const ours = ["dialog[open]", "[data-testid=residents]", "[data-testid=movements]"];
  const present = [];
  for (const selector of ours)
    if ((await page.locator(selector).count()) > 0) present.push(selector);
  await axeCheck(page, name, { unique: present.length ? present : true });
}

before(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  server = await startServer();
  browser = await launchBrowser();
  const r = await fetch(`${server.base}/api/v1/auth/token`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "password",
      username: USERS.coordinator,
      password: DEMO_PASSWORD,
    }).toString(),
  });
  token = (await r.json()).access_token;
  ids.full = await locationId("GOO Glipperweg"); // 30 of 30 places taken in the demo
  ids.kerklaan = await locationId("GOO Kerklaan");
  ids.princehof = await locationId("GOO Princehof");
  const person = await api("POST", "/participants", {
    reference: `E2E-${Date.now().toString(36)}`,
    givenName: "Oksana",
    familyName: "Nieuwenko",
    group: "ukrainian_displaced",
    dateOfBirth: "1988-04-12",
  });
  ids.person = person.id;
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

async function fits(page, name) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - innerWidth);
  assert.ok(overflow <= 1, `${name}: the page is ${overflow}px wider than the screen`);
}

async function reloaded(page) {
  await page.waitForFunction(() => document.body.dataset.ready !== undefined);
  await waitReady(page);
}

describe("placements: the coordinator's journeys", () => {
  test("place a new participant: refused once for over capacity, then placed elsewhere", async () => {
    const page = await newPage();
    await signIn(page, server.base, USERS.coordinator, `/deelnemers/${ids.person}`);
    await page.getByTestId("place-participant").click();
    const dialog = page.getByTestId("place-dialog");
    await dialog.waitFor();
    // Free places per target group on the chosen night, and the locations by group.
    await dialog.getByText(/Vrije plekken per doelgroep op/).waitFor();
    await dialog.getByText(/Alleenstaande minderjarigen: \d+ vrij/).waitFor();
    const groups = await dialog
      .locator("select[name=locationId] optgroup")
      .evaluateAll((els) => els.map((e) => e.label));
    assert.deepEqual(groups, [
      "Plekken voor Ontheemden uit Oekraïne",
      "Plekken voor een andere doelgroep",
    ]);
    assert.equal(await dialog.getByLabel(/Reden om boven de capaciteit/).count(), 0); // admin only
    await checkAxe(page, "place dialog");
    await dialog.getByLabel(/^Locatie/).selectOption(ids.full);
    await dialog.getByRole("button", { name: "Plaatsen" }).click();
    const error = dialog.locator("[data-field=locationId] .utrecht-form-field-error-message");
    await error.waitFor();
    const text = await error.textContent();
    assert.match(
      text,
      /^GOO Glipperweg is vol in de nacht van \d+ \w+ \d{4}: er zouden dan 31 mensen wonen, en er zijn 30 plekken\./,
    );
    assert.doesNotMatch(text, /Location|would hold/);
    await checkAxe(page, "place dialog with the refusal");
    await shot(page, "1-refused-over-capacity");
    await dialog.getByLabel(/^Locatie/).selectOption(ids.kerklaan);
    await dialog.getByRole("button", { name: "Plaatsen" }).click();
    await dialog.waitFor({ state: "detached" });
    await reloaded(page);
    await page.getByText(/Oksana Nieuwenko is geplaatst in GOO Kerklaan vanaf/).waitFor();
    const row = page.getByRole("row").filter({ hasText: "GOO Kerklaan" });
    await row.getByRole("button", { name: "Verhuizen" }).waitFor();
    assert.equal(await page.getByTestId("place-participant").count(), 0);
    await shot(page, "2-placed-elsewhere");
    assert.deepEqual(page.jsErrors, []);
    await page.context().close();
  });

  test("transfer: the stay ends on the moving day and the next starts", async () => {
    const page = await newPage();
    await signIn(page, server.base, USERS.coordinator, `/deelnemers/${ids.person}`);
    await page
      .getByRole("row")
      .filter({ hasText: "GOO Kerklaan" })
      .getByRole("button", { name: "Verhuizen" })
      .click();
    const dialog = page.getByTestId("transfer-dialog");
    await dialog.waitFor();
    // The moving day defaults to today, the first night: said at the field, in Dutch.
    await dialog.getByLabel(/^Nieuwe locatie/).selectOption(ids.princehof);
    await dialog.getByRole("button", { name: "Verhuizen" }).click();
    const dateError = dialog.locator("[data-field=date] .utrecht-form-field-error-message");
    await dateError.waitFor();
    assert.match(
      await dateError.textContent(),
      /^De datum van vertrek moet na \d+ \w+ \d{4} liggen/,
    );
    await dialog.getByLabel(/^Verhuisdatum/).fill(plus(7));
    await dialog.getByLabel(/^Nieuwe locatie/).selectOption(ids.princehof);
    await checkAxe(page, "transfer dialog");
    await shot(page, "3-transfer-dialog");
    await dialog.getByRole("button", { name: "Verhuizen" }).click();
    await dialog.waitFor({ state: "detached" });
    await reloaded(page);
    await page.getByText(/De verhuizing naar GOO Princehof op .* is opgeslagen\./).waitFor();
    const old = page.getByRole("row").filter({ hasText: "GOO Kerklaan" });
    assert.match(await old.textContent(), /Overplaatsing/);
    await page.getByRole("row").filter({ hasText: "GOO Princehof" }).waitFor();
    await shot(page, "4-transferred");
    const stays = await api("GET", `/placements?participantId=${ids.person}&sort=startDate`);
    assert.deepEqual(
      stays.items.map((s) => [s.locationId, s.startDate, s.endDate, s.endReason]),
      [
        [ids.kerklaan, TODAY, plus(7), "transfer"],
        [ids.princehof, plus(7), null, null],
      ],
    );
    await page.context().close();
  });

  test("departure: end date and reason", async () => {
    const page = await newPage(NARROW);
    await signIn(page, server.base, USERS.coordinator, `/deelnemers/${ids.person}`);
    const row = page.getByRole("row").filter({ hasText: "GOO Princehof" });
    await row.getByRole("button", { name: "Vertrek registreren" }).click();
    const dialog = page.getByTestId("departure-dialog");
    await dialog.waitFor();
    await dialog.getByLabel(/^Datum van vertrek/).fill(plus(10));
    await dialog.getByRole("button", { name: "Vertrek registreren" }).click();
    const reasonError = dialog.locator("[data-field=endReason] .utrecht-form-field-error-message");
    await reasonError.waitFor(); // no reason chosen
    assert.equal(await reasonError.textContent(), "Vul dit in.");
    await dialog.getByLabel(/^Reden van vertrek/).selectOption("housing");
    await checkAxe(page, "departure dialog at 360 px");
    await fits(page, "departure dialog at 360 px");
    await shot(page, "5-departure-dialog-360");
    await dialog.getByRole("button", { name: "Vertrek registreren" }).click();
    await dialog.waitFor({ state: "detached" });
    await reloaded(page);
    await page.getByText(/Het vertrek op .* is opgeslagen\./).waitFor();
    assert.match(await row.textContent(), /Huisvesting/);
    await shot(page, "6-departed-360");
    const stays = await api("GET", `/placements?participantId=${ids.person}&sort=startDate`);
    assert.deepEqual([stays.items[1].endDate, stays.items[1].endReason], [plus(10), "housing"]);
    await page.context().close();
  });
});

describe("placements: residents, arrivals and departures, at 1280 and 360 px", () => {
  for (const [width, viewport] of [
    ["1280", WIDE],
    ["360", NARROW],
  ]) {
    test(`a location's residents (sortable) and its arrivals and departures, ${width} px`, async () => {
      const page = await newPage(viewport);
      await signIn(page, server.base, USERS.coordinator, `/locaties/${ids.princehof}`);
      const residents = page.getByTestId("residents");
      await residents.getByRole("heading", { name: /^Bewoners nu \(\d+\)$/ }).waitFor();
      const days = residents.locator("tbody tr td:nth-child(5)");
      await residents.getByRole("button", { name: /Dagen in verblijf/ }).click();
      const ascending = (await days.allTextContents()).map((d) => Number(d.replace(/\D/g, "")));
      assert.deepEqual(
        ascending,
        [...ascending].sort((a, b) => a - b),
      );
      assert.equal(
        await residents.locator("th[aria-sort=ascending]").textContent(),
        "Dagen in verblijf ▲",
      );
      await residents.getByRole("button", { name: /Dagen in verblijf/ }).click();
      await residents.locator("th[aria-sort=descending]").waitFor();
      const movements = page.getByTestId("movements");
      await movements.getByRole("heading", { name: "Aankomsten en vertrek" }).waitFor();
      const next = page.getByTestId("movements-week-1");
      await next.getByRole("row").filter({ hasText: "Oksana Nieuwenko" }).first().waitFor();
      await fits(page, `location ${width}`);
      await checkAxe(page, `location ${width}`);
      await shot(page, `7-location-${width}`);
      await page.getByTestId("place-here").click();
      const dialog = page.getByTestId("place-dialog");
      await dialog.waitFor();
      assert.equal(await dialog.getByLabel(/^Locatie/).inputValue(), ids.princehof);
      await dialog.getByLabel(/^Deelnemer/).waitFor();
      await checkAxe(page, `place from a location ${width}`);
      await fits(page, `place from a location ${width}`);
      await shot(page, `8-place-from-location-${width}`);
      await dialog.getByRole("button", { name: "Annuleren" }).click();
      await dialog.waitFor({ state: "detached" });
      assert.deepEqual(page.jsErrors, []);
      await page.context().close();
    });

    test(`Overzicht: arrivals and departures this week and next, ${width} px`, async () => {
      const page = await newPage(viewport);
      await signIn(page, server.base, USERS.coordinator);
      const movements = page.getByTestId("movements");
      await movements.getByRole("heading", { name: "Aankomsten en vertrek" }).waitFor();
      await movements.getByRole("heading", { name: "Deze week" }).waitFor();
      await movements.getByRole("heading", { name: "Volgende week" }).waitFor();
      const arrival = movements.getByRole("row").filter({ hasText: "Oksana Nieuwenko" });
      assert.ok((await arrival.count()) >= 1);
      await fits(page, `overview ${width}`);
      await checkAxe(page, `overview ${width}`);
      await shot(page, `9-overview-${width}`);
      await page.context().close();
    });
  }

  test("an admin sees the capacity override, with a required reason", async () => {
    const page = await newPage(NARROW);
    await signIn(page, server.base, USERS.admin, `/locaties/${ids.full}`);
    await page.getByTestId("place-here").click();
    const dialog = page.getByTestId("place-dialog");
    await dialog.waitFor();
    const reason = dialog.getByLabel(/^Reden om boven de capaciteit/);
    await reason.waitFor();
    await reason.fill("x");
    await dialog.getByRole("button", { name: "Plaatsen" }).click();
    await dialog.getByText("Schrijf een reden van minstens 3 tekens.").first().waitFor();
    await checkAxe(page, "admin's place dialog at 360 px");
    await shot(page, "10-admin-override-360");
    await page.context().close();
  });
});
