// Shared by the end-to-end tests and the first-screen benchmark: a fresh SQLite database
// with the demo data, the real server (`opvang serve`) serving the built dist/, and
// Debian's Chromium driven by playwright-core (no browser download).

import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

export const FRONTEND = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const ROOT = resolve(FRONTEND, "..");
export const DIST = join(FRONTEND, "dist");
export const ARTIFACTS = join(FRONTEND, "e2e", "artifacts");
export const CHROMIUM = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
const OPVANG = process.env.OPVANG_BIN || join(ROOT, ".venv", "bin", "opvang");

// The users `opvang seed-demo` creates (api/demo/seed.py), all with the demo password.
export const DEMO_PASSWORD = "opvang-demo-2026";
export const USERS = {
  admin: "admin@heemstede.example",
  coordinator: "coordinator@heemstede.example",
  finance: "finance@heemstede.example",
  viewer: "viewer@heemstede.example",
  partner: "coa@coa.example",
};

function freePort() {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", fail);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => ok(port));
    });
  });
}

async function waitUp(url, child, seconds = 30) {
  const until = Date.now() + seconds * 1000;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`opvang serve exited with ${child.exitCode}`);
    try {
      const r = await fetch(url);
      if (r.ok) return;
    } catch {
      /* not yet */
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`server did not answer ${url} within ${seconds} s`);
}

/** Migrate and seed a throw-away database, then serve it with the built dashboard. */
export async function startServer() {
  if (!existsSync(join(DIST, "index.html"))) {
    throw new Error("frontend/dist is missing: run `npm run build` first");
  }
  if (!existsSync(OPVANG)) throw new Error(`${OPVANG} not found (run \`make install\`)`);
  const dir = mkdtempSync(join(tmpdir(), "opvang-e2e-"));
  const env = {
    ...process.env,
    OPVANG_DATABASE_URL: `sqlite:///${join(dir, "demo.db")}`,
    OPVANG_FRONTEND_DIR: DIST,
    OPVANG_ENVIRONMENT: "development",
  };
  execFileSync(OPVANG, ["migrate"], { env, cwd: ROOT, stdio: "ignore" });
  execFileSync(OPVANG, ["seed-demo"], { env, cwd: ROOT, stdio: "ignore" });
  const port = await freePort();
  const child = spawn(OPVANG, ["serve", "--host", "127.0.0.1", "--port", String(port)], {
    env,
    cwd: ROOT,
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (d) => {
    stderr = (stderr + d).slice(-4000);
  });
  const base = `http://127.0.0.1:${port}`;
  try {
    await waitUp(`${base}/api/v1/health`, child);
  } catch (error) {
    child.kill("SIGTERM");
    throw new Error(`${error.message}\n${stderr}`, { cause: error });
  }
  return {
    base,
    async stop() {
      if (child.exitCode === null) {
        child.kill("SIGTERM");
        await new Promise((r) => {
          const timer = setTimeout(() => {
            child.kill("SIGKILL");
            r();
          }, 5000);
          child.once("exit", () => {
            clearTimeout(timer);
            r();
          });
        });
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function launchBrowser() {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} not found: apt-get install -y chromium (or set CHROMIUM_PATH)`);
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"],
  });
}

/** Sign in through the real form; resolves when the landing screen is drawn. */
export async function signIn(page, base, email, next = "") {
  await page.goto(`${base}/inloggen${next ? `?next=${encodeURIComponent(next)}` : ""}`);
  await page.getByLabel(/E-mailadres|Email address/).fill(email);
  await page.getByLabel(/^(Wachtwoord|Password)/).fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: /^(Inloggen|Sign in)$/ }).click();
  try {
    await page.waitForFunction(
      () => !location.pathname.startsWith("/inloggen") && document.body.dataset.ready !== undefined,
      null,
      { timeout: 15000 },
    );
  } catch (error) {
    await page.screenshot({ path: join(ARTIFACTS, `failed-signin-${email}.png`), fullPage: true });
    const message = await page
      .getByTestId("signin-message")
      .textContent()
      .catch(() => "");
    throw new Error(
      `sign-in as ${email} did not land (${page.url()}; ${message}): ${error.message}`,
      { cause: error },
    );
  }
}

export async function waitReady(page, timeout = 15000) {
  await page.waitForFunction(() => document.body.dataset.ready !== undefined, null, { timeout });
}
