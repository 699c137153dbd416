// The import screen's pure shaping (issue 16 §6): which kinds a role may import (the API's
// api/imports/kinds.py: staff import people and places, finance money), and the API's
// report as rows for people: row number, column, a Dutch sentence. Each problem carries the
// API's stable field-error `code` (and its `params`), so the sentence comes from the same
// catalogue as the forms' (problems.ts `fieldText`); the English `detail` is for
// developers and never shown. A rule without a code is worded from its problem `type`.

import type { components } from "./api-types.gen";
import { fieldText } from "./problems";

export type ImportReport = components["schemas"]["ImportReport"];
export type ImportProblem = components["schemas"]["ImportProblem"];

export const IMPORT_KINDS = [
  "participants",
  "placements",
  "locations",
  "activities",
  "enrollments",
  "expenses",
  "rates",
] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

const STAFF: readonly ImportKind[] = [
  "participants",
  "placements",
  "locations",
  "activities",
  "enrollments",
];
const FINANCE: readonly ImportKind[] = ["expenses", "rates"];

/** The kinds a role may import, in the contract's order. */
export function kindsFor(role: string): ImportKind[] {
  return IMPORT_KINDS.filter(
    (k) =>
      role === "admin" ||
      (role === "coordinator" && STAFF.includes(k)) ||
      (role === "finance" && FINANCE.includes(k)),
  );
}

export interface ReportRow {
  row: number;
  column: string;
  text: string;
}

/** One line per problem, for the table: the file's row, its column, a sentence. */
export function reportRows(report: Pick<ImportReport, "errors">): ReportRow[] {
  return report.errors.map((e) => {
    const column = e.column ?? "";
    return {
      row: e.row,
      column,
      text: fieldText({
        in: "file",
        name: column,
        detail: e.detail,
        type: e.type ?? null,
        ...(e.code ? { code: e.code } : {}),
        ...(e.params ? { params: e.params } : {}),
      }),
    };
  });
}
