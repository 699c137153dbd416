// The searchable select (WAI-ARIA APG combobox with list autocomplete) and the ISO name
// lists behind the participant form's pickers.

import { describe, expect, it } from "vitest";
import { combobox, filterOptions, fold } from "../src/combobox";
import { values } from "../src/forms";
import { countryOptions, languageOptions } from "../src/iso-names";

const OPTIONS = [
  { value: "SYR", label: "Syrië" },
  { value: "UKR", label: "Oekraïne" },
  { value: "ERI", label: "Eritrea" },
  { value: "CUW", label: "Curaçao" },
  { value: "COD", label: "Congo-Kinshasa" },
];

function key(el: HTMLElement, k: string, extra: KeyboardEventInit = {}) {
  el.dispatchEvent(new KeyboardEvent("keydown", { key: k, bubbles: true, ...extra }));
}

function type(input: HTMLInputElement, text: string) {
  input.value = text;
  input.dispatchEvent(new Event("input", { bubbles: true }));
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe("filtering", () => {
  it("ignores accents and case, names starting with the text first, codes too", () => {
    expect(fold("Curaçao Syrië")).toBe("curacao syrie");
    expect(filterOptions(OPTIONS, "syrie").map((o) => o.value)).toEqual(["SYR"]);
    expect(filterOptions(OPTIONS, "kin").map((o) => o.value)).toEqual(["COD"]);
    expect(filterOptions(OPTIONS, "ukr").map((o) => o.value)).toEqual(["UKR"]);
    expect(filterOptions(OPTIONS, "e")[0]!.value).toBe("ERI");
    expect(filterOptions(OPTIONS, "")).toHaveLength(5);
  });
});

describe("combobox", () => {
  it("has the APG roles and states, and chooses with the keyboard", async () => {
    const f = combobox({ name: "nationality", label: "Nationaliteit", options: OPTIONS });
    document.body.append(f.wrap);
    await tick();
    const input = f.control as HTMLInputElement;
    const listbox = document.getElementById(input.getAttribute("aria-controls")!)!;
    expect(input.getAttribute("role")).toBe("combobox");
    expect(input.getAttribute("aria-autocomplete")).toBe("list");
    expect(input.getAttribute("aria-expanded")).toBe("false");
    expect(listbox.getAttribute("role")).toBe("listbox");
    expect(document.querySelector(`label[for="${input.id}"]`)!.textContent).toContain(
      "Nationaliteit",
    );

    type(input, "e");
    expect(input.getAttribute("aria-expanded")).toBe("true");
    expect(listbox.hidden).toBe(false);
    key(input, "ArrowDown");
    const active = document.getElementById(input.getAttribute("aria-activedescendant")!)!;
    expect(active.getAttribute("role")).toBe("option");
    expect(active.getAttribute("aria-selected")).toBe("true");
    expect(active.textContent).toBe("Eritrea");
    const enter = new KeyboardEvent("keydown", { key: "Enter", bubbles: true, cancelable: true });
    input.dispatchEvent(enter);
    expect(enter.defaultPrevented).toBe(true); // chooses; does not submit the form
    expect(input.value).toBe("Eritrea");
    expect(input.getAttribute("aria-expanded")).toBe("false");
    expect(values([f])).toEqual({ nationality: "ERI" });

    key(input, "ArrowDown", { altKey: true });
    expect(listbox.hidden).toBe(false);
    expect(input.hasAttribute("aria-activedescendant")).toBe(false);
    key(input, "Escape");
    expect(listbox.hidden).toBe(true);
    key(input, "Escape"); // closed: Escape clears
    expect(values([f])).toEqual({ nationality: "" });
    f.wrap.remove();
  });

  it("shows a stored code by its name; text not in the list goes to the API as typed", async () => {
    const f = combobox({
      name: "nationality",
      label: "N",
      options: Promise.resolve(OPTIONS),
      value: "UKR",
    });
    await tick();
    const input = f.control as HTMLInputElement;
    expect(input.value).toBe("Oekraïne");
    expect(f.read!()).toBe("UKR");
    type(input, "Atlantis");
    expect(f.read!()).toBe("Atlantis"); // the API answers "Kies een land uit de lijst."
    f.write!("SYR");
    expect(input.value).toBe("Syrië");
  });

  it("multiple: chosen items listed with a remove button, the value a list of codes", async () => {
    const f = combobox({
      name: "languages",
      label: "Talen",
      multiple: true,
      value: "uk, ru",
      options: [
        { value: "uk", label: "Oekraïens" },
        { value: "ru", label: "Russisch" },
        { value: "ar", label: "Arabisch" },
      ],
    });
    document.body.append(f.wrap);
    await tick();
    const input = f.control as HTMLInputElement;
    const chips = () =>
      [...f.wrap.querySelectorAll(".combobox__chip span")].map((s) => s.textContent);
    expect(chips()).toEqual(["Oekraïens", "Russisch"]);
    type(input, "ara");
    const option = f.wrap.querySelector<HTMLElement>("[role=option]")!;
    expect(option.textContent).toBe("Arabisch");
    option.click();
    expect(chips()).toEqual(["Oekraïens", "Russisch", "Arabisch"]);
    expect(input.value).toBe("");
    const remove = f.wrap.querySelector<HTMLButtonElement>(
      'button[aria-label="Russisch weghalen"]',
    )!;
    remove.click();
    expect(values([f])).toEqual({ languages: "uk, ar" });
    f.wrap.remove();
  });
});

describe("ISO names for the pickers", () => {
  it("countries by alpha-3 code with common Dutch names, sorted", async () => {
    const nl = await countryOptions("nl");
    const byCode = new Map(nl.map((o) => [o.value, o.label]));
    expect(byCode.get("SYR")).toBe("Syrië");
    expect(byCode.get("UKR")).toBe("Oekraïne");
    expect(byCode.get("AFG")).toBe("Afghanistan");
    expect(nl.length).toBeGreaterThan(240);
    expect(new Set(nl.map((o) => o.label)).size).toBe(nl.length); // no two alike
    expect(nl[0]!.label.localeCompare(nl[1]!.label, "nl")).toBeLessThan(0);
    const en = await countryOptions("en");
    expect(new Map(en.map((o) => [o.value, o.label])).get("UKR")).toBe("Ukraine");
  });

  it("languages by ISO 639-1 code with Dutch names, and a record's other code named", async () => {
    const nl = await languageOptions("nl", ["prs"]);
    const byCode = new Map(nl.map((o) => [o.value, o.label]));
    expect(byCode.get("uk")).toBe("Oekraïens");
    expect(byCode.get("ti")).toBe("Tigrinya");
    expect(byCode.get("ar")).toBe("Arabisch");
    expect(byCode.get("prs")).not.toBe("prs"); // Dari, by the browser's names
  });
});
