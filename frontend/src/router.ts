// History routing: real paths (/overzicht, /locaties/<id>, /publiek). The server answers
// index.html for page paths it has no file for (api/main.py, DashboardFiles).

export interface Match {
  name: string;
  params: Record<string, string>;
}

export interface RouteDef {
  name: string;
  pattern: string; // "/locaties/:id"
}

export function matchRoute(routes: RouteDef[], path: string): Match | null {
  const clean = path.length > 1 ? path.replace(/\/+$/, "") : path;
  const parts = clean.split("/").filter(Boolean);
  for (const route of routes) {
    const want = route.pattern.split("/").filter(Boolean);
    if (want.length !== parts.length) continue;
    const params: Record<string, string> = {};
    let ok = true;
    want.forEach((seg, i) => {
      const got = parts[i]!;
      if (seg.startsWith(":")) params[seg.slice(1)] = decodeURIComponent(got);
      else if (seg !== got) ok = false;
    });
    if (ok) return { name: route.name, params };
  }
  return null;
}

let handler: (() => void) | null = null;

export function startRouter(onChange: () => void): void {
  handler = onChange;
  window.addEventListener("popstate", onChange);
  // Same-origin links inside the app navigate without a page load.
  document.addEventListener("click", (event) => {
    if (event.defaultPrevented || event.button !== 0) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const a = (event.target as Element | null)?.closest?.("a");
    if (!a || a.target || a.hasAttribute("download")) return;
    const url = new URL(a.href, location.href);
    if (url.origin !== location.origin || url.pathname.startsWith("/api/")) return;
    if (url.hash && url.pathname === location.pathname) return; // in-page anchor (skip link)
    event.preventDefault();
    navigate(url.pathname + url.search);
  });
  onChange();
}

export function navigate(to: string, replace = false): void {
  if (to === location.pathname + location.search) {
    handler?.();
    return;
  }
  if (replace) history.replaceState(null, "", to);
  else history.pushState(null, "", to);
  handler?.();
}
