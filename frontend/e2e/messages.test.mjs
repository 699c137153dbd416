// End-to-end, issue 16 §2: Dutch, human messages. A form error in Dutch at its field, the
// country and language pickers, the enroll form's searchable participant list, sign-in's
// three failures (wrong password, lockout with its wait, the API stopped), and the outage
// banner with its retry (the API unreachable, a screen's code chunk not loading). The real
// server on the demo data, the real pages in Debian's Chromium, axe on each new state at
// 1280 and 360 px. Run alone: `npx vite build && node --test e2e/messages.test.mjs`.

import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import {
  ARTIFACTS,
  checkAxe as axeCheck,
  DEMO_PASSWORD,
  launchBrowser,
  NARROW,
  newPage as openPage,
  signIn,
  startServer,
  USERS,
  waitReady,
  WIDE,
} from "./harness.mjs";

// WCAG 2.1 AA, plus landmark-unique (issue 16: no two regions with the same name).
// What must never reach people: regexes, enum values, English API sentences, raw errors.
const RAW =
  /String should|Input should|match pattern|\^\[|Failed to fetch|urn:opvang|Field required|No rate covers|_displaced/;

let server;
let browser;

const newPage = (viewport = WIDE) => openPage(browser, viewport, { console: false });
const checkAxe = (page, name, include) =>
  axeCheck(page, name, { include: include ? [include] : [] });

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
  page.screenshot({ path: join(ARTIFACTS, `messages-${name}.png`), fullPage: true });

async function bothWidths(page, name, include) {
  for (const viewport of [WIDE, NARROW]) {
    await page.setViewportSize(viewport);
    await checkAxe(page, `${name} at ${viewport.width}`, include);
    await shot(page, `${name}-${viewport.width}`);
  }
  await page.setViewportSize(WIDE);
}

async function assertNoRawText(page) {
  const text = await page.locator("body").innerText();
  assert.doesNotMatch(text, RAW);
}

describe("forms: Dutch at the field, pickers instead of codes", () => {
  test("participant form: errors in Dutch at their fields; nationality and languages picked by name", async () => {
    const page = await newPage();
    await signIn(page, server.base, USERS.coordinator, "/deelnemers/nieuw");
    const form = page.getByTestId("participant-form");
    await form.getByLabel(/^Referentie/).fill("E2E-MSG-1");
    await form.getByLabel(/^Doelgroep/).selectOption("asylum_seeker");
    await form.getByLabel(/^BSN/).fill("123456789"); // 9 digits, fails the 11-test
    await form.getByLabel(/^V-nummer/).fill("V-12");
    await form.getByLabel(/^Nationaliteit/).fill("Atlantis");
    await form.getByRole("button", { name: "Opslaan" }).click();
    const errorAt = (name) =>
      form.locator(`[data-field="${name}"] .utrecht-form-field-error-message`);
    await errorAt("bsn").waitFor();
    assert.equal(
      await errorAt("bsn").textContent(),
      "Dit is geen geldig BSN. Controleer de 9 cijfers.",
    );
    assert.match(await errorAt("vNumber").textContent(), /^Een V-nummer heeft 1 tot 20 letters/);
    assert.equal(await errorAt("nationality").textContent(), "Kies een land uit de lijst.");
    // The summary names each field by its label.
    const summary = await page.locator(".error-summary").innerText();
    assert.match(summary, /BSN: Dit is geen geldig BSN/);
    await assertNoRawText(page);
    await bothWidths(page, "participant-errors");

    // The pickers: type a few letters, choose with the keyboard.
    await form.getByLabel(/^BSN/).fill("");
    await form.getByLabel(/^V-nummer/).fill("V12");
    const nationality = form.getByRole("combobox", { name: /^Nationaliteit/ });
    await nationality.fill("syr");
    const listbox = form.getByRole("listbox", { name: "Keuzes voor Nationaliteit" });
    await listbox.getByRole("option", { name: "Syrië" }).waitFor();
    await nationality.press("ArrowDown");
    assert.equal(await nationality.getAttribute("aria-expanded"), "true");
    const active = await nationality.getAttribute("aria-activedescendant");
    assert.equal(await page.locator(`[id="${active}"]`).textContent(), "Syrië");
    await bothWidths(page, "nationality-list-open");
    await nationality.press("Enter");
    assert.equal(await nationality.inputValue(), "Syrië");
    const languages = form.getByRole("combobox", { name: /^Talen/ });
    await languages.fill("arab");
    await form
      .getByRole("listbox", { name: "Keuzes voor Talen" })
      .getByRole("option", { name: "Arabisch" })
      .waitFor();
    await languages.press("ArrowDown");
    await languages.press("Enter");
    await languages.fill("koerd");
    await form.getByRole("option", { name: "Koerdisch" }).click();
    const chosen = form.getByRole("list", { name: "Gekozen" });
    assert.deepEqual(await chosen.locator("li span").allTextContents(), ["Arabisch", "Koerdisch"]);
    await form.getByRole("button", { name: "Koerdisch weghalen" }).click();
    await bothWidths(page, "pickers-chosen");

    await form.getByRole("button", { name: "Opslaan" }).click();
    await page.waitForURL(/\/deelnemers\/[0-9a-f-]{36}\?created=1/);
    const facts = await page.getByTestId("participant-facts").textContent();
    // Stored as codes (SYR, ar), shown by their names.
    assert.match(facts, /Syrië/);
    assert.match(facts, /Arabisch/);
    assert.doesNotMatch(facts, /SYR/);
    assert.deepEqual(page.jsErrors, []);
    await page.context().close();
  });

  test("the enroll form chooses a participant from a searchable list sorted by name", async () => {
    const page = await newPage();
    await signIn(page, server.base, USERS.coordinator, "/activiteiten");
    await page
      .getByRole("link")
      .filter({ hasText: /NT2|Taal|Nederlands/ })
      .first()
      .click();
    await waitReady(page);
    const form = page.getByTestId("enroll-form");
    const box = form.getByRole("combobox", { name: /^Deelnemer/ });
    await box.click();
    const list = form.getByRole("listbox");
    const names = await list.getByRole("option").allTextContents();
    assert.ok(names.length > 15, `a long list (${names.length})`);
    const sorted = [...names].sort(new Intl.Collator("nl-NL").compare);
    assert.deepEqual(names, sorted);
    await box.fill(names[3].slice(0, 4));
    await list.getByRole("option").first().waitFor();
    assert.ok((await list.getByRole("option").count()) < names.length);
    await bothWidths(page, "enroll-list", '[data-testid="enroll-form"]');
    await box.press("Escape");
    await page.context().close();
  });
});

describe("sign-in tells its failures apart", () => {
  test("a wrong password", async () => {
    const page = await newPage();
    await page.goto(`${server.base}/inloggen`);
    await page.getByLabel(/E-mailadres/).fill(USERS.viewer);
    await page.getByLabel(/^Wachtwoord/).fill("wrong-password");
    await page.getByRole("button", { name: "Inloggen" }).click();
    const message = page.getByTestId("signin-message");
    await message
      .getByText("Het e-mailadres of het wachtwoord klopt niet.", { exact: false })
      .waitFor();
    await page.context().close();
  });

  test("too many attempts, with the time to wait in Dutch", async () => {
    const page = await newPage();
    await page.goto(`${server.base}/inloggen`);
    const message = page.getByTestId("signin-message");
    // An account of its own (the lockout counts per account and address).
    await page.getByLabel(/E-mailadres/).fill("niemand@heemstede.example");
    for (let i = 0; i < 6; i++) {
      await page.getByLabel(/^Wachtwoord/).fill(`wrong-${i}`);
      await page.getByRole("button", { name: "Inloggen" }).click();
      await message.locator(".utrecht-alert").waitFor();
      if (/Te veel/.test(await message.innerText())) break;
    }
    const text = await message.innerText();
    assert.match(
      text,
      /^Te veel mislukte pogingen\. Wacht \d+ (minuten|minuut|seconden) en probeer/,
    );
    await bothWidths(page, "signin-throttled");
    await page.context().close();
  });

  test("the API stopped: unreachable, try again; and the outage banner", async () => {
    const own = await startServer();
    const page = await newPage();
    try {
      await page.goto(`${own.base}/inloggen`);
      await page.getByLabel(/E-mailadres/).waitFor();
      await own.stop();
      await page.getByLabel(/E-mailadres/).fill(USERS.admin);
      await page.getByLabel(/^Wachtwoord/).fill(DEMO_PASSWORD);
      await page.getByRole("button", { name: "Inloggen" }).click();
      const message = page.getByTestId("signin-message");
      await message.getByText("De server is nu niet bereikbaar.", { exact: false }).waitFor();
      assert.match(
        await message.innerText(),
        /Dat ligt niet aan uw wachtwoord\. Probeer het .* opnieuw/,
      );
      // The password is kept: it was not wrong.
      assert.equal(await page.getByLabel(/^Wachtwoord/).inputValue(), DEMO_PASSWORD);
      await page.getByTestId("outage").getByText("De server is nu niet bereikbaar.").waitFor();
      await assertNoRawText(page);
      await bothWidths(page, "signin-unreachable");
    } finally {
      await own.stop();
      await page.context().close();
    }
  });
});

describe("the outage banner", () => {
  test("API unreachable: banner with retry; retry redraws the screen", async () => {
    const page = await newPage();
    await signIn(page, server.base, USERS.coordinator);
    const down = (route) => route.abort("connectionrefused");
    await page.route("**/api/v1/**", down);
    await page.getByTestId("main-nav").getByRole("link", { name: "Locaties" }).click();
    const banner = page.getByTestId("outage");
    await banner.getByText("De server is nu niet bereikbaar.", { exact: false }).waitFor();
    await assertNoRawText(page);
    await bothWidths(page, "outage-api");
    // Still down: the banner says so.
    await banner.getByRole("button", { name: "Probeer opnieuw" }).click();
    await banner.getByText("Het lukt nog niet.", { exact: false }).waitFor();
    await page.unroute("**/api/v1/**", down);
    await banner.getByRole("button", { name: "Probeer opnieuw" }).click();
    await banner.waitFor({ state: "hidden" });
    await page.waitForFunction(() => document.body.dataset.ready === "locations");
    await page.getByRole("heading", { level: 1, name: "Locaties" }).waitFor();
    await page.context().close();
  });

  test("a screen's code chunk fails to load: banner; retry loads it", async () => {
    const page = await newPage();
    await signIn(page, server.base, USERS.coordinator);
    const fail = (route) => route.abort("internetdisconnected");
    await page.route(/\/assets\/signals-[\w-]+\.js$/, fail);
    await page.getByTestId("main-nav").getByRole("link", { name: "Signalen" }).click();
    const banner = page.getByTestId("outage");
    await banner
      .getByText("Dit deel van het dashboard kon niet worden geladen.", { exact: false })
      .waitFor();
    await assertNoRawText(page);
    await bothWidths(page, "outage-chunk");
    await page.unroute(/\/assets\/signals-[\w-]+\.js$/, fail);
    await banner.getByRole("button", { name: "Probeer opnieuw" }).click();
    await page.waitForFunction(() => document.body.dataset.ready === "signals", null, {
      timeout: 15000,
    });
    await banner.waitFor({ state: "hidden" });
    await shot(page, "outage-chunk-recovered");
    await page.context().close();
  });
});
