// Buurt en bewoners (/buurt): the meetings with residents (counted, never named), the
// agreements made there (filter: open / te laat / klaar; overdue ones marked as on the
// signals screen) and what was communicated to the neighbourhood. `?locationId=` shows one
// location's; `?afspraken=overdue` opens on the overdue agreements (the overview's link).
// Admins and coordinators add meetings (with their agreements), agreements and
// communications; viewers read; a partner sees its locations' meetings and its
// agreements, and changes the status of its own agreements and adds notes.

import { get } from "../api";
import { h } from "../dom";
import { formatDate, formatNumber, t } from "../i18n";
import type { ScreenContext } from "../screen";
import type { Page } from "../types";
import { button, errorBox, heading, link, pageTitle, paragraph, table } from "../ui";
import { agreementCard } from "./neighbourhood-agreement";
import { agreementForm, communicationForm, meetingForm, type Choices } from "./neighbourhood-forms";
import {
  FILTERS,
  about,
  filtered,
  isFilter,
  word,
  type Agreement,
  type Communication,
  type Filter,
  type Meeting,
} from "./neighbourhood-shared";
import "../meetings.css";

const SHOWN = 5;

interface Loaded {
  meetings: Meeting[];
  agreements: Agreement[];
  communications: Communication[] | null;
}

async function load(locationId: string, partner: boolean): Promise<Loaded> {
  const where = locationId ? { locationId } : {};
  const [meetings, agreements, communications] = await Promise.all([
    get<Page<Meeting>>("/meetings", { ...where, pageSize: 100 }),
    get<Page<Agreement>>("/agreements", { ...where, pageSize: 500 }),
    partner
      ? Promise.resolve(null)
      : get<Page<Communication>>("/communications", { ...where, pageSize: 100 }),
  ]);
  return {
    meetings: meetings.items,
    agreements: agreements.items,
    communications: communications?.items ?? null,
  };
}

async function choices(meetings: Meeting[]): Promise<Choices> {
  const [locations, partners, staff] = await Promise.all([
    get<Page<{ id: string; name: string }>>("/locations", { pageSize: 500, sort: "name" }),
    get<Page<{ id: string; name: string }>>("/partners", { pageSize: 500, sort: "name" }),
    get<Page<{ id: string; email: string }>>("/signal-owners", { pageSize: 500 }),
  ]);
  return { locations: locations.items, partners: partners.items, staff: staff.items, meetings };
}

function meetingCard(m: Meeting): HTMLElement {
  const id = `meeting-${m.id}`;
  return h(
    "article",
    { class: "meeting", "aria-labelledby": id, "data-meeting": m.id },
    h(
      "h3",
      { class: "utrecht-heading-3", id },
      `${word("kind", m.kind)} · ${formatDate(m.heldOn)}`,
      m.planned
        ? [
            " ",
            h("span", { class: "utrecht-status-badge meeting__planned" }, t("meetings.planned")),
          ]
        : null,
    ),
    h(
      "p",
      { class: "utrecht-paragraph meeting__meta" },
      `${t("meetings.where")}: ${about(m)}`,
      m.planned ? "" : ` · ${t("meetings.residents")}: ${formatNumber(m.residentsPresent)}`,
      m.partnerNames?.length ? ` · ${t("meetings.partners")}: ${m.partnerNames.join(", ")}` : "",
    ),
    paragraph(m.summary),
  );
}

/** The newest meetings, and the rest behind a button (a sounding board every quarter
 * makes a long list). */
function meetingList(meetings: Meeting[]): HTMLElement {
  const list = h("div", { class: "nb-meetings" });
  if (!meetings.length) return h("div", {}, paragraph(t("meetings.none")));
  list.append(...meetings.slice(0, SHOWN).map(meetingCard));
  if (meetings.length <= SHOWN) return list;
  const more = button(
    t("meetings.showAllMeetings", { n: meetings.length }),
    {
      "data-testid": "all-meetings",
      onclick: () => {
        more.remove();
        list.append(...meetings.slice(SHOWN).map(meetingCard));
      },
    },
    "subtle",
  );
  return h("div", {}, list, more);
}

function communicationTable(items: Communication[]): HTMLElement {
  if (!items.length) return paragraph(t("meetings.noCommunications"));
  return table(
    t("meetings.comm.caption"),
    [
      { header: t("meetings.comm.sentOn"), cell: (c: Communication) => formatDate(c.sentOn) },
      { header: t("meetings.comm.channel"), cell: (c) => word("channel", c.channel) },
      { header: t("meetings.comm.audience"), cell: (c) => word("audience", c.audience) },
      { header: t("meetings.where"), cell: (c) => about(c) },
      { header: t("meetings.comm.summary"), cell: (c) => c.summary },
      {
        header: t("meetings.comm.link"),
        cell: (c) =>
          c.link ? link(c.link, t("meetings.comm.open"), { rel: "noopener noreferrer" }) : "",
      },
    ],
    items,
  );
}

function section(id: string, title: string, ...children: (HTMLElement | null)[]): HTMLElement {
  return h(
    "section",
    { class: "card nb-section", "aria-labelledby": id, "data-testid": id },
    heading(2, title, { id }),
    children,
  );
}

export async function render(ctx: ScreenContext): Promise<void> {
  const role = ctx.session?.role ?? "";
  const staff = role === "admin" || role === "coordinator";
  const partner = role === "partner";
  const locationId = ctx.query.get("locationId") ?? "";
  const asked = ctx.query.get("afspraken");
  let filter: Filter = isFilter(asked) ? asked : "open";
  ctx.setTitle(t("meetings.title"));
  ctx.main.append(pageTitle(t("meetings.title")), paragraph(t("meetings.lead")));
  const scope = h("div", {});
  const panel = h("div", { "data-testid": "nb-panel" });
  const body = h("div", { class: "nb-body" });
  ctx.main.append(scope, panel, body);
  let data: Loaded | null = null;
  let picks: Choices | null = null;

  const redraw = async (): Promise<void> => {
    panel.replaceChildren();
    try {
      data = await load(locationId, partner);
      if (staff) picks = await choices(data.meetings);
    } catch (error) {
      if (ctx.alive()) body.replaceChildren(errorBox(error));
      return;
    }
    if (ctx.alive()) draw(data);
  };
  const open = (form: typeof meetingForm) => () => {
    if (picks) form(panel, picks, locationId, () => void redraw());
  };

  function agreementsList(d: Loaded): HTMLElement {
    const list = h("div", { class: "nb-agreements", "data-testid": "agreements" });
    const fill = () => {
      const shown = filtered(d.agreements, filter);
      list.replaceChildren(
        ...(shown.length
          ? shown.map((a) =>
              agreementCard(a, {
                role,
                partnerId: ctx.session?.partnerId ?? null,
                changed: () => void redraw(),
              }),
            )
          : [paragraph(t("meetings.noAgreements"))]),
      );
    };
    const selectId = "nb-filter";
    const select = h(
      "select",
      { id: selectId, class: "utrecht-select utrecht-select--html-select" },
      FILTERS.map((f) =>
        h("option", { value: f, selected: f === filter }, t(`meetings.filter.${f}`)),
      ),
    );
    select.addEventListener("change", () => {
      filter = isFilter(select.value) ? select.value : "open";
      fill();
    });
    fill();
    return h(
      "div",
      {},
      h(
        "div",
        { class: "filters" },
        h(
          "div",
          { class: "utrecht-form-field" },
          h("label", { class: "utrecht-form-label", for: selectId }, t("meetings.filter.label")),
          select,
        ),
      ),
      list,
    );
  }

  function draw(d: Loaded): void {
    const name =
      d.meetings.find((m) => m.locationName)?.locationName ??
      d.agreements.find((a) => a.locationName)?.locationName;
    scope.replaceChildren(
      locationId
        ? paragraph(
            t("meetings.filteredOn", { name: name ?? t("meetings.form.location") }),
            " ",
            link("/buurt", t("meetings.showAll")),
          )
        : "",
    );
    const tool = (text: string, testid: string, form: typeof meetingForm) =>
      staff ? button(text, { "data-testid": testid, onclick: open(form) }, "secondary") : null;
    body.replaceChildren(
      section(
        "nb-meetings",
        t("meetings.section.meetings"),
        tool(t("meetings.add"), "add-meeting", meetingForm),
        meetingList(d.meetings),
      ),
      section(
        "nb-agreements",
        t("meetings.section.agreements"),
        tool(t("meetings.agreement.add"), "add-agreement", agreementForm),
        agreementsList(d),
      ),
      d.communications
        ? section(
            "nb-communications",
            t("meetings.section.communications"),
            tool(t("meetings.comm.add"), "add-communication", communicationForm),
            communicationTable(d.communications),
          )
        : "",
    );
  }

  await redraw();
  ctx.ready();
}
