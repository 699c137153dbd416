// Where the API lives. Order: window.OPVANG_CONFIG.apiBase (static/config.js, editable where
// the dashboard is deployed), then VITE_API_BASE at build time, then this page's origin.

declare global {
  interface Window {
    OPVANG_CONFIG?: { apiBase?: string };
  }
}

export function resolveApiBase(
  runtime: { apiBase?: string } | undefined,
  buildTime: string | undefined,
): string {
  const base = runtime?.apiBase ?? buildTime ?? "";
  return base.replace(/\/+$/, "");
}

export const API_BASE = resolveApiBase(
  typeof window === "undefined" ? undefined : window.OPVANG_CONFIG,
  import.meta.env.VITE_API_BASE as string | undefined,
);
