// End-to-end: the real server on the demo data, the real pages in Debian's Chromium.
// Run with `npm run e2e` (builds first). Screenshots land in e2e/artifacts/.

import assert from "node:assert/strict";
import { mkdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
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

// What each role's navigation shows (frontend/src/roles.ts, from api.md's roles table).
const NAV = {
  admin: [
    "Overzicht",
    "Locaties",
    "Deelnemers",
    "Activiteiten",
    "Signalen",
    "Importeren",
    "Draagvlak",
    "Buurt en bewoners",
    "Besluiten",
    "Locatiezoektocht",
    "Spreidingswet",
    "Financiën",
    "Begroting",
    "Prognose",
    "Scenario's",
    "Capaciteitsplan",
    "Doelen",
    "Raadsrapportage",
  ],
  coordinator: [
    "Overzicht",
    "Locaties",
    "Deelnemers",
    "Activiteiten",
    "Signalen",
    "Importeren",
    "Draagvlak",
    "Buurt en bewoners",
    "Besluiten",
    "Locatiezoektocht",
    "Spreidingswet",
    "Capaciteitsplan",
    "Doelen",
    "Raadsrapportage",
  ],
  finance: [
    "Overzicht",
    "Locaties",
    "Importeren",
    "Besluiten",
    "Locatiezoektocht",
    "Spreidingswet",
    "Financiën",
    "Begroting",
    "Prognose",
    "Scenario's",
    "Capaciteitsplan",
    "Doelen",
    "Raadsrapportage",
  ],
  partner: ["Locaties", "Deelnemers", "Activiteiten", "Signalen", "Draagvlak", "Buurt en bewoners"],
  viewer: [
    "Overzicht",
    "Draagvlak",
    "Buurt en bewoners",
    "Besluiten",
    "Locatiezoektocht",
    "Spreidingswet",
    "Financiën",
    "Begroting",
    "Prognose",
    "Scenario's",
    "Capaciteitsplan",
    "Doelen",
    "Raadsrapportage",
  ],
};

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

async function navNames(page) {
  return page.getByTestId("main-nav").getByRole("link").allTextContents();
}

/** No horizontal scrolling of the page itself at this width (tables scroll in their box). */
async function assertFits(page, name) {
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - window.innerWidth,
  );
  assert.ok(overflow <= 1, `${name}: page is ${overflow}px wider than the viewport`);
}

describe("sign-in per role shows the right screens", () => {
  for (const [role, expected] of Object.entries(NAV)) {
    test(role, async () => {
      const page = await newPage();
      await signIn(page, server.base, USERS[role]);
      assert.deepEqual(await navNames(page), expected);
      // The landing screen is the role's first screen, and its h1 is there.
      await assert.doesNotReject(
        page.getByRole("heading", { level: 1, name: expected[0] }).waitFor(),
      );
      await checkAxe(page, `landing ${role}`);
      await shot(page, `role-${role}`);
      assert.deepEqual(page.jsErrors, []);
      await page.context().close();
    });
  }

  test("a wrong password is refused with a message", async () => {
    const page = await newPage();
    await page.goto(`${server.base}/inloggen`);
    await page.getByLabel(/E-mailadres/).fill(USERS.admin);
    await page.getByLabel(/^Wachtwoord/).fill("wrong-password");
    await page.getByRole("button", { name: "Inloggen" }).click();
    await page
      .getByText("Het e-mailadres of het wachtwoord klopt niet.", { exact: false })
      .waitFor();
    await checkAxe(page, "sign-in with error");
    await shot(page, "signin-error");
    await page.context().close();
  });

  test("a screen the role may not see is refused; no sign-in goes to the sign-in page", async () => {
    const page = await newPage();
    await page.goto(`${server.base}/signalen`);
    await page.waitForURL(/\/inloggen\?next=%2Fsignalen/);
    await signIn(page, server.base, USERS.viewer, "/signalen");
    await page
      .getByRole("heading", { level: 1, name: "U hebt geen toegang tot dit scherm." })
      .waitFor();
    await page.context().close();
  });
});

describe("axe-core on every screen, wide and at 360 px", () => {
  for (const viewport of [WIDE, NARROW]) {
    const size = viewport.width;
    test(`public and sign-in pages at ${size}px`, async () => {
      const page = await newPage(viewport);
      await page.goto(`${server.base}/publiek`);
      await waitReady(page);
      await checkAxe(page, "publiek");
      await assertFits(page, "publiek");
      await shot(page, `publiek-${size}`);
      await page.goto(`${server.base}/inloggen`);
      await checkAxe(page, "inloggen");
      await assertFits(page, "inloggen");
      await shot(page, `inloggen-${size}`);
      await page.context().close();
    });

    test(`staff screens at ${size}px`, async () => {
      const page = await newPage(viewport);
      await signIn(page, server.base, USERS.admin, "/overzicht");
      const screens = [
        ["overzicht", "/overzicht"],
        ["locaties", "/locaties"],
        ["signalen", "/signalen"],
        ["deelnemers", "/deelnemers"],
        ["activiteiten", "/activiteiten"],
        ["financien", "/financien"],
      ];
      for (const [name, path] of screens) {
        // By address: "Locaties" and "Locatiezoektocht" share their first letters.
        await page.getByTestId("main-nav").locator(`a[href="${path}"]`).click();
        await page.waitForURL((u) => u.pathname === path);
        await waitReady(page);
        await checkAxe(page, name);
        await assertFits(page, name);
        await shot(page, `${name}-${size}`);
      }
      // Details: a location and a signal.
      await page.goto(`${server.base}/locaties`); // a reload keeps the session (refresh cookie)
      await waitReady(page);
      await page.getByRole("link", { name: "GOO Glipperweg" }).click();
      await waitReady(page);
      await page.getByTestId("residents").waitFor();
      await checkAxe(page, "locatie");
      await assertFits(page, "locatie");
      await shot(page, `locatie-${size}`);
      await page.getByRole("link", { name: "Signalen" }).click();
      await waitReady(page);
      await page.getByTestId("signal-results").getByRole("link").first().click();
      await page.waitForURL(/\/signalen\/[0-9a-f-]{36}/);
      await waitReady(page);
      await checkAxe(page, "signaal");
      await shot(page, `signaal-${size}`);
      // Details of the participant, activity and claim screens.
      const details = [
        ["Deelnemers", "participant-results", /\/deelnemers\/[0-9a-f-]{36}$/, "deelnemer"],
        ["Activiteiten", "activity-results", /\/activiteiten\/[0-9a-f-]{36}$/, "activiteit"],
        ["Financiën", "claim-results", /\/financien\/declaraties\/[0-9a-f-]{36}$/, "declaratie"],
      ];
      for (const [nav, list, url, name] of details) {
        await page.getByTestId("main-nav").getByRole("link", { name: nav }).click();
        await waitReady(page);
        if (nav === "Financiën") {
          // Financiën opens on the current year; the demo's claims are of 2025.
          await page.locator('select[name="year"]').selectOption("2025");
          await page.getByRole("button", { name: "Tonen" }).click();
          await page.waitForURL(/year=2025/);
          await waitReady(page);
        }
        await page.getByTestId(list).getByRole("link").first().click();
        await page.waitForURL(url);
        await waitReady(page);
        await checkAxe(page, name);
        await assertFits(page, name);
        await shot(page, `${name}-${size}`);
      }
      assert.deepEqual(page.jsErrors, []);
      await page.context().close();
    });
  }

  test("English switch", async () => {
    const page = await newPage();
    await signIn(page, server.base, USERS.coordinator, "/overzicht");
    await page.getByTestId("lang-switch").click();
    await page.getByRole("heading", { level: 1, name: "Overview" }).waitFor();
    assert.equal(await page.getAttribute("html", "lang"), "en");
    assert.deepEqual(await navNames(page), [
      "Overview",
      "Locations",
      "Participants",
      "Activities",
      "Signals",
      "Import",
      "Public support",
      "Neighbourhood",
      "Decisions",
      "Location search",
      "Dispersal Act",
      "Capacity plan",
      "Goals",
      "Council report",
    ]);
    await waitReady(page);
    await checkAxe(page, "overview (en)");
    await shot(page, "overview-en");
    await page.context().close();
  });
});

describe("journeys", () => {
  test("open the public page, without signing in", async () => {
    const page = await newPage(NARROW);
    const response = await page.goto(`${server.base}/publiek`);
    assert.equal(response.status(), 200);
    await page.getByRole("heading", { level: 1, name: "Opvang in Heemstede" }).waitFor();
    await waitReady(page);
    const tiles = await page.getByTestId("public-tiles").textContent();
    // The tile says what the API counts (the demo's number changes with the demo).
    const summary = await (await fetch(`${server.base}/api/v1/public/summary`)).json();
    const placed = summary.locationsTotal.occupied.count;
    assert.ok(placed > 0, "the demo has people placed");
    assert.match(tiles, new RegExp(`Mensen in de opvang\\s*${placed}`));
    assert.equal(await page.getByTestId("main-nav").count(), 0);
    await shot(page, "journey-publiek");
    await page.context().close();
  });

  test("partner sees its own world", async () => {
    const page = await newPage();
    await signIn(page, server.base, USERS.partner);
    const rows = await page.locator("tbody tr").count();
    const api = await page.evaluate(async () => document.title);
    assert.ok(rows >= 1, "the partner sees its locations");
    assert.match(api, /Locaties/);
    await shot(page, "partner-locaties");
    await page.context().close();
  });

  test("register a signal with a mistake, see the error at the field, then add an action", async () => {
    const page = await newPage();
    await signIn(page, server.base, USERS.coordinator, "/signalen");
    await page.getByTestId("new-signal").click(); // the form opens on demand
    const form = page.getByTestId("signal-form");
    // A summary of only spaces passes the browser but not the API: its 400 names the field.
    await form.getByLabel(/^Samenvatting/).fill("   ");
    await form.getByRole("button", { name: "Signaal registreren" }).click();
    const fieldError = form.locator('[data-field="summary"] .utrecht-form-field-error-message');
    await fieldError.waitFor();
    assert.ok((await fieldError.textContent()).length > 0);
    assert.equal(await form.getByLabel(/^Samenvatting/).getAttribute("aria-invalid"), "true");
    await checkAxe(page, "signal form with errors");
    await shot(page, "journey-signal-error");

    await form.getByLabel(/^Samenvatting/).fill("Geluidsoverlast bij de ingang, e2e-test.");
    await form.getByRole("button", { name: "Signaal registreren" }).click();
    await page.waitForURL(/\/signalen\/[0-9a-f-]{36}\?created=1/);
    await page.getByText("Het signaal is geregistreerd.").waitFor();
    await page
      .getByTestId("action-form")
      .getByLabel(/^Notitie/)
      .fill("Beheerder gebeld; morgen langs.");
    await page.getByRole("button", { name: "Vervolgactie toevoegen" }).click();
    await page.getByText("De vervolgactie is toegevoegd.").waitFor();
    await page.getByText("Beheerder gebeld; morgen langs.").waitFor();
    await shot(page, "journey-signal-action");
    await page.context().close();
  });

  test("overdue signals are highlighted", async () => {
    const page = await newPage();
    await signIn(page, server.base, USERS.coordinator, "/signalen?overdue=true");
    const rows = page.locator('tr[data-overdue="true"]');
    await rows.first().waitFor();
    const total = await page.locator("tbody tr").count();
    assert.ok(total > 0, "the demo has open high-severity signals older than 7 days");
    assert.equal(await rows.count(), total);
    await page.context().close();
  });

  test("an expired session asks to sign in again and keeps what was typed", async () => {
    const page = await newPage();
    await signIn(page, server.base, USERS.coordinator, "/signalen");
    await page.getByTestId("new-signal").click(); // the form opens on demand
    const form = page.getByTestId("signal-form");
    const text = "Typed before the session ran out.";
    await form.getByLabel(/^Samenvatting/).fill(text);
    // The API answers the next POST with 401, as it does for an expired token.
    let refused = false;
    await page.route("**/api/v1/signals", async (route) => {
      if (route.request().method() === "POST" && !refused) {
        refused = true;
        return route.fulfill({
          status: 401,
          contentType: "application/problem+json",
          body: JSON.stringify({
            type: "about:blank",
            title: "Unauthorized",
            status: 401,
            detail: "The access token has expired.",
          }),
        });
      }
      return route.continue();
    });
    // ... and the refresh grant fails too (the sign-in has ended), so the dialog opens.
    await page.route("**/api/v1/auth/token", async (route) => {
      if (!(route.request().postData() ?? "").includes("grant_type=refresh_token")) {
        return route.continue();
      }
      return route.fulfill({
        status: 400,
        contentType: "application/problem+json",
        body: JSON.stringify({ type: "about:blank", title: "Bad Request", status: 400 }),
      });
    });
    await form.getByRole("button", { name: "Signaal registreren" }).click();
    const dialog = page.getByTestId("reauth-dialog");
    await dialog.waitFor();
    assert.equal(await form.getByLabel(/^Samenvatting/).inputValue(), text);
    await checkAxe(page, "re-authentication dialog");
    await shot(page, "journey-session-expired");
    await dialog.getByLabel("Wachtwoord").fill(DEMO_PASSWORD);
    await dialog.getByRole("button", { name: "Inloggen" }).click();
    // The request goes again with the new token; the signal is registered once.
    await page.waitForURL(/\/signalen\/[0-9a-f-]{36}\?created=1/);
    await page.getByRole("heading", { level: 1, name: text }).waitFor();
    await page.context().close();
  });

  test("create a participant with a mistake, see the error at the field, then fix and save", async () => {
    const page = await newPage();
    await signIn(page, server.base, USERS.coordinator, "/deelnemers/nieuw");
    const form = page.getByTestId("participant-form");
    await form.getByLabel(/^Referentie/).fill("E2E-DEELNEMER-1");
    await form.getByLabel(/^Voornaam/).fill("Testa");
    await form.getByLabel(/^Doelgroep/).selectOption("ukrainian_displaced");
    // Not a country of the picker's list: sent as typed, the API's 400 names it.
    await form.getByLabel(/^Nationaliteit/).fill("Atlantis");
    await form.getByRole("button", { name: "Opslaan" }).click();
    const fieldError = form.locator('[data-field="nationality"] .utrecht-form-field-error-message');
    await fieldError.waitFor();
    assert.ok((await fieldError.textContent()).length > 0);
    assert.equal(await form.getByLabel(/^Nationaliteit/).getAttribute("aria-invalid"), "true");
    // The summary takes focus and links to the field.
    assert.equal(
      await page.evaluate(() => document.activeElement?.classList.contains("error-summary")),
      true,
    );
    await checkAxe(page, "participant form with errors");
    await shot(page, "journey-participant-error");

    await form.getByLabel(/^Nationaliteit/).fill("Oekra");
    await form.getByRole("option", { name: "Oekraïne", exact: true }).click();
    await form.getByRole("button", { name: "Opslaan" }).click();
    await page.waitForURL(/\/deelnemers\/[0-9a-f-]{36}\?created=1/);
    await page.getByText("De deelnemer is toegevoegd.").waitFor();
    const facts = await page.getByTestId("participant-facts").textContent();
    assert.match(facts, /E2E-DEELNEMER-1/);
    assert.match(facts, /Oekraïne/); // the name, not the code UKR
    assert.match(facts, /BSN/); // staff see the BSN field (empty here)
    assert.doesNotMatch(page.url(), /bsn|vNumber/i);
    await shot(page, "journey-participant-saved");
    assert.deepEqual(unexpected(page.jsErrors), []);
    await page.context().close();
  });

  test("a partner never sees a BSN", async () => {
    const page = await newPage();
    await signIn(page, server.base, USERS.partner, "/deelnemers");
    const links = page.getByTestId("participant-results").getByRole("link");
    await links.first().waitFor(); // the partner's residents: the demo places people at its locations
    await links.first().click();
    await page.waitForURL(/\/deelnemers\/[0-9a-f-]{36}$/);
    await waitReady(page);
    const facts = await page.getByTestId("participant-facts").textContent();
    assert.doesNotMatch(facts, /BSN/);
    assert.equal(await page.getByTestId("participant-edit").count(), 0);
    await page.context().close();
  });

  test("record attendance for a session date", async () => {
    // An activity with an active enrollment, found through the API as the coordinator.
    const token = await apiToken(USERS.coordinator);
    const enrollments = await apiGet(token, "/enrollments?status=active&pageSize=50");
    assert.ok(enrollments.items.length > 0, "the demo has active enrollments");
    const activityId = enrollments.items[0].activityId;
    const page = await newPage();
    await signIn(page, server.base, USERS.coordinator, `/activiteiten/${activityId}`);
    await page.getByTestId("enrollments").waitFor();
    await page.getByTestId("attendance-pick").getByRole("button", { name: "Lijst laden" }).click();
    const rows = page.getByTestId("attendance-list").locator("fieldset");
    await rows.first().waitFor();
    const count = await rows.count();
    assert.ok(count > 0);
    await rows.nth(0).getByLabel("Aanwezig", { exact: true }).check();
    if (count > 1) await rows.nth(1).getByLabel("Afgemeld", { exact: true }).check();
    await page.getByRole("button", { name: "Aanwezigheid opslaan" }).click();
    await page.getByText(/Aanwezigheid van .* opgeslagen/).waitFor();
    await checkAxe(page, "attendance");
    await shot(page, "journey-attendance");
    // Loaded again, the list shows what was saved.
    await page.getByTestId("attendance-pick").getByRole("button", { name: "Lijst laden" }).click();
    await page.getByTestId("attendance-list").locator("fieldset").first().waitFor();
    assert.equal(await rows.nth(0).getByLabel("Aanwezig", { exact: true }).isChecked(), true);
    assert.deepEqual(page.jsErrors, []);
    await page.context().close();
  });

  test("move a claim (finance); an uncovered period is refused at the period fields", async () => {
    const page = await newPage();
    await signIn(page, server.base, USERS.finance, "/financien?year=2025");
    await page.getByTestId("budget").locator("canvas").waitFor();
    // A period no rate covers: the 400 lands at the period fields.
    const claimForm = page.getByTestId("claim-form");
    await claimForm.getByLabel(/^Regeling/).selectOption("BOO-GOO");
    await claimForm.getByLabel(/^Begin periode/).fill("2001-01-01");
    await claimForm.getByLabel(/^Einde periode/).fill("2001-03-31");
    await claimForm.getByRole("button", { name: "Concept berekenen" }).click();
    await claimForm
      .locator('[data-field^="period"] .utrecht-form-field-error-message:not([hidden])')
      .first()
      .waitFor();
    await checkAxe(page, "claim form with errors");
    await shot(page, "journey-claim-uncovered");

    // A submitted claim of the demo: approve it.
    const claims = page.getByTestId("claim-results");
    const submitted = claims.locator('tr[data-status="submitted"] a');
    await claims.getByRole("link").first().waitFor();
    let moved;
    if ((await submitted.count()) > 0) {
      await submitted.first().click();
      moved = ["approve", "Goedgekeurd"];
    } else {
      await claimForm.getByLabel(/^Begin periode/).fill("2025-01-01");
      await claimForm.getByLabel(/^Einde periode/).fill("2025-03-31");
      await claimForm.getByRole("button", { name: "Concept berekenen" }).click();
      moved = ["submit", "Ingediend"];
    }
    await page.waitForURL(/\/financien\/declaraties\/[0-9a-f-]{36}/);
    await waitReady(page);
    await page.locator(`[data-move="${moved[0]}"]`).click();
    await page.getByTestId("confirm-dialog").locator('[data-confirm="yes"]').click();
    await page.getByTestId("claim-done").getByText(`De declaratie is nu: ${moved[1]}.`).waitFor();
    assert.equal(await page.getByTestId("claim-status").textContent(), moved[1]);
    await checkAxe(page, "claim after a move");
    await shot(page, "journey-claim-move");
    assert.deepEqual(unexpected(page.jsErrors), []);
    await page.context().close();
  });

  test("edit an expense with a mistake, see the error at the field, fix it and save; a stale version is reloaded", async () => {
    const page = await newPage(NARROW);
    await signIn(page, server.base, USERS.finance, "/financien?year=2025");
    const results = page.getByTestId("expense-results");
    const edit = results.locator("[data-edit]").first();
    await edit.waitFor();
    const id = await edit.getAttribute("data-edit");
    assert.match(await edit.getAttribute("aria-label"), /^Wijzigen: /);
    await edit.click();
    const form = page.getByTestId("expense-form");
    await page.getByRole("heading", { level: 3, name: "Uitgave wijzigen" }).waitFor();
    assert.equal(await form.getAttribute("data-mode"), "edit");
    // The form holds the stored expense.
    const token = await apiToken(USERS.finance);
    const stored = await apiGet(token, `/expenses/${id}`);
    assert.equal(await form.getByLabel(/^Omschrijving/).inputValue(), stored.description);
    assert.equal(await form.getByLabel(/^Datum/).inputValue(), stored.date);

    // Zero passes the browser but not the API: its 400 names the amount.
    await form.getByLabel(/^Bedrag/).fill("0");
    await form.getByLabel(/^Omschrijving/).fill("Huur april, e2e-test");
    await form.getByRole("button", { name: "Wijzigingen opslaan" }).click();
    const fieldError = form.locator('[data-field="amount"] .utrecht-form-field-error-message');
    await fieldError.waitFor();
    assert.ok((await fieldError.textContent()).length > 0);
    const amount = form.getByLabel(/^Bedrag/);
    assert.equal(await amount.getAttribute("aria-invalid"), "true");
    assert.ok(
      (await amount.getAttribute("aria-describedby"))
        .split(" ")
        .includes(await fieldError.getAttribute("id")),
    );
    assert.equal(
      await page.evaluate(() => document.activeElement?.classList.contains("error-summary")),
      true,
    );
    assert.equal(
      (await apiGet(token, `/expenses/${id}`)).version,
      stored.version,
      "nothing was saved",
    );
    await checkAxe(page, "expense edit with errors");
    await assertFits(page, "expense edit with errors");
    await shot(page, "journey-expense-error");

    await amount.fill("1.234,56");
    await form.getByRole("button", { name: "Wijzigingen opslaan" }).click();
    await page
      .getByTestId("expense-done")
      .getByText(/De wijziging is opgeslagen/)
      .waitFor();
    assert.equal(await form.getAttribute("data-mode"), "create");
    const saved = await apiGet(token, `/expenses/${id}`);
    assert.equal(saved.amount, "1234.56");
    assert.equal(saved.description, "Huur april, e2e-test");
    assert.equal(saved.version, stored.version + 1);
    const row = results.locator(`tr[data-expense="${id}"]`);
    await row.getByText("Huur april, e2e-test").waitFor();
    assert.match(await row.textContent(), /1\.234,56/);
    await shot(page, "journey-expense-saved");

    // A colleague changes it while the form is open: the save is refused (412), the form
    // shows the stored version and says so; saving again then works.
    await row.locator("[data-edit]").click();
    await page.getByRole("heading", { level: 3, name: "Uitgave wijzigen" }).waitFor();
    await apiPatch(token, `/expenses/${id}`, { description: "Gewijzigd door een collega" });
    await form.getByLabel(/^Omschrijving/).fill("Mijn wijziging");
    await form.getByRole("button", { name: "Wijzigingen opslaan" }).click();
    await form.getByText(/Iemand anders heeft deze uitgave intussen gewijzigd/).waitFor();
    assert.equal(await form.getByLabel(/^Omschrijving/).inputValue(), "Gewijzigd door een collega");
    await checkAxe(page, "expense edit, stale version");
    await form.getByLabel(/^Omschrijving/).fill("Mijn wijziging");
    await form.getByRole("button", { name: "Wijzigingen opslaan" }).click();
    await page
      .getByTestId("expense-done")
      .getByText(/De wijziging is opgeslagen/)
      .waitFor();
    assert.equal((await apiGet(token, `/expenses/${id}`)).description, "Mijn wijziging");
    assert.deepEqual(unexpected(page.jsErrors), []);
    await page.context().close();
  });

  test("set a draft claim's claimed amount, with the API's error at the field", async () => {
    const page = await newPage();
    await signIn(page, server.base, USERS.finance, "/financien?year=2025");
    const claimForm = page.getByTestId("claim-form");
    await claimForm.getByLabel(/^Regeling/).selectOption("BOO-GOO");
    await claimForm.getByLabel(/^Begin periode/).fill("2025-01-01");
    await claimForm.getByLabel(/^Einde periode/).fill("2025-01-31");
    await claimForm.getByRole("button", { name: "Concept berekenen" }).click();
    await page.waitForURL(/\/financien\/declaraties\/[0-9a-f-]{36}\?created=1/);
    await waitReady(page);
    const id = page.url().match(/declaraties\/([0-9a-f-]{36})/)[1];
    assert.equal(await page.getByTestId("claim-status").textContent(), "Concept");
    const form = page.getByTestId("claimed-form");
    const input = form.getByLabel(/^Gedeclareerd bedrag/);
    await checkAxe(page, "draft claim with the claimed-amount form");

    // Thirteen digits: a number to the browser, too many for the API (its 400 names the field).
    await input.fill("1234567890123");
    await form.getByRole("button", { name: "Bedrag opslaan" }).click();
    const fieldError = form.locator(
      '[data-field="claimedAmount"] .utrecht-form-field-error-message',
    );
    await fieldError.waitFor();
    assert.equal(await input.getAttribute("aria-invalid"), "true");
    assert.ok(
      (await input.getAttribute("aria-describedby"))
        .split(" ")
        .includes(await fieldError.getAttribute("id")),
    );
    await checkAxe(page, "claimed amount with an error");
    await shot(page, "journey-claimed-error");

    await input.fill("1.000,00");
    await form.getByRole("button", { name: "Bedrag opslaan" }).click();
    await page
      .getByTestId("claimed-done")
      .getByText(/Het gedeclareerde bedrag is opgeslagen: €\s1\.000,00/)
      .waitFor();
    assert.match(
      await page.getByTestId("claim-facts").textContent(),
      /Gedeclareerd bedrag\s*€\s1\.000,00/,
    );
    const token = await apiToken(USERS.finance);
    const claim = await apiGet(token, `/reimbursement-claims/${id}`);
    assert.equal(claim.claimedAmount, "1000.00");
    await shot(page, "journey-claimed-saved");

    // Changed elsewhere in the meantime: 412, the claim is read again, the message says so.
    await apiPatch(token, `/reimbursement-claims/${id}`, { claimedAmount: "900.00" });
    await input.fill("1100");
    await form.getByRole("button", { name: "Bedrag opslaan" }).click();
    await page.getByText(/Iemand anders heeft deze declaratie intussen gewijzigd/).waitFor();
    assert.equal(await input.inputValue(), "900,00");
    assert.equal((await apiGet(token, `/reimbursement-claims/${id}`)).claimedAmount, "900.00");

    // Once submitted, the claimed amount is fixed: the form is gone.
    await page.locator('[data-move="submit"]').click();
    await page.getByTestId("confirm-dialog").locator('[data-confirm="yes"]').click();
    await page.getByTestId("claim-done").getByText("De declaratie is nu: Ingediend.").waitFor();
    assert.equal(await page.getByTestId("claimed-form").isVisible(), false);
    assert.deepEqual(unexpected(page.jsErrors), []);
    await page.context().close();
  });

  test("the expense and claim forms in English", async () => {
    const page = await newPage(NARROW);
    await signIn(page, server.base, USERS.finance, "/financien?year=2025");
    await page.getByTestId("lang-switch").click();
    await page.getByRole("heading", { level: 1, name: "Finance" }).waitFor();
    await waitReady(page);
    const edit = page.getByTestId("expense-results").locator("[data-edit]").first();
    await edit.waitFor();
    assert.match(await edit.getAttribute("aria-label"), /^Edit: /);
    await edit.click();
    await page.getByRole("heading", { level: 3, name: "Edit expense" }).waitFor();
    await page.getByTestId("expense-form").getByRole("button", { name: "Save changes" }).waitFor();
    await checkAxe(page, "expense edit (en)");
    await assertFits(page, "expense edit (en)");
    await shot(page, "expense-edit-en");
    await page.context().close();
  });

  test("download the XLSX export", async () => {
    const page = await newPage();
    await signIn(page, server.base, USERS.finance, "/financien?year=2025");
    const [download, response] = await Promise.all([
      page.waitForEvent("download"),
      page.waitForResponse((r) => r.url().includes("/api/v1/exports/budget")),
      page.getByTestId("download-xlsx").click(),
    ]);
    assert.equal(response.status(), 200);
    assert.match(
      response.headers()["content-type"],
      /application\/vnd\.openxmlformats-officedocument\.spreadsheetml\.sheet/,
    );
    assert.equal(download.suggestedFilename(), "opvang-budget-2025.xlsx");
    const path = join(ARTIFACTS, "download-budget-2025.xlsx");
    await download.saveAs(path);
    assert.ok(statSync(path).size > 0, "the download is not empty");
    await page
      .getByTestId("export-status")
      .getByText(/is gedownload/)
      .waitFor();
    await shot(page, "financien-export");
    await page.context().close();
  });

  test("viewer sees only the budget; admin sees claims without move buttons", async () => {
    const page = await newPage();
    await signIn(page, server.base, USERS.viewer, "/financien?year=2025");
    await page.getByTestId("budget").locator("canvas").waitFor();
    assert.equal(await page.getByTestId("claim-results").count(), 0);
    assert.equal(await page.getByTestId("expense-form").count(), 0);
    await checkAxe(page, "financien viewer");
    await shot(page, "financien-viewer");
    await page.context().close();

    const admin = await newPage(NARROW);
    await signIn(admin, server.base, USERS.admin, "/financien?year=2025");
    await admin.getByTestId("claim-results").getByRole("link").first().click();
    await admin.waitForURL(/\/financien\/declaraties\//);
    await waitReady(admin);
    assert.equal(await admin.locator("[data-move]").count(), 0);
    await admin
      .getByText("Alleen de rol financiën wijzigt de status van een declaratie.")
      .waitFor();
    await shot(admin, "financien-admin-claim");
    await admin.context().close();
  });
});

/** Console errors besides the 400 and 412 a journey provokes on purpose (the browser
 * logs them). */
function unexpected(errors) {
  return errors.filter(
    (e) => !/status of (400 \(Bad Request\)|412 \(Precondition Failed\))/.test(e),
  );
}

async function apiToken(email) {
  const r = await fetch(`${server.base}/api/v1/auth/token`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "password",
      username: email,
      password: DEMO_PASSWORD,
    }).toString(),
  });
  assert.equal(r.status, 200);
  return (await r.json()).access_token;
}

async function apiPatch(token, path, body) {
  const r = await fetch(`${server.base}/api/v1${path}`, {
    method: "PATCH",
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  const text = await r.text();
  assert.equal(r.status, 200, `PATCH ${path}: ${r.status} ${text}`);
  return JSON.parse(text);
}

async function apiGet(token, path) {
  const r = await fetch(`${server.base}/api/v1${path}`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  assert.equal(r.status, 200, `${path}: ${r.status}`);
  return r.json();
}
