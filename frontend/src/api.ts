// The one way the dashboard talks to the API: over HTTP, as any partner would.
// The bearer token lives in this module's memory only (never localStorage). What keeps a
// sign-in over a reload or in a new tab is the refresh token, an HttpOnly cookie scripts
// cannot read: on page load `resumeSession` asks the refresh grant once for a new access
// token, and so does a request whose token has run out. Only when that fails (the sign-in
// ended, was revoked, or the role or password changed) does the request wait for
// `reauthenticate` (a sign-in dialog over the current screen: what the user typed stays
// in the page) and is then sent again.

import { API_BASE } from "./config";
import { isProblem, type Problem } from "./problems";

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem | null,
    /** seconds, from `Retry-After` (429, 503) */
    readonly retryAfter: number | null = null,
  ) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
  }
}

// --- whether the API can be reached (the outage banner listens) --------------

/** Status 0: no answer at all (network down, server stopped, CORS). */
export const UNREACHABLE = 0;
const OUTAGE_STATUSES = new Set([UNREACHABLE, 502, 503, 504]);
const reachabilityListeners = new Set<(reachable: boolean, status: number) => void>();

export function onReachability(fn: (reachable: boolean, status: number) => void): void {
  reachabilityListeners.add(fn);
}

function reportReachability(status: number): void {
  for (const fn of reachabilityListeners) fn(!OUTAGE_STATUSES.has(status), status);
}

/** `fetch`, with a failure to get any answer as ApiError(0) and every answer reported to
 * the reachability listeners (502-504 count as unreachable). */
async function send(url: string, init: RequestInit): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(url, init);
  } catch {
    reportReachability(UNREACHABLE);
    throw new ApiError(UNREACHABLE, null);
  }
  reportReachability(response.status);
  return response;
}

async function failure(response: Response): Promise<ApiError> {
  const seconds = Number(response.headers.get("Retry-After"));
  const retryAfter = Number.isFinite(seconds) && seconds > 0 ? seconds : null;
  return new ApiError(response.status, await readProblem(response), retryAfter);
}

export interface Session {
  token: string;
  role: string;
  email: string;
  partnerId: string | null;
  expiresAt: number; // ms since epoch
}

type Query = Record<string, string | number | boolean | null | undefined>;

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  headers?: Record<string, string>;
  /** false for the public endpoints: no token, no sign-in prompt */
  auth?: boolean;
}

let session: Session | null = null;
let reauthenticate: (() => Promise<void>) | null = null;
let pendingReauth: Promise<void> | null = null;
const sessionListeners = new Set<(s: Session | null) => void>();

export function getSession(): Session | null {
  return session;
}

export function setSession(next: Session | null): void {
  session = next;
  for (const fn of sessionListeners) fn(next);
}

export function onSessionChange(fn: (s: Session | null) => void): void {
  sessionListeners.add(fn);
}

export function setReauthenticate(fn: () => Promise<void>): void {
  reauthenticate = fn;
}

export function buildUrl(base: string, path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === null || value === undefined || value === "") continue;
    params.set(key, String(value));
  }
  const qs = params.toString();
  return `${base}/api/v1${path}${qs ? `?${qs}` : ""}`;
}

function idempotencyKey(): string {
  if (typeof crypto !== "undefined" && "randomUUID" in crypto) return crypto.randomUUID();
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}

// How many requests are under way: the shell shows a bar at the top of the page while any
// is (a claim being calculated, an export being made), so a long action is never silent.
let pending = 0;
const activityListeners = new Set<(pending: number) => void>();

export function onActivity(fn: (pending: number) => void): void {
  activityListeners.add(fn);
}

async function tracked(url: string, init: RequestInit): Promise<Response> {
  const notify = () => activityListeners.forEach((fn) => fn(pending));
  pending += 1;
  notify();
  try {
    return await send(url, init);
  } finally {
    pending -= 1;
    notify();
  }
}

async function readProblem(response: Response): Promise<Problem | null> {
  try {
    const body: unknown = await response.json();
    return isProblem(body) ? body : null;
  } catch {
    return null;
  }
}

async function ensureSignedIn(): Promise<void> {
  // Several requests failing at once share one refresh and, if need be, one dialog.
  pendingReauth ??= (async () => {
    if (await resumeSession()) return;
    if (!reauthenticate) throw new ApiError(401, null);
    await reauthenticate();
  })().finally(() => {
    pendingReauth = null;
  });
  await pendingReauth;
}

export async function request<T>(
  method: string,
  path: string,
  options: RequestOptions = {},
): Promise<T> {
  const auth = options.auth ?? true;
  const headers: Record<string, string> = { Accept: "application/json", ...options.headers };
  let body: BodyInit | undefined;
  if (options.body !== undefined) {
    headers["Content-Type"] = "application/json";
    body = JSON.stringify(options.body);
  }
  // The same key on a retry after signing in again, so the write happens once.
  if (method === "POST" && auth) headers["Idempotency-Key"] ??= idempotencyKey();
  const url = buildUrl(API_BASE, path, options.query);

  for (let attempt = 0; ; attempt++) {
    if (auth) {
      if (!session || session.expiresAt <= Date.now()) await ensureSignedIn();
      headers.Authorization = `Bearer ${session!.token}`;
    }
    const response = await tracked(url, { method, headers, body, credentials: "omit" });
    if (response.status === 401 && auth && attempt === 0) {
      if (session) setSession({ ...session, expiresAt: 0 });
      await ensureSignedIn();
      continue;
    }
    if (!response.ok) throw await failure(response);
    if (response.status === 204) return undefined as T;
    const type = response.headers.get("Content-Type") ?? "";
    return (type.includes("json") ? await response.json() : await response.text()) as T;
  }
}

/** A file from the API (an export): fetched with the token in the Authorization header,
 * since the token lives in memory only and a plain link could not carry it. */
export async function download(
  path: string,
  query: Query = {},
): Promise<{ blob: Blob; type: string; disposition: string | null }> {
  const url = buildUrl(API_BASE, path, query);
  for (let attempt = 0; ; attempt++) {
    if (!session || session.expiresAt <= Date.now()) await ensureSignedIn();
    const response = await tracked(url, {
      headers: { Accept: "*/*", Authorization: `Bearer ${session!.token}` },
      credentials: "omit",
    });
    if (response.status === 401 && attempt === 0) {
      if (session) setSession({ ...session, expiresAt: 0 });
      await ensureSignedIn();
      continue;
    }
    if (!response.ok) throw await failure(response);
    return {
      blob: await response.blob(),
      type: response.headers.get("Content-Type") ?? "",
      disposition: response.headers.get("Content-Disposition"),
    };
  }
}

export const get = <T>(path: string, query?: Query, auth = true): Promise<T> =>
  request<T>("GET", path, { query, auth });
export const post = <T>(path: string, body: unknown): Promise<T> =>
  request<T>("POST", path, { body });
export const put = <T>(path: string, body: unknown): Promise<T> =>
  request<T>("PUT", path, { body });
export const patch = <T>(path: string, body: unknown, version?: number): Promise<T> =>
  request<T>("PATCH", path, {
    body,
    headers: version === undefined ? {} : { "If-Match": `"${version}"` },
  });

export const del = (path: string, version?: number): Promise<unknown> =>
  request<unknown>("DELETE", path, {
    headers: version === undefined ? {} : { "If-Match": `"${version}"` },
  });

/** The `pid` (partner) claim of our own token: only used to shape the screens; the API
 * enforces the scoping itself. */
export function decodeClaims(token: string): Record<string, unknown> {
  try {
    const payload = token.split(".")[1] ?? "";
    const json = atob(payload.replace(/-/g, "+").replace(/_/g, "/"));
    return JSON.parse(json) as Record<string, unknown>;
  } catch {
    return {};
  }
}

interface TokenAnswer {
  access_token: string;
  expires_in: number;
  role: string;
  email?: string | null;
}

// The refresh cookie is marked SameSite=Strict and read by the API only with this header,
// which a page on another site cannot send (CSRF).
const SESSION_HEADERS = {
  "Content-Type": "application/x-www-form-urlencoded",
  Accept: "application/json",
  "X-Requested-With": "opvang-dashboard",
};

/** The token endpoint (RFC 6749): form-encoded, snake_case answer. The cookie goes along
 * ("same-origin"): the password grant sets it, the refresh grant sends and rotates it. */
async function tokenRequest(form: Record<string, string>, email: string): Promise<Session> {
  const response = await send(buildUrl(API_BASE, "/auth/token"), {
    method: "POST",
    headers: SESSION_HEADERS,
    body: new URLSearchParams(form).toString(),
    credentials: "same-origin",
  });
  if (!response.ok) throw await failure(response);
  const answer = (await response.json()) as TokenAnswer;
  const claims = decodeClaims(answer.access_token);
  const next: Session = {
    token: answer.access_token,
    role: answer.role,
    email: answer.email ?? email,
    partnerId: typeof claims.pid === "string" ? claims.pid : null,
    // A little early, so a request never leaves with a token about to lapse.
    expiresAt: Date.now() + Math.max(answer.expires_in - 10, 1) * 1000,
  };
  setSession(next);
  return next;
}

/** The password grant; it also sets the refresh cookie. */
export function signIn(email: string, password: string): Promise<Session> {
  return tokenRequest({ grant_type: "password", username: email, password }, email);
}

/** Tabs of one browser share the refresh cookie, and each use rotates it: a token used
 * twice ends the sign-in. So tabs take turns (Web Locks), and each sends the cookie
 * as the one before it left it. */
function oneTabAtATime<T>(task: () => Promise<T>): Promise<T> {
  const locks = typeof navigator === "undefined" ? undefined : navigator.locks;
  // The lock's promise settles with the task's own result.
  return locks ? (locks.request("opvang-refresh", task) as unknown as Promise<T>) : task();
}

/** Whether the API said a sign-in may be continued: the cookie `opvang_signed_in` (no
 * secret in it) that it sets beside the HttpOnly refresh cookie and clears with it. */
export function maySignInAgain(cookies: string): boolean {
  return cookies.split(";").some((c) => c.trim() === "opvang_signed_in=1");
}

/** The refresh grant (RFC 6749 §6): whether a new access token was had. On page load and
 * when a token has run out; false when there is no sign-in to continue (or the API cannot
 * be reached: the sign-in page says so). */
export function resumeSession(): Promise<boolean> {
  if (typeof document === "undefined" || !maySignInAgain(document.cookie)) {
    return Promise.resolve(false);
  }
  return oneTabAtATime(async () => {
    try {
      await tokenRequest({ grant_type: "refresh_token" }, session?.email ?? "");
      return true;
    } catch {
      return false;
    }
  });
}

/** Sign out: the refresh token is revoked (RFC 7009) and its cookie cleared, so a reload
 * asks to sign in again; the access token is forgotten. */
export async function signOut(): Promise<void> {
  setSession(null);
  try {
    await oneTabAtATime(() =>
      fetch(buildUrl(API_BASE, "/auth/revoke"), {
        method: "POST",
        headers: SESSION_HEADERS,
        credentials: "same-origin",
      }),
    );
  } catch {
    // Unreachable: the cookie stays until the sign-in ends by itself (12 hours at most).
  }
}
