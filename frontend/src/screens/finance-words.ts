// The finance screens' own words: Dutch scheme names by code, units per basis, and the
// API's finance refusals (no rate for some days, a claim already filed) said in B1 with a
// way forward (a link to add the rate, or to the filed claim).

import { ApiError } from "../api";
import { h } from "../dom";
import { formatDate, isMessageKey, t } from "../i18n";
import { rateLink } from "../shape-finance";
import { link, paragraph } from "../ui";

/** The scheme's Dutch name (a key per scheme code); a scheme added later keeps its own. */
export function schemeLabel(code: string, name?: string | null): string {
  const key = `finance.schemeName.${code}`;
  return isMessageKey(key) ? t(key) : (name ?? code);
}

/** "per plaats per dag" and so on, for the amount of a rate. */
export function unitLabel(basis: string | null | undefined): string {
  const key = `finance.unit.${basis ?? ""}`;
  return isMessageKey(key) ? t(key) : "";
}

export function quarterLabel(year: number, quarter: number): string {
  return t("finance.claimable.quarter", { quarter, year });
}

export interface DayRange {
  from: string;
  to: string;
}

/** "Voor <scheme> is er geen tarief van 1 oktober 2026 tot en met 31 december 2026." */
export function gapText(code: string, name: string | null | undefined, r: DayRange): string {
  return t("finance.gap.text", {
    scheme: schemeLabel(code, name),
    from: formatDate(r.from),
    to: formatDate(r.to),
  });
}

/** The gap with a link to add the rate for exactly those days. */
export function gapItem(
  code: string,
  name: string | null | undefined,
  r: DayRange,
  year?: number,
): HTMLElement {
  return h(
    "li",
    {},
    gapText(code, name, r),
    " ",
    link(rateLink(code, r.from, r.to, year), t("finance.gap.addRate"), {
      "data-add-rate": code,
    }),
  );
}

type Extra = Record<string, unknown>;

function extra(error: unknown): Extra | null {
  if (!(error instanceof ApiError) || !error.problem) return null;
  return error.problem as unknown as Extra;
}

export function problemType(error: unknown): string {
  const type = extra(error)?.type;
  return typeof type === "string" ? (type.split(":").pop() ?? "") : "";
}

/** A refused draft, said in Dutch: at which field, what, and where to go from there.
 * null for any other error (the form shows those as usual). */
export function claimRefusal(
  error: unknown,
  schemeName: (code: string) => string | null | undefined,
): { field: string; text: string; help: HTMLElement } | null {
  const x = extra(error);
  const type = problemType(error);
  if (x && type === "uncovered-days" && Array.isArray(x.uncoveredRanges)) {
    const code = typeof x.schemeCode === "string" ? x.schemeCode : "";
    const ranges = x.uncoveredRanges as DayRange[];
    return {
      field: "periodStart",
      text: ranges.map((r) => gapText(code, schemeName(code), r)).join(" "),
      help: h(
        "div",
        { "data-testid": "claim-gaps" },
        paragraph(t("finance.gap.first")),
        h(
          "ul",
          { class: "utrecht-unordered-list" },
          ranges.map((r) => gapItem(code, schemeName(code), r)),
        ),
      ),
    };
  }
  if (x && type === "provisional-rate" && Array.isArray(x.provisionalRanges)) {
    // Only a provisional rate covers these days: said per range, with the way out (the
    // rate made final on the Tarieven screen once the Rijk publishes it).
    const code = typeof x.schemeCode === "string" ? x.schemeCode : "";
    const ranges = x.provisionalRanges as DayRange[];
    return {
      field: "periodStart",
      text: ranges
        .map((r) => t("field.rate_provisional", { from: formatDate(r.from), to: formatDate(r.to) }))
        .join(" "),
      help: h(
        "p",
        { class: "utrecht-paragraph", "data-testid": "claim-provisional" },
        t("rates.claimHelp"),
        " ",
        link(`/financien/tarieven?regeling=${encodeURIComponent(code)}`, t("rates.claimHelpLink")),
      ),
    };
  }
  if (x && type === "claim-already-filed") {
    const id = typeof x.claimId === "string" ? x.claimId : null;
    return {
      field: "periodStart",
      text: t("finance.problem.alreadyFiled"),
      help: paragraph(
        t("finance.problem.alreadyFiledHelp"),
        id ? " " : "",
        id ? link(`/financien/declaraties/${id}`, t("finance.problem.openFiled")) : "",
      ),
    };
  }
  return null;
}
