// The outage banner: when the API gives no answer (network error, server stopped) or a
// proxy's 502-504, or a screen's code chunk fails to load, one banner under the page
// header says so in plain words, with a "Probeer opnieuw" button. The page itself stays
// as it is, so nothing typed is lost. The element is made once and moved into each new
// header (main.ts), so it outlives route changes and lives inside the banner landmark.

import "./outage.css";

import { clear, h } from "./dom";
import { t } from "./i18n";

export type OutageKind = "api" | "chunk";

let element: HTMLDivElement | null = null;
let current: OutageKind | null = null;
let retry: () => Promise<void> = () => Promise.resolve();
let announce: (text: string) => void = () => undefined;

/** The banner's element (hidden while all is well), to place in the page header. */
export function outageElement(): HTMLDivElement {
  element ??= h("div", { class: "outage", "data-testid": "outage", hidden: true });
  return element;
}

/** What "Probeer opnieuw" does (main.ts: ask the API, redraw a screen that failed), and
 * how to tell screen-reader users that the connection is back. */
export function setOutageHandlers(o: {
  retry: () => Promise<void>;
  announce: (text: string) => void;
}): void {
  retry = o.retry;
  announce = o.announce;
}

export function outageKind(): OutageKind | null {
  return current;
}

export function showOutage(kind: OutageKind, still = false): void {
  const box = outageElement();
  // The same banner again (a second failing request) is not announced twice.
  if (current === kind && !box.hidden && !still) return;
  current = kind;
  const button = h(
    "button",
    {
      type: "button",
      class: "utrecht-button utrecht-button--secondary-action",
      "data-testid": "outage-retry",
    },
    t("outage.retry"),
  );
  button.addEventListener("click", () => {
    button.disabled = true;
    button.setAttribute("aria-busy", "true");
    void retry().finally(() => {
      button.disabled = false;
      button.removeAttribute("aria-busy");
      if (current !== null && !box.hidden) showOutage(current, true);
    });
  });
  clear(box);
  box.append(
    h(
      "div",
      { class: "utrecht-alert utrecht-alert--warning outage__alert", role: "alert" },
      h(
        "div",
        { class: "utrecht-alert__content" },
        h("p", { class: "utrecht-paragraph" }, t(kind === "api" ? "outage.api" : "outage.chunk")),
        still ? h("p", { class: "utrecht-paragraph" }, t("outage.still")) : null,
        button,
      ),
    ),
  );
  box.hidden = false;
}

/** All is well again: the banner goes (only the kind given, when given). */
export function hideOutage(kind?: OutageKind): void {
  if (current === null || (kind && kind !== current)) return;
  current = null;
  const box = outageElement();
  box.hidden = true;
  clear(box);
  announce(t("outage.back"));
}
