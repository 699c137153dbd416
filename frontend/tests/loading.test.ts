import { afterEach, describe, expect, it, vi } from "vitest";
import { get, onActivity } from "../src/api";
import { busy } from "../src/busy";
import { h, onSubmit } from "../src/dom";
import { holdProgress, progressBar, skeleton, uploadWithProgress } from "../src/loading";
import { button } from "../src/ui";

function deferred<T = void>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((ok, fail) => {
    resolve = ok;
    reject = fail;
  });
  return { promise, resolve, reject };
}

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
  document.body.replaceChildren();
});

describe("busy", () => {
  it("marks the button busy, refuses a second press, and restores it", async () => {
    let presses = 0;
    const button = h("button", { type: "button", onclick: () => (presses += 1) }, "Berekenen");
    document.body.append(button);
    const work = deferred<number>();
    const done = busy(button, work.promise, "Bezig…");
    expect(button.getAttribute("aria-busy")).toBe("true");
    expect(button.getAttribute("aria-disabled")).toBe("true");
    expect(button.textContent).toBe("Bezig…");
    button.click();
    expect(presses).toBe(0);
    work.resolve(7);
    expect(await done).toBe(7);
    expect(button.hasAttribute("aria-busy")).toBe(false);
    expect(button.textContent).toBe("Berekenen");
    button.click();
    expect(presses).toBe(1);
  });

  it("restores the button when the work fails", async () => {
    const button = h("button", { type: "button" }, "Opslaan");
    await expect(busy(button, () => Promise.reject(new Error("nee")))).rejects.toThrow("nee");
    expect(button.hasAttribute("aria-busy")).toBe(false);
    expect(button.hasAttribute("aria-disabled")).toBe(false);
  });
});

describe("button", () => {
  it("an action that answers a promise keeps the button busy until it settles", async () => {
    const work = deferred();
    let presses = 0;
    const b = button("Download Excel (XLSX)", {
      onclick: () => {
        presses += 1;
        return work.promise;
      },
    });
    document.body.append(b);
    b.click();
    expect(b.getAttribute("aria-busy")).toBe("true");
    b.click();
    expect(presses).toBe(1);
    work.resolve();
    await work.promise;
    await Promise.resolve();
    expect(b.hasAttribute("aria-busy")).toBe(false);
    b.click();
    expect(presses).toBe(2);
  });
});

describe("onSubmit", () => {
  it("keeps the submit button busy while the handler runs; a second submit is refused", async () => {
    const submit = h("button", { type: "submit" }, "Opslaan");
    const form = h("form", {}, submit);
    document.body.append(form);
    const runs: ReturnType<typeof deferred<void>>[] = [];
    onSubmit(form, (e) => {
      e.preventDefault();
      const d = deferred();
      runs.push(d);
      return d.promise;
    });
    form.requestSubmit(submit);
    expect(runs).toHaveLength(1);
    expect(submit.getAttribute("aria-busy")).toBe("true");
    form.requestSubmit(submit);
    expect(runs).toHaveLength(1);
    runs[0]!.resolve();
    await runs[0]!.promise;
    await Promise.resolve();
    expect(submit.hasAttribute("aria-busy")).toBe(false);
    form.requestSubmit(submit);
    expect(runs).toHaveLength(2);
    runs[1]!.resolve();
  });
});

describe("skeleton and progress", () => {
  it("a skeleton is one busy status with a text for screen readers", () => {
    const s = skeleton(3, { title: true });
    expect(s.getAttribute("role")).toBe("status");
    expect(s.getAttribute("aria-busy")).toBe("true");
    expect(s.querySelectorAll(".skeleton__line")).toHaveLength(4);
    expect(s.textContent).toBe("Laden…");
  });

  it("the top bar shows only after the delay and goes with the last hold", () => {
    vi.useFakeTimers();
    const quick = holdProgress(150);
    vi.advanceTimersByTime(100);
    quick();
    vi.advanceTimersByTime(500);
    expect(document.querySelector(".route-progress")).toBeNull();

    const first = holdProgress(150);
    const second = holdProgress(150);
    vi.advanceTimersByTime(200);
    const bar = document.querySelector(".route-progress");
    expect(bar?.getAttribute("role")).toBe("progressbar");
    expect(bar?.getAttribute("aria-label")).toBe("Het scherm wordt geladen");
    first();
    first(); // a second release of the same hold counts once
    expect(document.querySelector(".route-progress")).not.toBeNull();
    second();
    expect(document.querySelector(".route-progress")).toBeNull();
  });

  it("a progress bar says how far, and is no longer busy when done", () => {
    const p = progressBar("Bestand uploaden");
    p.set(50, 200);
    const bar = p.element.querySelector("progress")!;
    expect(bar.value).toBe(25);
    expect(p.element.textContent).toContain("(25%)");
    expect(p.element.getAttribute("aria-busy")).toBe("true");
    p.done("Klaar");
    expect(bar.value).toBe(100);
    expect(p.element.hasAttribute("aria-busy")).toBe(false);
    expect(p.element.textContent).toBe("Klaar");
  });
});

/** XMLHttpRequest as the browser has it: the test drives its upload events and answer. */
class FakeXhr {
  static last: FakeXhr;
  upload = new EventTarget();
  events = new EventTarget();
  status = 0;
  responseText = "";
  url = "";
  headers: Record<string, string> = {};
  sent: unknown;
  constructor() {
    FakeXhr.last = this;
  }
  open(_method: string, url: string) {
    this.url = url;
  }
  setRequestHeader(name: string, value: string) {
    this.headers[name] = value;
  }
  addEventListener(type: string, fn: EventListener) {
    this.events.addEventListener(type, fn);
  }
  send(body: unknown) {
    this.sent = body;
  }
  answer(status: number, body: unknown) {
    this.status = status;
    this.responseText = JSON.stringify(body);
    this.events.dispatchEvent(new Event("load"));
  }
}

function progressEvent(loaded: number, total: number): Event {
  return Object.assign(new Event("progress"), { lengthComputable: true, loaded, total });
}

describe("uploadWithProgress", () => {
  it("reports the upload's progress and answers the JSON", async () => {
    vi.stubGlobal("XMLHttpRequest", FakeXhr);
    const seen: number[] = [];
    const form = new FormData();
    const answer = uploadWithProgress<{ rowsTotal: number }>(
      "/imports/participants",
      form,
      (loaded, total) => seen.push(loaded / total),
      { dryRun: "true" },
    );
    const xhr = FakeXhr.last;
    expect(xhr.url).toMatch(/\/api\/v1\/imports\/participants\?dryRun=true$/);
    expect(xhr.sent).toBe(form);
    xhr.upload.dispatchEvent(progressEvent(50, 100));
    xhr.upload.dispatchEvent(progressEvent(100, 100));
    xhr.answer(200, { rowsTotal: 3 });
    expect(await answer).toEqual({ rowsTotal: 3 });
    expect(seen).toEqual([0.5, 1]);
  });

  it("rejects a problem answer with its problem", async () => {
    vi.stubGlobal("XMLHttpRequest", FakeXhr);
    const answer = uploadWithProgress("/imports/participants", new FormData(), () => {});
    FakeXhr.last.answer(400, { type: "about:blank", title: "Bad", status: 400 });
    await expect(answer).rejects.toMatchObject({ status: 400, problem: { title: "Bad" } });
  });
});

describe("request activity", () => {
  it("counts the requests under way, for the shell's top bar", async () => {
    const answer = deferred<Response>();
    vi.stubGlobal("fetch", () => answer.promise);
    const seen: number[] = [];
    onActivity((n) => seen.push(n));
    const done = get("/public/summary", {}, false);
    expect(seen).toEqual([1]);
    answer.resolve(new Response("{}", { headers: { "Content-Type": "application/json" } }));
    await done;
    expect(seen).toEqual([1, 0]);
  });
});
