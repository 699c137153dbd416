// A list as a table the user can work with: columns sorted by a button in their header
// (aria-sort, keyboard: the buttons are ordinary buttons), filters and sort kept in the
// address and remembered per list for the session, so the back button and the nav link
// both return to the list as the user left it; and the shown rows exported as CSV (Dutch
// habits) or XLSX. XLSX is written by write-excel-file (about 15 kB gzipped with fflate),
// loaded with import() only when the user asks for it, so the first screen stays small.
// The pure parts (compare, sortRows, toCsv, xlsxRows, ListState) are tested on their own.

import type { SheetData } from "write-excel-file/browser";
import { getSession } from "./api";
import { h, uid, type Child } from "./dom";
import { formatDate, formatNumber, t } from "./i18n";
import { errorBox } from "./ui";
import "./lists.css";

export type CellKind = "text" | "number" | "date";
/** What a column holds for sorting and export: text, a number, or an ISO date. */
export type CellValue = string | number | null;

export interface DataColumn<T> {
  /** the column's name in the address (`sort=-free`) */
  key: string;
  header: string;
  /** the value sorted on and exported (a date as `yyyy-mm-dd`) */
  value: (row: T) => CellValue;
  kind?: CellKind;
  /** what the screen shows; by default (or when it gives undefined) the value, formatted */
  cell?: (row: T) => Child;
  sortable?: boolean;
}

// --- the state of a list in the address ------------------------------------------------

const MEMORY = "opvang.list.";

/** Filters and sort of one list (`/deelnemers`), kept in the address (replaceState, so a
 * filter does not add a history entry) and in sessionStorage, so the list opened from the
 * navigation without a query comes back as the user left it (for the same user only). */
export class ListState {
  readonly path: string;
  params: URLSearchParams;

  constructor(
    path: string,
    query: URLSearchParams,
    storage: Storage | null = memory(),
    /** whose lists these are: another user signing in at the same tab gets none back */
    owner: string = getSession()?.email ?? "",
  ) {
    this.path = path;
    this.storage = storage;
    this.key = `${MEMORY}${owner}:${path}`;
    let params = new URLSearchParams(query);
    if (params.size === 0) {
      const saved = this.read();
      if (saved) {
        params = new URLSearchParams(saved);
        history.replaceState(null, "", `${path}?${params}`);
      }
    }
    this.params = params;
  }

  private readonly storage: Storage | null;
  private readonly key: string;

  get(key: string): string {
    return this.params.get(key) ?? "";
  }

  /** Sets (or, when empty, removes) keys and writes the address and the memory. */
  update(values: Record<string, string | null | undefined>): void {
    for (const [key, value] of Object.entries(values)) {
      if (value === null || value === undefined || value === "") this.params.delete(key);
      else this.params.set(key, value);
    }
    this.write();
  }

  /** Forgets every filter and the sort. */
  clear(): void {
    this.params = new URLSearchParams();
    this.write();
  }

  /** The address of the list as it is now. */
  href(): string {
    return this.params.size ? `${this.path}?${this.params}` : this.path;
  }

  private write(): void {
    history.replaceState(null, "", this.href());
    try {
      this.storage?.setItem(this.key, this.params.toString());
    } catch {
      /* storage may be full or disabled: the address still has it */
    }
  }

  private read(): string {
    try {
      return this.storage?.getItem(this.key) ?? "";
    } catch {
      return "";
    }
  }
}

function memory(): Storage | null {
  try {
    return window.sessionStorage;
  } catch {
    return null;
  }
}

// --- sorting ----------------------------------------------------------------------------

const collator = new Intl.Collator("nl", { numeric: true, sensitivity: "base" });

/** Empty values last in either direction; text by Dutch collation (numbers in text
 * compare as numbers: "Groep 2" before "Groep 10"); ISO dates compare as text. */
export function compare(a: CellValue, b: CellValue, kind: CellKind = "text"): number {
  const emptyA = a === null || a === "";
  const emptyB = b === null || b === "";
  if (emptyA || emptyB) return emptyA === emptyB ? 0 : emptyA ? 1 : -1;
  if (kind === "number") return Number(a) - Number(b);
  if (kind === "date") return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
  return collator.compare(String(a), String(b));
}

/** `sort=name` or `sort=-name` -> the column and direction; unknown keys are ignored. */
export function parseSort<T>(
  sort: string,
  columns: DataColumn<T>[],
): { column: DataColumn<T>; descending: boolean } | null {
  const descending = sort.startsWith("-");
  const key = descending ? sort.slice(1) : sort;
  const column = columns.find((c) => c.key === key && c.sortable !== false);
  return column ? { column, descending } : null;
}

/** A stable sort: equal rows keep the order the API gave them. Empty values stay last. */
export function sortRows<T>(rows: T[], columns: DataColumn<T>[], sort: string): T[] {
  const parsed = parseSort(sort, columns);
  if (!parsed) return rows;
  const { column, descending } = parsed;
  return rows
    .map((row, i) => ({ row, i, v: column.value(row) }))
    .sort((x, y) => {
      const emptyX = x.v === null || x.v === "";
      const emptyY = y.v === null || y.v === "";
      if (emptyX !== emptyY) return emptyX ? 1 : -1;
      const c = compare(x.v, y.v, column.kind);
      return (descending ? -c : c) || x.i - y.i;
    })
    .map((x) => x.row);
}

// --- export -----------------------------------------------------------------------------

/** `2026-12-02` -> `02-12-2026` (dd-mm-jjjj); anything else as it is. */
export function dutchDate(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  return m ? `${m[3]}-${m[2]}-${m[1]}` : iso;
}

function csvField(value: CellValue, kind: CellKind): string {
  if (value === null) return "";
  let text: string;
  if (kind === "number" && typeof value === "number") text = String(value).replace(".", ",");
  else if (kind === "date") text = dutchDate(String(value));
  else {
    text = String(value);
    // A text starting like a formula is not run by a spreadsheet (CSV injection).
    if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  }
  return /[;"\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The rows as CSV the way Dutch Excel opens it: a UTF-8 byte order mark, `;` between
 * fields, a decimal comma, dates as dd-mm-jjjj, lines ending in CRLF. */
export function toCsv<T>(columns: DataColumn<T>[], rows: T[]): string {
  const lines = [
    columns.map((c) => csvField(c.header, "text")).join(";"),
    ...rows.map((row) => columns.map((c) => csvField(c.value(row), c.kind ?? "text")).join(";")),
  ];
  return `\uFEFF${lines.join("\r\n")}\r\n`;
}

export interface XlsxCell {
  value: string | number | Date;
  type?: StringConstructor | NumberConstructor | DateConstructor;
  format?: string;
  fontWeight?: "bold";
}

/** The header row in bold, then numbers as numbers and dates as dates (dd-mm-jjjj), so
 * the spreadsheet can sum and sort them. */
export function xlsxRows<T>(columns: DataColumn<T>[], rows: T[]): (XlsxCell | null)[][] {
  const head = columns.map((c) => ({ value: c.header, fontWeight: "bold" as const }));
  const body = rows.map((row) =>
    columns.map((c): XlsxCell | null => {
      const v = c.value(row);
      if (v === null || v === "") return null;
      if (c.kind === "number") return { value: Number(v), type: Number };
      if (c.kind === "date") {
        const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(String(v));
        if (m) {
          const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
          return { value: date, type: Date, format: "dd-mm-yyyy" };
        }
      }
      return { value: String(v), type: String };
    }),
  );
  return [head, ...body];
}

/** A sheet name Excel accepts: at most 31 characters, none of : \ / ? * [ ]. */
export function sheetName(caption: string): string {
  return (
    caption
      .replace(/[:\\/?*[\]]/g, " ")
      .slice(0, 31)
      .trim() || "Blad1"
  );
}

function download(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const a = h("a", { href: url, download: fileName, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

async function downloadXlsx<T>(
  columns: DataColumn<T>[],
  rows: T[],
  caption: string,
  fileName: string,
): Promise<void> {
  const { default: writeXlsxFile } = await import("write-excel-file/browser");
  const data: SheetData = xlsxRows(columns, rows);
  const blob = await writeXlsxFile(data, {
    sheet: sheetName(caption),
    stickyRowsCount: 1,
    columns: columns.map((c) => ({ width: Math.min(40, Math.max(10, c.header.length + 2)) })),
  }).toBlob();
  download(blob, `${fileName}.xlsx`);
}

// --- the table --------------------------------------------------------------------------

export interface DataTableOptions<T> {
  caption: string;
  columns: DataColumn<T>[];
  rows: T[];
  state: ListState;
  /** the exported file's name, without extension */
  fileName: string;
  /** used when the address has no sort */
  defaultSort?: string;
  rowAttrs?: (row: T) => Record<string, string>;
}

function shown<T>(c: DataColumn<T>, row: T): Child {
  const custom = c.cell?.(row);
  if (custom !== undefined) return custom;
  const v = c.value(row);
  if (v === null || v === "") return t("common.none");
  if (c.kind === "number") return formatNumber(Number(v));
  if (c.kind === "date") return formatDate(String(v));
  return v;
}

/** The table with its sort buttons and export buttons. Sorting redraws the body only and
 * keeps the focus on the header button. */
export function dataTable<T>(o: DataTableOptions<T>): HTMLElement {
  const ths = o.columns.map((c) =>
    h("th", {
      class: `utrecht-table__header-cell${c.kind === "number" ? " utrecht-table__header-cell--numeric-column" : ""}`,
      scope: "col",
      "data-key": c.key,
    }),
  );
  const tbody = h("tbody", { class: "utrecht-table__body" });
  let sorted = o.rows;

  const draw = () => {
    const sort = o.state.get("sort") || o.defaultSort || "";
    const parsed = parseSort(sort, o.columns);
    sorted = sortRows(o.rows, o.columns, sort);
    o.columns.forEach((c, i) => {
      const th = ths[i]!;
      const active = parsed?.column === c;
      if (c.sortable === false) {
        th.replaceChildren(c.header);
        return;
      }
      if (active) th.setAttribute("aria-sort", parsed.descending ? "descending" : "ascending");
      else th.removeAttribute("aria-sort");
      const arrow = active ? (parsed.descending ? "▼" : "▲") : "↕";
      const button = h(
        "button",
        {
          type: "button",
          class: "sort-button",
          "data-sort": c.key,
          onclick: () => {
            const next = active && !parsed.descending ? `-${c.key}` : c.key;
            o.state.update({ sort: next });
            draw();
            ths[i]!.querySelector<HTMLButtonElement>("button")?.focus();
          },
        },
        c.header,
        h("span", { class: "sort-button__arrow", "aria-hidden": "true" }, arrow),
      );
      th.replaceChildren(button);
    });
    tbody.replaceChildren(
      ...sorted.map((row) =>
        h(
          "tr",
          { class: "utrecht-table__row", ...(o.rowAttrs?.(row) ?? {}) },
          o.columns.map((c, i) =>
            h(
              i === 0 ? "th" : "td",
              {
                class: `utrecht-table__cell${c.kind === "number" ? " utrecht-table__cell--numeric-data" : ""}`,
                scope: i === 0 ? "row" : null,
              },
              shown(c, row),
            ),
          ),
        ),
      ),
    );
  };
  draw();

  const captionId = uid("dtcap");
  const problem = h("div", {});
  const csvButton = h(
    "button",
    {
      type: "button",
      class: "utrecht-button utrecht-button--secondary-action",
      "data-testid": "export-csv",
      onclick: () => {
        const blob = new Blob([toCsv(o.columns, sorted)], { type: "text/csv;charset=utf-8" });
        download(blob, `${o.fileName}.csv`);
      },
    },
    t("lists.export.csv"),
  );
  const xlsxButton = h(
    "button",
    {
      type: "button",
      class: "utrecht-button utrecht-button--secondary-action",
      "data-testid": "export-xlsx",
    },
    t("lists.export.xlsx"),
  );
  xlsxButton.addEventListener("click", () => {
    xlsxButton.disabled = true;
    problem.replaceChildren();
    downloadXlsx(o.columns, sorted, o.caption, o.fileName)
      .catch((error: unknown) => problem.replaceChildren(errorBox(error)))
      .finally(() => (xlsxButton.disabled = false));
  });

  return h(
    "div",
    { class: "data-table" },
    h(
      "div",
      { class: "data-table__tools" },
      h(
        "p",
        { class: "utrecht-paragraph data-table__count", "data-testid": "row-count" },
        t("lists.count", { count: formatNumber(o.rows.length) }),
      ),
      h("div", { class: "data-table__export" }, csvButton, xlsxButton),
    ),
    problem,
    // The scrolling container takes keyboard focus so a wide table can be scrolled
    // without a mouse at 360 px (axe: scrollable-region-focusable); a named group, not a
    // region landmark (a section of the same name would make two: landmark-unique).
    h(
      "div",
      {
        class: "utrecht-table-container table-scroll",
        tabindex: "0",
        role: "group",
        "aria-labelledby": captionId,
      },
      h(
        "table",
        { class: "utrecht-table utrecht-table--html-table" },
        h(
          "caption",
          { class: "utrecht-table__caption", id: captionId },
          o.caption,
          h("span", { class: "visually-hidden" }, ` ${t("lists.sortHint")}`),
        ),
        h(
          "thead",
          { class: "utrecht-table__header" },
          h("tr", { class: "utrecht-table__row" }, ths),
        ),
        tbody,
      ),
    ),
  );
}

/** All rows of a list endpoint that match `query`, page by page (the API gives at most 500
 * a page), up to `limit`; `more` tells the screen that there were more. */
export async function fetchAll<T>(
  get: (
    path: string,
    query: Record<string, string | number>,
  ) => Promise<{
    items: T[];
    total: number;
  }>,
  path: string,
  query: Record<string, string | number>,
  limit = 2000,
): Promise<{ items: T[]; total: number; more: boolean }> {
  const pageSize = 500;
  const items: T[] = [];
  let total = 0;
  for (let page = 1; items.length < limit; page += 1) {
    const answer = await get(path, { ...query, page, pageSize });
    total = answer.total;
    items.push(...answer.items);
    if (answer.items.length < pageSize || items.length >= total) break;
  }
  return { items: items.slice(0, limit), total, more: total > limit };
}
