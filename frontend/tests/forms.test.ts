// The form helpers: a local problem at its field and in the summary, a message at no
// field (a stale version), the API's 412, and a choice the list lacks.

import { describe, expect, it } from "vitest";
import { ApiError } from "../src/api";
import { errorSummary, isStale, setValue, showLocalProblems, showMessage } from "../src/forms";
import { field } from "../src/ui";

describe("form helpers", () => {
  it("shows a local problem at its field, tied with aria-describedby, and in the summary", () => {
    const f = field({ name: "amount", label: "Bedrag", description: "In euro's" });
    const summary = errorSummary();
    document.body.append(summary, f.wrap);
    showLocalProblems([f], summary, [{ name: "amount", detail: "Geen bedrag." }]);
    const error = f.wrap.querySelector<HTMLElement>(".utrecht-form-field-error-message")!;
    expect(error.hidden).toBe(false);
    expect(error.textContent).toBe("Geen bedrag.");
    expect(f.control.getAttribute("aria-invalid")).toBe("true");
    expect(f.control.getAttribute("aria-describedby")!.split(" ")).toContain(error.id);
    expect(summary.hidden).toBe(false);
    expect(summary.querySelector("a")!.getAttribute("href")).toBe(`#${f.control.id}`);
  });

  it("shows a message at no field (a stale version)", () => {
    const f = field({ name: "amount", label: "Bedrag" });
    const summary = errorSummary();
    showMessage([f], summary, 412, "Iemand anders heeft dit gewijzigd.");
    expect(summary.textContent).toContain("Iemand anders heeft dit gewijzigd.");
    expect(f.control.hasAttribute("aria-invalid")).toBe(false);
  });

  it("recognises the API's 412", () => {
    expect(isStale(new ApiError(412, null))).toBe(true);
    expect(isStale(new ApiError(409, null))).toBe(false);
    expect(isStale(new Error("412"))).toBe(false);
  });

  it("adds a choice the list lacks, so saving does not clear it", () => {
    const f = field({
      name: "activityId",
      label: "Activiteit",
      options: [
        { value: "", label: "—" },
        { value: "a", label: "Taalcafé" },
      ],
    });
    setValue(f, "a");
    expect(f.control.value).toBe("a");
    setValue(f, "zzz-unknown", (v) => `(${v})`);
    expect(f.control.value).toBe("zzz-unknown");
    expect((f.control as HTMLSelectElement).selectedOptions[0]!.textContent).toBe("(zzz-unknown)");
    setValue(f, null);
    expect(f.control.value).toBe("");
  });
});
