// Loading states (issue 16 §6): a bar at the top of the page while a screen loads or a
// request is under way (`holdProgress`, used by the shell), grey blocks where content will
// come (`skeleton`), and a progress bar for a long action of known size (`progressBar`,
// `uploadWithProgress` for an import). A busy button is busy.ts.
// Every busy element carries aria-busy="true" until it is done, so assistive technology and
// the end-to-end tests know when a screen has settled.

import { ApiError, buildUrl, getSession } from "./api";
import { API_BASE } from "./config";
import { h } from "./dom";
import { t } from "./i18n";
import { isProblem } from "./problems";

/** Grey lines where a screen's or a list's content will come; replace it with the content.
 * A screen reader hears "Laden…" once (a status), the lines themselves are hidden from it. */
export function skeleton(
  lines = 4,
  opts: { title?: boolean; label?: string } = {},
): HTMLDivElement {
  const bars = Array.from({ length: lines }, () =>
    h("div", { class: "skeleton__line", "aria-hidden": "true" }),
  );
  if (opts.title)
    bars.unshift(
      h("div", { class: "skeleton__line skeleton__line--title", "aria-hidden": "true" }),
    );
  return h(
    "div",
    { class: "skeleton", role: "status", "aria-busy": "true", "data-testid": "skeleton" },
    h("span", { class: "visually-hidden" }, opts.label ?? t("common.loading")),
    bars,
  );
}

let holds = 0;
let bar: HTMLElement | null = null;
let showTimer: ReturnType<typeof setTimeout> | undefined;

/** A thin indeterminate bar at the top of the page while something is held: a screen loading,
 * a request under way. Shown only when the hold lasts longer than `delayMs`, so a quick
 * answer does not flash; gone when the last hold is released. Returns the release. */
export function holdProgress(delayMs = 150): () => void {
  holds += 1;
  if (holds === 1) {
    showTimer = setTimeout(() => {
      bar = h("div", {
        class: "route-progress",
        role: "progressbar",
        "aria-label": t("polish.loadingScreen"),
        "aria-busy": "true",
        "data-testid": "route-progress",
      });
      document.body.append(bar);
    }, delayMs);
  }
  let released = false;
  return () => {
    if (released) return;
    released = true;
    holds -= 1;
    if (holds > 0) return;
    clearTimeout(showTimer);
    bar?.remove();
    bar = null;
  };
}

export interface ProgressBar {
  element: HTMLDivElement;
  /** `loaded` of `total` (bytes, rows…); without a total the bar is indeterminate */
  set: (loaded: number, total?: number) => void;
  /** the action is done: the bar says so and is no longer busy */
  done: (text?: string) => void;
}

/** A labelled progress bar for a long action of known size (an upload, an export). */
export function progressBar(label: string): ProgressBar {
  const bar = h("progress", { max: "100", "aria-label": label });
  const text = h("span", { "aria-live": "polite" }, label);
  const element = h("div", { class: "progress", "aria-busy": "true" }, text, bar);
  return {
    element,
    set(loaded, total) {
      if (!total) {
        bar.removeAttribute("value");
        return;
      }
      const percent = Math.min(100, Math.round((loaded / total) * 100));
      bar.value = percent;
      text.textContent = `${label} ${t("polish.percent", { percent })}`;
    },
    done(doneText) {
      bar.value = 100;
      element.removeAttribute("aria-busy");
      text.textContent = doneText ?? `${label} ${t("polish.percent", { percent: 100 })}`;
    },
  };
}

/** POSTs `form` (multipart, e.g. an import file) to `path`, telling `onProgress` how much of
 * the upload has gone (fetch cannot report upload progress, XMLHttpRequest can). Answers the
 * parsed JSON; a non-2xx answer rejects with an ApiError carrying its problem, a network
 * failure with an ApiError of status 0. Needs a session (the token is in memory). */
export function uploadWithProgress<T>(
  path: string,
  form: FormData,
  onProgress: (loaded: number, total: number) => void,
  query: Record<string, string> = {},
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", buildUrl(API_BASE, path, query));
    xhr.setRequestHeader("Accept", "application/json");
    const session = getSession();
    if (session) xhr.setRequestHeader("Authorization", `Bearer ${session.token}`);
    xhr.upload.addEventListener("progress", (e) => {
      if (e.lengthComputable) onProgress(e.loaded, e.total);
    });
    xhr.addEventListener("load", () => {
      let body: unknown;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = null;
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve(body as T);
      else reject(new ApiError(xhr.status, isProblem(body) ? body : null));
    });
    xhr.addEventListener("error", () => reject(new ApiError(0, null)));
    xhr.send(form);
  });
}
