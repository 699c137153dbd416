// Money on the wire is a decimal string with two places ("1234.50"); on screen it is
// euros in Dutch notation ("€ 1.234,50"). Forms accept Dutch input ("1.234,50", "12,5")
// and the plain API notation ("1234.50").

const EURO = new Intl.NumberFormat("nl-NL", { style: "currency", currency: "EUR" });

/** "1234.50" -> "€ 1.234,50"; null/empty -> the fallback. */
export function formatMoney(value: string | number | null | undefined, fallback = "—"): string {
  if (value === null || value === undefined || value === "") return fallback;
  const n = typeof value === "number" ? value : Number(value);
  return Number.isFinite(n) ? EURO.format(n) : String(value);
}

/** Dutch or API notation -> the API's "1234.50"; null when it is not an amount (or has
 * more than two decimals). A dot followed by exactly three digits is a thousands
 * separator ("1.234" is 1234), as in Dutch. */
export function parseMoney(input: string): string | null {
  let s = input.replace(/[\s\u00a0€]/g, "").replace(/^EUR/i, "");
  if (s === "") return null;
  let sign = "";
  if (s.startsWith("-") || s.startsWith("−")) {
    sign = "-";
    s = s.slice(1);
  }
  let whole: string;
  let cents = "";
  if (s.includes(",")) {
    const [intPart, frac, ...rest] = s.split(",");
    if (rest.length || intPart === undefined || frac === undefined) return null;
    if (!/^(\d{1,3}(\.\d{3})+|\d+)$/.test(intPart) && intPart !== "") return null;
    whole = intPart.replace(/\./g, "") || "0";
    cents = frac;
  } else if (/^\d{1,3}(\.\d{3})+$/.test(s)) {
    whole = s.replace(/\./g, "");
  } else {
    const m = /^(\d+)(?:\.(\d{1,2}))?$/.exec(s);
    if (!m) return null;
    whole = m[1]!;
    cents = m[2] ?? "";
  }
  if (!/^\d+$/.test(whole) || !/^\d{0,2}$/.test(cents)) return null;
  const normalised = `${whole.replace(/^0+(?=\d)/, "")}.${cents.padEnd(2, "0")}`;
  return sign && /^0\.00$/.test(normalised) ? normalised : sign + normalised;
}

/** A money string as a number of euros for a chart (null stays null). */
export function moneyNumber(value: string | null | undefined): number | null {
  if (value === null || value === undefined || value === "") return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}

/** An API amount as a form field's text in Dutch notation ("1234.50" -> "1234,50"),
 * which parseMoney reads back unchanged; null/empty -> "". */
export function moneyInput(value: string | null | undefined): string {
  if (value === null || value === undefined || value === "") return "";
  const normalised = parseMoney(value);
  return (normalised ?? value).replace(".", ",");
}
