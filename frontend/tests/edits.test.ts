// Changing an expense and a draft claim's claimed amount: the PATCH bodies (only what
// changed, `null` to clear), the money round trip through a form field, and the form
// helpers that show local problems, a stale version and a reference not in the list.

import { describe, expect, it } from "vitest";
import { ApiError } from "../src/api";
import { errorSummary, isStale, setValue, showLocalProblems, showMessage } from "../src/forms";
import { moneyInput, parseMoney } from "../src/money";
import {
  canSetClaimedAmount,
  claimedAmountChange,
  expenseBody,
  expenseChanges,
} from "../src/shape2";
import type { Expense } from "../src/types";
import { field } from "../src/ui";

const expense: Expense = {
  id: "e1",
  version: 3,
  createdAt: "2025-04-01T09:00:00Z",
  updatedAt: "2025-04-02T09:00:00Z",
  date: "2025-04-01",
  category: "location",
  amount: "1234.50",
  description: "Huur en exploitatie opvanglocaties",
  locationId: "loc-1",
  activityId: null,
  partnerId: null,
  schemeCode: "BOO-GOO",
};

/** The form's values as they are after `fill(expense)` (values() trims them). */
const filled: Record<string, string> = {
  date: "2025-04-01",
  category: "location",
  amount: moneyInput("1234.50"),
  description: "Huur en exploitatie opvanglocaties",
  schemeCode: "BOO-GOO",
  locationId: "loc-1",
  activityId: "",
  partnerId: "",
};

describe("moneyInput", () => {
  it("writes API amounts in Dutch notation that parseMoney reads back unchanged", () => {
    expect(moneyInput("1234.50")).toBe("1234,50");
    expect(moneyInput("-20.00")).toBe("-20,00");
    expect(moneyInput("7")).toBe("7,00");
    expect(moneyInput(null)).toBe("");
    expect(moneyInput(undefined)).toBe("");
    for (const v of ["1234.50", "-20.00", "0.05", "999999999999.99"])
      expect(parseMoney(moneyInput(v))).toBe(v);
  });
});

describe("expenseChanges (PATCH)", () => {
  it("sends nothing when nothing changed, whatever the amount's notation", () => {
    expect(expenseChanges(expense, filled)).toEqual({ body: {}, invalid: [] });
    expect(expenseChanges(expense, { ...filled, amount: "1.234,5" }).body).toEqual({});
    expect(expenseChanges(expense, { ...filled, amount: "1234.50" }).body).toEqual({});
  });

  it("sends only the changed fields, the amount as the API's decimal", () => {
    const out = expenseChanges(expense, {
      ...filled,
      amount: "99,9",
      description: "Huur mei",
      category: "other",
    });
    expect(out).toEqual({
      body: { amount: "99.90", description: "Huur mei", category: "other" },
      invalid: [],
    });
  });

  it("clears an emptied reference with null and sets a new one", () => {
    const out = expenseChanges(expense, {
      ...filled,
      locationId: "",
      schemeCode: "",
      activityId: "act-1",
      partnerId: "p-1",
    });
    expect(out.body).toEqual({
      locationId: null,
      schemeCode: null,
      activityId: "act-1",
      partnerId: "p-1",
    });
  });

  it("sends an emptied required field as null, so the API names it at its field", () => {
    expect(expenseChanges(expense, { ...filled, description: "", date: "" }).body).toEqual({
      description: null,
      date: null,
    });
    expect(expenseChanges(expense, { ...filled, amount: "" }).body).toEqual({ amount: null });
  });

  it("passes a zero amount on (the API refuses it at the field) and reports one it cannot read", () => {
    expect(expenseChanges(expense, { ...filled, amount: "0" }).body).toEqual({ amount: "0.00" });
    expect(expenseChanges(expense, { ...filled, amount: "twaalf" })).toEqual({
      body: {},
      invalid: ["amount"],
    });
    expect(expenseChanges(expense, { ...filled, amount: "1,234" })).toEqual({
      body: {},
      invalid: ["amount"],
    });
  });

  it("leaves out fields the form does not have", () => {
    expect(expenseChanges(expense, { description: "Anders" }).body).toEqual({
      description: "Anders",
    });
  });
});

describe("expenseBody (POST)", () => {
  it("sends every field, empty references and required fields as null", () => {
    expect(expenseBody({ ...filled, activityId: "", amount: "12,5" })).toEqual({
      body: {
        date: "2025-04-01",
        category: "location",
        amount: "12.50",
        description: "Huur en exploitatie opvanglocaties",
        schemeCode: "BOO-GOO",
        locationId: "loc-1",
        activityId: null,
        partnerId: null,
      },
      invalid: [],
    });
    expect(expenseBody({ date: "", category: "", amount: "", description: "" }).body).toEqual({
      date: null,
      category: null,
      amount: null,
      description: "",
    });
  });

  it("reports an amount it cannot read", () => {
    expect(expenseBody({ ...filled, amount: "€ 12,345" }).invalid).toEqual(["amount"]);
  });
});

describe("claimed amount", () => {
  it("may be set only on a draft, by finance or admin", () => {
    expect(canSetClaimedAmount("draft", "finance")).toBe(true);
    expect(canSetClaimedAmount("draft", "admin")).toBe(true);
    for (const status of ["submitted", "approved", "rejected", "paid"])
      expect(canSetClaimedAmount(status, "finance")).toBe(false);
    for (const role of ["viewer", "coordinator", "partner", ""])
      expect(canSetClaimedAmount("draft", role)).toBe(false);
  });

  it("is sent only when it changed; empty clears a set amount", () => {
    expect(claimedAmountChange(null, "")).toEqual({ body: {}, invalid: [] });
    expect(claimedAmountChange(null, "  ")).toEqual({ body: {}, invalid: [] });
    expect(claimedAmountChange("1000.00", "")).toEqual({
      body: { claimedAmount: null },
      invalid: [],
    });
    expect(claimedAmountChange("1000.00", "1.000,00")).toEqual({ body: {}, invalid: [] });
    expect(claimedAmountChange("1000.00", "950,5")).toEqual({
      body: { claimedAmount: "950.50" },
      invalid: [],
    });
    expect(claimedAmountChange(null, "12345")).toEqual({
      body: { claimedAmount: "12345.00" },
      invalid: [],
    });
    expect(claimedAmountChange(null, "veel")).toEqual({ body: {}, invalid: ["claimedAmount"] });
  });
});

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
