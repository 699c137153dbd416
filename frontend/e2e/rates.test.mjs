// End-to-end (issue 17): provisional rates and the reimbursement corrections on the demo
// data, in Debian's Chromium. Finance sees the assumed 2026 rates on the Tarieven screen
// and the budget marks this year's expected income as provisional; a coordinator sees and
// sets a person's living allowance (leefgeld) and a location's planned availability.
// axe on each screen, screenshots into e2e/artifacts/.
// Run alone: `npx vite build && node --test e2e/rates.test.mjs`.

import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { after, before, describe, test } from "node:test";
import {
  ARTIFACTS,
  checkAxe,
  DEMO_PASSWORD,
  launchBrowser,
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

let server;
let browser;

const newPage = () => openPage(browser, WIDE, { console: false });

before(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  server = await startServer();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

async function token(user) {
  const r = await fetch(`${server.base}/api/v1/auth/token`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "password",
      username: user,
      password: DEMO_PASSWORD,
    }).toString(),
  });
  return (await r.json()).access_token;
}

async function api(user, path) {
  const answer = await fetch(`${server.base}/api/v1${path}`, {
    headers: { Authorization: `Bearer ${await token(user)}` },
  });
  assert.equal(answer.status, 200, path);
  return answer.json();
}

describe("provisional rates and the corrections", () => {
  test("finance: the assumed rates on Tarieven, changed, and marked in the budget", async () => {
    const page = await newPage();
    await signIn(page, server.base, USERS.finance, "/financien");
    // The budget of this year: expected income is provisional (assumed 2026 rates).
    await page.getByTestId("budget-provisional").waitFor();
    assert.match(await page.getByTestId("budget-provisional").textContent(), /aangenomen tarief/);
    assert.ok((await page.locator('[data-certainty="assumed"]').count()) > 0);
    await shot(page, "rates-budget-provisional");
    await checkAxe(page, "budget with provisional amounts");

    await page.goto(`${server.base}/financien/tarieven`);
    await waitReady(page);
    const goo = page.locator('[data-scheme="BOO-POO"]');
    const row = goo.locator('tr[data-certainty="assumed"]');
    await row.waitFor();
    assert.match(await row.textContent(), /Aangenomen \(voorlopig\)/);
    assert.match(await row.textContent(), /Assumed equal to 2025/);
    await shot(page, "rates-list");
    await checkAxe(page, "rates list");

    // Change the assumed BOO-POO rate: still provisional, now announced.
    await row.getByTestId("rate-edit-open").click();
    const form = page.getByTestId("rate-edit");
    await form.waitFor();
    await form.getByLabel(/^Bedrag/).fill("49,00");
    await form.getByLabel(/^Zekerheid/).selectOption("announced");
    await form.getByLabel(/^Bron/).fill("Kamerbrief (e2e), aangekondigd");
    await checkAxe(page, "rate edit form");
    await form.getByRole("button", { name: "Opslaan" }).click();
    await page
      .getByTestId("rate-edit-card")
      .getByText(/is opgeslagen: €\s49,00/)
      .waitFor();
    const rates = await api(USERS.finance, "/reimbursement-schemes/BOO-POO/rates");
    const changed = rates.items.find((r) => r.validFrom === `${YEAR}-01-01`);
    assert.deepEqual(
      [changed.amount, changed.certainty, changed.source],
      ["49.00", "announced", "Kamerbrief (e2e), aangekondigd"],
    );
    await goo.locator('tr[data-certainty="announced"]').waitFor();
    await shot(page, "rates-edited");
    assert.deepEqual(page.jsErrors, []);
  });

  test("coordinator: a person's leefgeld and a location's availability", async () => {
    const page = await newPage();
    await signIn(page, server.base, USERS.coordinator, "/deelnemers");
    const people = await api(USERS.coordinator, "/participants?pageSize=5");
    const person = people.items[0];
    await page.goto(`${server.base}/deelnemers/${person.id}`);
    await waitReady(page);
    const panel = page.getByTestId("allowance-panel");
    await panel.waitFor();
    await panel.getByRole("heading", { name: "Leefgeld" }).waitFor();
    // Add a range that cannot overlap the demo's (they start with the first stay).
    const form = panel.getByTestId("allowance-form");
    await form.getByLabel(/^Vanaf/).fill("2000-01-01");
    await form.getByLabel(/^Tot en met/).fill("2000-01-31");
    await form.getByRole("button", { name: "Leefgeld toevoegen" }).click();
    await panel.getByText("Opgeslagen.").waitFor();
    await panel.getByText(/31 januari 2000/).waitFor();
    // The same range again: refused at the field, in Dutch.
    await form.getByLabel(/^Vanaf/).fill("2000-01-15");
    await form.getByRole("button", { name: "Leefgeld toevoegen" }).click();
    await panel
      .getByText(/valt samen met de periode/)
      .first()
      .waitFor();
    await shot(page, "rates-allowance-panel");
    await checkAxe(page, "participant with leefgeld");

    const locations = await api(USERS.coordinator, "/locations?pageSize=50");
    const amv = locations.items.find((l) => l.kind === "amv_small_scale");
    assert.equal(amv.availableUntil, "2029-07-31");
    await page.goto(`${server.base}/locaties/${amv.id}`);
    await waitReady(page);
    await page
      .getByTestId("available-until")
      .getByText(/31 juli 2029/)
      .waitFor();
    await shot(page, "rates-location-availability");
    await checkAxe(page, "location with availability");
  });
});
