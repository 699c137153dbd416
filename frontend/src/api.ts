// The one way the dashboard talks to the API: over HTTP, as any partner would.
// The bearer token lives in this module's memory only (never localStorage), so a reload
// or a new tab signs in again. When the token has expired or the API answers 401, the
// request waits for `reauthenticate` (a sign-in dialog over the current screen: what
// the user typed stays in the page) and is then sent again.

import { API_BASE } from "./config";
import { isProblem, type Problem } from "./problems";

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem | null,
  ) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
  }
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
    return await fetch(url, init);
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
  if (!reauthenticate) throw new ApiError(401, null);
  // Several requests failing at once share one dialog.
  pendingReauth ??= reauthenticate().finally(() => {
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
    if (!response.ok) throw new ApiError(response.status, await readProblem(response));
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
    if (!response.ok) throw new ApiError(response.status, await readProblem(response));
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

/** The password grant (RFC 6749): form-encoded, snake_case answer. */
export async function signIn(email: string, password: string): Promise<Session> {
  const form = new URLSearchParams({ grant_type: "password", username: email, password });
  const response = await fetch(buildUrl(API_BASE, "/auth/token"), {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json" },
    body: form.toString(),
    credentials: "omit",
  });
  if (!response.ok) throw new ApiError(response.status, await readProblem(response));
  const answer = (await response.json()) as {
    access_token: string;
    expires_in: number;
    role: string;
  };
  const claims = decodeClaims(answer.access_token);
  const next: Session = {
    token: answer.access_token,
    role: answer.role,
    email,
    partnerId: typeof claims.pid === "string" ? claims.pid : null,
    // A little early, so a request never leaves with a token about to lapse.
    expiresAt: Date.now() + Math.max(answer.expires_in - 10, 1) * 1000,
  };
  setSession(next);
  return next;
}

export function signOut(): void {
  setSession(null);
}
