// One signal, the follow-up first: a note and one click to pick it up (it becomes the
// caller's, in progress), resolve it (the note says what was done) or reopen it; staff
// give it to someone else. Then its details and the follow-up so far.

import "../activity.css";
import { ApiError, get, patch, post } from "../api";
import { append, h, onSubmit } from "../dom";
import {
  clearProblems,
  errorSummary,
  isStale,
  setValue,
  showLocalProblems,
  showProblems,
} from "../forms";
import { formatDateTime, label, t, type MessageKey } from "../i18n";
import { worksSignals } from "../roles";
import type { ScreenContext } from "../screen";
import { followUps, ownerIdOf, type FollowUp } from "../shape-signals";
import { loadOwners, type Owner } from "../signal-owners";
import type { Location, Signal, SignalAction } from "../types";
import { alertBox, button, errorBox, field, heading, link, pageTitle, paragraph } from "../ui";

const MOVES: Record<FollowUp, { text: MessageKey; done: MessageKey }> = {
  pickUp: { text: "signals.pickUp", done: "signals.pickedUp" },
  resolve: { text: "signals.resolve", done: "signals.resolved" },
  reopen: { text: "signals.reopen", done: "signals.reopened" },
};

export async function render(ctx: ScreenContext): Promise<void> {
  const id = ctx.params.id!;
  const role = ctx.session?.role ?? "";
  const staff = role === "admin" || role === "coordinator";
  ctx.setTitle(t("signals.title"));
  // The list as the user left it (its filters are remembered: datatable.ts, ListState).
  const back = paragraph(link("/signalen", t("signals.back")));
  let signal: Signal;
  let owners: Owner[] = [];
  try {
    [signal, owners] = await Promise.all([
      get<Signal>(`/signals/${id}`),
      staff ? loadOwners() : Promise.resolve([]),
    ]);
  } catch (error) {
    if (!ctx.alive()) return;
    const notFound = error instanceof ApiError && error.status === 404;
    ctx.main.append(
      back,
      pageTitle(notFound ? t("common.notFound") : t("signals.title")),
      notFound ? paragraph(t("common.notFoundText")) : errorBox(error),
    );
    return;
  }
  let locationName = t("signals.noLocation");
  if (signal.locationId) {
    locationName = await get<Location>(`/locations/${signal.locationId}`).then(
      (l) => l.name,
      () => t("common.none"),
    );
  }
  if (!ctx.alive()) return;
  ctx.setTitle(signal.summary);
  const meId = ownerIdOf(owners, ctx.session?.email ?? "");

  const state = h("p", { class: "utrecht-paragraph signal-state", "data-testid": "signal-state" });
  const facts = h("dl", { class: "utrecht-data-list facts" });
  const actionList = h("ol", { class: "actions-list" });
  const ownerText = () => signal.ownerEmail ?? t("signals.noOwner");
  const draw = () => {
    state.replaceChildren(
      t("signals.stateLine", { status: label("signalStatus", signal.status), owner: ownerText() }),
      signal.dueAt && signal.status !== "resolved"
        ? ` ${t("signals.dueLine", { date: formatDateTime(signal.dueAt) })}`
        : "",
    );
    if (signal.overdue)
      state.append(
        " ",
        h(
          "span",
          { class: "utrecht-status-badge utrecht-status-badge--warning overdue-badge" },
          t("signals.overdue"),
        ),
      );
    facts.replaceChildren(
      ...[
        [t("signals.status"), label("signalStatus", signal.status)],
        [t("signals.owner"), ownerText()],
        [t("signals.reportedAt"), formatDateTime(signal.reportedAt)],
        [t("signals.dueAt"), signal.dueAt ? formatDateTime(signal.dueAt) : t("common.none")],
        [t("signals.source"), label("signalSource", signal.source)],
        [t("signals.category"), label("signalCategory", signal.category)],
        [t("signals.severity"), label("severity", signal.severity)],
        [t("signals.location"), locationName],
        [t("signals.overdue"), signal.overdue ? t("common.yes") : t("common.no")],
      ].map(([k, v]) =>
        h(
          "div",
          { class: "utrecht-data-list__item" },
          h("dt", { class: "utrecht-data-list__item-key" }, k),
          h(
            "dd",
            { class: "utrecht-data-list__item-value utrecht-data-list__item-value--html-dd" },
            v,
          ),
        ),
      ),
    );
    const actions = signal.actions ?? [];
    actionList.replaceChildren(
      ...(actions.length === 0
        ? [h("li", {}, t("signals.noActions"))]
        : actions.map((a: SignalAction) =>
            h(
              "li",
              {},
              h(
                "p",
                { class: "utrecht-paragraph action-meta" },
                formatDateTime(a.createdAt),
                " — ",
                t("signals.by", { who: a.authorRole ? label("role", a.authorRole) : a.authorType }),
              ),
              h("p", { class: "utrecht-paragraph" }, a.note),
            ),
          )),
    );
  };
  draw();

  const card = (key: string, text: string, ...body: (Node | null)[]) =>
    h(
      "section",
      { class: "card", "aria-labelledby": `sig-${key}` },
      heading(2, text, { id: `sig-${key}` }),
      ...body,
    );
  const followUp = worksSignals(role) ? followUpCard() : null;
  append(ctx.main, [
    back,
    pageTitle(signal.summary),
    ctx.query.get("created") ? alertBox("ok", paragraph(t("signals.registered"))) : null,
    signal.overdue ? alertBox("warning", paragraph(t("signals.overdueText"))) : null,
    followUp ? card("f", t("signals.followUp"), state, followUp) : state,
    card("d", t("signals.details"), facts),
    card("a", t("signals.actions"), actionList),
  ]);
  ctx.ready();

  function followUpCard(): HTMLElement {
    const note = field({
      name: "note",
      label: t("signals.note"),
      multiline: true,
      description: t("signals.noteHint"),
    });
    const summary = errorSummary();
    const done = h("div", { "aria-live": "polite", "data-testid": "follow-up-done" });
    const moves = h("div", { class: "button-row" });
    const owner = staff
      ? field({
          name: "ownerUserId",
          label: t("signals.owner"),
          options: [
            { value: "", label: t("signals.noOwner") },
            ...owners.map((o) => ({ value: o.id, label: o.email })),
          ],
        })
      : null;
    const fields = owner ? [note, owner] : [note];

    // One click per move; the note goes with it (required to resolve: what was done).
    async function run(what: FollowUp | "note" | "owner"): Promise<void> {
      clearProblems(fields, summary);
      done.replaceChildren();
      const text = note.control.value.trim();
      if ((what === "resolve" || what === "note") && !text) {
        showLocalProblems(fields, summary, [
          {
            name: "note",
            detail: t(what === "resolve" ? "signals.noteToResolve" : "signals.noteRequired"),
          },
        ]);
        return;
      }
      for (const b of moves.querySelectorAll("button")) b.disabled = true;
      try {
        if (what === "pickUp") {
          const change: Record<string, string | null> = { status: "in_progress" };
          if (staff && meId) change.ownerUserId = meId;
          await patch<Signal>(`/signals/${id}`, change, signal.version);
          if (text) await post<SignalAction>(`/signals/${id}/actions`, { note: text });
        } else if (what === "owner" && owner) {
          await patch<Signal>(
            `/signals/${id}`,
            { ownerUserId: owner.control.value || null },
            signal.version,
          );
        } else if (what === "reopen" && !text) {
          await patch<Signal>(`/signals/${id}`, { status: "in_progress" }, signal.version);
        } else {
          const status = what === "resolve" ? "resolved" : what === "reopen" ? "in_progress" : null;
          await post<SignalAction>(`/signals/${id}/actions`, {
            note: text,
            ...(status ? { status } : {}),
          });
        }
        signal = await get<Signal>(`/signals/${id}`);
        if (!ctx.alive()) return;
        note.control.value = "";
        draw();
        drawMoves();
        const message: MessageKey =
          what === "note"
            ? "signals.actionAdded"
            : what === "owner"
              ? "signals.ownerSet"
              : what === "pickUp" && !signal.ownerUserId
                ? "signals.inProgress"
                : MOVES[what].done;
        done.replaceChildren(alertBox("ok", paragraph(t(message, { owner: ownerText() }))));
      } catch (error) {
        if (isStale(error)) {
          signal = await get<Signal>(`/signals/${id}`).catch(() => signal);
          draw();
          drawMoves();
        }
        showProblems(fields, summary, error);
      } finally {
        for (const b of moves.querySelectorAll("button")) b.disabled = false;
      }
    }

    const drawMoves = () => {
      const mine = meId !== null && signal.ownerUserId === meId;
      moves.replaceChildren(
        ...followUps(signal.status, mine).map((m) =>
          button(
            t(MOVES[m].text),
            { "data-move": m, onclick: () => void run(m) },
            m === "pickUp" && signal.status !== "open" ? "secondary" : "primary",
          ),
        ),
        // The form's submit: Enter in the note adds it as a follow-up action.
        h(
          "button",
          {
            type: "submit",
            class: "utrecht-button utrecht-button--secondary-action",
            "data-move": "note",
          },
          t("signals.addAction"),
        ),
      );
      if (owner) setValue(owner, signal.ownerUserId, () => ownerText());
    };
    drawMoves();

    const form = h(
      "form",
      { novalidate: true, "data-testid": "action-form" },
      summary,
      done,
      note.wrap,
      moves,
      owner
        ? h(
            "div",
            { class: "filters signal-owner" },
            owner.wrap,
            button(
              t("signals.setOwner"),
              { "data-move": "owner", onclick: () => void run("owner") },
              "secondary",
            ),
          )
        : null,
    );
    onSubmit(form, async (e) => {
      e.preventDefault();
      await run("note");
    });
    return form;
  }
}
