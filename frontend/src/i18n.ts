// The dashboard's text, Dutch first, English second, in message catalogues: messages/nl.json
// and messages/en.json, plus one pair per area (messages/<area>.nl.json and
// messages/<area>.en.json), merged below (flat "screen.thing" keys, `{name}` placeholders).
// The Dutch set defines `MessageKey`, so `t("no.such.key")` does not compile; the English
// set must have the same keys (a missing one does not compile either, an extra one or a key
// in two files fails tests/i18n.test.ts). Keys built at run time from API values go through `label`,
// which shows an unknown value as itself, so a gap is visible, never blank.

import enActivity from "./messages/activity.en.json";
import nlActivity from "./messages/activity.nl.json";
import enCouncil from "./messages/council.en.json";
import nlCouncil from "./messages/council.nl.json";
import enCouncil2 from "./messages/council2.en.json";
import nlCouncil2 from "./messages/council2.nl.json";
import enDecisions from "./messages/decisions.en.json";
import nlDecisions from "./messages/decisions.nl.json";
import enDraagvlak from "./messages/draagvlak.en.json";
import nlDraagvlak from "./messages/draagvlak.nl.json";
import enMessages from "./messages/en.json";
import enFinance from "./messages/finance.en.json";
import nlFinance from "./messages/finance.nl.json";
import enForecast from "./messages/forecast.en.json";
import nlForecast from "./messages/forecast.nl.json";
import enGoals from "./messages/goals.en.json";
import nlGoals from "./messages/goals.nl.json";
import enImports from "./messages/imports.en.json";
import nlImports from "./messages/imports.nl.json";
import enLists from "./messages/lists.en.json";
import nlLists from "./messages/lists.nl.json";
import enMeetings from "./messages/meetings.en.json";
import nlMeetings from "./messages/meetings.nl.json";
import nlMessages from "./messages/nl.json";
import enPipeline from "./messages/pipeline.en.json";
import nlPipeline from "./messages/pipeline.nl.json";
import enPlacements from "./messages/placements.en.json";
import nlPlacements from "./messages/placements.nl.json";
import enPlan from "./messages/plan.en.json";
import nlPlan from "./messages/plan.nl.json";
import enPolish from "./messages/polish.en.json";
import nlPolish from "./messages/polish.nl.json";
import enPublic from "./messages/public.en.json";
import nlPublic from "./messages/public.nl.json";
import enPublicinfo from "./messages/publicinfo.en.json";
import nlPublicinfo from "./messages/publicinfo.nl.json";
import enRates from "./messages/rates.en.json";
import nlRates from "./messages/rates.nl.json";
import enSignals from "./messages/signals.en.json";
import nlSignals from "./messages/signals.nl.json";
import enSpreiding from "./messages/spreiding.en.json";
import nlSpreiding from "./messages/spreiding.nl.json";

/** The catalogue files, per language, in the same order (an area adds its pair here). */
export const CATALOGUE_FILES: Record<"nl" | "en", readonly Record<string, string>[]> = {
  nl: [
    nlMessages,
    nlActivity,
    nlCouncil,
    nlCouncil2,
    nlDecisions,
    nlDraagvlak,
    nlFinance,
    nlForecast,
    nlGoals,
    nlImports,
    nlLists,
    nlMeetings,
    nlPipeline,
    nlPlacements,
    nlPlan,
    nlPolish,
    nlPublic,
    nlPublicinfo,
    nlRates,
    nlSignals,
    nlSpreiding,
  ],
  en: [
    enMessages,
    enActivity,
    enCouncil,
    enCouncil2,
    enDecisions,
    enDraagvlak,
    enFinance,
    enForecast,
    enGoals,
    enImports,
    enLists,
    enMeetings,
    enPipeline,
    enPlacements,
    enPlan,
    enPolish,
    enPublic,
    enPublicinfo,
    enRates,
    enSignals,
    enSpreiding,
  ],
};
const nlAll = {
  ...nlMessages,
  ...nlActivity,
  ...nlCouncil,
  ...nlCouncil2,
  ...nlDecisions,
  ...nlDraagvlak,
  ...nlFinance,
  ...nlForecast,
  ...nlGoals,
  ...nlImports,
  ...nlLists,
  ...nlMeetings,
  ...nlPipeline,
  ...nlPlacements,
  ...nlPlan,
  ...nlPolish,
  ...nlPublic,
  ...nlPublicinfo,
  ...nlRates,
  ...nlSignals,
  ...nlSpreiding,
};
const enAll = {
  ...enMessages,
  ...enActivity,
  ...enCouncil,
  ...enCouncil2,
  ...enDecisions,
  ...enDraagvlak,
  ...enFinance,
  ...enForecast,
  ...enGoals,
  ...enImports,
  ...enLists,
  ...enMeetings,
  ...enPipeline,
  ...enPlacements,
  ...enPlan,
  ...enPolish,
  ...enPublic,
  ...enPublicinfo,
  ...enRates,
  ...enSignals,
  ...enSpreiding,
};

export type Lang = "nl" | "en";
/** A key of the message catalogues. */
export type MessageKey = keyof typeof nlAll;
/** What comes before a key's first dot: `group` in `group.asylum_seeker`. */
export type MessageKind = MessageKey extends `${infer Kind}.${string}` ? Kind : never;
export type Params = Record<string, string | number>;
type Catalogue = Record<MessageKey, string>;

export const nl: Catalogue = nlAll;
export const en: Catalogue = enAll;

const catalogues: Record<Lang, Catalogue> = { nl, en };
const STORAGE_KEY = "opvang.lang";
let current: Lang = "nl";
const listeners = new Set<(lang: Lang) => void>();

/** A key known only at run time, if the catalogues have it. */
export function isMessageKey(key: string): key is MessageKey {
  return Object.hasOwn(nl, key);
}

/** Pure lookup, exported for tests: the text in `lang` with its `{name}`s filled in; a
 * placeholder without a parameter stays visible, and so does a key that slipped past the
 * type check (a cast): it shows itself rather than a blank. */
export function translate(lang: Lang, key: MessageKey, params: Params = {}): string {
  const text: string | undefined = catalogues[lang][key];
  return (text ?? key).replace(/\{(\w+)\}/g, (m, name: string) =>
    name in params ? String(params[name]) : m,
  );
}

export function t(key: MessageKey, params?: Params): string {
  return translate(current, key, params);
}

/** The label of an API enum value (`group`, `asylum_seeker`); unknown values show as is. */
export function label(kind: MessageKind, value: string | null | undefined): string {
  if (value === null || value === undefined) return t("common.none");
  const key = `${kind}.${value}`;
  return isMessageKey(key) ? t(key) : value;
}

export function getLang(): Lang {
  return current;
}

export function setLang(lang: Lang): void {
  current = lang;
  document.documentElement.lang = lang;
  try {
    localStorage.setItem(STORAGE_KEY, lang); // a preference, not a secret
  } catch {
    /* storage may be disabled */
  }
  for (const fn of listeners) fn(lang);
}

export function initLang(): void {
  let saved: string | null;
  try {
    saved = localStorage.getItem(STORAGE_KEY);
  } catch {
    saved = null;
  }
  current = saved === "en" ? "en" : "nl";
  document.documentElement.lang = current;
}

export function onLangChange(fn: (lang: Lang) => void): void {
  listeners.add(fn);
}

const locales: Record<Lang, string> = { nl: "nl-NL", en: "en-GB" };

export function formatNumber(n: number | null | undefined, digits = 0): string {
  if (n === null || n === undefined) return t("common.none");
  return n.toLocaleString(locales[current], {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
}

/** A decimal rate string from the API ("0.8750") as a percentage. */
export function formatRate(rate: string | null | undefined): string {
  if (rate === null || rate === undefined) return t("common.none");
  return `${formatNumber(Number(rate) * 100, 0)}%`;
}

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return t("common.none");
  const d = new Date(iso.length === 10 ? `${iso}T00:00:00` : iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleDateString(locales[current], { day: "numeric", month: "long", year: "numeric" });
}

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return t("common.none");
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString(locales[current], { dateStyle: "medium", timeStyle: "short" });
}
