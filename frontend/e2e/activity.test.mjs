// End-to-end, issue 16 §4 "task pages with the task first": attendance for a class with
// "Iedereen aanwezig" and one absent, saved and read again; a signal registered with an
// owner, found under "Mijn signalen" and followed up in at most 3 clicks from the list; an
// overdue signal opened from /signalen?overdue=true and picked up. axe at 1280 and 360 px.
// Run alone with `npx vite build && node --test e2e/activity.test.mjs`.

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
/** At both widths, with the page's own width checked. */
const checkAxe = (page, name) => axeCheck(page, name, { widths: [WIDE, NARROW] });

before(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  server = await startServer();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** Only the 4xx the journeys cause on purpose may reach the console. */
function unexpected(errors) {
  return errors.filter((e) => !/status of (400 \(Bad Request\)|409 \(Conflict\))/.test(e));
}

async function apiToken(email) {
  const r = await fetch(`${server.base}/api/v1/auth/token`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ grant_type: "password", username: email, password: DEMO_PASSWORD }),
  });
  assert.equal(r.status, 200);
  return (await r.json()).access_token;
}

async function apiGet(token, path) {
  const r = await fetch(`${server.base}/api/v1${path}`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  assert.equal(r.status, 200, `${path}: ${r.status}`);
  return r.json();
}

/** Today in Amsterdam, and the last day on or before it on ISO weekday `iso`. */
function lastWeekday(iso) {
  const today = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Amsterdam" }).format(
    new Date(),
  );
  const d = new Date(`${today}T00:00:00Z`);
  const back = ((d.getUTCDay() || 7) - iso + 7) % 7;
  d.setUTCDate(d.getUTCDate() - back);
  return d.toISOString().slice(0, 10);
}

describe("activity page: attendance first", () => {
  test("a class: everyone present, one absent, saved and read again", async () => {
    const token = await apiToken(USERS.coordinator);
    const found = await apiGet(token, `/activities?q=${encodeURIComponent("NT2-les A1")}`);
    const activity = found.items[0];
    assert.deepEqual(activity.weekdays, [2], "the demo class meets on Tuesdays");
    const session = lastWeekday(2);

    const page = await newPage();
    // The list's answer waits a moment: meanwhile there is nothing to save.
    let release;
    const held = new Promise((r) => (release = r));
    await page.route("**/api/v1/activities/*/attendance/*", async (route) => {
      if (route.request().method() === "GET") await held;
      return route.continue();
    });
    await signIn(page, server.base, USERS.coordinator, `/activiteiten/${activity.id}`);
    const date = page.getByTestId("attendance-pick").getByLabel(/^Datum bijeenkomst/);
    assert.equal(await date.inputValue(), session, "the date is the last Tuesday");
    assert.equal(
      await page.getByRole("button", { name: "Aanwezigheid opslaan" }).count(),
      0,
      "no save button before a list is loaded",
    );
    release();
    // Attendance is the first section, before the enrollments and the facts.
    const headings = await page.locator("main h2").allTextContents();
    assert.equal(headings[0], "Aanwezigheid registreren");
    assert.ok(headings.indexOf("Inschrijvingen") > 0 && headings.indexOf("Gegevens") > 0);
    // Past enrollments are folded away.
    const past = page.getByTestId("past-enrollments");
    if ((await past.count()) > 0) assert.equal(await past.evaluate((d) => d.open), false);

    const rows = page.getByTestId("attendance-list").locator("fieldset");
    await rows.first().waitFor();
    const count = await rows.count();
    assert.ok(count >= 2, `the class has people enrolled on ${session} (${count})`);
    await page.getByTestId("all-present").click();
    for (let i = 0; i < count; i++)
      assert.equal(await rows.nth(i).getByLabel("Aanwezig", { exact: true }).isChecked(), true);
    const absent = await rows.nth(1).getAttribute("data-participant");
    await rows.nth(1).getByLabel("Afwezig", { exact: true }).check();
    await page.getByRole("button", { name: "Aanwezigheid opslaan" }).click();
    await page.getByText(/Aanwezigheid van .* opgeslagen/).waitFor();
    await shot(page, "activity-attendance-saved");
    await checkAxe(page, "activity page");

    // Read again, by the API and on the page.
    const saved = await apiGet(token, `/activities/${activity.id}/attendance/${session}`);
    assert.equal(saved.length, count);
    for (const entry of saved)
      assert.equal(entry.status, entry.participantId === absent ? "absent" : "present");
    await page.reload();
    await waitReady(page).catch(() => {});
    if (page.url().includes("/inloggen")) {
      await signIn(page, server.base, USERS.coordinator, `/activiteiten/${activity.id}`);
    }
    await rows.first().waitFor();
    assert.equal(
      await page
        .locator(`fieldset[data-participant="${absent}"]`)
        .getByLabel("Afwezig", { exact: true })
        .isChecked(),
      true,
    );
    assert.deepEqual(unexpected(page.jsErrors), []);
    await page.context().close();
  });
});

describe("signals: owner, mine, follow-up", () => {
  test("a new signal with an owner, under 'Mijn signalen', resolved in 2 clicks", async () => {
    const page = await newPage();
    await signIn(page, server.base, USERS.coordinator, "/signalen");
    assert.equal(await page.getByTestId("signal-form").count(), 0, "the form opens on demand");
    await page.getByTestId("new-signal").click();
    const form = page.getByTestId("signal-form");
    const summary = "Fietsen blokkeren de nooduitgang, e2e-eigenaar.";
    await form.getByLabel(/^Samenvatting/).fill(summary);
    await form.getByLabel(/^Onderwerp/).selectOption("safety");
    // The owner is the one who registers it, unless another is chosen.
    const owner = form.getByLabel(/^Eigenaar/);
    assert.equal(await owner.locator("option:checked").textContent(), USERS.coordinator);
    await checkAxe(page, "signals list with the new-signal form");
    await shot(page, "signals-new-form");
    await form.getByRole("button", { name: "Signaal registreren" }).click();
    await page.waitForURL(/\/signalen\/[0-9a-f-]{36}\?created=1/);
    await page.getByTestId("signal-state").getByText(USERS.coordinator).waitFor();

    // Mijn signalen: the list filtered on the owner, in the address too.
    await page.getByRole("link", { name: "Terug naar signalen" }).click();
    await page.getByTestId("my-signals").click();
    await page.waitForURL(/owner=me/);
    const results = page.getByTestId("signal-results");
    await results.getByRole("link", { name: summary }).waitFor();
    // The owner is the column after the due date ("Uiterlijk klaar op").
    for (const cell of await results.locator("tbody tr td:nth-child(7)").allTextContents())
      assert.equal(cell, USERS.coordinator);
    await shot(page, "signals-mine");
    await checkAxe(page, "my signals");

    // Follow-up from the list: open it (1), write what was done, resolve (2).
    await results.getByRole("link", { name: summary }).click();
    await page.waitForURL(/\/signalen\/[0-9a-f-]{36}$/);
    await page
      .getByTestId("action-form")
      .getByLabel(/^Notitie/)
      .fill("Fietsen weggezet.");
    await page.locator('[data-move="resolve"]').click();
    await page.getByText("Het signaal is afgehandeld.").waitFor();
    assert.match(await page.getByTestId("signal-state").textContent(), /Opgelost/);
    await page.getByText("Fietsen weggezet.").waitFor();
    await shot(page, "signal-resolved");
    await checkAxe(page, "signal after follow-up");
    assert.deepEqual(unexpected(page.jsErrors), []);
    await page.context().close();
  });

  test("an overdue signal from /signalen?overdue=true, picked up and resolved", async () => {
    const page = await newPage();
    await signIn(page, server.base, USERS.coordinator, "/signalen?overdue=true");
    const results = page.getByTestId("signal-results");
    const rows = results.locator("tbody tr");
    await rows.first().waitFor();
    const total = await rows.count();
    assert.ok(total > 0, "the demo has overdue signals");
    assert.equal(await results.locator('tr[data-overdue="true"]').count(), total);
    assert.equal(await page.getByLabel("Alleen te late signalen").isChecked(), true);
    await shot(page, "signals-overdue");
    const title = await rows.first().getByRole("link").textContent();
    // 1: open it; 2: pick it up (it becomes mine); 3: resolve it with a note.
    await rows.first().getByRole("link").click();
    await page.waitForURL(/\/signalen\/[0-9a-f-]{36}$/);
    await page.locator('[data-move="pickUp"]').click();
    await page.getByText(`U hebt het signaal opgepakt. Eigenaar: ${USERS.coordinator}.`).waitFor();
    assert.match(await page.getByTestId("signal-state").textContent(), /In behandeling/);
    await checkAxe(page, "overdue signal picked up");
    await shot(page, "signal-overdue-picked-up");
    await page
      .getByTestId("action-form")
      .getByLabel(/^Notitie/)
      .fill("Brandweer langs geweest.");
    await page.locator('[data-move="resolve"]').click();
    await page.getByText("Het signaal is afgehandeld.").waitFor();
    // Back on the list (its filter remembered), it is no longer overdue.
    await page.getByRole("link", { name: "Terug naar signalen" }).click();
    await page.waitForURL(/overdue=true/);
    await waitReady(page);
    await page.getByTestId("signal-results").locator("tbody tr, p").first().waitFor();
    assert.equal(
      await page.getByTestId("signal-results").getByRole("link", { name: title }).count(),
      0,
    );
    assert.deepEqual(unexpected(page.jsErrors), []);
    await page.context().close();
  });
});
