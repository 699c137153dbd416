// Names of countries (ISO 3166-1 alpha-3, as the API takes a nationality) and languages
// (ISO 639-1, as the API takes `languages`) in Dutch or English, for the pickers. The
// data comes from i18n-iso-countries and @cospired/i18n-iso-languages (the same maker's
// format, with nl and en locales), loaded with dynamic import() only when a form needs
// them, so the first screen stays small. Why not only the browser's Intl.DisplayNames:
// it names a code but cannot list the codes, and it takes alpha-2 regions, not the
// alpha-3 codes the API uses. It still names a language code outside ISO 639-1 that a
// record may hold (`prs`: Dari), so no stored code shows up bare.

import type { ComboOption } from "./combobox";
import type { Lang } from "./i18n";

const collator = (lang: Lang) => new Intl.Collator(lang === "nl" ? "nl-NL" : "en-GB");

function sorted(options: ComboOption[], lang: Lang): ComboOption[] {
  const c = collator(lang);
  return options.sort((a, b) => c.compare(a.label, b.label));
}

/** Every country by its alpha-3 code, with its common name ("Syrië", not "Syrische
 * Arabische Republiek"); where two common names are equal, the official ones. */
export async function countryOptions(lang: Lang): Promise<ComboOption[]> {
  const [countries, locale] = await Promise.all([
    import("i18n-iso-countries"),
    lang === "nl"
      ? import("i18n-iso-countries/langs/nl.json")
      : import("i18n-iso-countries/langs/en.json"),
  ]);
  countries.registerLocale(locale.default ?? locale);
  const common = countries.getNames(lang, { select: "alias" });
  const official = countries.getNames(lang, { select: "official" });
  const seen = new Map<string, number>();
  for (const name of Object.values(common)) seen.set(name, (seen.get(name) ?? 0) + 1);
  const out: ComboOption[] = [];
  for (const [alpha2, name] of Object.entries(common)) {
    const alpha3 = countries.alpha2ToAlpha3(alpha2);
    if (!alpha3) continue;
    out.push({ value: alpha3, label: (seen.get(name) ?? 0) > 1 ? official[alpha2]! : name });
  }
  return sorted(out, lang);
}

/** Every ISO 639-1 language, plus any other codes given (a record's own) by the
 * browser's name for them. */
export async function languageOptions(lang: Lang, extra: string[] = []): Promise<ComboOption[]> {
  const [languages, locale] = await Promise.all([
    import("@cospired/i18n-iso-languages"),
    lang === "nl"
      ? import("@cospired/i18n-iso-languages/langs/nl.json")
      : import("@cospired/i18n-iso-languages/langs/en.json"),
  ]);
  languages.registerLocale(locale.default ?? locale);
  const names = languages.getNames(lang);
  const out = Object.entries(names).map(([value, label]) => ({ value, label }));
  const display = new Intl.DisplayNames([lang], { type: "language", fallback: "none" });
  for (const code of extra) {
    if (names[code]) continue;
    let label: string | undefined;
    try {
      label = display.of(code);
    } catch {
      label = undefined; // not a well-formed code
    }
    out.push({ value: code, label: label ?? code });
  }
  return sorted(out, lang);
}

const loaded: Partial<
  Record<Lang, { countries: Map<string, string>; languages: Map<string, string> }>
> = {};

/** Loads the names for `countryName` and `languageName` (once per language). */
export async function loadIsoNames(lang: Lang, extraLanguages: string[] = []): Promise<void> {
  const [countries, languages] = await Promise.all([
    countryOptions(lang),
    languageOptions(lang, extraLanguages),
  ]);
  loaded[lang] = {
    countries: new Map(countries.map((o) => [o.value, o.label])),
    languages: new Map(languages.map((o) => [o.value, o.label])),
  };
}

/** A stored code by its name, once `loadIsoNames` ran; else the code itself. */
export function countryName(code: string, lang: Lang): string {
  return loaded[lang]?.countries.get(code) ?? code;
}

export function languageName(code: string, lang: Lang): string {
  return loaded[lang]?.languages.get(code) ?? code;
}
