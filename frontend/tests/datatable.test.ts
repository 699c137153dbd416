import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  compare,
  dataTable,
  dutchDate,
  ListState,
  sheetName,
  sortRows,
  toCsv,
  xlsxRows,
  type DataColumn,
} from "../src/datatable";

interface Row {
  name: string;
  free: number | null;
  since: string | null;
}
const rows: Row[] = [
  { name: "Groep 10", free: 2.5, since: "2026-12-02" },
  { name: "groep 2", free: null, since: "2025-01-31" },
  { name: "=SUM(A1)", free: -1, since: null },
  { name: 'Zee; "strand"', free: 0, since: "2026-01-01" },
];
const columns: DataColumn<Row>[] = [
  { key: "name", header: "Naam", value: (r) => r.name },
  { key: "free", header: "Vrij", value: (r) => r.free, kind: "number" },
  { key: "since", header: "Sinds", value: (r) => r.since, kind: "date" },
];

describe("sorting", () => {
  it("compares Dutch text with numbers inside, case-insensitively", () => {
    expect(compare("groep 2", "Groep 10")).toBeLessThan(0);
    expect(compare(3, 10, "number")).toBeLessThan(0);
    expect(compare("2025-12-31", "2026-01-01", "date")).toBeLessThan(0);
  });
  it("sorts both ways with empty values last, stable for equal ones", () => {
    const names = (s: string) => sortRows(rows, columns, s).map((r) => r.name);
    expect(names("free")).toEqual(["=SUM(A1)", 'Zee; "strand"', "Groep 10", "groep 2"]);
    expect(names("-free")).toEqual(["Groep 10", 'Zee; "strand"', "=SUM(A1)", "groep 2"]);
    expect(names("-since")[3]).toBe("=SUM(A1)");
    expect(names("name").slice(1, 3)).toEqual(["groep 2", "Groep 10"]);
    expect(names("nonsense")).toEqual(rows.map((r) => r.name));
  });
});

describe("export", () => {
  it("writes CSV the Dutch way: BOM, semicolons, decimal comma, dd-mm-jjjj, quoting", () => {
    const csv = toCsv(columns, rows);
    expect(csv.startsWith("\uFEFFNaam;Vrij;Sinds\r\n")).toBe(true);
    const lines = csv.slice(1).trimEnd().split("\r\n");
    expect(lines[1]).toBe("Groep 10;2,5;02-12-2026");
    expect(lines[2]).toBe("groep 2;;31-01-2025");
    expect(lines[3]).toBe("'=SUM(A1);-1;"); // a formula is not run; a negative number stays one
    expect(lines[4]).toBe('"Zee; ""strand""";0;01-01-2026');
  });
  it("gives XLSX numbers as numbers and dates as dates", () => {
    const sheet = xlsxRows(columns, rows);
    expect(sheet[0]!.map((c) => c?.value)).toEqual(["Naam", "Vrij", "Sinds"]);
    expect(sheet[0]![0]!.fontWeight).toBe("bold");
    expect(sheet[1]![1]).toEqual({ value: 2.5, type: Number });
    expect(sheet[1]![2]!.value).toEqual(new Date(Date.UTC(2026, 11, 2)));
    expect(sheet[1]![2]!.format).toBe("dd-mm-yyyy");
    expect(sheet[2]![1]).toBeNull();
    expect(dutchDate("2026-03-09")).toBe("09-03-2026");
    expect(sheetName("Locaties: [alle] / nu en later, een lange naam")).toHaveLength(31);
  });
});

describe("list state in the address and the session", () => {
  beforeEach(() => {
    sessionStorage.clear();
    history.replaceState(null, "", "/");
  });
  afterEach(() => sessionStorage.clear());

  it("writes filters to the address and brings them back when opened without a query", () => {
    const first = new ListState("/deelnemers", new URLSearchParams());
    first.update({ group: "amv", q: "", sort: "-name" });
    expect(location.pathname + location.search).toBe("/deelnemers?group=amv&sort=-name");
    history.replaceState(null, "", "/deelnemers");
    const back = new ListState("/deelnemers", new URLSearchParams());
    expect(back.get("group")).toBe("amv");
    expect(location.search).toBe("?group=amv&sort=-name");
    // An explicit query wins over the memory; clearing forgets.
    expect(new ListState("/deelnemers", new URLSearchParams("group=goo")).get("group")).toBe("goo");
    // Someone else signing in at the same tab does not get them.
    history.replaceState(null, "", "/deelnemers");
    const other = new ListState("/deelnemers", new URLSearchParams(), sessionStorage, "b@x");
    expect(other.get("group")).toBe("");
    back.clear();
    expect(new ListState("/deelnemers", new URLSearchParams()).get("group")).toBe("");
  });

  it("draws sort buttons with aria-sort and re-sorts on click", () => {
    const state = new ListState("/x", new URLSearchParams("sort=free"));
    const el = dataTable({ caption: "X", columns, rows, state, fileName: "x" });
    document.body.replaceChildren(el);
    const th = () => [...el.querySelectorAll("thead th")];
    expect(th()[1]!.getAttribute("aria-sort")).toBe("ascending");
    expect(th()[0]!.hasAttribute("aria-sort")).toBe(false);
    const firstCells = () => [...el.querySelectorAll("tbody tr > th")].map((c) => c.textContent);
    expect(firstCells()[0]).toBe("=SUM(A1)");
    el.querySelector<HTMLButtonElement>('[data-sort="free"]')!.click();
    expect(th()[1]!.getAttribute("aria-sort")).toBe("descending");
    expect(firstCells()[0]).toBe("Groep 10");
    expect(document.activeElement?.getAttribute("data-sort")).toBe("free");
    expect(location.search).toBe("?sort=-free");
  });
});
