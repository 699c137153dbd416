// End-to-end: a sign-in survives a reload and a new tab (the refresh-token cookie), and
// signing out ends it (issue 16 §6). The real server on the demo data, Debian's Chromium.
//
//   cd frontend && npx vite build && node --test e2e/session.test.mjs

import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { ARTIFACTS, USERS, launchBrowser, signIn, startServer, waitReady } from "./harness.mjs";

/** The sign-in page is shown (it marks no ready state of its own). */
async function onSignIn(page) {
  await page.waitForFunction(() => location.pathname === "/inloggen", null, { timeout: 15000 });
  await page.getByRole("button", { name: "Inloggen" }).waitFor();
}

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

async function newContext() {
  return browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "nl-NL" });
}

function watchErrors(page) {
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  return errors;
}

async function refreshCookie(context) {
  return (await context.cookies()).find((c) => c.name === "opvang_refresh");
}

test("a reload and a link opened in a new tab keep the session; sign-out ends it", async () => {
  const context = await newContext();
  const page = await context.newPage();
  const errors = watchErrors(page);
  await signIn(page, server.base, USERS.coordinator);
  assert.equal(new URL(page.url()).pathname, "/overzicht");

  // The refresh token: an HttpOnly, Secure, SameSite=Strict cookie on the auth path.
  // Chromium keeps a Secure cookie from http://127.0.0.1 (a secure context).
  const cookie = await refreshCookie(context);
  assert.ok(cookie, "the sign-in set no refresh cookie");
  assert.equal(cookie.httpOnly, true);
  assert.equal(cookie.secure, true);
  assert.equal(cookie.sameSite, "Strict");
  assert.equal(cookie.path, "/api/v1/auth");
  assert.ok(!(await page.evaluate(() => document.cookie)).includes("opvang_refresh"));
  assert.equal(await page.evaluate(() => localStorage.length + sessionStorage.length), 0);

  // Reload: still signed in, on the same screen, and the cookie has rotated.
  await page.reload();
  await waitReady(page);
  assert.equal(new URL(page.url()).pathname, "/overzicht");
  assert.equal(await page.evaluate(() => document.body.dataset.ready), "overview");
  assert.match(await page.getByTestId("signed-in-as").textContent(), /coordinator@heemstede/);
  const marker = (await context.cookies()).find((c) => c.name === "opvang_signed_in");
  assert.equal(marker?.value, "1");
  const rotated = await refreshCookie(context);
  assert.notEqual(rotated.value, cookie.value, "the refresh token was not rotated");
  await page.screenshot({ path: join(ARTIFACTS, "session-after-reload.png"), fullPage: true });

  // A link opened in a new tab (same browser, so the same cookie jar).
  const tab = await context.newPage();
  const tabErrors = watchErrors(tab);
  await tab.goto(`${server.base}/signalen`);
  await waitReady(tab);
  assert.equal(new URL(tab.url()).pathname, "/signalen");
  assert.equal(await tab.evaluate(() => document.body.dataset.ready), "signals");
  await tab.screenshot({ path: join(ARTIFACTS, "session-new-tab.png"), fullPage: true });

  // Both tabs reloaded at once: they take turns with the cookie, neither is signed out
  // (a refresh token used twice would end the sign-in).
  await Promise.all([page.reload(), tab.reload()]);
  await Promise.all([waitReady(page), waitReady(tab)]);
  assert.equal(await page.evaluate(() => document.body.dataset.ready), "overview");
  assert.equal(await tab.evaluate(() => document.body.dataset.ready), "signals");

  // In the app after a reload: another screen loads with the refreshed token.
  await page.getByTestId("main-nav").getByRole("link", { name: "Deelnemers" }).click();
  await page.waitForFunction(() => document.body.dataset.ready === "participants");

  // Sign out, then reload: the sign-in page.
  await page.getByRole("button", { name: "Uitloggen" }).click();
  await page.waitForFunction(() => location.pathname === "/inloggen");
  assert.equal(await refreshCookie(context), undefined, "sign-out left the cookie");
  const names = (await context.cookies()).map((c) => c.name);
  assert.ok(!names.includes("opvang_signed_in"), "sign-out left the marker cookie");
  await page.reload();
  await onSignIn(page);
  await page.goto(`${server.base}/overzicht`);
  await onSignIn(page);
  await page.screenshot({ path: join(ARTIFACTS, "session-signed-out.png"), fullPage: true });

  // The other tab's sign-in was the same one: revoked too, its reload asks to sign in.
  await tab.reload();
  await onSignIn(tab);
  assert.deepEqual([...errors, ...tabErrors], []);
  await context.close();
});

test("a stolen, already used refresh token ends the sign-in for the thief and the owner", async () => {
  const context = await newContext();
  const page = await context.newPage();
  await signIn(page, server.base, USERS.finance);
  const stolen = await context.cookies(); // the refresh cookie and its marker
  await page.reload(); // the owner's reload rotates it
  await waitReady(page);
  assert.equal(await page.evaluate(() => document.body.dataset.ready), "overview");

  const thief = await newContext();
  await thief.addCookies(stolen);
  const other = await thief.newPage();
  await other.goto(`${server.base}/financien`);
  await onSignIn(other);

  await page.reload(); // the owner's family was revoked with it
  await onSignIn(page);
  await thief.close();
  await context.close();
});

test("an access token that runs out is renewed without a sign-in dialog", async () => {
  const context = await newContext();
  const page = await context.newPage();
  const errors = watchErrors(page);
  await signIn(page, server.base, USERS.coordinator);
  const before = await refreshCookie(context);
  // The API answers the next list read with 401, as it does for an expired token.
  let refused = false;
  await page.route("**/api/v1/signals?**", async (route) => {
    if (!refused) {
      refused = true;
      return route.fulfill({
        status: 401,
        contentType: "application/problem+json",
        body: JSON.stringify({ type: "about:blank", title: "Unauthorized", status: 401 }),
      });
    }
    return route.continue();
  });
  await page.getByTestId("main-nav").getByRole("link", { name: "Signalen" }).click();
  await page.waitForFunction(() => document.body.dataset.ready === "signals");
  assert.ok(refused, "the 401 was never sent");
  assert.equal(await page.getByTestId("reauth-dialog").count(), 0);
  assert.notEqual((await refreshCookie(context)).value, before.value);
  assert.deepEqual(errors, []);
  await context.close();
});
