// The public page's money per quarter (part of Publiek, /publiek): for each quarter of a
// year, a sentence per figure in plain Dutch and the same figures as a table, and whether
// the Rijk's money has covered the costs so far. Costs that could tell one household's
// payment are not in the answer at all (api/public/disclosure.py); here "not shown" says so.

import { h } from "../dom";
import { formatDate, label, t } from "../i18n";
import { formatMoney } from "../money";
import type { PublicSummary } from "../types";
import { heading, paragraph, table } from "../ui";

type MoneyYear = PublicSummary["money"][number];
type MoneyQuarter = MoneyYear["quarters"][number];

/** An income amount, marked "(voorlopig)" when a rate the Rijk has not published yet
 * (announced or assumed) priced part of it, as the year's table does. */
function marked(amount: string, certainty: string | null | undefined): string {
  return certainty === "provisional" || certainty === "assumed"
    ? `${amount} (${t("rates.provisionalMark")})`
    : amount;
}

function quarterName(q: MoneyQuarter, year: number): string {
  const name = t("council.quarterName", { n: Number(q.quarter.slice(1)), year });
  return q.ended ? name : t("publicMoney.running", { quarter: name });
}

function sentences(q: MoneyQuarter, year: number): string {
  const quarter = quarterName(q, year);
  const parts = [
    q.incomeTotal === null
      ? t("publicMoney.sentenceIncomeUnknown", { quarter })
      : t("publicMoney.sentenceIncome", {
          quarter,
          amount: marked(formatMoney(q.incomeTotal), q.incomeCertainty),
        }),
    q.costsTotal === null
      ? t("publicMoney.sentenceCostsHidden", { quarter })
      : t("publicMoney.sentenceCosts", { quarter, amount: formatMoney(q.costsTotal) }),
  ];
  if (q.costPerPlaceDay !== null) {
    parts.push(t("publicMoney.sentencePerDay", { amount: formatMoney(q.costPerPlaceDay) }));
  }
  return parts.join(" ");
}

/** One year's quarters: a paragraph per quarter, then the table of the same figures. */
export function moneyQuarters(
  m: MoneyYear,
  schemeName: (code: string, name: string) => string,
): HTMLElement | null {
  if (!m.quarters.length) return null;
  const hidden = t("publicMoney.hidden");
  return h(
    "div",
    { class: "public-money-quarters", "data-testid": `pub-quarters-${m.year}` },
    heading(3, t("publicMoney.quarters", { year: String(m.year) })),
    ...m.quarters.map((q) => paragraph(sentences(q, m.year))),
    table(
      t("publicMoney.table", { year: String(m.year) }),
      [
        { header: t("publicMoney.quarter"), cell: (q: MoneyQuarter) => quarterName(q, m.year) },
        {
          header: t("publicMoney.income"),
          numeric: true,
          cell: (q) =>
            marked(formatMoney(q.incomeTotal, t("publicMoney.unknown")), q.incomeCertainty),
        },
        {
          header: t("publicMoney.received"),
          numeric: true,
          cell: (q) => formatMoney(q.receivedTotal),
        },
        {
          header: t("publicMoney.costs"),
          numeric: true,
          cell: (q) => formatMoney(q.costsTotal, hidden),
        },
        {
          header: t("publicMoney.balance"),
          numeric: true,
          cell: (q) =>
            formatMoney(q.balance, q.costsTotal === null ? hidden : t("publicMoney.unknown")),
        },
        {
          header: t("publicMoney.perPlaceDay"),
          numeric: true,
          cell: (q) => formatMoney(q.costPerPlaceDay, hidden),
        },
      ],
      m.quarters,
    ),
    quarterDetails(m, schemeName),
  );
}

/** Per quarter, the schemes and the cost categories behind its totals, folded away. */
function quarterDetails(m: MoneyYear, schemeName: (code: string, name: string) => string) {
  const hidden = t("publicMoney.hidden");
  return h(
    "details",
    { class: "public-money-details" },
    h("summary", {}, t("publicMoney.details", { year: String(m.year) })),
    ...m.quarters.flatMap((q) => {
      const quarter = quarterName(q, m.year);
      const costs = [
        ...q.costs.map((c) => ({ name: label("expenseCategory", c.category), amount: c.amount })),
        ...(q.mergedCosts === null
          ? []
          : [{ name: t("publicMoney.merged"), amount: q.mergedCosts }]),
      ];
      return [
        q.income.length
          ? table(
              t("publicMoney.incomeOf", { quarter }),
              [
                {
                  header: t("public.money.scheme"),
                  cell: (i: (typeof q.income)[number]) => schemeName(i.schemeCode, i.schemeName),
                },
                {
                  header: t("publicMoney.income"),
                  numeric: true,
                  cell: (i) =>
                    marked(formatMoney(i.expected, t("publicMoney.unknown")), i.expectedCertainty),
                },
                {
                  header: t("publicMoney.received"),
                  numeric: true,
                  cell: (i) => formatMoney(i.received),
                },
              ],
              q.income,
            )
          : null,
        q.costsTotal === null
          ? paragraph(t("publicMoney.sentenceCostsHidden", { quarter }))
          : table(
              t("publicMoney.costsOf", { quarter }),
              [
                { header: t("public.money.category"), cell: (c: (typeof costs)[number]) => c.name },
                {
                  header: t("public.money.amount"),
                  numeric: true,
                  cell: (c) => formatMoney(c.amount, hidden),
                },
              ],
              [...costs, { name: t("public.figures.total"), amount: q.costsTotal }],
            ),
      ];
    }),
  );
}

/** "Does the Rijk pay all the costs?" over the quarters that have ended. */
export function neutrality(s: PublicSummary): HTMLElement {
  const n = s.neutralSoFar;
  let text: string;
  if (n.to === null) text = t("publicMoney.neutralNone");
  else if (n.neutral === null || n.balance === null) text = t("publicMoney.neutralUnknown");
  else {
    const params = {
      from: formatDate(n.from),
      to: formatDate(n.to),
      amount: formatMoney(Math.abs(Number(n.balance))),
    };
    text = n.neutral ? t("publicMoney.neutralYes", params) : t("publicMoney.neutralNo", params);
  }
  // And by the forecast: whether the reserve stays at or above zero to the end of next year.
  return h(
    "div",
    { class: "public-neutral", "data-testid": "pub-neutral" },
    heading(3, t("publicMoney.neutralTitle")),
    paragraph(h("strong", {}, text)),
    ...forecastNeutrality(s),
  );
}

/** The forecast's answer in plain Dutch, and that it is an estimate where it rests on a
 * rate the Rijk has not set or on an assumption. */
function forecastNeutrality(s: PublicSummary): HTMLElement[] {
  const f = s.neutralByForecast;
  const params = { date: formatDate(f.madeOn), year: f.to.slice(0, 4) };
  let text: string;
  if (f.neutral === null) text = t("publicForecast.neutralUnknown", params);
  else if (f.neutral) text = t("publicForecast.neutralYes", params);
  else {
    const quarter = t("council.quarterName", {
      n: Number((f.shortFrom ?? "").slice(5)),
      year: (f.shortFrom ?? "").slice(0, 4),
    });
    text = t("publicForecast.neutralNo", { ...params, quarter });
  }
  const estimate = f.certainty === "provisional" || f.certainty === "assumed";
  return [
    h(
      "p",
      { class: "utrecht-paragraph", "data-testid": "pub-neutral-forecast" },
      h("strong", {}, text),
    ),
    ...(estimate ? [paragraph(t("publicForecast.estimate"))] : []),
  ];
}

/** The note on what is not shown, under the money's introduction. */
export function moneyRule(): HTMLParagraphElement {
  return paragraph(t("publicMoney.rule"));
}
