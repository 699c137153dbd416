// A few lines of DOM building instead of a framework. Text always goes in as text nodes,
// never as HTML, so data from the API cannot inject markup.

import { busy } from "./busy";

type Attrs = Record<string, string | number | boolean | null | undefined | EventListener>;
export type Child = Node | string | number | null | undefined | false | Child[];

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith("on") && typeof value === "function") {
      el.addEventListener(key.slice(2).toLowerCase(), value);
    } else if (value === true) {
      el.setAttribute(key, "");
    } else {
      el.setAttribute(key, String(value));
    }
  }
  append(el, children);
  return el;
}

export function append(parent: Node, children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(parent, child);
    else parent.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Runs the async `handler` on each submit of `form`, with the submit button busy meanwhile
 * (busy.ts: a spinner, and no second submit until the handler is done). The listener itself
 * returns nothing, as the DOM expects of it; a failure the handler does not catch is an
 * unhandled rejection. */
export function onSubmit(
  form: HTMLFormElement,
  handler: (event: SubmitEvent) => Promise<void>,
): void {
  form.addEventListener("submit", (event) => {
    const button =
      event.submitter instanceof HTMLButtonElement
        ? event.submitter
        : form.querySelector<HTMLButtonElement>('button[type="submit"], button:not([type])');
    const work = handler(event);
    void (button ? busy(button, work) : work);
  });
}

export function clear(el: Element): void {
  while (el.firstChild) el.removeChild(el.firstChild);
}

let ids = 0;
export function uid(prefix: string): string {
  ids += 1;
  return `${prefix}-${ids}`;
}
