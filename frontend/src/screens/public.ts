// Publiek (/publiek): the story of the programme for residents, no sign-in. What the
// programme is and why (from the council decision, in B1 words), where the locations are
// (by kind and postcode area, never an address), the figures, what the municipality does
// with the Rijk's money, and whom to call. Plain text and tables, no charts: quick on any
// phone and easy for a screen reader. Counts of people below 5 come as "suppressed".

import { get } from "../api";
import { h } from "../dom";
import { formatDate, formatNumber, isMessageKey, label, t } from "../i18n";
import { formatMoney } from "../money";
import type { ScreenContext } from "../screen";
import type { PublicCount, PublicSummary } from "../types";
import { errorBox, heading, link, pageTitle, paragraph, table } from "../ui";
import { publicGoals } from "./public-goals";
import { publicLocations } from "./public-locations";
import { publicSpreiding } from "./public-spreiding";
import { moneyQuarters, moneyRule, neutrality } from "./public-money";

type MoneyYear = PublicSummary["money"][number];

// The municipality's general contact details: public facts (heemstede.nl).
const MUNICIPALITY_WEB = "https://www.heemstede.nl";

function count(c: PublicCount): string {
  return c.suppressed || c.count === null ? t("public.figures.hidden") : formatNumber(c.count);
}

/** A label in the public page's own plain words, else the dashboard's. */
function plain(prefix: "public.kinds" | "public.groups" | "public.schemes", value: string) {
  const key = `${prefix}.${value}`;
  return isMessageKey(key) ? t(key) : null;
}

const kindName = (kind: string) => plain("public.kinds", kind) ?? label("locationKind", kind);
const groupName = (group: string) => plain("public.groups", group) ?? label("group", group);

function section(id: string, title: string, ...body: (Node | null)[]): HTMLElement {
  return h(
    "section",
    { "aria-labelledby": id, class: "card public-section", "data-testid": id },
    heading(2, title, { id }),
    ...body,
  );
}

function story(): HTMLElement[] {
  return [
    section(
      "pub-what",
      t("public.story.whatTitle"),
      paragraph(t("public.story.what1")),
      paragraph(t("public.story.what2")),
      paragraph(t("public.story.what3")),
    ),
    section(
      "pub-why",
      t("public.story.whyTitle"),
      paragraph(t("public.story.why1")),
      paragraph(t("public.story.why2")),
    ),
  ];
}

function where(s: PublicSummary): HTMLElement {
  const hosts = s.locations.find((l) => l.kind === "private_hosting");
  return section(
    "pub-where",
    t("public.where.title"),
    paragraph(t("public.where.intro")),
    s.areas.length
      ? table(
          t("public.where.table"),
          [
            { header: t("public.where.kind"), cell: (r) => kindName(r.kind) },
            { header: t("public.where.area"), cell: (r) => r.area },
            {
              header: t("public.figures.locations"),
              numeric: true,
              cell: (r) => formatNumber(r.locations),
            },
            {
              header: t("public.figures.places"),
              numeric: true,
              cell: (r) => formatNumber(r.capacity),
            },
          ],
          s.areas,
        )
      : paragraph(t("public.where.none")),
    hosts && hosts.locations > 0
      ? paragraph(
          t("public.where.hosts", {
            count: formatNumber(hosts.locations),
            places: formatNumber(hosts.capacity),
          }),
        )
      : null,
  );
}

function figures(s: PublicSummary): HTMLElement[] {
  return [
    section(
      "pub-places",
      t("public.places.title"),
      table(
        t("public.places.table"),
        [
          { header: t("public.where.kind"), cell: (r) => r.name },
          { header: t("public.figures.locations"), numeric: true, cell: (r) => r.locations },
          { header: t("public.figures.places"), numeric: true, cell: (r) => r.places },
          { header: t("public.places.occupied"), numeric: true, cell: (r) => r.occupied },
        ],
        [
          ...s.locations.map((l) => ({
            name: kindName(l.kind),
            locations: formatNumber(l.locations),
            places: formatNumber(l.capacity),
            occupied: count(l.occupied),
          })),
          {
            name: t("public.figures.total"),
            locations: formatNumber(s.locationsTotal.locations),
            places: formatNumber(s.locationsTotal.capacity),
            occupied: count(s.locationsTotal.occupied),
          },
        ],
      ),
    ),
    section(
      "pub-people",
      t("public.people.title"),
      table(
        t("public.people.table"),
        [
          { header: t("public.people.group"), cell: (r) => r.name },
          { header: t("public.people.count"), numeric: true, cell: (r) => r.count },
        ],
        [
          ...s.participants.map((p) => ({
            name: groupName(p.group),
            count: count(p.participants),
          })),
          { name: t("public.figures.total"), count: count(s.participantsTotal) },
        ],
      ),
    ),
    section(
      "pub-activities",
      t("public.activities.title"),
      paragraph(t("public.activities.intro")),
      table(
        t("public.activities.table"),
        [
          { header: t("public.activities.kind"), cell: (r) => r.name },
          { header: t("public.activities.onOffer"), numeric: true, cell: (r) => r.offer },
          { header: t("public.activities.taking"), numeric: true, cell: (r) => r.taking },
        ],
        [
          ...s.activities.map((a) => ({
            name: label("activityKind", a.kind),
            offer: formatNumber(a.onOffer),
            taking: count(a.participants),
          })),
          { name: t("public.figures.total"), offer: formatNumber(s.activitiesTotal), taking: "" },
        ],
      ),
    ),
  ];
}

function moneyYear(m: MoneyYear, thisYear: boolean): HTMLElement {
  const year = String(m.year);
  const unknown = m.income.some((i) => i.expected === null);
  // Income priced with a rate the Rijk has not published yet is marked "voorlopig".
  const sure = (c: string | null | undefined) => c !== "provisional" && c !== "assumed";
  const marked = (amount: string, c: string | null | undefined) =>
    sure(c) ? amount : `${amount} (${t("rates.provisionalMark")})`;
  const provisional = !sure(m.incomeCertainty) || m.income.some((i) => !sure(i.expectedCertainty));
  const balance =
    m.costsTotal === null
      ? t("publicMoney.yearCostsHidden")
      : m.balance === null
        ? t("public.money.balanceUnknown", { amount: formatMoney(m.receivedBalance) })
        : `${t("public.money.balance", { amount: formatMoney(m.balance) })} ${
            Number(m.balance) >= 0 ? t("public.money.enough") : t("public.money.short")
          }`;
  return h(
    "div",
    { class: "public-money-year", "data-testid": `pub-money-${year}` },
    heading(3, t(thisYear ? "public.money.yearSoFar" : "public.money.year", { year })),
    m.income.length
      ? table(
          t("public.money.income", { year }),
          [
            { header: t("public.money.scheme"), cell: (r) => r.name },
            { header: t("public.money.expected"), numeric: true, cell: (r) => r.expected },
            { header: t("public.money.received"), numeric: true, cell: (r) => r.received },
          ],
          [
            ...m.income.map((i) => ({
              name: plain("public.schemes", i.schemeCode) ?? i.schemeName,
              expected: marked(
                formatMoney(i.expected, t("public.money.unknown")),
                i.expectedCertainty,
              ),
              received: formatMoney(i.received),
            })),
            {
              name: t("public.figures.total"),
              expected: marked(
                formatMoney(m.incomeTotal, t("public.money.unknown")),
                m.incomeCertainty,
              ),
              received: formatMoney(m.receivedTotal),
            },
          ],
        )
      : paragraph(t("public.money.noIncome")),
    unknown ? paragraph(t("public.money.unknownNote")) : null,
    provisional ? paragraph(t("rates.public.note")) : null,
    m.costs.length || m.mergedCosts !== null
      ? table(
          t("public.money.costs", { year }),
          [
            { header: t("public.money.category"), cell: (r) => r.name },
            { header: t("public.money.amount"), numeric: true, cell: (r) => r.amount },
          ],
          [
            ...m.costs.map((c) => ({
              name: label("expenseCategory", c.category),
              amount: formatMoney(c.amount),
            })),
            ...(m.mergedCosts === null
              ? []
              : [{ name: t("publicMoney.merged"), amount: formatMoney(m.mergedCosts) }]),
            {
              name: t("public.figures.total"),
              amount: formatMoney(m.costsTotal, t("publicMoney.hidden")),
            },
          ],
        )
      : paragraph(t("public.money.noCosts")),
    paragraph(h("strong", {}, balance)),
    moneyQuarters(m, (code, name) => plain("public.schemes", code) ?? name),
  );
}

function money(s: PublicSummary): HTMLElement {
  const thisYear = Number(s.on.slice(0, 4));
  return section(
    "pub-money",
    t("public.money.title"),
    paragraph(t("public.money.intro")),
    moneyRule(),
    neutrality(s),
    ...s.money.map((m) => moneyYear(m, m.year === thisYear)),
  );
}

function signals(s: PublicSummary): HTMLElement {
  return section(
    "pub-signals",
    t("public.signals.title"),
    paragraph(t("public.signals.intro", { date: formatDate(s.resolvedSince) })),
    table(
      t("public.signals.table"),
      [
        { header: t("public.signals.category"), cell: (r) => r.name },
        { header: t("public.signals.resolved"), numeric: true, cell: (r) => r.resolved },
        { header: t("public.signals.open"), numeric: true, cell: (r) => r.open },
      ],
      [
        ...s.signals.map((x) => ({
          name: label("signalCategory", x.category),
          resolved: count(x.resolved),
          open: count(x.open),
        })),
        {
          name: t("public.figures.total"),
          resolved: count(s.signalsTotal.resolved),
          open: count(s.signalsTotal.open),
        },
      ],
    ),
  );
}

function contact(): HTMLElement {
  return section(
    "pub-contact",
    t("public.contact.title"),
    paragraph(
      t("public.contact.report"),
      " ",
      link(MUNICIPALITY_WEB, t("public.contact.web"), { "data-testid": "pub-contact-web" }),
      ".",
    ),
    paragraph(t("public.contact.followUp")),
    paragraph(t("public.contact.urgent")),
  );
}

export async function render(ctx: ScreenContext): Promise<void> {
  ctx.setTitle(t("public.story.title"));
  ctx.main.append(pageTitle(t("public.story.title")), paragraph(t("public.story.lead")));
  ctx.main.append(...story());
  // The goals' section (public-goals.ts) asks its own endpoint, alongside the summary.
  const goals = publicGoals();
  const places = publicLocations(); // issue 18: the public locations and candidates
  let s: PublicSummary;
  try {
    s = await get<PublicSummary>("/public/summary", {}, false);
  } catch (error) {
    if (ctx.alive()) ctx.main.append(errorBox(error), contact());
    return;
  }
  const goalsSection = await goals;
  if (!ctx.alive()) return;
  ctx.main.append(
    paragraph(h("strong", {}, t("public.figures.on", { date: formatDate(s.on) }))),
    paragraph(t("public.figures.privacy")),
    h(
      "dl",
      { class: "tiles", "data-testid": "public-tiles" },
      tile(t("public.figures.people"), count(s.participantsTotal)),
      tile(t("public.figures.places"), formatNumber(s.locationsTotal.capacity)),
      tile(t("public.figures.locations"), formatNumber(s.locationsTotal.locations)),
      tile(t("public.figures.activities"), formatNumber(s.activitiesTotal)),
    ),
    where(s),
    ...(await places),
    ...figures(s),
    money(s),
    goalsSection ?? "",
    publicSpreiding(),
    signals(s),
    contact(),
  );
  if (!ctx.session) ctx.main.append(paragraph(link("/inloggen", t("public.signIn"))));
  ctx.ready();
}

export function tile(name: string, value: string, tone?: string): HTMLDivElement {
  return h(
    "div",
    { class: `tile${tone ? ` tile--${tone}` : ""}` },
    h("dt", { class: "tile__label" }, name),
    h("dd", { class: "tile__value" }, value),
  );
}
