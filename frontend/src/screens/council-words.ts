// The council screen's small helpers, apart so they can be unit-tested without a DOM.

import { h } from "../dom";

export interface QuarterOption {
  value: string; // 2026Q4
  n: number;
  year: number;
}

/** The quarter holding `today` (yyyy-mm-dd) and the seven before it, newest first: a
 * quarter that has not begun has no report. */
export function quarterOptions(today: string): QuarterOption[] {
  let year = Number(today.slice(0, 4));
  let n = Math.floor((Number(today.slice(5, 7)) - 1) / 3) + 1;
  const out: QuarterOption[] = [];
  for (let i = 0; i < 8; i++) {
    out.push({ value: `${year}Q${n}`, n, year });
    n -= 1;
    if (n === 0) {
      n = 4;
      year -= 1;
    }
  }
  return out;
}

/** Hand a downloaded file to the browser under its name. */
export function saveFile(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = h("a", { href: url, download: name, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
