// A searchable select: the WAI-ARIA APG "editable combobox with list autocomplete"
// (https://www.w3.org/WAI/ARIA/apg/patterns/combobox/), for lists longer than a select
// can show well (countries, languages, a hundred people). Type to filter (accents and
// case ignored), ArrowDown/ArrowUp to move, Enter to choose, Escape to close or clear,
// Alt+ArrowDown to open. With `multiple`, chosen items are listed with a remove button
// each, and the value is their codes joined by ", " (what the forms send as a list).
// It is a form field like ui.ts's `field`, with `read`/`write` for its value (a code,
// while the box shows a name).

import "./combobox.css";

import { clear, h, uid } from "./dom";
import { t } from "./i18n";
import { field, type Field } from "./ui";

export interface ComboOption {
  value: string;
  label: string;
}

export interface ComboboxOptions {
  name: string;
  label: string;
  options: ComboOption[] | Promise<ComboOption[]>;
  value?: string;
  multiple?: boolean;
  required?: boolean;
  description?: string;
}

/** Lower case without accents, so "syrie" finds "Syrië" and "curacao" finds "Curaçao". */
export function fold(text: string): string {
  return text.normalize("NFD").replace(/\p{M}/gu, "").toLocaleLowerCase("nl");
}

/** The options matching `query`: names starting with it first, then names with a word
 * starting with it, then names containing it; a code typed exactly matches too. */
export function filterOptions(options: readonly ComboOption[], query: string): ComboOption[] {
  const q = fold(query.trim());
  if (!q) return [...options];
  const ranked: [number, ComboOption][] = [];
  for (const o of options) {
    const name = fold(o.label);
    const rank = name.startsWith(q)
      ? 0
      : fold(o.value) === q
        ? 1
        : name.split(/[\s(-]+/).some((w) => w.startsWith(q))
          ? 2
          : name.includes(q)
            ? 3
            : -1;
    if (rank >= 0) ranked.push([rank, o]);
  }
  return ranked.sort((a, b) => a[0] - b[0]).map(([, o]) => o);
}

export function combobox(o: ComboboxOptions): Field {
  const base = field({
    name: o.name,
    label: o.label,
    required: o.required,
    description: o.description,
    autocomplete: "off",
  });
  const input = base.control as HTMLInputElement;
  const listId = uid(`lb-${o.name}`);
  const listbox = h("ul", { id: listId, role: "listbox", class: "combobox__list", hidden: true });
  listbox.setAttribute("aria-label", t("combobox.listLabel", { label: o.label }));
  const status = h("div", { class: "visually-hidden", "aria-live": "polite" });
  const chosenList = h("ul", { class: "combobox__chosen", "aria-label": t("combobox.chosen") });
  Object.assign(input, { placeholder: t("combobox.placeholder") });
  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-expanded", "false");
  input.setAttribute("aria-controls", listId);
  const box = base.wrap.querySelector(".utrecht-form-field__input")!;
  box.classList.add("combobox");
  box.append(listbox, status);
  if (o.multiple) box.prepend(chosenList);

  let options: ComboOption[] = [];
  let shown: ComboOption[] = [];
  let active = -1;
  let chosen: string[] = []; // codes
  const labelOf = (code: string) => options.find((x) => x.value === code)?.label ?? code;

  function renderChosen(): void {
    clear(chosenList);
    chosenList.hidden = chosen.length === 0;
    for (const code of chosen) {
      const name = labelOf(code);
      const remove = h(
        "button",
        {
          type: "button",
          class: "utrecht-button utrecht-button--subtle combobox__remove",
          "aria-label": t("combobox.remove", { name }),
        },
        "×",
      );
      remove.addEventListener("click", () => {
        chosen = chosen.filter((c) => c !== code);
        renderChosen();
        input.focus();
      });
      chosenList.append(h("li", { class: "combobox__chip" }, h("span", {}, name), remove));
    }
  }

  function write(value: string): void {
    const codes = value
      .split(/[,;\s]+/)
      .map((s) => s.trim())
      .filter(Boolean);
    if (o.multiple) {
      chosen = [...new Set(codes)];
      input.value = "";
      renderChosen();
    } else {
      chosen = codes.slice(0, 1);
      input.value = chosen[0] ? labelOf(chosen[0]) : "";
    }
  }

  /** The codes chosen; text typed but not matched to an option is sent as it is, so the
   * API's answer ("Kies een land uit de lijst.") lands at the field rather than it being
   * dropped in silence. */
  function read(): string {
    const typed = input.value.trim();
    if (o.multiple) return [...chosen, ...(typed ? [typed] : [])].join(", ");
    if (chosen[0] && typed === labelOf(chosen[0])) return chosen[0];
    return typed;
  }

  function setActive(i: number): void {
    active = i;
    [...listbox.children].forEach((li, j) => li.setAttribute("aria-selected", String(j === i)));
    const li = listbox.children[i] as HTMLElement | undefined;
    if (li) {
      input.setAttribute("aria-activedescendant", li.id);
      li.scrollIntoView?.({ block: "nearest" }); // (not in jsdom)
    } else input.removeAttribute("aria-activedescendant");
  }

  function open(query = input.value): void {
    shown = filterOptions(
      options.filter((x) => !o.multiple || !chosen.includes(x.value)),
      o.multiple || !chosen[0] || query !== labelOf(chosen[0]) ? query : "",
    );
    clear(listbox);
    shown.forEach((opt, i) => {
      const li = h(
        "li",
        {
          id: `${listId}-${i}`,
          role: "option",
          class: "combobox__option",
          "aria-selected": "false",
        },
        opt.label,
      );
      li.addEventListener("mousedown", (e) => e.preventDefault()); // keep focus in the input
      li.addEventListener("click", () => choose(opt));
      listbox.append(li);
    });
    if (!shown.length)
      listbox.append(h("li", { class: "combobox__empty" }, t("combobox.noResults")));
    listbox.hidden = false;
    input.setAttribute("aria-expanded", "true");
    active = -1;
    input.removeAttribute("aria-activedescendant");
    status.textContent = shown.length
      ? t("combobox.results", { n: shown.length })
      : t("combobox.noResults");
  }

  function close(): void {
    listbox.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  }

  function choose(opt: ComboOption): void {
    if (o.multiple) {
      if (!chosen.includes(opt.value)) chosen.push(opt.value);
      input.value = "";
      renderChosen();
    } else {
      chosen = [opt.value];
      input.value = opt.label;
    }
    close();
    input.dispatchEvent(new Event("change", { bubbles: true }));
  }

  input.addEventListener("input", () => open());
  input.addEventListener("click", () => (listbox.hidden ? open() : close()));
  input.addEventListener("blur", () => {
    close();
    // A name typed in full counts as choosing it.
    const typed = fold(input.value.trim());
    const exact = typed ? options.find((x) => fold(x.label) === typed) : undefined;
    if (exact && (o.multiple || chosen[0] !== exact.value)) choose(exact);
    if (!o.multiple && !typed) chosen = [];
  });
  input.addEventListener("keydown", (e) => {
    const isOpen = !listbox.hidden;
    if (e.key === "ArrowDown") {
      e.preventDefault();
      if (!isOpen) open();
      if (!e.altKey && shown.length) setActive(Math.min(active + 1, shown.length - 1));
    } else if (e.key === "ArrowUp") {
      e.preventDefault();
      if (!isOpen) open();
      if (shown.length) setActive(active <= 0 ? shown.length - 1 : active - 1);
    } else if (e.key === "Enter" && isOpen && active >= 0) {
      e.preventDefault(); // choose, do not submit the form
      choose(shown[active]!);
    } else if (e.key === "Escape") {
      if (isOpen) close();
      else input.value = "";
      e.preventDefault();
    } else if (e.key === "Tab") close();
  });

  write(o.value ?? "");
  void Promise.resolve(o.options).then((list) => {
    options = list;
    const typed = input.value;
    write(o.multiple ? chosen.join(", ") : (chosen[0] ?? ""));
    if (!o.multiple && !chosen[0]) input.value = typed;
  });
  return { ...base, read, write };
}
